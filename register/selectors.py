"""The register's one queryset: the page, and later exports and scrutiny packs, read it here."""

from django.db.models import Prefetch, QuerySet

from checklists.models import Assessment
from partnerships.models import Council, Partnership
from register.filters import RegisterFilter


def register_partnerships(*, filters, user) -> RegisterFilter:
    """The partnerships `user` may see, filtered by `filters` (a QueryDict of the URL's parameters).

    Returns the FilterSet so callers get both the rows (`.qs`) and the bound
    form with any errors. Related rows are fetched in a fixed number of queries
    however many partnerships are shown.
    """
    queryset: QuerySet = Partnership.objects.visible_to(user).select_related("lead_officer").prefetch_related(
        Prefetch("councils", queryset=Council.objects.order_by("short_name"))
    )
    filterset = RegisterFilter(filters, queryset=queryset)
    return filterset


def in_register_order(rows: QuerySet) -> QuerySet:
    """The order `sort` asked for (or the default), made stable by id for paging and packs."""
    return rows.order_by(*(rows.query.order_by or Partnership._meta.ordering), "id")


def latest_assessments(*, partnerships, user) -> dict:
    """{partnership id: its most recent assessment the user may see}, in one query."""
    assessments = Assessment.objects.visible_to(user).filter(
        partnership__in=[p.pk for p in partnerships]
    ).select_related("template")
    latest = {}
    for assessment in assessments.order_by("partnership_id", "-started_at", "-id"):
        latest.setdefault(assessment.partnership_id, assessment)
    return latest
