"""One rule for an overdue review: Partnership.objects.review_overdue(), review_overdue_q and
their one-object twin is_review_overdue say the same for every status and date."""

from datetime import timedelta

import pytest
from django.utils import timezone

from partnerships.models import Partnership, is_review_overdue
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


def test_the_queryset_and_the_one_object_check_agree():
    today = timezone.localdate()
    for status in Partnership.Status.values:
        for due in (today - timedelta(days=1), today, today + timedelta(days=1), None):
            PartnershipFactory(status=status, next_review_due=due)
    overdue = set(Partnership.objects.review_overdue())
    assert overdue == {p for p in Partnership.objects.all() if is_review_overdue(p.next_review_due, p.status)}
    assert overdue == {p for p in Partnership.objects.all() if p.is_overdue}
    assert {p.status for p in overdue} == set(Partnership.Status.values) - {Partnership.Status.CLOSED}
    assert {p.next_review_due for p in overdue} == {today - timedelta(days=1)}


def test_it_takes_another_day_as_today():
    due = PartnershipFactory(next_review_due=timezone.localdate())
    assert list(Partnership.objects.review_overdue(today=due.next_review_due + timedelta(days=1))) == [due]


def test_reviews_due_within_days_include_overdue_ones_but_not_closed_ones():
    today = timezone.localdate()
    overdue = PartnershipFactory(next_review_due=today - timedelta(days=5))
    soon = PartnershipFactory(next_review_due=today + timedelta(days=90))
    PartnershipFactory(next_review_due=today + timedelta(days=91))
    PartnershipFactory(next_review_due=today - timedelta(days=5), status=Partnership.Status.CLOSED)
    assert set(Partnership.objects.review_due_within(90)) == {overdue, soon}
