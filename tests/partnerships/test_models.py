from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from partnerships.dates import add_months
from partnerships.models import Partnership, PartnershipMember
from tests.factories import OrganisationFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def test_it_generates_a_reference_from_the_id():
    partnership = PartnershipFactory()
    partnership.refresh_from_db()
    assert partnership.reference == f"P-{partnership.pk:04d}"


def test_it_keeps_the_reference_when_saved_again():
    partnership = PartnershipFactory()
    reference = partnership.reference
    partnership.name = "Renamed"
    partnership.save()
    partnership.refresh_from_db()
    assert partnership.reference == reference


def test_it_refuses_a_duplicate_reference_in_the_database():
    first, second = PartnershipFactory(), PartnershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.filter(pk=second.pk).update(reference=first.reference)


def test_it_refuses_a_partnership_as_its_own_parent_in_the_database():
    partnership = PartnershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.filter(pk=partnership.pk).update(parent=partnership)


def test_it_refuses_an_end_date_before_the_start_date_in_the_database():
    partnership = PartnershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.filter(pk=partnership.pk).update(
            start_date=date(2025, 4, 1), end_date=date(2025, 3, 31)
        )


def test_it_refuses_a_negative_contribution_in_the_database():
    partnership = PartnershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.filter(pk=partnership.pk).update(annual_contribution=Decimal("-1"))


def test_it_refuses_a_negative_budget_in_the_database():
    partnership = PartnershipFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.filter(pk=partnership.pk).update(total_budget=Decimal("-0.01"))


def test_it_refuses_a_parent_that_sits_inside_the_partnership():
    grandparent = PartnershipFactory(name="Local Strategic Partnership")
    parent = PartnershipFactory(name="Community Safety Partnership", parent=grandparent)
    child = PartnershipFactory(name="CCTV group", parent=parent)
    grandparent.parent = child
    with pytest.raises(ValidationError) as error:
        grandparent.full_clean()
    assert "parent" in error.value.message_dict


def test_it_refuses_itself_as_parent_on_validation():
    partnership = PartnershipFactory()
    partnership.parent = partnership
    with pytest.raises(ValidationError) as error:
        partnership.full_clean()
    assert error.value.message_dict["parent"] == ["A partnership cannot be its own parent."]


def test_it_lists_its_ancestors_nearest_first():
    top = PartnershipFactory()
    middle = PartnershipFactory(parent=top)
    bottom = PartnershipFactory(parent=middle)
    assert bottom.ancestor_ids() == [middle.pk, top.pk]


def test_it_stores_money_as_decimal():
    partnership = PartnershipFactory(annual_contribution=Decimal("12500.10"))
    partnership.refresh_from_db()
    assert partnership.annual_contribution == Decimal("12500.10")
    assert isinstance(partnership.annual_contribution, Decimal)


@pytest.mark.parametrize(
    "days_from_today, status, overdue",
    [
        (-1, Partnership.Status.ACTIVE, True),
        (0, Partnership.Status.ACTIVE, False),
        (30, Partnership.Status.ACTIVE, False),
        (-1, Partnership.Status.CLOSED, False),
        (-1, Partnership.Status.UNDER_REVIEW, True),
    ],
)
def test_it_knows_when_its_review_is_overdue(days_from_today, status, overdue):
    partnership = PartnershipFactory(
        status=status, next_review_due=timezone.localdate() + timedelta(days=days_from_today)
    )
    assert partnership.is_overdue is overdue


def test_it_is_not_overdue_without_a_review_date():
    assert PartnershipFactory(next_review_due=None).is_overdue is False


def test_it_allows_an_organisation_only_once_per_partnership():
    partnership, organisation = PartnershipFactory(), OrganisationFactory()
    PartnershipMember.objects.create(partnership=partnership, organisation=organisation)
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnershipMember.objects.create(partnership=partnership, organisation=organisation)


def test_it_links_to_its_page():
    partnership = PartnershipFactory()
    assert partnership.get_absolute_url() == f"/partnerships/{partnership.pk}/"


@pytest.mark.parametrize(
    "start, months, expected",
    [
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 4, 1), 12, date(2026, 4, 1)),
        (date(2025, 11, 15), 6, date(2026, 5, 15)),
        (date(2025, 8, 31), 36, date(2028, 8, 31)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(start, months, expected):
    assert add_months(start, months) == expected
