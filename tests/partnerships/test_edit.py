import pytest

from partnerships.models import PartnershipMember
from tests.factories import OrganisationFactory, PartnershipFactory, default_council
from tests.partnerships.helpers import valid_partnership_data

pytestmark = pytest.mark.django_db


def test_it_shows_the_partnership_in_the_form(officer_client):
    partnership = PartnershipFactory(name="Wessex Waste Partnership")
    response = officer_client.get(f"/partnerships/{partnership.pk}/edit/")
    assert response.status_code == 200
    assert 'value="Wessex Waste Partnership"' in response.content.decode()


def test_it_saves_changes(officer_client, officer):
    partnership = PartnershipFactory()
    reference = partnership.reference
    data = valid_partnership_data(council=default_council(), lead_officer=officer, name="Renamed Partnership")
    response = officer_client.post(f"/partnerships/{partnership.pk}/edit/", data)
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.name == "Renamed Partnership"
    assert partnership.reference == reference


def test_it_does_not_save_invalid_changes(officer_client, officer):
    partnership = PartnershipFactory(name="Original")
    data = valid_partnership_data(council=default_council(), lead_officer=officer, name="")
    response = officer_client.post(f"/partnerships/{partnership.pk}/edit/", data)
    assert response.status_code == 200
    assert "Enter the partnership’s name" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.name == "Original"


def test_it_returns_404_for_an_unknown_partnership(officer_client):
    assert officer_client.get("/partnerships/999999/edit/").status_code == 404


def test_it_adds_a_partner_with_a_role(officer_client):
    partnership, organisation = PartnershipFactory(), OrganisationFactory(name="Wessex Police")
    response = officer_client.post(
        f"/partnerships/{partnership.pk}/partners/", {"organisation": organisation.pk, "role": "chair"}
    )
    assert response.status_code == 302
    member = PartnershipMember.objects.get(partnership=partnership)
    assert (member.organisation, member.role) == (organisation, "chair")


def test_it_does_not_offer_an_organisation_twice(officer_client):
    organisation = OrganisationFactory()
    partnership = PartnershipFactory(partners=[organisation])
    response = officer_client.post(
        f"/partnerships/{partnership.pk}/partners/", {"organisation": organisation.pk, "role": "member"}
    )
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert PartnershipMember.objects.filter(partnership=partnership).count() == 1


def test_it_removes_a_partner(officer_client):
    partnership = PartnershipFactory(partners=[OrganisationFactory()])
    member = partnership.memberships.get()
    response = officer_client.post(f"/partnerships/{partnership.pk}/partners/{member.pk}/remove/")
    assert response.status_code == 302
    assert not partnership.memberships.exists()


def test_it_only_removes_a_partner_of_that_partnership(officer_client):
    other = PartnershipFactory(partners=[OrganisationFactory()])
    partnership = PartnershipFactory()
    member = other.memberships.get()
    response = officer_client.post(f"/partnerships/{partnership.pk}/partners/{member.pk}/remove/")
    assert response.status_code == 404
    assert other.memberships.exists()


def test_a_half_filled_date_keeps_the_stored_dates(officer_client, officer):
    from datetime import date

    partnership = PartnershipFactory(start_date=date(2020, 5, 1), end_date=date(2030, 5, 1))
    data = valid_partnership_data(
        council=default_council(), lead_officer=officer,
        start_date_0="1", start_date_1="5", start_date_2="",
        end_date_0="", end_date_1="5", end_date_2="2030",
    )
    response = officer_client.post(f"/partnerships/{partnership.pk}/edit/", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Start date must include a day, month and year" in body
    assert "End date must include a day, month and year" in body
    partnership.refresh_from_db()
    assert (partnership.start_date, partnership.end_date) == (date(2020, 5, 1), date(2030, 5, 1))
