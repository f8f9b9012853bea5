"""The register entry's rules hold however an entry is made: the model (`Partnership.clean`)
and the services refuse what the form refuses, so an import or the shell cannot skip them."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnerships import services
from partnerships.forms import PartnershipForm
from partnerships.models import Partnership
from tests.factories import CouncilFactory, PartnershipFactory, UserFactory, default_council
from tests.partnerships.helpers import valid_partnership_data

pytestmark = pytest.mark.django_db


def entry(officer, **changes) -> dict:
    """What a register entry's service is given: field name → value, as a form or an import would."""
    return {
        "name": "Harbourside Food Partnership", "purpose": "Reduce food poverty.", "status": "active",
        "scope": "operational", "basis": "voluntary", "membership": "multi", "level": "local",
        "councils": [default_council()], "council_role": "supporting", "lead_officer": officer,
        "legal_status": "memorandum", "performance_method": "light_touch",
        "next_review_due": timezone.localdate() + timedelta(days=90), **changes,
    }


def refusal(error: ValidationError, field: str) -> list[str]:
    return error.message_dict[field]


# --- The next review date, required unless the partnership is closed -------------------------

def test_the_model_needs_a_next_review_date_unless_closed():
    partnership = PartnershipFactory(next_review_due=None, status=Partnership.Status.CLOSED)
    partnership.clean()  # closed: no review to come
    partnership.status = Partnership.Status.ACTIVE
    with pytest.raises(ValidationError) as refused:
        partnership.clean()
    assert refusal(refused.value, "next_review_due") == ["Enter the date the next review is due"]


def test_registering_without_a_next_review_date_is_refused_and_saves_nothing(officer):
    with pytest.raises(ValidationError) as refused:
        services.partnership_register(data=entry(officer, next_review_due=None), user=officer)
    assert "next_review_due" in refused.value.message_dict
    assert not Partnership.objects.exists()


def test_a_closed_partnership_is_registered_without_a_next_review_date(officer):
    partnership = services.partnership_register(data=entry(officer, status="closed", next_review_due=None), user=officer)
    partnership.refresh_from_db()
    assert (partnership.status, partnership.next_review_due) == ("closed", None)


def test_clearing_the_next_review_date_of_an_active_partnership_is_refused(officer):
    partnership = PartnershipFactory()
    due = partnership.next_review_due
    with pytest.raises(ValidationError):
        services.partnership_update(partnership=partnership, data={"next_review_due": None},
                                    version=partnership.version, user=officer)
    partnership.refresh_from_db()
    assert (partnership.next_review_due, partnership.version) == (due, 1)


def test_the_form_shows_the_models_refusal_against_the_field(officer):
    data = valid_partnership_data(council=default_council(), lead_officer=officer,
                                  next_review_due_0="", next_review_due_1="", next_review_due_2="")
    form = PartnershipForm(data, user=officer)
    assert form.errors["next_review_due"] == ["Enter the date the next review is due"]


def test_the_form_says_only_what_is_wrong_with_a_date_it_cannot_read(officer):
    data = valid_partnership_data(council=default_council(), lead_officer=officer,
                                  next_review_due_0="31", next_review_due_1="2", next_review_due_2="2027")
    assert PartnershipForm(data, user=officer).errors["next_review_due"] == ["Next review due must be a real date"]


def test_the_form_asks_for_the_status_before_the_date_it_decides(officer):
    data = valid_partnership_data(council=default_council(), lead_officer=officer, status="",
                                  next_review_due_0="", next_review_due_1="", next_review_due_2="")
    errors = PartnershipForm(data, user=officer).errors
    assert "status" in errors and "next_review_due" not in errors


# --- Dates in order ------------------------------------------------------------------------

def test_registering_with_an_end_before_the_start_is_refused(officer):
    with pytest.raises(ValidationError) as refused:
        services.partnership_register(
            data=entry(officer, start_date=date(2025, 4, 1), end_date=date(2025, 3, 31)), user=officer)
    assert "end_date" in refused.value.message_dict
    assert not Partnership.objects.exists()


# --- Councils ------------------------------------------------------------------------------

def test_registering_with_no_council_is_refused(officer):
    with pytest.raises(ValidationError) as refused:
        services.partnership_register(data=entry(officer, councils=[]), user=officer)
    assert "councils" in refused.value.message_dict
    with pytest.raises(ValidationError):
        services.partnership_register(data={k: v for k, v in entry(officer).items() if k != "councils"}, user=officer)
    assert not Partnership.objects.exists()


def test_taking_every_council_away_is_refused(officer):
    partnership = PartnershipFactory()
    with pytest.raises(ValidationError):
        services.partnership_update(partnership=partnership, data={"councils": []}, version=1, user=officer)
    assert partnership.councils.count() == 1


# --- Who may be named ----------------------------------------------------------------------

def test_a_lead_member_cannot_be_made_lead_officer(officer, lead_member):
    with pytest.raises(ValidationError) as refused:
        services.partnership_register(data=entry(officer, lead_officer=lead_member), user=officer)
    assert "lead_officer" in refused.value.message_dict
    assert not Partnership.objects.exists()


