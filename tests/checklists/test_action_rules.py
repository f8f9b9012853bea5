"""Who owns an action and when it is due: the services refuse what the forms refuse, so an
import or the shell cannot give an action to a councillor or a date already past."""

from datetime import timedelta

import pytest
from django.utils import timezone

from checklists import services
from checklists.models import Action, Answer, Assessment, Template
from tests.checklists.factories import questions_of, start, tracked_action
from tests.factories import CouncilFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(officer):
    return start(PartnershipFactory(), officer, Template.Kind.IMPROVEMENT)


def raise_action(review, officer, **plan):
    area = questions_of(review)[0]
    services.assessment_save_answers(
        assessment=review, answers={area: {"meets": "no", "action": "Agree a plan", **plan}},
        version=Assessment.objects.get(pk=review.pk).version, user=officer,
    )
    return Answer.objects.get(assessment=review, question=area)


def test_an_action_raised_goes_to_an_officer_by_a_date_to_come(review, officer, lead):
    due = timezone.localdate() + timedelta(days=30)
    answer = raise_action(review, officer, action_owner=lead, action_due=due)
    assert (answer.action_owner, answer.action_due) == (lead, due)


def test_an_action_cannot_be_raised_for_a_lead_member(review, officer, lead_member):
    with pytest.raises(services.WorkflowError, match="must be an officer or administrator"):
        raise_action(review, officer, action_owner=lead_member)
    assert not Answer.objects.filter(assessment=review).exists()
    assert Assessment.objects.get(pk=review.pk).version == 1  # nothing saved, not even the version


def test_an_action_cannot_be_raised_due_in_the_past(review, officer):
    with pytest.raises(services.WorkflowError, match="today or later"):
        raise_action(review, officer, action_due=timezone.localdate() - timedelta(days=1))
    assert not Answer.objects.filter(assessment=review).exists()


def test_a_due_date_set_earlier_and_since_passed_may_stay(review, officer):
    answer = raise_action(review, officer, action_due=timezone.localdate() + timedelta(days=1))
    Answer.objects.filter(pk=answer.pk).update(action_due=timezone.localdate() - timedelta(days=5))
    raise_action(review, officer, action="Agree a better plan",
                 action_due=timezone.localdate() - timedelta(days=5))
    assert Answer.objects.get(pk=answer.pk).action == "Agree a better plan"


def test_an_action_cannot_be_handed_to_someone_who_may_not_own_it(officer, scrutiny):
    _review, action = tracked_action(PartnershipFactory(), officer)
    with pytest.raises(services.WorkflowError, match="officer or administrator"):
        services.action_update(action=action, owner=scrutiny, due_date=action.due_date, status=action.status,
                               version=action.version, user=officer)
    action.refresh_from_db()
    assert action.owner != scrutiny and action.version == 1


def test_an_action_may_be_handed_to_another_officer(officer, lead):
    _review, action = tracked_action(PartnershipFactory(), officer)
    services.action_update(action=action, owner=lead, due_date=action.due_date, status=action.status,
                           version=action.version, user=officer)
    assert Action.objects.get(pk=action.pk).owner == lead


def test_an_owner_who_has_left_keeps_the_action_while_it_is_followed_up(officer):
    leaver = UserFactory(role="Officer")
    _review, action = tracked_action(PartnershipFactory(lead_officer=leaver), officer)
    assert action.owner == leaver
    leaver.is_active = False
    leaver.save()
    services.action_update(action=action, owner=leaver, due_date=action.due_date, status=Action.Status.IN_PROGRESS,
                           version=action.version, user=officer)
    assert Action.objects.get(pk=action.pk).status == Action.Status.IN_PROGRESS


def test_an_action_cannot_be_raised_for_an_officer_of_a_council_not_taking_part(review, officer):
    """The form offers only the officers of councils taking part; the service refuses any other,
    who could not see the action they were given."""
    elsewhere = UserFactory(role="Officer", councils=[CouncilFactory(name="Wessex Vale District Council")])
    with pytest.raises(services.WorkflowError, match="council taking part"):
        raise_action(review, officer, action_owner=elsewhere)
    assert not Answer.objects.filter(assessment=review).exists()


def test_an_action_cannot_be_handed_to_an_officer_of_a_council_not_taking_part(officer):
    _review, action = tracked_action(PartnershipFactory(), officer)
    elsewhere = UserFactory(role="Officer", councils=[CouncilFactory(name="Wessex Vale District Council")])
    with pytest.raises(services.WorkflowError, match="council taking part"):
        services.action_update(action=action, owner=elsewhere, due_date=action.due_date, status=action.status,
                               version=action.version, user=officer)
    assert Action.objects.get(pk=action.pk).owner != elsewhere


def test_a_superuser_may_own_an_action_of_any_council(officer):
    _review, action = tracked_action(PartnershipFactory(), officer)
    superuser = UserFactory(is_superuser=True, councils=[])
    services.action_update(action=action, owner=superuser, due_date=action.due_date, status=action.status,
                           version=action.version, user=officer)
    assert Action.objects.get(pk=action.pk).owner == superuser
