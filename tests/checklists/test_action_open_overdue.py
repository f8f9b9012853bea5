"""One rule each for an open and an overdue action: ActionQuerySet.open() and .overdue(), and
their one-object twins Action.is_open and Action.is_overdue, say the same."""

from datetime import timedelta

import pytest
from django.utils import timezone

from checklists.models import Action
from tests.checklists.factories import tracked_action
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actions(officer):
    """An action of each status, due yesterday, today and tomorrow."""
    today = timezone.localdate()
    made = []
    for status in Action.Status.values:
        for due in (today - timedelta(days=1), today, today + timedelta(days=1)):
            _, action = tracked_action(PartnershipFactory(), officer)
            Action.objects.filter(pk=action.pk).update(status=status, due_date=due)
            made.append(action.pk)
    return Action.objects.filter(pk__in=made)


def test_open_actions_are_those_not_done(actions):
    assert set(actions.open()) == {action for action in actions if action.is_open}
    assert {action.status for action in actions.open()} == {Action.Status.OPEN, Action.Status.IN_PROGRESS}


def test_overdue_actions_are_open_ones_past_their_due_date(actions):
    assert set(actions.overdue()) == {action for action in actions if action.is_overdue}
    assert {action.due_date for action in actions.overdue()} == {timezone.localdate() - timedelta(days=1)}
    assert len(actions.overdue()) == 2


def test_overdue_takes_another_day_as_today(actions):
    assert len(actions.overdue(today=timezone.localdate() + timedelta(days=1))) == 4
