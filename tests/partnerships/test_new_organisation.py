"""Officers add a partner organisation that is not yet on the register, from the partners
page, with a check for names close to ones already there."""

import pytest
from django.urls import reverse

from partnerships.models import Organisation, PartnershipMember
from tests.factories import OrganisationFactory, PartnershipFactory

pytestmark = pytest.mark.django_db


def url(partnership):
    return reverse("partnerships:organisation_new", args=[partnership.pk])


def test_the_partners_page_links_to_it(officer_client):
    partnership = PartnershipFactory()
    body = officer_client.get(reverse("partnerships:partners", args=[partnership.pk])).content.decode()
    assert url(partnership) in body


def test_an_officer_adds_a_new_organisation_as_a_partner(officer_client):
    partnership = PartnershipFactory()
    response = officer_client.post(url(partnership), {"name": "  Quayside   Food Bank ", "sector": "voluntary",
                                                      "role": "member"})
    assert response.status_code == 302
    member = PartnershipMember.objects.get(partnership=partnership)
    assert (member.organisation.name, member.organisation.sector, member.role) == (
        "Quayside Food Bank", "voluntary", "member")
    assert member.history.first().history_user.username == "olivia"


@pytest.mark.parametrize("typed", ["The Wessex Police", "wessex police ltd", "Wessex Polise", "WESSEX POLICE."])
def test_a_name_close_to_one_on_the_register_is_asked_about(officer_client, typed):
    OrganisationFactory(name="Wessex Police")
    partnership = PartnershipFactory()
    response = officer_client.post(url(partnership), {"name": typed, "sector": "public", "role": "member"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "An organisation with a similar name is already on the register" in body
    assert "Wessex Police (public)" in body
    assert f'value="{typed}"' in body  # what they typed is kept
    assert Organisation.objects.count() == 1


def test_confirming_it_is_different_adds_it(officer_client):
    OrganisationFactory(name="Wessex Police")
    partnership = PartnershipFactory()
    response = officer_client.post(url(partnership), {"name": "Wessex Police Cadets", "sector": "public",
                                                      "role": "member", "not_a_duplicate": "on"})
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Wessex Police Cadets").exists()


def test_the_exact_name_of_one_on_the_register_is_refused_even_when_confirmed(officer_client):
    OrganisationFactory(name="Wessex Police")
    partnership = PartnershipFactory()
    response = officer_client.post(url(partnership), {"name": "wessex police", "sector": "public",
                                                      "role": "member", "not_a_duplicate": "on"})
    assert response.status_code == 200
    assert "is already on the register" in response.content.decode()
    assert Organisation.objects.count() == 1


def test_an_unrelated_name_is_not_held_up(officer_client):
    OrganisationFactory(name="Wessex Police")
    partnership = PartnershipFactory()
    response = officer_client.post(url(partnership), {"name": "Harbour Trust", "sector": "voluntary",
                                                      "role": "funder"})
    assert response.status_code == 302
