"""The approver's overall assurance (issue 16): internal audit's four opinions, recorded with
the approval, shown beside the section ratings that support it, carried by the partnership as
its latest for the register, and below the policy's level bringing the next review forward."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.models import Assessment, AssurancePolicy, AuditEvent, Template
from checklists.services import WorkflowError
from partnerships.dates import add_months
from partnerships.models import Assurance, Partnership, assurance_below
from tests.checklists.factories import submitted
from tests.factories import CouncilFactory, PartnershipFactory
from tests.pdfs import pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(lead):
    return PartnershipFactory(name="Coastal Flood Board", lead_officer=lead, review_frequency=12,
                              next_review_due=timezone.localdate() + timedelta(days=300))


def set_policy(partnership, **values):
    """Set the policy of the partnership's council (each council has its own)."""
    for council in partnership.councils.all():
        AssurancePolicy.objects.update_or_create(council=council, defaults=values)


def approve(assessment, lead, assurance):
    services.assessment_approve(assessment=assessment, version=assessment.version, user=lead, assurance=assurance)
    return Assessment.objects.get(pk=assessment.pk)


def test_the_levels_are_in_internal_audits_order():
    assert assurance_below("limited", "substantial") and assurance_below("none", "limited")
    assert not assurance_below("substantial", "substantial") and not assurance_below("reasonable", "limited")


@pytest.mark.parametrize("assurance", ["", "excellent", None])
def test_an_approval_without_a_known_assurance_is_refused_and_changes_nothing(partnership, officer, lead, assurance):
    assessment = submitted(partnership, officer)
    with pytest.raises(WorkflowError, match="Select the overall assurance"):
        services.assessment_approve(assessment=assessment, version=assessment.version, user=lead, assurance=assurance)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED and assessment.assurance == ""
    assert Partnership.objects.get(pk=partnership.pk).latest_assurance == ""


def test_the_approval_records_the_assurance_and_the_partnership_carries_it_as_its_latest(partnership, officer, lead):
    set_policy(partnership, review_months=None)  # no review date moves: only the assurance
    records = partnership.history.count()
    first = approve(submitted(partnership, officer, title="2024-25"), lead, "substantial")
    assert first.assurance == "substantial"
    assert first.events.get(kind=AuditEvent.Kind.APPROVED).description == "Approved, with substantial assurance"
    later = approve(submitted(partnership, officer, title="2025-26"), lead, "reasonable")
    assert later.assurance == "reasonable"
    assert Partnership.objects.get(pk=partnership.pk).latest_assurance == "reasonable"
    assert partnership.history.count() == records  # derived, not an edit of the register entry


def test_assurance_below_the_policy_brings_the_next_review_forward(partnership, officer, lead):
    approve(submitted(partnership, officer), lead, "limited")
    partnership.refresh_from_db()
    assert partnership.next_review_due == add_months(timezone.localdate(), 6)  # was 300 days away
    record = partnership.history.first()
    assert "Next review brought forward: limited assurance is below substantial assurance" in record.history_change_reason


def test_a_review_already_sooner_than_the_policy_stays(partnership, officer, lead):
    soon = timezone.localdate() + timedelta(days=20)
    Partnership.objects.filter(pk=partnership.pk).update(next_review_due=soon)
    approve(submitted(partnership, officer), lead, "none")
    assert Partnership.objects.get(pk=partnership.pk).next_review_due == soon


@pytest.mark.parametrize("assurance", ["substantial"])
def test_assurance_at_the_policys_level_leaves_a_checklists_review_date(partnership, officer, lead, assurance):
    before = partnership.next_review_due
    approve(submitted(partnership, officer), lead, assurance)
    assert Partnership.objects.get(pk=partnership.pk).next_review_due == before


def test_an_improvement_review_with_low_assurance_is_reviewed_within_the_policys_months(partnership, officer, lead):
    approve(submitted(partnership, officer, kind=Template.Kind.IMPROVEMENT), lead, "reasonable")
    # A year's cycle would put it twelve months on; below substantial, six.
    assert Partnership.objects.get(pk=partnership.pk).next_review_due == add_months(timezone.localdate(), 6)


def test_an_administrator_may_set_the_policy_or_switch_it_off(partnership, officer, lead):
    set_policy(partnership, below=Assurance.LIMITED, review_months=3)
    approve(submitted(partnership, officer, title="Reasonable"), lead, "reasonable")  # not below limited
    assert Partnership.objects.get(pk=partnership.pk).next_review_due == partnership.next_review_due
    approve(submitted(partnership, officer, title="None"), lead, "none")
    assert Partnership.objects.get(pk=partnership.pk).next_review_due == add_months(timezone.localdate(), 3)
    set_policy(partnership, review_months=None)
    Partnership.objects.filter(pk=partnership.pk).update(next_review_due=partnership.next_review_due)
    approve(submitted(partnership, officer, title="Off"), lead, "none")
    assert Partnership.objects.get(pk=partnership.pk).next_review_due == partnership.next_review_due


