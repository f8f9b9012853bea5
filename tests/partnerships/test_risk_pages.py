"""A partnership's risks on its page, and adding and changing them: the strategy's nine risks or
one's own, plain-English errors for any input (never a 500), and no lost edits."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from partnerships.history import partnership_history
from partnerships.models import Risk
from tests.factories import CouncilFactory, PartnershipFactory, RiskFactory, UserFactory

pytestmark = pytest.mark.django_db


def new_url(partnership):
    return reverse("partnerships:risk_new", args=[partnership.pk])


def edit_url(risk):
    return reverse("partnerships:risk_edit", args=[risk.partnership_id, risk.pk])


def posted(owner, /, **overrides):
    """POST data for the risk form that passes validation: trust breaks down, likely (4) × major (4)."""
    review = timezone.localdate() + timedelta(days=60)
    data = {
        "standard": "trust", "description": "", "likelihood": "4", "impact": "4",
        "mitigation": "The chief officers meet every quarter.", "owner": str(owner.pk),
        "review_date_0": str(review.day), "review_date_1": str(review.month), "review_date_2": str(review.year),
        "status": "open", "version": "1",  # the status only when changing a risk
    }
    data.update(overrides)
    return data


@pytest.fixture
def partnership(officer):
    return PartnershipFactory(name="Coastal Flood Partnership", lead_officer=officer)


def test_the_form_offers_the_strategys_nine_risks_then_another_and_each_level_in_words(officer_client, partnership):
    response = officer_client.get(new_url(partnership))
    assert response.status_code == 200
    body = response.content.decode()
    for _value, label in Risk.Standard.choices:
        assert label in body
    assert body.index("It cannot be demonstrated that the partnership is adding value") < body.index(
        'govuk-radios__divider">or<') < body.index("Another risk")
    for words in ("Rare (1)", "Almost certain (5)", "Insignificant (1)", "Severe (5)"):
        assert words in body
    assert "If it is another risk, describe it" in body
    assert "high 15–25, medium 8–14 and low 1–7" in body
    assert 'name="status"' not in body  # a risk is open when it is added


def test_an_officer_adds_one_of_the_strategys_risks(officer_client, partnership, officer):
    response = officer_client.post(new_url(partnership), posted(officer))
    assert response.status_code == 302
    assert response.url == f"{partnership.get_absolute_url()}#risks"
    risk = partnership.risks.get()
    assert (risk.standard, risk.description, risk.likelihood, risk.impact, risk.owner, risk.status) == (
        "trust", "Trust breaks down", 4, 4, officer, "open")
    assert risk.history.get().history_user == officer
    page = officer_client.get(partnership.get_absolute_url()).content.decode()
    assert "The risk has been added." in page
    assert "Trust breaks down" in page and "High 16" in page and "govuk-tag--red" in page


def test_an_officer_adds_a_risk_of_their_own(officer_client, partnership, officer):
    response = officer_client.post(new_url(partnership), posted(
        officer, standard="another", description="The harbour master retires", likelihood="2", impact="3"))
    assert response.status_code == 302
    risk = partnership.risks.get()
    assert (risk.standard, risk.description, risk.score, risk.band) == ("", "The harbour master retires", 6, "low")


def test_another_risk_needs_its_words(officer_client, partnership, officer):
    response = officer_client.post(new_url(partnership), posted(officer, standard="another", description=" "))
    assert response.status_code == 200
    assert "Describe the risk" in response.content.decode()
    assert not partnership.risks.exists()


def test_words_typed_for_a_risk_from_the_list_are_asked_about_not_lost(officer_client, partnership, officer):
    response = officer_client.post(new_url(partnership), posted(officer, standard="trust",
                                                                description="Between the police and us"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Leave this blank for one of the strategy’s risks, or choose Another risk" in body
    assert "Between the police and us" in body
    assert not partnership.risks.exists()


def test_an_empty_form_says_what_to_fill_in_and_nothing_about_a_box_not_shown(officer_client, partnership):
    response = officer_client.post(new_url(partnership), {"version": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    for message in ("Select one of the strategy’s risks, or Another risk", "Select how likely the risk is to happen",
                    "Select how great the risk’s impact would be", "Enter how the risk is being managed",
                    "Select who owns the risk", "Enter the date of the risk’s next review"):
        assert message in body
    assert "description" not in response.context["form"].errors  # its box is shown only for Another risk
    assert body.startswith("<!DOCTYPE html>") and "<title>Error: Add a risk" in body
    assert not partnership.risks.exists()


@pytest.mark.parametrize("field, value", [
    ("standard", "<script>alert(1)</script>"), ("likelihood", "abc"), ("likelihood", "6"),
    ("likelihood", "99999999999999999999999"), ("impact", "-1"), ("impact", "3.5"),
    ("owner", "99999999999999999999999"), ("owner", "nobody"), ("review_date_2", "99999"),
    ("review_date_0", "9" * 40), ("review_date_1", "13"), ("version", "99999999999999999999999"),
    ("version", "-1"),
])
def test_bad_input_is_refused_with_a_message_never_a_500(officer_client, partnership, officer, field, value):
    response = officer_client.post(new_url(partnership), posted(officer, **{field: value}))
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert not partnership.risks.exists()


def test_dates_too_big_for_a_calendar_are_refused_in_words(officer_client, partnership, officer):
    for day, month, year in (("1", "1", "10000"), ("1" * 30, "1", "2030"), ("1", "1" * 30, "2030")):
        response = officer_client.post(new_url(partnership), posted(
            officer, review_date_0=day, review_date_1=month, review_date_2=year))
        assert response.status_code == 200
        assert "Next review must be a real date" in response.content.decode()
    assert not partnership.risks.exists()


@pytest.mark.parametrize("field, limit, message", [
    ("description", 1000, "The risk must be 1,000 characters or fewer"),
    ("mitigation", 2000, "How it is being managed must be 2,000 characters or fewer"),
])
def test_a_megabyte_of_text_is_refused_with_a_message_and_kept_on_the_page(officer_client, partnership, officer,
                                                                          field, limit, message):
    text = "word " * 200_000  # a megabyte
    response = officer_client.post(new_url(partnership), posted(officer, **{"standard": "another",
                                                                         "description": "Mine", field: text}))
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert text.strip() in body
    assert not partnership.risks.exists()


def test_text_at_its_limit_is_kept_whole(officer_client, partnership, officer):
    response = officer_client.post(new_url(partnership), posted(
        officer, standard="another", description="d" * 1000, mitigation="m" * 2000))
    assert response.status_code == 302
    risk = partnership.risks.get()
    assert (len(risk.description), len(risk.mitigation)) == (1000, 2000)


def test_only_officers_of_a_council_taking_part_are_offered_as_owner_and_others_are_refused(
        officer_client, partnership, officer):
    elsewhere = UserFactory(username="dora", first_name="Dora", last_name="Elsewhere", role="Officer",
                            councils=[CouncilFactory(name="Dorset Council")])
    assert "Dora Elsewhere" not in officer_client.get(new_url(partnership)).content.decode()
    response = officer_client.post(new_url(partnership), posted(elsewhere))
    assert response.status_code == 200
    assert "Select who owns the risk" in response.content.decode()
    assert not partnership.risks.exists()


def test_an_officer_changes_a_risk_and_closes_it(officer_client, partnership, officer, lead):
    risk = RiskFactory(partnership=partnership)
    response = officer_client.get(edit_url(risk))
    assert response.context["form"]["standard"].value() == "trust" and 'name="status"' in response.content.decode()
    assert response.context["form"]["description"].value() == ""  # a risk from the list: its words are not typed
    response = officer_client.post(edit_url(risk), posted(lead, likelihood="2", impact="2", status="closed",
                                                          version=str(risk.version)))
    assert response.status_code == 302
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.owner, risk.status, risk.version) == (2, 2, lead, "closed", 2)
    page = officer_client.get(partnership.get_absolute_url()).content.decode()
    assert "The risk has been saved." in page
    assert "No open risks have been recorded." in page
    assert "Closed risks (1)" in page and "Low 4" in page


def test_a_risk_of_ones_own_can_become_a_standard_one_and_back(officer_client, partnership, officer):
    risk = RiskFactory(partnership=partnership, standard="", description="The harbour master retires")
    assert officer_client.get(edit_url(risk)).context["form"]["standard"].value() == "another"
    officer_client.post(edit_url(risk), posted(officer, standard="priorities", version="1"))
    risk.refresh_from_db()
    assert (risk.standard, risk.description) == ("priorities", "Priorities change")
    officer_client.post(edit_url(risk), posted(officer, standard="another", description="Our own words",
                                               version="2"))
    risk.refresh_from_db()
    assert (risk.standard, risk.description) == ("", "Our own words")


def test_the_second_of_two_edits_from_the_same_version_is_refused_and_keeps_what_was_typed(
        officer_client, partnership, officer):
    risk = RiskFactory(partnership=partnership)
    first = posted(officer, likelihood="5", version="1")
    second = posted(officer, impact="1", mitigation="A plan typed with care", version="1")
    assert officer_client.post(edit_url(risk), first).status_code == 302
    response = officer_client.post(edit_url(risk), second)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved this risk after you opened it" in body
    assert "A plan typed with care" in body
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.version) == (5, 4, 2)
    assert risk.mitigation == "The chief officers meet every quarter."


def test_the_page_lists_open_risks_highest_first_and_closed_ones_apart(member_client, partnership):
    RiskFactory(partnership=partnership, standard="", description="Medium one", likelihood=3, impact=3)
    RiskFactory(partnership=partnership, standard="", description="High one", likelihood=5, impact=4)
    RiskFactory(partnership=partnership, standard="", description="Low one", likelihood=1, impact=2)
    RiskFactory(partnership=partnership, standard="", description="Closed one", likelihood=5, impact=5,
                status="closed")
    body = member_client.get(partnership.get_absolute_url()).content.decode()
    open_table = body[body.index('id="open-risks"'):body.index('id="closed-risks-list"')]
    assert open_table.index("High one") < open_table.index("Medium one") < open_table.index("Low one")
    assert "Closed one" not in open_table
    assert "High 20" in open_table and "Medium 9" in open_table and "Low 2" in open_table
    assert "Closed one" in body[body.index('id="closed-risks"'):]


def test_readers_see_risks_but_no_add_or_change_links(member_client, client, partnership, officer):
    risk = RiskFactory(partnership=partnership)
    body = member_client.get(partnership.get_absolute_url()).content.decode()
    assert "Trust breaks down" in body
    assert new_url(partnership) not in body and edit_url(risk) not in body
    client.force_login(officer)
    body = client.get(partnership.get_absolute_url()).content.decode()
    assert new_url(partnership) in body and edit_url(risk) in body


def test_a_partnership_without_risks_says_so(member_client, partnership):
    assert "No open risks have been recorded." in member_client.get(partnership.get_absolute_url()).content.decode()


def test_a_risk_of_another_partnership_is_not_found_under_this_one(officer_client, partnership):
    other = RiskFactory(partnership=PartnershipFactory())
    response = officer_client.get(reverse("partnerships:risk_edit", args=[partnership.pk, other.pk]))
    assert response.status_code == 404
    response = officer_client.post(reverse("partnerships:risk_edit", args=[partnership.pk, other.pk]),
                                   posted(partnership.lead_officer, likelihood="1"))
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.likelihood == 3


def test_risk_changes_are_in_the_history_with_who_and_when(officer_client, partnership, officer, lead,
                                                          lead_member, client):
    officer_client.post(new_url(partnership), posted(officer, likelihood="3"))
    risk = partnership.risks.get()
    officer_client.post(edit_url(risk), posted(lead, likelihood="4", status="closed", version="1"))
    changed, added = [c for c in partnership_history(partnership, user=lead_member) if "risk" in c.what]
    assert added.what == "Added the risk “Trust breaks down”" and added.who == "Olivia Okafor"
    assert ("Likelihood", None, "Possible (3)") in added.fields
    assert ("Score", None, "Medium 12") in added.fields
    assert ("Owner", None, "Olivia Okafor") in added.fields
    assert changed.what == "Changed the risk “Trust breaks down”"
    assert changed.fields == [("Likelihood", "Possible (3)", "Likely (4)"), ("Owner", "Olivia Okafor", "Lena Lead"),
                              ("Status", "Open", "Closed"), ("Score", "Medium 12", "High 16")]
    client.force_login(lead_member)
    page = client.get(reverse("partnerships:history", args=[partnership.pk])).content.decode()
    assert "Changed the risk “Trust breaks down”" in page and "Added the risk “Trust breaks down”" in page


@pytest.mark.parametrize("risks", [1, 25])
def test_the_partnership_page_takes_the_same_queries_however_many_risks(member_client, partnership, risks,
                                                                        django_assert_max_num_queries):
    for number in range(risks):
        RiskFactory(partnership=partnership, status="closed" if number % 2 else "open")
    # As before risks (tests/partnerships/test_detail.py), and one more for the risks with their owners.
    with django_assert_max_num_queries(13):
        assert member_client.get(partnership.get_absolute_url()).status_code == 200
