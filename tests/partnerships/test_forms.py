from datetime import date
from decimal import Decimal

import pytest

from partnerships.forms import EXCLUSIONS, PartnershipForm, ScreeningForm
from partnerships.models import Partnership
from tests.factories import CouncilFactory, PartnershipFactory, UserFactory, default_council
from tests.partnerships.helpers import valid_partnership_data

pytestmark = pytest.mark.django_db

ALL_NO = {name: "no" for name, _question, _reason in EXCLUSIONS}


@pytest.fixture
def data(officer):
    return valid_partnership_data(council=default_council(), lead_officer=officer)


def test_screening_asks_the_five_exclusions():
    form = ScreeningForm()
    assert list(form.fields) == [
        "council_controls", "informal_group", "outside_body", "commercial_agreement", "service_contract"
    ]


def test_screening_passes_when_every_answer_is_no():
    form = ScreeningForm(ALL_NO)
    assert form.is_valid()
    assert form.refusals() == []


@pytest.mark.parametrize("name, _question, reason", EXCLUSIONS)
def test_screening_refuses_with_the_reason_for_each_exclusion(name, _question, reason):
    form = ScreeningForm({**ALL_NO, name: "yes"})
    assert form.is_valid()
    assert form.refusals() == [reason]


def test_screening_needs_every_question_answered():
    form = ScreeningForm({"council_controls": "no"})
    assert not form.is_valid()
    assert form.errors["service_contract"] == ["Select yes if it is a contract for the delivery of a service, or no"]
    assert form.errors["informal_group"] == ["Select yes if it is an informal group, such as a consultation group, or no"]


def test_a_complete_form_is_valid_and_saves(data, officer):
    form = PartnershipForm(data, user=officer)
    assert form.is_valid(), form.errors
    partnership = form.save()
    assert partnership.reference.startswith("P-")
    assert partnership.annual_contribution == Decimal("2500.50")
    assert partnership.start_date == date(2025, 4, 1)
    assert partnership.next_review_due == date(2027, 3, 31)
    assert partnership.lead_officer == officer
    assert partnership.councils.count() == 1


@pytest.mark.parametrize(
    "field, message",
    [
        ("name", "Enter the partnership’s name"),
        ("purpose", "Enter the partnership’s purpose and aims"),
        ("scope", "Select whether the partnership is strategic or operational"),
        ("basis", "Select whether the partnership is statutory or voluntary"),
        ("membership", "Select whether the partnership is single or multi organisation"),
        ("level", "Select whether the partnership is national, regional or local"),
        ("councils", "Select at least one council taking part"),
        ("council_role", "Select the council’s role in the partnership"),
        ("lead_officer", "Select the lead officer"),
        ("legal_status", "Select the partnership’s legal status"),
        ("performance_method", "Select how the partnership’s performance is managed"),
    ],
)
def test_it_names_each_missing_required_field(data, field, message, officer):
    data[field] = [] if field == "councils" else ""
    form = PartnershipForm(data, user=officer)
    assert not form.is_valid()
    assert form.errors[field] == [message]


@pytest.mark.parametrize(
    "value, message",
    [
        ("lots", "Enter the annual contribution as an amount in pounds, for example 12500.50"),
        ("-5", "The annual contribution cannot be less than £0"),
        ("10.555", "Enter the annual contribution to the nearest penny"),
    ],
)
def test_it_explains_a_bad_contribution(data, value, message, officer):
    data["annual_contribution"] = value
    form = PartnershipForm(data, user=officer)
    assert not form.is_valid()
    assert form.errors["annual_contribution"] == [message]


def test_it_refuses_an_end_date_before_the_start(data, officer):
    data.update({"end_date_0": "31", "end_date_1": "3", "end_date_2": "2025"})
    form = PartnershipForm(data, user=officer)
    assert not form.is_valid()
    assert form.errors["end_date"] == ["The end date must be the same as or after the start date."]
    assert not form.non_field_errors()


def test_it_refuses_an_impossible_date(data, officer):
    data.update({"start_date_0": "31", "start_date_1": "2", "start_date_2": "2025"})
    form = PartnershipForm(data, user=officer)
    assert not form.is_valid()
    assert "start_date" in form.errors


def test_it_needs_a_next_review_date_unless_closed(data, officer):
    data.update({"next_review_due_0": "", "next_review_due_1": "", "next_review_due_2": ""})
    assert PartnershipForm(data, user=officer).errors["next_review_due"] == ["Enter the date the next review is due"]
    data["status"] = "closed"
    assert PartnershipForm(data, user=officer).is_valid()


def test_it_offers_only_officers_and_administrators_as_lead_officer(data, officer, administrator, lead_member):
    choices = set(PartnershipForm(user=officer).fields["lead_officer"].queryset)
    assert {officer, administrator} <= choices
    assert lead_member not in choices


def test_it_refuses_a_lead_officer_who_is_not_an_officer(data, lead_member, officer):
    data["lead_officer"] = str(lead_member.pk)
    assert PartnershipForm(data, user=officer).errors["lead_officer"] == ["Select the lead officer"]


def test_it_refuses_a_parent_inside_the_partnership(data, officer):
    top = PartnershipFactory()
    child = PartnershipFactory(parent=top)
    data["parent"] = str(child.pk)
    form = PartnershipForm(data, user=officer, instance=top)
    assert not form.is_valid()
    assert "cannot also sit inside it" in form.errors["parent"][0]


