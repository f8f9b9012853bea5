"""Search finds text whatever its case, in any language, and by the people who lead a
partnership; names sort as people read them. On SQLite and PostgreSQL alike."""

import pytest

from tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def names(response):
    return [p.name for p in response.context["page"].object_list]


@pytest.mark.parametrize("query", ["dŵr", "DŴR", "Dŵr"])
def test_welsh_text_is_found_whatever_its_case(member_client, query):
    PartnershipFactory(name="Partneriaeth Dŵr Cymru")
    PartnershipFactory(name="Something else")
    assert names(member_client.get("/register/", {"q": query})) == ["Partneriaeth Dŵr Cymru"]


def test_a_circumflexed_capital_is_found_by_its_small_letter(member_client):
    PartnershipFactory(name="Ŷ Ffordd Partnership")
    assert names(member_client.get("/register/", {"q": "ŷ ffordd"})) == ["Ŷ Ffordd Partnership"]


def test_purpose_text_is_found_whatever_its_case(member_client):
    PartnershipFactory(name="Coastal", purpose="Protects the ÉCOLE des Dunes.")
    assert names(member_client.get("/register/", {"q": "école"})) == ["Coastal"]


def test_partnerships_are_found_by_their_lead_officers_name(member_client):
    okafor = UserFactory(username="ookafor", first_name="Olivia", last_name="Okafor", role="Officer")
    PartnershipFactory(name="Led by Olivia", lead_officer=okafor)
    PartnershipFactory(name="Led by someone else")
    assert names(member_client.get("/register/", {"q": "olivia okafor"})) == ["Led by Olivia"]
    assert names(member_client.get("/register/", {"q": "OKAFOR"})) == ["Led by Olivia"]


def test_partnerships_are_found_by_their_lead_members_name(member_client):
    PartnershipFactory(name="Portfolio", lead_member="Cllr Rhiannon Ŵyn")
    assert names(member_client.get("/register/", {"q": "rhiannon ŵyn"})) == ["Portfolio"]


def test_partner_names_are_found_whatever_their_case(member_client):
    from tests.factories import OrganisationFactory

    PartnershipFactory(name="With Dŵr", partners=[OrganisationFactory(name="Dŵr Cymru Welsh Water")])
    assert names(member_client.get("/register/", {"q": "DŴR CYMRU WELSH"})) == ["With Dŵr"]


def test_names_sort_as_people_read_them_whatever_their_case(member_client):
    for name in ["canal trust", "Bridge partnership", "apple growers", "Zebra crossing"]:
        PartnershipFactory(name=name)
    expected = ["apple growers", "Bridge partnership", "canal trust", "Zebra crossing"]
    assert names(member_client.get("/register/")) == expected
    assert names(member_client.get("/register/", {"sort": "name"})) == expected
    assert names(member_client.get("/register/", {"sort": "-name"})) == expected[::-1]


@pytest.mark.parametrize("sort, reverse", [("lead_officer", False), ("-lead_officer", True)])
def test_sorting_by_lead_officer_orders_whole_names_each_officers_partnerships_together(member_client, sort,
                                                                                          reverse):
    """First name, then last name, whatever their case; an officer's partnerships together, in
    the order they were registered (either way: the order's last key, for stable paging)."""
    ann_zed = UserFactory(role="Officer", first_name="ann", last_name="Zed")
    ann_bee = UserFactory(role="Officer", first_name="Ann", last_name="bee")
    bob = UserFactory(role="Officer", first_name="Bob", last_name="Able")
    made = [PartnershipFactory(name=f"{who.last_name} {n}", lead_officer=who)
            for n in range(2) for who in (bob, ann_zed, ann_bee)]
    expected = [p.name for who in (ann_bee, ann_zed, bob) for p in made if p.lead_officer == who]
    if reverse:
        expected = [p.name for who in (bob, ann_zed, ann_bee) for p in made if p.lead_officer == who]
    assert names(member_client.get("/register/", {"sort": sort})) == expected
