"""The register's count of matches is kept a minute per reader and filter while nothing it
reads has changed (register.paging.RegisterPaginator.count, RegisterFilter.count_key): a
change to a partnership, a risk or an assessment, or a new day, counts it afresh at once."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checklists import services
from partnerships.models import Partnership
from tests.checklists.factories import submitted
from tests.factories import PartnershipFactory, RiskFactory, UserFactory

pytestmark = pytest.mark.django_db


def shown_count(client, query="") -> int:
    response = client.get(f"/register/{query}")
    assert response.status_code == 200
    return response.context["page"].paginator.count


def partnership_counts(client, query="") -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        client.get(f"/register/{query}")
    return [q["sql"] for q in captured.captured_queries
            if q["sql"].startswith('SELECT COUNT(*) AS "__count" FROM "partnerships_partnership"')]


def test_a_count_is_kept_while_the_register_is_unchanged(member_client):
    PartnershipFactory()
    assert len(partnership_counts(member_client, "?scope=strategic")) == 1
    assert partnership_counts(member_client, "?scope=strategic") == []
    assert partnership_counts(member_client, "?scope=strategic&page=1&sort=-contribution") == []  # same matches
    assert len(partnership_counts(member_client, "?scope=operational")) == 1  # another filter, its own count


def test_a_new_partnership_is_counted_at_once(member_client):
    PartnershipFactory()
    assert shown_count(member_client) == 1
    PartnershipFactory()
    assert shown_count(member_client) == 2


def test_a_change_to_a_partnership_is_counted_at_once(member_client):
    partnership = PartnershipFactory(status=Partnership.Status.ACTIVE)
    assert shown_count(member_client, "?status=closed") == 0
    partnership.status = Partnership.Status.CLOSED
    partnership.save()
    assert shown_count(member_client, "?status=closed") == 1


def test_a_new_risk_is_counted_at_once(member_client):
    partnership = PartnershipFactory()
    assert shown_count(member_client, "?risk=high") == 0
    RiskFactory(partnership=partnership, likelihood=5, impact=5)
    assert shown_count(member_client, "?risk=high") == 1


def test_an_approval_is_counted_at_once(member_client, officer, lead):
    assessment = submitted(PartnershipFactory(lead_officer=lead), officer)
    assert shown_count(member_client, "?approved_checklist=yes") == 0
    assessment.refresh_from_db()
    services.assessment_approve(assessment=assessment, version=assessment.version, user=lead, assurance="limited")
    assert shown_count(member_client, "?approved_checklist=yes") == 1
    assert shown_count(member_client, "?assurance=limited") == 1


def test_a_new_day_is_counted_afresh(member_client, monkeypatch):
    import register.filters

    PartnershipFactory(next_review_due=timezone.localdate() + timedelta(days=1))
    assert shown_count(member_client, "?overdue=yes") == 0
    later = timezone.localdate() + timedelta(days=2)
    monkeypatch.setattr(register.filters.timezone, "localdate", lambda: later)
    assert shown_count(member_client, "?overdue=yes") == 1


def test_a_kept_count_is_one_readers_alone(member_client):
    from tests.factories import CouncilFactory

    PartnershipFactory()
    PartnershipFactory(councils=[CouncilFactory(name="Elsewhere")])
    root = Client()
    root.force_login(UserFactory(username="root", is_superuser=True, is_staff=True))
    assert shown_count(root) == 2
    assert shown_count(member_client) == 1


def test_a_write_past_the_history_shows_within_the_minute(member_client):
    """A bulk update records no history: its count shows once the kept one runs out."""
    from django.core.cache import cache

    PartnershipFactory(status=Partnership.Status.ACTIVE)
    assert shown_count(member_client, "?status=closed") == 0
    Partnership.objects.update(status=Partnership.Status.CLOSED)
    assert shown_count(member_client, "?status=closed") == 0  # kept
    cache.clear()  # as the minute runs out (register.paging.COUNT_KEPT_FOR)
    assert shown_count(member_client, "?status=closed") == 1
