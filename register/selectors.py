"""The register's one queryset: the page, and later exports and scrutiny packs, read it here."""

from django.db.models import Prefetch, QuerySet

from checklists.models import Assessment
from partnerships.models import Council, Partnership, highest_open_risk
from register.filters import RegisterFilter


def register_partnerships(*, filters, user) -> RegisterFilter:
    """The partnerships `user` may see, filtered by `filters` (a QueryDict of the URL's parameters).

    Returns the FilterSet so callers get both the rows (`.qs`) and the bound
    form with any errors. Related rows are fetched in a fixed number of queries
    however many partnerships are shown.
    """
    queryset: QuerySet = with_councils(Partnership.objects.visible_to(user))
    filterset = RegisterFilter(filters, queryset=queryset, part_of_register=not user.is_superuser, reader=user.pk)
    return filterset


# What the register's table shows, and nothing more: not the purpose, nor each lead
# officer's password hash (issue 15).
TABLE_COLUMNS = ("name", "reference", "status", "scope", "basis", "membership", "level", "annual_contribution",
                 "next_review_due", "latest_assurance",
                 "lead_officer__first_name", "lead_officer__last_name", "lead_officer__username")


def with_councils(rows: QuerySet) -> QuerySet:
    return rows.select_related("lead_officer").prefetch_related(
        Prefetch("councils", queryset=Council.objects.order_by("short_name"))
    )


def table_rows(ids) -> QuerySet:
    """The table's rows of the partnerships `ids` (a page of the register, found and
    ordered already): read by id alone, not filtered again (`RegisterPaginator`)."""
    return for_the_table(with_councils(Partnership.objects.filter(pk__in=ids)))


def for_the_table(rows: QuerySet) -> QuerySet:
    """`rows` reading only the columns the register's table shows, and the score of each
    one's highest open risk (`highest_risk`), in the same query."""
    return rows.only(*TABLE_COLUMNS).annotate(highest_risk=highest_open_risk())


def in_register_order(rows: QuerySet) -> QuerySet:
    """The order `sort` asked for (or the default), made stable by id for paging and packs."""
    return rows.order_by(*(rows.query.order_by or Partnership._meta.ordering), "id")


def latest_assessments(*, partnerships, user) -> dict:
    """{partnership id: its most recent assessment the user may see}, in one query."""
    return latest_assessments_by_id(ids=[p.pk for p in partnerships], user=user)


def latest_assessments_by_id(*, ids, user) -> dict:
    """As `latest_assessments`, for the partnerships `ids`: each one read through
    `Partnership.objects.visible_to(user)`, so only the draft rule is left to apply."""
    assessments = (
        Assessment.objects.visible_to(user, partnership_seen=True).filter(partnership__in=ids)
        .select_related("template").only("partnership_id", "title", "status", "started_at", "template__kind")
    )
    latest = {}
    for assessment in assessments.order_by("partnership_id", "-started_at", "-id"):
        latest.setdefault(assessment.partnership_id, assessment)
    return latest
