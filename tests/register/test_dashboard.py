"""The dashboard (issue 16): each figure against a register built by hand, the register's own
filters carried both ways, council boundaries, a fixed number of queries, and its PDF."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.models import Template
from partnerships.roles import LEAD_MEMBER
from tests.checklists.factories import questions_of, submitted, tracked_action
from tests.factories import CouncilFactory, PartnershipFactory, UserFactory, default_council
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db

URL = reverse("register:dashboard")


@pytest.fixture
def register(officer, lead):
    """Four partnerships of the default council and one of another, with figures to add up."""
    today = timezone.localdate()
    made = {
        "flood": PartnershipFactory(name="Coastal Flood Board", scope="strategic", basis="statutory", status="active",
                                    annual_contribution=Decimal("1000.40"), officer_days=10, lead_officer=lead,
                                    next_review_due=today - timedelta(days=3)),  # overdue
        "safety": PartnershipFactory(name="Community Safety", scope="strategic", basis="voluntary", status="active",
                                     annual_contribution=Decimal(2000), officer_days=5, lead_officer=lead),
        "youth": PartnershipFactory(name="Youth Forum", scope="operational", basis="voluntary", status="closed",
                                    annual_contribution=Decimal(0), officer_days=0, lead_officer=lead,
                                    next_review_due=today - timedelta(days=30)),  # closed: not overdue
        "leisure": PartnershipFactory(name="Leisure Trust", scope="operational", basis="statutory",
                                      status="proposed", annual_contribution=Decimal(500), officer_days=2,
                                      lead_officer=lead),
    }
    elsewhere = CouncilFactory(name="Wessex Vale District Council")
    made["other"] = PartnershipFactory(name="Wessex Vale Forum", councils=[elsewhere], scope="strategic",
                                       annual_contribution=Decimal(99999), officer_days=99)
    # An approved checklist, limited assurance: one question "partly", the rest "assured".
    checklist = submitted(made["flood"], officer)
    first = questions_of(checklist)[0]
    checklist.answers.filter(question=first).update(rating="partly")
    services.assessment_approve(assessment=checklist, version=checklist.version, user=lead, assurance="limited")
    # An open action, overdue.
    _review, action = tracked_action(made["safety"], officer)
    type(action).objects.filter(pk=action.pk).update(due_date=today - timedelta(days=1))
    return made


def test_each_figure_adds_up_the_readers_register(client, register):
    client.force_login(UserFactory(role=LEAD_MEMBER))  # of the default council: four partnerships
    response = client.get(URL)
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures["total"] == 4 and figures["overdue"] == 1
    assert figures["money"] == Decimal("3500.40") and figures["days"] == 17
    scope, basis = figures["spectrums"][0], figures["spectrums"][1]
    assert [(bar.label, bar.value) for bar in scope.bars] == [("Strategic", 2), ("Operational", 2)]
    assert [bar.extra for bar in scope.bars] == [["£3,000", "15 days"], ["£500", "2 days"]]
    assert [(bar.label, bar.value) for bar in basis.bars] == [("Statutory", 2), ("Voluntary", 2)]
    assert [(bar.label, bar.value) for bar in figures["status"].bars] == [
        ("Proposed", 1), ("Active", 2), ("Under review", 0), ("Closed", 1)]
    assert [(bar.label, bar.value) for bar in figures["assurance"].bars] == [
        ("Substantial assurance", 0), ("Reasonable assurance", 0), ("Limited assurance", 1), ("No assurance", 0),
        ("Not recorded", 3)]
    assert figures["actions"] == {"open": 1, "overdue": 1}
    ratings = figures["ratings"]
    assert ratings["checklists"] == 1 and ratings["columns"] == ["Assured", "Partly assured", "Not assured"]
    assert ratings["rows"][0]["section"] == "1. Rationale for the partnership"
    assert sum(row["counts"][1] for row in ratings["rows"]) == 1  # the one "partly"
    assert [(c["name"], c["count"]) for c in figures["councils"]] == [("Harbourside Borough Council", 4)]
    page = response.content.decode()
    assert "Wessex Vale Forum" not in page and "99,999" not in page  # another council's, never counted


def test_the_registers_filters_carry_over_both_ways(client, register):
    client.force_login(UserFactory(role=LEAD_MEMBER))
    register_page = client.get(reverse("register:index") + "?scope=strategic&sort=-contribution").content.decode()
    assert f'href="{URL}?scope=strategic"' in register_page  # sorting means nothing to a dashboard
    response = client.get(URL + "?scope=strategic&page=3")
    figures = response.context["figures"]
    assert figures["total"] == 2 and figures["money"] == Decimal("3000.40")
    page = response.content.decode()
    assert f'href="{reverse("register:index")}?scope=strategic"' in page  # and back to the register
    # Each figure links to the register filtered to it, keeping the dashboard's filter.
    assert f'href="{reverse("register:index")}?scope=strategic&amp;basis=statutory"' in page
    assert 'role="img"' in page and "<desc" in page and "Strategic: 2; Operational: 0" in page


def test_a_bad_filter_gets_the_registers_message_never_a_500(client, register):
    client.force_login(UserFactory(role=LEAD_MEMBER))
    response = client.get(URL + "?council=999999&scope=nonsense")
    assert response.status_code == 200 and response.context["figures"] is None
    assert "govuk-error-summary" in response.content.decode()
    pdf = client.get(reverse("register:dashboard_pdf") + "?scope=nonsense")
    assert pdf.status_code == 302


def test_the_dashboard_takes_the_same_queries_however_many_partnerships(client, register, lead,
                                                                        django_assert_max_num_queries):
    reader = UserFactory(role=LEAD_MEMBER)
    client.force_login(reader)
    client.get(URL)
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # each measure reads the choice lists afresh (they are otherwise kept a minute)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(25):
        PartnershipFactory(name=f"More {n}", lead_officer=lead, scope="strategic" if n % 2 else "operational")
    cache.clear()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(URL).context["figures"]["total"] == 29


def test_the_pdf_gives_the_dashboard_for_a_committee(client, register):
    client.force_login(UserFactory(role=LEAD_MEMBER))
    response = client.get(reverse("register:dashboard_pdf") + "?scope=strategic")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "partnership-dashboard-" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Partnership register dashboard" in text and "2 partnerships" in text
    assert "Strategic or operational: Strategic" in text
    assert "Limited assurance" in text and "Harbourside Borough Council" in text
    from tests.pdfs import reader

    assert len(reader(response.content).pages) <= 2  # one or two A4 pages for an agenda


def test_a_joint_scrutiny_member_sees_both_councils_figures(client, register):
    both = UserFactory(role=LEAD_MEMBER, councils=[default_council(), register["other"].councils.get()])
    client.force_login(both)
    figures = client.get(URL).context["figures"]
    assert figures["total"] == 5
    assert [c["name"] for c in figures["councils"]] == ["Harbourside Borough Council", "Wessex Vale District Council"]


def test_an_improvement_review_is_not_counted_among_checklist_ratings(client, register, officer, lead):
    review = submitted(register["leisure"], officer, kind=Template.Kind.IMPROVEMENT)
    services.assessment_approve(assessment=review, version=review.version, user=lead, assurance="substantial")
    client.force_login(UserFactory(role=LEAD_MEMBER))
    assert client.get(URL).context["figures"]["ratings"]["checklists"] == 1


def test_only_each_partnerships_latest_approved_checklist_is_counted(client, register, officer, lead):
    """An earlier approved checklist of the same partnership is history, not the picture now."""
    later = submitted(register["flood"], officer, title="Later")
    later.answers.update(rating="not_assured")
    services.assessment_approve(assessment=later, version=later.version, user=lead, assurance="none")
    client.force_login(UserFactory(role=LEAD_MEMBER))
    ratings = client.get(URL).context["figures"]["ratings"]
    assert ratings["checklists"] == 1
    assert sum(row["counts"][0] for row in ratings["rows"]) == 0  # none "assured" now: the later one's
    assert sum(row["counts"][2] for row in ratings["rows"]) == 29


def test_the_counts_kept_at_approval_are_the_answers(register):
    from checklists.models import Answer, SectionRatingCount

    counted = SectionRatingCount.objects.filter(partnership=register["flood"], is_latest=True)
    assert sum(c.assured + c.partly + c.not_assured for c in counted) == Answer.objects.filter(
        assessment__partnership=register["flood"]).exclude(rating="").count() == 29


def test_the_heat_map_counts_partnerships_with_an_open_risk_in_each_cell_and_links_to_them(client, register, lead):
    from partnerships.models import Risk
    from tests.factories import RiskFactory

    RiskFactory(partnership=register["flood"], likelihood=4, impact=5, owner=lead)
    RiskFactory(partnership=register["flood"], likelihood=4, impact=5, owner=lead)  # the same partnership again
    RiskFactory(partnership=register["safety"], likelihood=4, impact=5, owner=lead)
    RiskFactory(partnership=register["safety"], likelihood=1, impact=1, owner=lead, status=Risk.Status.CLOSED)
    RiskFactory(partnership=register["other"], likelihood=4, impact=5)  # another council's
    client.force_login(UserFactory(role=LEAD_MEMBER))
    heat_map = client.get(URL).context["figures"]["heat_map"]
    severe = heat_map["rows"][0]  # highest impact first
    assert severe["impact"] == "Severe (5)"
    likely = severe["cells"][3]
    assert (likely["likelihood"], likely["count"], likely["band"]) == ("Likely (4)", 2, "High")
    assert heat_map["rows"][4]["cells"][0]["count"] == 0  # closed risks are not counted
    assert heat_map["total"] == 2
    filtered = client.get(likely["url"])
    assert filtered.status_code == 200
    shown = filtered.content.decode()
    assert "Coastal Flood Board" in shown and "Community Safety" in shown and "Youth Forum" not in shown
    assert "Likely (4) × Severe (5)" in shown  # the filter in words
