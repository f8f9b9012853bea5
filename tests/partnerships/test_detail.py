from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import CouncilFactory, OrganisationFactory, PartnershipFactory, ThemeFactory, default_council

pytestmark = pytest.mark.django_db


def test_it_shows_every_field(member_client):
    parent = PartnershipFactory(name="Local Strategic Partnership")
    partnership = PartnershipFactory(
        name="Community Safety Partnership", parent=parent,
        scope="strategic", basis="statutory", membership="multi", level="regional",
        councils=[CouncilFactory(name="Harbourside Borough Council")],
        themes=[ThemeFactory(name="Community safety")],
        partners=[OrganisationFactory(name="Wessex Police")],
        lead_member="Cllr Rita Greene", council_representative="Dev Sharma",
        annual_contribution=Decimal("32000.00"), officer_days=Decimal("45.0"),
        total_budget=Decimal("120000.00"), performance_notes="Quarterly report to scrutiny.",
    )
    PartnershipFactory(name="CCTV Group", parent=partnership)
    body = member_client.get(f"/partnerships/{partnership.pk}/").content.decode()
    for text in [
        partnership.reference, "Community Safety Partnership", "Strategic", "Statutory",
        "Multi organisation", "Regional", "Harbourside Borough Council", "Community safety",
        "Wessex Police", "Cllr Rita Greene", "Dev Sharma", "£32,000.00", "45 days a year",
        "£120,000.00", "Quarterly report to scrutiny.", "Local Strategic Partnership", "CCTV Group",
        "Memorandum of understanding or partnership agreement", "Every year",
    ]:
        assert text in body, text


def test_it_flags_an_overdue_review(member_client):
    partnership = PartnershipFactory(next_review_due=timezone.localdate() - timedelta(days=1))
    assert "Review overdue" in member_client.get(f"/partnerships/{partnership.pk}/").content.decode()


def test_it_offers_editing_only_to_those_who_may_edit(member_client, client, officer):
    partnership = PartnershipFactory()
    assert "Edit partnership" not in member_client.get(f"/partnerships/{partnership.pk}/").content.decode()
    client.force_login(officer)
    assert "Edit partnership" in client.get(f"/partnerships/{partnership.pk}/").content.decode()


def test_it_returns_404_for_an_unknown_partnership(member_client):
    assert member_client.get("/partnerships/999999/").status_code == 404


@pytest.mark.parametrize("extra", [1, 25])
def test_it_uses_a_constant_number_of_queries(member_client, django_assert_max_num_queries, extra):
    partnership = PartnershipFactory(
        councils=[default_council() for _ in range(2)],
        themes=[ThemeFactory() for _ in range(extra)],
        partners=[OrganisationFactory() for _ in range(extra)],
    )
    for _ in range(extra):
        PartnershipFactory(parent=partnership)
    # Its reads include the newest history record, for the "last changed" line, its risks with
    # their owners (one query, however many: tests/partnerships/test_risk_pages.py) and (with
    # sub-partnerships) its branch of the partnership tree, in one query however deep or wide.
    with django_assert_max_num_queries(14):
        assert member_client.get(f"/partnerships/{partnership.pk}/").status_code == 200
