"""The partnership profile PDF: the register entry, its assessments and open actions."""

from decimal import Decimal

import pytest
from django.urls import reverse

from checklists import services
from checklists.models import Template
from tests.checklists.factories import questions_of, start, submitted
from tests.factories import CouncilFactory, OrganisationFactory, PartnershipFactory, ThemeFactory
from tests.pdfs import pdf_text


@pytest.fixture
def partnership(lead):
    parent = PartnershipFactory(name="Harbourside Together")
    partnership = PartnershipFactory(
        name="Youth Justice Board", parent=parent, lead_officer=lead, lead_member="Cllr Ann Smith",
        council_representative="Cllr Bob Jones", purpose="Cut youth offending.\nSecond line of purpose.",
        annual_contribution=Decimal("12345.67"), officer_days=Decimal("7.5"), total_budget=Decimal("250000"),
        performance_notes="Quarterly scorecard", councils=[CouncilFactory(name="Harbourside Borough Council")],
        themes=[ThemeFactory(name="Community safety")],
        partners=[OrganisationFactory(name="Wessex Police"), OrganisationFactory(name="Youth Offending Service")],
    )
    PartnershipFactory(name="Junior Panel", parent=partnership)
    return partnership


def profile_text(client, partnership):
    response = client.get(reverse("partnerships:pdf", args=[partnership.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{partnership.reference}-partnership-profile.pdf"'
    return pdf_text(response.content)


def test_the_profile_has_every_field_partners_parent_and_children(client, partnership, officer):
    client.force_login(officer)
    text = profile_text(client, partnership)
    for expected in [
        "Youth Justice Board", partnership.reference, "Cut youth offending. Second line of purpose.",
        "Strategic or operational Strategic", "Statutory or voluntary Voluntary",
        "Single or multi organisation Multi organisation", "National, regional or local Local",
        "Harbourside Borough Council", "Council’s role Leading", "Lead officer Lena Lead",
        "Lead member Cllr Ann Smith", "Council representative Cllr Bob Jones",
        "Legal status Memorandum", "Annual council contribution £12,345.67", "Officer time 7.5 days a year",
        "Total partnership budget £250,000.00", "Quarterly scorecard", "Review frequency Every year",
        "Themes Community safety", "Parent partnership Harbourside Together",
        "Wessex Police Public Member", "Youth Offending Service", "Junior Panel",
        "No assessments yet.", "No open actions.",
    ]:
        assert expected in text


def test_the_profile_lists_assessments_and_open_actions_the_reader_may_see(
        client, partnership, officer, lead_member):
    start(partnership, officer, title="Draft checklist")
    review = start(partnership, officer, kind=Template.Kind.IMPROVEMENT, title="Annual review")
    areas = questions_of(review)
    answers = {area: {"meets": "yes"} for area in areas}
    answers[areas[0]] = {"meets": "no", "action": "Appoint a project sponsor"}
    services.assessment_save_answers(assessment=review, answers=answers, version=review.version, user=officer)
    review.refresh_from_db()
    services.assessment_submit(assessment=review, version=review.version, user=officer)

    client.force_login(officer)
    text = profile_text(client, partnership)
    assert "Draft checklist" in text and "Annual review" in text
    assert "Appoint a project sponsor Lena Lead" in text

    client.force_login(lead_member)
    text = profile_text(client, partnership)
    assert "Draft checklist" not in text
    assert "Annual review" in text and "Submitted" in text


def test_the_profile_takes_the_same_queries_however_much_it_lists(client, partnership, officer,
                                                                   django_assert_max_num_queries):
    for n in range(5):
        submitted(partnership, officer, title=f"Review {n}")
    client.force_login(officer)
    with django_assert_max_num_queries(14):
        profile_text(client, partnership)


def test_the_partnership_page_offers_the_profile(client, partnership, scrutiny):
    client.force_login(scrutiny)
    page = client.get(partnership.get_absolute_url()).content.decode()
    assert reverse("partnerships:pdf", args=[partnership.pk]) in page
