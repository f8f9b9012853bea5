"""Assessment.objects.visible_to and Action.objects.visible_to: drafts, and the actions a draft
raised, are for those who work on assessments; everything else is for every reader, within
the partnerships they may see."""

import pytest
from django.contrib.auth.models import AnonymousUser

from checklists import services
from checklists.models import Action, Assessment
from partnerships.models import Partnership
from partnerships.roles import ADMINISTRATOR, LEAD_MEMBER, OFFICER, SCRUTINY
from tests.checklists.factories import start, submitted, tracked_action
from tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def work(officer, administrator):
    """A draft, a submitted checklist, a review whose action is tracked, and a review returned
    to draft after its action was tracked, on two partnerships."""
    first, second = PartnershipFactory(), PartnershipFactory()
    draft = start(first, officer)
    done = submitted(first, officer)
    review, action = tracked_action(first, officer, action="Agree a plan")
    returned, returned_action = tracked_action(second, officer, action="Raised, then returned")
    services.assessment_return(assessment=returned, version=returned.version, user=administrator, reason="Not yet")
    return {"draft": draft, "done": done, "review": review, "action": action,
            "returned": returned, "returned_action": returned_action}


@pytest.mark.parametrize("role", [LEAD_MEMBER, SCRUTINY])
def test_readers_see_submitted_assessments_but_no_draft(work, role):
    user = UserFactory(role=role)
    assert set(Assessment.objects.visible_to(user)) == {work["done"], work["review"]}


@pytest.mark.parametrize("role", [OFFICER, ADMINISTRATOR])
def test_officers_and_administrators_see_drafts_too(work, role):
    user = UserFactory(role=role)
    assert set(Assessment.objects.visible_to(user)) == {work["draft"], work["done"], work["review"], work["returned"]}


@pytest.mark.parametrize("role", [LEAD_MEMBER, SCRUTINY])
def test_readers_see_no_action_a_draft_raised(work, role):
    user = UserFactory(role=role)
    assert list(Action.objects.visible_to(user)) == [work["action"]]


@pytest.mark.parametrize("role", [OFFICER, ADMINISTRATOR])
def test_officers_see_every_action(work, role):
    user = UserFactory(role=role)
    assert set(Action.objects.visible_to(user)) == {work["action"], work["returned_action"]}


def test_nobody_without_a_role_sees_an_assessment_or_an_action(work, no_role_user):
    for user in (no_role_user, AnonymousUser()):
        assert not Assessment.objects.visible_to(user).exists()
        assert not Action.objects.visible_to(user).exists()


def test_assessments_and_actions_follow_the_partnerships_a_person_may_see(work, officer, monkeypatch):
    """They derive from Partnership.objects.visible_to, so narrowing that (as council scope
    will) narrows them, with no rule of their own to change."""
    second = work["returned"].partnership
    narrowed = Partnership.objects.exclude(pk=second.pk)
    monkeypatch.setattr(type(Partnership.objects.all()), "visible_to", lambda self, user: narrowed)
    assert work["returned"] not in Assessment.objects.visible_to(officer)
    assert work["returned_action"] not in Action.objects.visible_to(officer)
    assert work["draft"] in Assessment.objects.visible_to(officer)


def test_published_holds_submitted_and_approved_assessments(work):
    assert set(Assessment.objects.published()) == {work["done"], work["review"]}
