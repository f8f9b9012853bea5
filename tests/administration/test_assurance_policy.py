"""Each council's assurance policy, changed by that council's administrator on the Manage pages."""

import pytest
from django.urls import reverse

from administration.assurance import policy_version
from administration.models import ChangeRecord
from checklists.models import AssurancePolicy

pytestmark = pytest.mark.django_db


def url(council):
    return reverse("manage:council_assurance", args=[council.pk])


def posted(council, **changes):
    return {"below": "reasonable", "review_months": "4", "version": policy_version(AssurancePolicy.of(council)),
            **changes}


def test_an_administrator_sets_their_councils_policy_and_it_is_recorded(client, wvadmin, wessex):
    client.force_login(wvadmin)
    assert client.get(url(wessex)).status_code == 200
    response = client.post(url(wessex), posted(wessex))
    assert response.status_code == 302
    policy = AssurancePolicy.objects.get(council=wessex)
    assert (policy.below, policy.review_months) == ("reasonable", 4)
    change = ChangeRecord.objects.get(council=wessex, kind=ChangeRecord.Kind.SETTING_CHANGED)
    assert change.before == {"below": "Substantial assurance", "review_months": 6}
    assert change.after == {"below": "Reasonable assurance", "review_months": 4}
    assert change.made_by == wvadmin
    assert "Set Wessex Vale’s assurance policy" in client.get(url(wessex)).content.decode()


def test_another_councils_policy_is_a_404_and_unchanged(client, wvadmin, harbourside):
    client.force_login(wvadmin)
    assert client.get(url(harbourside)).status_code == 404
    assert client.post(url(harbourside), posted(harbourside)).status_code == 404
    assert not AssurancePolicy.objects.filter(council=harbourside).exists()


def test_it_can_be_switched_off(client, wvadmin, wessex):
    client.force_login(wvadmin)
    client.post(url(wessex), posted(wessex, review_months=""))
    assert AssurancePolicy.objects.get(council=wessex).review_months is None


@pytest.mark.parametrize("months, message", [
    ("0", "Enter a number of months from 1 to 36"),
    ("37", "Enter a number of months from 1 to 36"),
    ("99999999999999999999", "Enter a number of months from 1 to 36"),
    ("six", "Enter a whole number of months, like 6"),
    ("x" * 1_000_000, "Enter a whole number of months, like 6"),
])
def test_a_number_it_cannot_take_is_a_message(client, wvadmin, wessex, months, message):
    client.force_login(wvadmin)
    response = client.post(url(wessex), posted(wessex, review_months=months))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AssurancePolicy.objects.filter(council=wessex).exists()


def test_two_administrators_at_once_the_second_is_told(client, wvadmin, wessex):
    opened = posted(wessex)
    client.force_login(wvadmin)
    client.post(url(wessex), {**opened, "review_months": "3"})
    response = client.post(url(wessex), {**opened, "review_months": "9"})
    assert "was changed by someone else" in response.content.decode()
    assert AssurancePolicy.objects.get(council=wessex).review_months == 3
