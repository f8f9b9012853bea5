from datetime import timedelta

import pytest
from django.utils import timezone

from checklists import services
from checklists.models import Assessment, Template
from checklists.services import StaleEdit, WorkflowError
from partnerships.dates import add_months
from tests.checklists.factories import complete, questions_of, start, submitted
from tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def partnership(lead):
    return PartnershipFactory(lead_officer=lead, review_frequency=12,
                              next_review_due=timezone.localdate() + timedelta(days=30))




def test_it_starts_a_draft_against_the_current_template(partnership, officer):
    assessment = start(partnership, officer)
    assert assessment.status == Assessment.Status.DRAFT
    assert assessment.template == Template.objects.get(kind="checklist", is_current=True)
    assert assessment.started_by == officer
    assert assessment.events.get().description.startswith("Started the Partnership checklist")


def test_it_saves_answers_and_records_who_changed_what(partnership, officer):
    assessment = start(partnership, officer)
    question = questions_of(assessment)[0]
    version = services.assessment_save_answers(
        assessment=assessment, answers={question: {"narrative": "To cut crime", "rating": "partly"}},
        version=assessment.version, user=officer,
    )
    assert version == 2
    answer = assessment.answers.get()
    assert (answer.narrative, answer.rating) == ("To cut crime", "partly")
    event = assessment.events.first()
    assert event.actor == officer
    assert event.changes == [[str(question), {"narrative": ["", "To cut crime"], "rating": ["", "partly"]}]]


def test_a_second_save_from_an_older_version_is_refused_and_changes_nothing(partnership, officer):
    assessment = start(partnership, officer)
    question = questions_of(assessment)[0]
    opened_at = assessment.version
    services.assessment_save_answers(assessment=assessment, answers={question: {"narrative": "First"}},
                                     version=opened_at, user=officer)
    other = Assessment.objects.get(pk=assessment.pk)
    with pytest.raises(StaleEdit):
        services.assessment_save_answers(assessment=other, answers={question: {"narrative": "Second"}},
                                         version=opened_at, user=officer)
    assert assessment.answers.get().narrative == "First"


def test_an_incomplete_assessment_cannot_be_submitted(partnership, officer):
    assessment = start(partnership, officer)
    with pytest.raises(WorkflowError, match="Answer every question"):
        services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


def test_an_improvement_no_needs_an_action_before_submitting(partnership, officer):
    assessment = start(partnership, officer, Template.Kind.IMPROVEMENT)
    complete(assessment, officer)
    area = questions_of(assessment)[0]
    services.assessment_save_answers(assessment=assessment, answers={area: {"meets": "no", "action": ""}},
                                     version=assessment.version, user=officer)
    assert services.unanswered(assessment) == [area]
    with pytest.raises(WorkflowError):
        services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)


def test_submitting_records_who_and_when(partnership, officer):
    assessment = submitted(partnership, officer)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert assessment.submitted_by == officer
    assert assessment.submitted_at is not None


def test_the_lead_officer_approves(partnership, officer, lead):
    assessment = submitted(partnership, officer)
    services.assessment_approve(assessment=assessment, version=assessment.version, user=lead, assurance="substantial")
    assessment.refresh_from_db()
    assert (assessment.status, assessment.approved_by) == (Assessment.Status.APPROVED, lead)


def test_an_administrator_approves(partnership, officer, administrator):
    assessment = submitted(partnership, officer)
    services.assessment_approve(assessment=assessment, version=assessment.version, user=administrator, assurance="substantial")
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.APPROVED


def test_another_officer_cannot_approve(partnership, officer):
    assessment = submitted(partnership, officer)
    with pytest.raises(WorkflowError, match="lead officer or an administrator"):
        services.assessment_approve(assessment=assessment, version=assessment.version, user=UserFactory(role="Officer"), assurance="substantial")
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.SUBMITTED


def test_nobody_approves_their_own_submission(partnership, lead, administrator):
    # Four eyes: not even the lead officer or an administrator.
    for submitter in (lead, administrator):
        assessment = submitted(partnership, submitter)
        with pytest.raises(WorkflowError, match="someone else must approve"):
            services.assessment_approve(assessment=assessment, version=assessment.version, user=submitter, assurance="substantial")
        assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.SUBMITTED