def test_it_does_not_offer_the_partnership_as_its_own_parent(data, officer):
    partnership = PartnershipFactory()
    assert partnership not in PartnershipForm(user=officer, instance=partnership).fields["parent"].queryset


def test_it_does_not_offer_closed_partnerships_as_parents(officer):
    closed = PartnershipFactory(status=Partnership.Status.CLOSED)
    assert closed not in PartnershipForm(user=officer).fields["parent"].queryset


def test_it_names_users_by_full_name(data, officer):
    UserFactory(username="jb", first_name="Jo", last_name="Bloggs", role="Officer")
    labels = [label for _value, label in PartnershipForm(user=officer).fields["lead_officer"].choices]
    assert "Jo Bloggs" in labels


def test_radios_offer_no_blank_choice(officer):
    form = PartnershipForm(user=officer)
    for name in ("status", "scope", "basis", "membership", "level", "council_role", "performance_method"):
        assert "" not in dict(form.fields[name].choices), name


@pytest.mark.parametrize(
    "day, month, year, message",
    [
        ("1", "", "2025", "Start date must include a day, month and year"),
        ("1", "4", "", "Start date must include a day, month and year"),
        ("31", "2", "2025", "Start date must be a real date"),
        ("1", "13", "2025", "Start date must be a real date"),
        ("1", "4", "99999999999999999999", "Start date must be a real date, with a 4-digit year, for example 27 3 2025"),
        ("first", "4", "2025", "Start date must be a real date, with a 4-digit year, for example 27 3 2025"),
    ],
)
def test_it_explains_an_incomplete_or_impossible_date(data, day, month, year, message, officer):
    data.update({"start_date_0": day, "start_date_1": month, "start_date_2": year})
    form = PartnershipForm(data, user=officer)
    assert not form.is_valid()
    assert form.errors["start_date"] == [message]


def test_it_leaves_a_blank_date_blank(data, officer):
    form = PartnershipForm(data | {"start_date_0": "", "start_date_1": "", "start_date_2": ""}, user=officer)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["start_date"] is None


@pytest.mark.parametrize("value", ["999999999999999999999999999999", "abc", "-1"])
def test_it_refuses_impossible_council_ids_without_failing(data, value, officer):
    data["councils"] = [value]
    form = PartnershipForm(data, user=officer)
    assert not form.is_valid()
    assert "councils" in form.errors


def test_it_keeps_a_closed_parent_and_a_departed_lead_officer_when_editing(data, officer):
    parent = PartnershipFactory(status=Partnership.Status.CLOSED)
    departed = UserFactory(username="gone", role="Officer")
    partnership = PartnershipFactory(parent=parent, lead_officer=departed)
    departed.is_active = False
    departed.save()
    data.update({"parent": str(parent.pk), "lead_officer": str(departed.pk), "name": "Still editable"})
    form = PartnershipForm(data, user=officer, instance=partnership)
    assert form.is_valid(), form.errors
    assert departed not in PartnershipForm(user=officer).fields["lead_officer"].queryset


@pytest.mark.parametrize("typed, amount", [("£12,500", "12500"), ("12,500.50", "12500.50"), (" £ 1 250 ", "1250"),
                                           ("0", "0")])
def test_money_is_read_as_people_write_it(data, officer, typed, amount):
    form = PartnershipForm(data | {"annual_contribution": typed, "total_budget": typed}, user=officer)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["annual_contribution"] == Decimal(amount)
    assert form.cleaned_data["total_budget"] == Decimal(amount)


def test_money_that_is_not_an_amount_is_explained(data, officer):
    form = PartnershipForm(data | {"annual_contribution": "£twelve"}, user=officer)
    assert form.errors["annual_contribution"] == ["Enter the annual contribution as an amount in pounds, for example 12500.50"]


def test_lists_of_people_ask_for_an_officer_in_words(officer):
    form = PartnershipForm(user=officer)
    assert list(form.fields["lead_officer"].choices)[0] == ("", "Choose an officer")


def test_it_refuses_a_lead_member_of_no_council_taking_part():
    harbourside = default_council()
    vale = CouncilFactory(name="Wessex Vale District Council", short_name="Wessex Vale")
    editor = UserFactory(role="Officer", councils=[harbourside, vale])
    harbourside_member = UserFactory(first_name="Helen", last_name="Brooks", role="Lead member", councils=[harbourside])
    data = valid_partnership_data(council=vale, lead_officer=editor, lead_member_account=str(harbourside_member.pk))
    form = PartnershipForm(data, user=editor)
    assert form.errors["lead_member_account"] == [
        "Helen Brooks does not belong to a council taking part: choose a lead member of one of them."]
    data["councils"] = [str(vale.pk), str(harbourside.pk)]
    assert PartnershipForm(data, user=editor).is_valid()


def test_it_offers_the_lead_members_of_the_councils_that_may_take_part(officer, lead_member):
    vale = CouncilFactory(name="Wessex Vale District Council", short_name="Wessex Vale")
    vale_member = UserFactory(role="Lead member", councils=[vale])
    joint = PartnershipFactory(councils=[default_council(), vale])
    assert list(PartnershipForm(user=officer).fields["lead_member_account"].queryset) == [lead_member]
    offered = set(PartnershipForm(user=officer, instance=joint).fields["lead_member_account"].queryset)
    assert offered == {lead_member, vale_member}