def test_an_inactive_officer_cannot_be_made_lead_officer(officer, lead):
    partnership = PartnershipFactory(lead_officer=lead)
    left = UserFactory(role="Officer", is_active=False)
    with pytest.raises(ValidationError):
        services.partnership_update(partnership=partnership, data={"lead_officer": left}, version=1, user=lead)
    partnership.refresh_from_db()
    assert partnership.lead_officer == lead


def test_a_lead_officer_who_has_left_stays_on_an_entry_saved_again(officer, lead):
    partnership = PartnershipFactory(lead_officer=lead)
    lead.is_active = False
    lead.save()
    services.partnership_update(partnership=partnership, data={"name": "Renamed"}, version=1, user=officer)
    partnership.refresh_from_db()
    assert (partnership.name, partnership.lead_officer) == ("Renamed", lead)


def test_the_lead_members_account_must_be_a_lead_members(officer, lead_member, scrutiny):
    with pytest.raises(ValidationError) as refused:
        services.partnership_register(data=entry(officer, lead_member_account=scrutiny), user=officer)
    assert "lead_member_account" in refused.value.message_dict
    partnership = services.partnership_register(data=entry(officer, lead_member_account=lead_member), user=officer)
    assert partnership.lead_member_account == lead_member


def test_a_closed_partnership_cannot_be_chosen_as_a_parent_but_stays_one(officer):
    closed = PartnershipFactory(status=Partnership.Status.CLOSED)
    with pytest.raises(ValidationError) as refused:
        services.partnership_register(data=entry(officer, parent=closed), user=officer)
    assert "parent" in refused.value.message_dict
    child = PartnershipFactory(parent=PartnershipFactory())
    child.parent.status = Partnership.Status.CLOSED
    child.parent.save()
    services.partnership_update(partnership=child, data={"name": "Still inside it"}, version=1, user=officer)
    child.refresh_from_db()
    assert child.name == "Still inside it"


# --- The people named belong to a council taking part ----------------------------------------

@pytest.fixture
def vale():
    return CouncilFactory(name="Wessex Vale District Council", short_name="Wessex Vale")


@pytest.fixture
def harbourside_member():
    """A lead member of Harbourside alone."""
    return UserFactory(username="hbmember", first_name="Helen", last_name="Brooks", role="Lead member",
                       councils=[default_council()])


@pytest.fixture
def both_councils_officer(vale):
    return UserFactory(username="both", role="Officer", councils=[default_council(), vale])


def test_a_lead_member_of_another_council_cannot_be_named_on_registering(both_councils_officer, vale,
                                                                          harbourside_member):
    with pytest.raises(ValidationError) as refused:
        services.partnership_register(user=both_councils_officer, data=entry(
            both_councils_officer, councils=[vale], lead_member_account=harbourside_member))
    assert refusal(refused.value, "lead_member_account") == [
        "Helen Brooks does not belong to a council taking part: choose a lead member of one of them."]
    assert not Partnership.objects.exists()


def test_a_lead_member_of_another_council_cannot_be_named_on_changing(both_councils_officer, vale,
                                                                       harbourside_member):
    partnership = PartnershipFactory(councils=[vale], lead_officer=both_councils_officer)
    with pytest.raises(ValidationError) as refused:
        services.partnership_update(partnership=partnership, data={"lead_member_account": harbourside_member},
                                    version=1, user=both_councils_officer)
    assert "lead_member_account" in refused.value.message_dict
    partnership.refresh_from_db()
    assert (partnership.lead_member_account, partnership.version) == (None, 1)


def test_a_lead_member_of_a_council_taking_part_is_named(both_councils_officer, vale, harbourside_member):
    vale_member = UserFactory(role="Lead member", councils=[vale])
    partnership = services.partnership_register(user=both_councils_officer, data=entry(
        both_councils_officer, councils=[vale], lead_member_account=vale_member))
    services.partnership_update(partnership=partnership, user=both_councils_officer, version=1, data={
        "councils": [vale, default_council()], "lead_member_account": harbourside_member})
    partnership.refresh_from_db()
    assert partnership.lead_member_account == harbourside_member


def test_a_lead_officer_of_another_council_cannot_be_named(both_councils_officer, vale, officer):
    with pytest.raises(ValidationError) as refused:
        services.partnership_register(user=both_councils_officer, data=entry(officer, councils=[vale]))
    assert refusal(refused.value, "lead_officer") == [
        "Olivia Okafor does not belong to a council taking part: choose a lead officer of one of them."]


def test_the_model_rule_leaves_a_lead_member_named_earlier(vale, harbourside_member):
    partnership = PartnershipFactory(councils=[default_council()], lead_member_account=harbourside_member)
    partnership.check_people_take_part([vale])  # kept, not chosen now: no refusal
    partnership.lead_member_account = UserFactory(role="Lead member", councils=[default_council()])
    with pytest.raises(ValidationError):
        partnership.check_people_take_part([vale])