def test_a_draft_cannot_be_approved(partnership, officer, lead):
    assessment = start(partnership, officer)
    with pytest.raises(WorkflowError):
        services.assessment_approve(assessment=assessment, version=assessment.version, user=lead, assurance="substantial")


def test_an_approved_assessment_is_read_only(partnership, officer, lead):
    assessment = submitted(partnership, officer)
    services.assessment_approve(assessment=assessment, version=assessment.version, user=lead, assurance="substantial")
    question = questions_of(assessment)[0]
    with pytest.raises(WorkflowError):
        services.assessment_save_answers(assessment=assessment, answers={question: {"narrative": "Changed"}},
                                         version=assessment.version, user=lead)
    with pytest.raises(WorkflowError):
        services.assessment_return(assessment=assessment, version=assessment.version, user=lead, reason="Redo")
    with pytest.raises(WorkflowError):
        services.assessment_submit(assessment=assessment, version=assessment.version, user=officer)
    assert assessment.answers.get(question=question).narrative != "Changed"


def test_a_submitted_assessment_is_returned_to_draft_with_a_reason(partnership, officer, lead):
    assessment = submitted(partnership, officer)
    services.assessment_return(assessment=assessment, version=assessment.version, user=lead, reason="Say who scrutinises decisions.")
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    assert assessment.return_reason == "Say who scrutinises decisions."
    assert assessment.returned_by == lead
    assert assessment.events.first().description == "Returned to draft: Say who scrutinises decisions."


def test_returning_needs_a_reason(partnership, officer, lead):
    assessment = submitted(partnership, officer)
    with pytest.raises(WorkflowError, match="Enter why"):
        services.assessment_return(assessment=assessment, version=assessment.version, user=lead, reason="  ")


def test_approving_an_improvement_review_sets_the_next_review_a_cycle_after_the_review(partnership, officer, lead):
    # Due in 30 days and reviewed early: the next review is a year from this review, not
    # a year from the date it was due.
    assessment = submitted(partnership, officer, Template.Kind.IMPROVEMENT)
    services.assessment_approve(assessment=assessment, version=assessment.version, user=lead, assurance="substantial")
    partnership.refresh_from_db()
    assert partnership.next_review_due == add_months(timezone.localdate(), 12)


def test_approving_a_late_review_sets_the_next_review_a_cycle_after_the_review(partnership, officer, lead):
    partnership.next_review_due = timezone.localdate() - timedelta(days=800)
    partnership.save()
    assessment = submitted(partnership, officer, Template.Kind.IMPROVEMENT)
    services.assessment_approve(assessment=assessment, version=assessment.version, user=lead, assurance="substantial")
    partnership.refresh_from_db()
    assert partnership.next_review_due == add_months(timezone.localdate(), 12)


def test_the_review_frequency_sets_the_cycle(partnership, officer, lead):
    partnership.review_frequency = 6
    partnership.save()
    assessment = submitted(partnership, officer, Template.Kind.IMPROVEMENT)
    services.assessment_approve(assessment=assessment, version=assessment.version, user=lead, assurance="substantial")
    partnership.refresh_from_db()
    assert partnership.next_review_due == add_months(timezone.localdate(), 6)


def test_approving_a_checklist_leaves_the_next_review_alone(partnership, officer, lead):
    due = partnership.next_review_due
    assessment = submitted(partnership, officer)
    services.assessment_approve(assessment=assessment, version=assessment.version, user=lead, assurance="substantial")
    partnership.refresh_from_db()
    assert partnership.next_review_due == due


def test_an_assessment_keeps_its_template_wording_after_a_new_version(partnership, officer):
    assessment = start(partnership, officer)
    new = services.template_new_version(template=assessment.template)
    first_new = questions_of(Assessment(template=new))[0]
    first_new.text = "Reworded question"
    first_new.save()
    services.template_publish(template=new)
    assert questions_of(assessment)[0].text == "Why does the partnership exist?"
    assert start(partnership, officer).template == new


def test_each_status_has_its_own_tag_colour(partnership, officer, lead):
    assessment = start(partnership, officer)
    assert assessment.status_tag_class == "govuk-tag--grey"
    done = submitted(partnership, officer)
    assert done.status_tag_class == "govuk-tag--blue"
    services.assessment_approve(assessment=done, version=done.version, user=lead, assurance="substantial")
    assert done.status_tag_class == "govuk-tag--green"
