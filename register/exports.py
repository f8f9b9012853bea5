"""The register as a spreadsheet (issue 16): every field of each partnership the register
page shows, in the order it shows them.

The rows come from the register's own queryset (`register_partnerships`, in
`in_register_order`), read `chunk_size` at a time: each chunk's councils, themes, partners
and latest assessments are fetched once for the chunk (a query each), so 100,000
partnerships take a fixed number of queries per chunk and never more than a chunk in memory.
"""

from collections import defaultdict
from typing import Iterator

from django.db.models import QuerySet
from django.utils.text import capfirst

from checklists.models import Assessment, Template
from common.people import name_from_parts
from common.spreadsheets import DATE, MONEY, NUMBER, Column, in_chunks
from partnerships.models import Partnership, PartnershipMember, Risk, highest_open_risk, is_review_overdue
from register.selectors import latest_assessments_by_id

_FIELD = Partnership._meta.get_field
# Choice labels looked up once, not once a row (get_FOO_display builds a dict each call).
_LABELS = {name: dict(_FIELD(name).flatchoices) for name in (
    "status", "scope", "basis", "membership", "level", "council_role", "legal_status", "performance_method",
    "review_frequency", "latest_assurance")}
_ROLES = dict(PartnershipMember.Role.choices)
_KINDS = dict(Template.Kind.choices)
_ASSESSMENT_STATUS = dict(Assessment.Status.choices)


def _label(name: str, value) -> str:
    """A choice's label; a value no longer offered (kept from before) as it is stored."""
    return _LABELS[name].get(value, value)


def _heading(name: str) -> str:
    """A field's heading as the partnership's form labels it (“Council’s role”)."""
    return capfirst(_FIELD(name).verbose_name)


COLUMNS = [
    Column("Reference", width=10),
    Column("Name", width=40),
    Column("Status", width=12),
    Column(_heading("purpose"), width=60),
    *(Column(_heading(name), width=16) for name in ("scope", "basis", "membership", "level")),
    Column(_heading("council_role"), width=14),
    Column(_heading("legal_status"), width=30),
    Column(_heading("councils"), width=36),
    Column("Lead officer", width=22),
    Column("Lead member", width=22),
    Column(_heading("lead_member_account"), width=22),
    Column("Council representative", width=22),
    Column("Partners", width=50),
    Column("Themes", width=30),
    Column(_heading("parent"), width=36),
    Column(_heading("annual_contribution"), MONEY, width=16),
    Column(_heading("officer_days"), NUMBER, width=12),
    Column(_heading("total_budget"), MONEY, width=16),
    Column(_heading("performance_method"), width=30),
    Column(_heading("performance_notes"), width=50),
    Column("Start date", DATE, width=12),
    Column("End date", DATE, width=12),
    Column("Review frequency", width=16),
    Column(_heading("next_review_due"), DATE, width=12),
    Column("Review overdue", width=10),
    Column("Latest assessment", width=30),
    Column("Latest assessment tool", width=30),
    Column("Latest assessment status", width=14),
    Column(_heading("latest_assurance"), width=22),
    Column("Highest open risk", width=12),
    Column("Highest open risk score", NUMBER, width=10),
]

# What a row reads, as values rather than model instances: at 100,000 rows, building a
# partnership, its people and the related managers of a prefetch took most of the time.
_PERSON = ("first_name", "last_name", "username")
FIELDS = (
    "id", "name", "reference", "purpose", "status", "scope", "basis", "membership", "level", "council_role",
    "legal_status", "lead_member", "council_representative", "annual_contribution", "officer_days", "total_budget",
    "performance_method", "performance_notes", "start_date", "end_date", "review_frequency", "next_review_due",
    "latest_assurance", "highest_risk", "parent__name", "parent__reference",
    *(f"lead_officer__{name}" for name in _PERSON), *(f"lead_member_account__{name}" for name in _PERSON),
)


def register_rows(rows: QuerySet, *, user, chunk_size: int) -> Iterator[tuple]:
    """Each partnership of `rows` (the register's queryset, in its order) as a tuple of
    COLUMNS' values; its latest assessment is the latest that `user` may see, as on the page."""
    entries = rows.prefetch_related(None).annotate(highest_risk=highest_open_risk()).values(*FIELDS)
    for chunk in in_chunks(entries, chunk_size=chunk_size):
        ids = [entry["id"] for entry in chunk]
        related = _related(ids)
        latest = latest_assessments_by_id(ids=ids, user=user)
        for entry in chunk:
            yield register_row(entry, {name: found.get(entry["id"], []) for name, found in related.items()},
                               latest.get(entry["id"]))


def _related(ids: list[int]) -> dict[str, dict[int, list[str]]]:
    """The councils, themes and partners (with their roles) of the partnerships `ids`, by
    partnership, in a query each."""
    councils = Partnership.councils.through.objects.filter(partnership_id__in=ids).order_by("council__name")
    themes = Partnership.themes.through.objects.filter(partnership_id__in=ids).order_by("theme__name")
    partners = PartnershipMember.objects.filter(partnership_id__in=ids).order_by("organisation__name")
    return {
        "councils": _grouped(councils.values_list("partnership_id", "council__name")),
        "themes": _grouped(themes.values_list("partnership_id", "theme__name")),
        "partners": _grouped((partnership_id, f"{name} ({_ROLES.get(role, role)})") for partnership_id, name, role
                             in partners.values_list("partnership_id", "organisation__name", "role")),
    }


def _grouped(pairs) -> dict[int, list[str]]:
    grouped = defaultdict(list)
    for partnership_id, name in pairs:
        grouped[partnership_id].append(name)
    return grouped


def _name(entry: dict, person: str) -> str | None:
    """A person's name as `common.people.display_name` gives it, from the row's columns;
    None for nobody."""
    first, last, username = (entry[f"{person}__{name}"] for name in _PERSON)
    return name_from_parts(first, last, username) if username else None


def _parent(entry: dict) -> str | None:
    """The parent as `Partnership.__str__` names it: “Local Strategic Partnership (P-0001)”."""
    name, reference = entry["parent__name"], entry["parent__reference"]
    if name is None:
        return None
    return f"{name} ({reference})" if reference else name


def register_row(e: dict, related: dict, latest: Assessment | None) -> tuple:
    return (
        e["reference"],
        e["name"],
        _label("status", e["status"]),
        e["purpose"],
        *(_label(name, e[name]) for name in ("scope", "basis", "membership", "level")),
        _label("council_role", e["council_role"]),
        _label("legal_status", e["legal_status"]),
        related["councils"],
        _name(e, "lead_officer"),
        e["lead_member"],
        _name(e, "lead_member_account"),
        e["council_representative"],
        related["partners"],
        related["themes"],
        _parent(e),
        e["annual_contribution"],
        e["officer_days"],
        e["total_budget"],
        _label("performance_method", e["performance_method"]),
        e["performance_notes"],
        e["start_date"],
        e["end_date"],
        _label("review_frequency", e["review_frequency"]),
        e["next_review_due"],
        is_review_overdue(e["next_review_due"], e["status"]),
        latest.title if latest else None,
        _KINDS[latest.template.kind] if latest else None,
        _ASSESSMENT_STATUS[latest.status] if latest else None,
        _label("latest_assurance", e["latest_assurance"]) or None,
        Risk.band_of(e["highest_risk"]).label if e["highest_risk"] else None,
        e["highest_risk"],
    )