def test_the_approve_page_asks_for_the_assurance_beside_the_section_ratings(client, partnership, officer, lead):
    assessment = submitted(partnership, officer)
    client.force_login(lead)
    url = reverse("checklists:approve", args=[assessment.pk])
    page = client.get(f"{url}?version={assessment.version}").content.decode()
    for label in ("Substantial assurance", "Reasonable assurance", "Limited assurance", "No assurance",
                  "A sound system of governance, risk management and control exists"):
        assert label in page
    assert 'id="section-ratings"' in page and "1. Rationale for the partnership" in page and "Partly assured" in page
    assert "reviewed again within 6 months" in page
    sooner = add_months(timezone.localdate(), 6)
    assert (f"Stays {partnership.next_review_due:%-d %B %Y}; with assurance below substantial assurance, "
            f"{sooner:%-d %B %Y}") in " ".join(page.split())

    refused = client.post(url, {"version": assessment.version})
    assert refused.status_code == 200
    assert "Select the overall assurance this assessment gives" in refused.content.decode()
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.SUBMITTED

    response = client.post(url, {"version": assessment.version, "assurance": "limited"})
    assert response.status_code == 302
    assert Assessment.objects.get(pk=assessment.pk).assurance == "limited"
    shown = client.get(reverse("checklists:detail", args=[assessment.pk])).content.decode()
    assert "Limited assurance" in shown and "Significant gaps, weaknesses or non-compliance" in shown
    assert 'id="section-ratings"' in shown


def test_the_pdf_gives_the_overall_assurance_and_its_meaning(client, partnership, officer, lead):
    assessment = approve(submitted(partnership, officer), lead, "reasonable")
    client.force_login(lead)
    text = pdf_text(client.get(reverse("checklists:pdf", args=[assessment.pk])).content)
    assert "Overall assurance: Reasonable assurance" in text
    assert "generally sound system of governance" in text


def test_the_register_shows_and_filters_the_latest_assurance(client, lead, officer):
    limited = PartnershipFactory(name="Limited One", lead_officer=lead)
    substantial = PartnershipFactory(name="Substantial One", lead_officer=lead)
    PartnershipFactory(name="Not Yet Approved", lead_officer=lead)
    approve(submitted(limited, officer), lead, "limited")
    approve(submitted(substantial, officer), lead, "substantial")
    client.force_login(lead)
    everything = client.get(reverse("register:index")).content.decode()
    assert "Limited assurance" in everything and "Substantial assurance" in everything
    filtered = client.get(reverse("register:index") + "?assurance=limited").content.decode()
    assert "Limited One" in filtered and "Substantial One" not in filtered and "Not Yet Approved" not in filtered
    assert "Latest overall assurance: <strong>Limited assurance</strong>" in filtered
    assert client.get(reverse("register:index") + "?assurance=excellent").status_code == 200  # a clear error


def test_a_joint_partnership_is_reviewed_as_soon_as_any_of_its_councils_asks(lead, officer):
    harbourside, wessex = CouncilFactory(name="Harbourside Borough Council"), CouncilFactory(name="Wessex Vale")
    joint = PartnershipFactory(name="Joint Board", lead_officer=lead, councils=[harbourside, wessex],
                               review_frequency=12, next_review_due=timezone.localdate() + timedelta(days=300))
    AssurancePolicy.objects.update_or_create(council=harbourside, defaults={"below": "limited", "review_months": 9})
    AssurancePolicy.objects.update_or_create(council=wessex, defaults={"below": "substantial", "review_months": 4})
    approve(submitted(joint, officer), lead, "reasonable")  # below Wessex Vale's level, not Harbourside's
    assert Partnership.objects.get(pk=joint.pk).next_review_due == add_months(timezone.localdate(), 4)


def test_a_council_without_a_policy_of_its_own_has_the_default(partnership):
    council = partnership.councils.get()
    AssurancePolicy.objects.filter(council=council).delete()
    policy = AssurancePolicy.of(council)
    assert (policy.pk, policy.below, policy.review_months) == (None, "substantial", 6)


def test_every_reason_a_review_moves_fits_the_history(partnership):
    """The history keeps 100 characters of a change's reason (PostgreSQL refuses more)."""
    for below in Assurance.values:
        set_policy(partnership, below=below, review_months=1)
        for level in Assurance.values:
            for kind in Template.Kind.values:
                _due, reason = services.next_review_on_approval(partnership, kind, level)
                assert len(reason) <= 100
