"""The register as a spreadsheet (issue 16): every field of each partnership the register
page shows, in the order it shows them.

The rows come from the register's own queryset (`register_partnerships`, in
`in_register_order`), read `chunk_size` at a time: each chunk's councils, themes, partners
and latest assessments are fetched once for the chunk, so 100,000 partnerships take a
fixed number of queries per chunk and never more than a chunk in memory.
"""

from itertools import islice
from typing import Iterator

from django.db.models import Prefetch, QuerySet
from django.utils.text import capfirst

from checklists.models import Assessment, Template
from common.spreadsheets import DATE, MONEY, NUMBER, Column
from partnerships.models import Partnership, PartnershipMember, Theme, is_review_overdue
from register.selectors import latest_assessments

_FIELD = Partnership._meta.get_field
# Choice labels looked up once, not once a row (get_FOO_display builds a dict each call).
_LABELS = {name: dict(_FIELD(name).flatchoices) for name in (
    "status", "scope", "basis", "membership", "level", "council_role", "legal_status", "performance_method",
    "review_frequency")}
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
]

# What a row reads: the register entry and the names it shows, not each person's password
# hash nor the search column.
_PERSON = ("first_name", "last_name", "username")
FIELDS = (
    "name", "reference", "purpose", "status", "scope", "basis", "membership", "level", "council_role",
    "legal_status", "lead_member", "council_representative", "annual_contribution", "officer_days", "total_budget",
    "performance_method", "performance_notes", "start_date", "end_date", "review_frequency", "next_review_due",
    "parent__name", "parent__reference",
    *(f"lead_officer__{name}" for name in _PERSON), *(f"lead_member_account__{name}" for name in _PERSON),
)


def for_export(rows: QuerySet) -> QuerySet:
    """`rows` (the register's queryset) with everything a row of the export shows."""
    return rows.select_related("lead_officer", "lead_member_account", "parent").only(*FIELDS).prefetch_related(
        Prefetch("themes", queryset=Theme.objects.only("name")),
        Prefetch("memberships", queryset=PartnershipMember.objects.select_related("organisation").only(
            "partnership_id", "role", "organisation__name")),
    )


def register_rows(rows: QuerySet, *, user, chunk_size: int) -> Iterator[tuple]:
    """Each partnership of `rows`, in their order, as a tuple of COLUMNS' values; its latest
    assessment is the latest that `user` may see, as on the register page."""
    partnerships = for_export(rows).iterator(chunk_size=chunk_size)
    while chunk := list(islice(partnerships, chunk_size)):
        latest = latest_assessments(partnerships=chunk, user=user)
        for partnership in chunk:
            yield register_row(partnership, latest.get(partnership.pk))


def _name(person) -> str | None:
    return (person.get_full_name() or person.username) if person else None


def register_row(p: Partnership, latest: Assessment | None) -> tuple:
    return (
        p.reference,
        p.name,
        _label("status", p.status),
        p.purpose,
        *(_label(name, getattr(p, name)) for name in ("scope", "basis", "membership", "level")),
        _label("council_role", p.council_role),
        _label("legal_status", p.legal_status),
        [council.name for council in p.councils.all()],
        _name(p.lead_officer),
        p.lead_member,
        _name(p.lead_member_account),
        p.council_representative,
        [f"{member.organisation.name} ({_ROLES.get(member.role, member.role)})" for member in p.memberships.all()],
        [theme.name for theme in p.themes.all()],
        str(p.parent) if p.parent else None,
        p.annual_contribution,
        p.officer_days,
        p.total_budget,
        _label("performance_method", p.performance_method),
        p.performance_notes,
        p.start_date,
        p.end_date,
        _label("review_frequency", p.review_frequency),
        p.next_review_due,
        is_review_overdue(p.next_review_due, p.status),
        latest.title if latest else None,
        _KINDS[latest.template.kind] if latest else None,
        _ASSESSMENT_STATUS[latest.status] if latest else None,
    )
