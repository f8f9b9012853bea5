"""The import template (issue 16): the register export's header row with no partnerships, and
a Notes sheet saying, for every column, whether it must be filled in, what to write and
which values it allows (the choices' labels, read from the models)."""

from common.spreadsheets import LIST_SEPARATOR, Column
from partnerships.models import PartnershipMember
from register.exports import COLUMNS
from register.import_cells import IMPORT_COLUMNS
from register.import_files import MAX_BYTES, MAX_ROWS, PAGE_MAX_ROWS, megabytes

_WHAT = {
    "reference": "Empty for a new partnership; the partnership’s reference (like P-0012) to update it. A "
                 "reference from this register’s own export, not yet in it, is kept.",
    "name": "The partnership’s name.",
    "purpose": "What the partnership is for.",
    "councils": "The councils taking part, by name or short name, separated by “; ”. Only your own councils.",
    "lead_officer": "The officer’s name or username. Someone not yet in the register is added as an officer, "
                    "without a password until an administrator sets one.",
    "lead_member": "The councillor with the portfolio, as text, for example “Cllr P Bennett”.",
    "lead_member_account": "The councillor’s name or username if they sign in. Someone not yet in the register "
                           "is added as a lead member.",
    "council_representative": "Who represents the council, if not the lead officer.",
    "partners": "Each partner organisation with its role in brackets, separated by “; ”, for example "
                "“Wessex Police (Chair); Dorset NHS (Funder)”. Without a role in brackets, a member. A new "
                "organisation is added to the register as a public body: correct its sector afterwards if it is "
                "not.",
    "themes": "Themes separated by “; ”. A new theme is added to the register.",
    "parent": "The partnership this one sits inside, as the export names it: its name and reference in "
              "brackets, for example “Local Strategic Partnership (P-0001)”. It may be a new one in the file.",
    "annual_contribution": "An amount in pounds, for example 1250.50. Empty means 0.",
    "officer_days": "Days a year, for example 5.5. Empty means 0.",
    "total_budget": "An amount in pounds, or empty if not known.",
    "performance_notes": "How performance is managed, as text.",
    "start_date": "A date, as 31/03/2027 or 2027-03-31.",
    "end_date": "A date, on or after the start date.",
    "next_review_due": "A date. Needed unless the partnership is closed.",
}


def _allowed(column) -> str:
    if column.field == "partners":
        return "Roles: " + LIST_SEPARATOR.join(str(label) for label in PartnershipMember.Role.labels)
    return LIST_SEPARATOR.join(str(label) for label in column.choices.values())


def note_rows():
    by_heading = {column.heading: column for column in IMPORT_COLUMNS}
    for export_column in COLUMNS:
        column = by_heading.get(export_column.heading)
        if column is None:
            yield (export_column.heading, "Worked out by the register",
                   "Read past on import: the register works it out. The column may be left out.", "")
        elif column.field == "reference":
            yield (column.heading, "Optional", _WHAT["reference"], "")
        else:
            what = _WHAT.get(column.field, "One of the allowed values.")
            yield (column.heading, "Must be filled in" if column.required else "Optional", what, _allowed(column))


NOTES_COLUMNS = [Column("Column", width=32), Column("Needed", width=18), Column("What to write", width=80),
                 Column("Allowed values", width=80)]


def template_sheets() -> list[dict]:
    about = [("About this file", "", f"Fill in one row a partnership under the headings of the Register sheet, or "
              f"import the register’s own download (CSV or XLSX). At most {PAGE_MAX_ROWS:,} partnerships a file on "
              f"the register's import page ({MAX_ROWS:,} from the command line), and {megabytes(MAX_BYTES)}. Nothing is written until you check the preview and confirm; then "
              "every row goes in, or none does.", "")]
    return [
        {"title": "Register", "columns": COLUMNS, "rows": []},
        {"title": "Notes", "columns": NOTES_COLUMNS, "rows": [*about, *note_rows()]},
    ]
