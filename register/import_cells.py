"""The columns an import reads, in the register export's own layout, and how each cell
becomes a plain value (issue 16). A cell that cannot is a `CellProblem` whose message says,
in words, what is wrong and what would be right.

The export writes choices as their labels, people by name, lists joined with "; ",
amounts as numbers and dates as dates (as text in CSV: 2026-11-24): each is read back
here. The export's neutralising quote before text a spreadsheet would run as a formula is
taken off first (`unneutralise`), so an import gives back exactly what was exported.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.text import capfirst

from common.spreadsheets import LIST_SEPARATOR, unneutralise
from partnerships.models import Partnership, PartnershipMember
from register.exports import COLUMNS

_FIELD = Partnership._meta.get_field


EMPTY = "this column must not be empty"


class CellProblem(ValueError):
    """A cell that does not hold what its column needs; the message is for the person."""


@dataclass(frozen=True)
class ImportColumn:
    heading: str
    field: str  # the Partnership field (or the import's own name: reference, partners)
    kind: str  # text, choice, list, person, parent, partners, money, number, date
    required: bool = False

    @property
    def choices(self) -> dict:
        return dict(_FIELD(self.field).flatchoices) if self.kind == "choice" else {}


def _heading(name: str) -> str:
    return capfirst(_FIELD(name).verbose_name)


# Every column of the export that says what the entry is. The others (Review overdue, the
# latest assessment, the highest open risk) are worked out by the register: an import
# reads past them, and the file may leave them out.
IMPORT_COLUMNS = [
    ImportColumn("Reference", "reference", "text"),
    ImportColumn("Name", "name", "text", required=True),
    ImportColumn("Status", "status", "choice", required=True),
    ImportColumn(_heading("purpose"), "purpose", "text", required=True),
    *(ImportColumn(_heading(name), name, "choice", required=True)
      for name in ("scope", "basis", "membership", "level", "council_role", "legal_status")),
    ImportColumn(_heading("councils"), "councils", "list", required=True),
    ImportColumn("Lead officer", "lead_officer", "person", required=True),
    ImportColumn("Lead member", "lead_member", "text"),
    ImportColumn(_heading("lead_member_account"), "lead_member_account", "person"),
    ImportColumn("Council representative", "council_representative", "text"),
    ImportColumn("Partners", "partners", "partners"),
    ImportColumn("Themes", "themes", "list"),
    ImportColumn(_heading("parent"), "parent", "parent"),
    ImportColumn(_heading("annual_contribution"), "annual_contribution", "money"),
    ImportColumn(_heading("officer_days"), "officer_days", "number"),
    ImportColumn(_heading("total_budget"), "total_budget", "money"),
    ImportColumn(_heading("performance_method"), "performance_method", "choice", required=True),
    ImportColumn(_heading("performance_notes"), "performance_notes", "text"),
    ImportColumn("Start date", "start_date", "date"),
    ImportColumn("End date", "end_date", "date"),
    ImportColumn("Review frequency", "review_frequency", "choice", required=True),
    ImportColumn(_heading("next_review_due"), "next_review_due", "date"),
]
IMPORTED_HEADINGS = [column.heading for column in IMPORT_COLUMNS]
WORKED_OUT_HEADINGS = [column.heading for column in COLUMNS if column.heading not in IMPORTED_HEADINGS]
BY_FIELD = {column.field: column for column in IMPORT_COLUMNS}
assert set(IMPORTED_HEADINGS) <= {column.heading for column in COLUMNS}, "the import reads the export's layout"

# Where blank means a value rather than nothing, as the form's defaults do.
BLANK_MEANS = {"annual_contribution": Decimal("0.00"), "officer_days": Decimal("0.0")}
ROLES = {label.casefold(): value for value, label in PartnershipMember.Role.choices}
DEFAULT_ROLE = PartnershipMember.Role.MEMBER
_PARTNER = re.compile(r"^(?P<name>.*\S)\s*\((?P<role>[^()]*)\)$")
_PARENT = re.compile(r"^(?P<name>.*?)\s*\((?P<reference>P-\d+)\)$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def normal_heading(text) -> str:
    """A heading as compared: case, spacing and straight or curly apostrophes do not count."""
    return " ".join(str(text or "").replace("’", "'").split()).casefold()


def folded(text: str) -> str:
    """A name as names are matched: case and spacing do not count."""
    return " ".join(text.split()).casefold()


def text_of(cell) -> str:
    """A cell as text, the export's neutralising quote taken off, spaces at either end trimmed (as
    a form trims what is typed)."""
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return unneutralise(str(cell)).strip()


def shown(text, limit: int = 80) -> str:
    """Text from the file as a problem quotes it: at most `limit` characters, so a megabyte
    pasted into a cell is not sent back whole."""
    text = str(text)
    return text if len(text) <= limit else f"{text[:limit]}…"


# The longest a cell of each kind may be, beyond which it is refused before it is read: a
# text column's own limit (the model's max_length, TextFields too, which only forms check);
# for a list, each name's (a council's, a theme's, an organisation's: the longest is 200).
LIST_LIMIT = 10_000
NAME_LIMITS = {"councils": 150, "themes": 100, "partners": 200}
PERSON_LIMIT = 150  # auth_user's username, first and last names
OTHER_LIMIT = 300  # a choice, an amount, a date, a parent's name and reference


def _check_length(column: ImportColumn, text: str) -> None:
    if column.kind == "text":
        limit = _FIELD(column.field).max_length
    elif column.kind in ("list", "partners"):
        limit = LIST_LIMIT
        longest = max((len(item) for item in text.split(LIST_SEPARATOR.strip())), default=0)
        each = NAME_LIMITS[column.field] + (20 if column.kind == "partners" else 0)  # and a role in brackets
        if longest > each:
            raise CellProblem(f"a name of {longest:,} characters is too long: a name here has at most "
                              f"{NAME_LIMITS[column.field]:,}")
    elif column.kind == "person":
        limit = PERSON_LIMIT
    else:
        limit = OTHER_LIMIT
    if limit and len(text) > limit:
        raise CellProblem(f"{len(text):,} characters is too long: this column holds at most {limit:,}")


def parse_cell(column: ImportColumn, cell):
    """The plain value of `cell` in `column`: text, a choice's value, a list of names, a
    Decimal, a date, or for partners a list of (name, role); None for an empty cell."""
    if isinstance(cell, str):
        _check_length(column, text_of(cell))
    if column.kind in ("money", "number"):
        return _amount(column, cell)
    if column.kind == "date":
        return _date(cell)
    text = text_of(cell)
    if not text:
        if column.required:
            raise CellProblem(EMPTY)
        return [] if column.kind in ("list", "partners") else None
    if column.kind == "choice":
        return _choice(column, text)
    if column.kind == "list":
        return _names(text)
    if column.kind == "partners":
        return [_partner(item) for item in _names(text)]
    if column.kind in ("person", "parent"):
        return " ".join(text.split())
    return text


def _names(text: str) -> list[str]:
    names = [" ".join(item.split()) for item in text.split(LIST_SEPARATOR.strip())]
    return [name for name in names if name]


def _partner(item: str) -> tuple[str, str]:
    """“Harbourside Police (Chair)” → (“Harbourside Police”, chair); without a role in brackets, a member."""
    found = _PARTNER.match(item)
    if found and found["role"].strip().casefold() in ROLES:
        return found["name"], ROLES[found["role"].strip().casefold()]
    return item, DEFAULT_ROLE


def parent_name_and_reference(text: str) -> tuple[str, str | None]:
    """“Local Strategic Partnership (P-0001)”, as the export names a parent → its name and reference."""
    found = _PARENT.match(text)
    return (found["name"], found["reference"]) if found else (text, None)


def _choice(column: ImportColumn, text: str):
    """A choice given by its label (as the export writes it) or its stored value, any case."""
    wanted = folded(text.replace("’", "'"))
    for value, label in column.choices.items():
        if wanted in (folded(str(label).replace("’", "'")), folded(str(value))):
            return value
    allowed = ", ".join(f"“{label}”" for label in column.choices.values())
    raise CellProblem(f"“{shown(text)}” is not one of the choices: {allowed}")


def _amount(column: ImportColumn, cell):
    if isinstance(cell, bool):
        raise CellProblem(f"“{shown(cell)}” is not a number")
    if isinstance(cell, (int, Decimal)):
        return Decimal(cell)
    if isinstance(cell, float):
        return Decimal(repr(cell))
    text = text_of(cell)
    if not text:
        if column.required:
            raise CellProblem(EMPTY)
        return BLANK_MEANS.get(column.field)
    plain = text.replace(",", "").replace("£", "").strip()
    try:
        value = Decimal(plain)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        example = "1250.50" if column.kind == "money" else "5.5"
        raise CellProblem(f"“{shown(text)}” is not a number: write it as digits, for example {example}")
    return value


def _date(cell):
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    text = text_of(cell)
    if not text:
        return None
    found = _ISO.match(text)
    if found:
        year, month, day = map(int, found.groups())
    elif found := _DAY_MONTH_YEAR.match(text):
        day, month, year = map(int, found.groups())
    else:
        raise CellProblem(f"“{shown(text)}” is not a date: write it as 31/03/2027 or 2027-03-31")
    try:
        return date(year, month, day)
    except ValueError:
        raise CellProblem(f"“{shown(text)}” is not a date: there is no such day") from None
