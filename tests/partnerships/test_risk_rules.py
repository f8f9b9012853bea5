"""A risk's score and band, and the rules a risk keeps however it is written (Risk.clean, and the
services risk_create and risk_update that an import or the shell would call too)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnerships import services
from partnerships.models import Risk
from partnerships.roles import LEAD_MEMBER, OFFICER
from tests.factories import CouncilFactory, PartnershipFactory, RiskFactory, UserFactory

pytestmark = pytest.mark.django_db


def data(owner, **overrides):
    values = {"standard": "trust", "description": "", "likelihood": 4, "impact": 4,
              "mitigation": "The chief officers meet every quarter.", "owner": owner,
              "review_date": timezone.localdate() + timedelta(days=30)}
    return {**values, **overrides}


@pytest.mark.parametrize("likelihood, impact, score, band", [
    (1, 1, 1, "low"), (2, 3, 6, "low"), (2, 4, 8, "medium"), (4, 3, 12, "medium"), (3, 5, 15, "high"),
    (5, 5, 25, "high"),
])
def test_the_score_is_likelihood_times_impact(likelihood, impact, score, band):
    risk = Risk(likelihood=likelihood, impact=impact)
    assert risk.score == score
    assert risk.band == band


@pytest.mark.parametrize("score, band", [
    (1, "low"), (7, "low"), (8, "medium"), (14, "medium"), (15, "high"), (25, "high"),
])
def test_the_bands_meet_at_7_and_8_and_at_14_and_15(score, band):
    assert Risk.band_of(score) == band


def test_every_score_a_matrix_can_give_has_one_band_and_its_tag():
    for likelihood in Risk.Likelihood:
        for impact in Risk.Impact:
            risk = Risk(likelihood=likelihood, impact=impact)
            assert risk.score == int(likelihood) * int(impact)
            assert risk.band_tag_class.startswith("govuk-tag--")


def test_the_levels_are_named_in_a_councils_words():
    assert [label for _value, label in Risk.Likelihood.choices] == [
        "Rare (1)", "Unlikely (2)", "Possible (3)", "Likely (4)", "Almost certain (5)"]
    assert [label for _value, label in Risk.Impact.choices] == [
        "Insignificant (1)", "Minor (2)", "Moderate (3)", "Major (4)", "Severe (5)"]


def test_the_standard_list_is_the_strategys_nine_risks_word_for_word():
    assert [label for _value, label in Risk.Standard.choices] == [
        "Performance management arrangements are ineffective and do not identify issues in time",
        "The agendas of participating organisations are out of line and cannot be reconciled",
        "Personalities change and previously effective partnerships become more difficult",
        "Trust breaks down",
        "Resources are not committed",
        "Priorities change",
        "They fail to deliver their objectives",
        "Agreement cannot be reached by partners on any range of issues",
        "It cannot be demonstrated that the partnership is adding value",
    ]


def test_a_risk_from_the_standard_list_reads_as_the_strategy_words_it(officer):
    partnership = PartnershipFactory(lead_officer=officer)
    risk = services.risk_create(partnership=partnership, user=officer,
                                data=data(officer, standard="resources", description="ignored"))
    risk.refresh_from_db()
    assert risk.description == "Resources are not committed"
    assert risk.standard == "resources"
    assert risk.status == Risk.Status.OPEN
    assert risk.score == 16 and risk.band == "high"


def test_a_risk_of_ones_own_needs_its_words(officer):
    partnership = PartnershipFactory(lead_officer=officer)
    with pytest.raises(ValidationError) as refused:
        services.risk_create(partnership=partnership, user=officer, data=data(officer, standard="", description="  "))
    assert refused.value.message_dict == {"description": ["Describe the risk"]}
    risk = services.risk_create(partnership=partnership, user=officer,
                                data=data(officer, standard="", description="The harbour master retires"))
    assert Risk.objects.get().description == "The harbour master retires" == risk.description


@pytest.mark.parametrize("field, value", [
    ("likelihood", 0), ("likelihood", 6), ("impact", 0), ("impact", 99), ("standard", "mood"),
    ("status", "pending"), ("mitigation", ""), ("mitigation", "x" * 2001), ("description", "x" * 1001),
])
def test_the_service_refuses_what_the_form_would_refuse(officer, field, value):
    partnership = PartnershipFactory(lead_officer=officer)
    overrides = {field: value, **({"standard": ""} if field == "description" else {})}
    with pytest.raises(ValidationError) as refused:
        services.risk_create(partnership=partnership, user=officer, data=data(officer, **overrides))
    assert field in refused.value.message_dict
    assert not Risk.objects.exists()


def test_the_database_refuses_a_score_off_the_matrix(officer):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        RiskFactory(likelihood=6)


def test_the_owner_must_be_an_officer_of_a_council_taking_part(officer):
    partnership = PartnershipFactory(lead_officer=officer)
    elsewhere = UserFactory(username="elsewhere", role=OFFICER, councils=[CouncilFactory(name="Dorset Council")])
    councillor = UserFactory(username="councillor", role=LEAD_MEMBER)
    for owner in (elsewhere, councillor):
        with pytest.raises(ValidationError) as refused:
            services.risk_create(partnership=partnership, user=officer, data=data(owner))
        assert "owner" in refused.value.message_dict
    assert not Risk.objects.exists()


def test_an_owner_chosen_earlier_stays_when_they_can_no_longer_be_chosen(officer):
    risk = RiskFactory(partnership=PartnershipFactory(lead_officer=officer), owner=officer)
    officer.councils.clear()  # moved to another council since
    services.risk_update(risk=risk, data={"status": "closed"}, version=risk.version, user=officer)
    risk.refresh_from_db()
    assert risk.status == "closed" and risk.owner == officer


def test_a_review_date_set_now_is_today_or_later_but_one_overdue_may_stay(officer):
    partnership = PartnershipFactory(lead_officer=officer)
    yesterday = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.risk_create(partnership=partnership, user=officer, data=data(officer, review_date=yesterday))
    assert refused.value.message_dict == {"review_date": ["The next review must be today or later"]}
    overdue = RiskFactory(partnership=partnership, review_date=yesterday)
    assert overdue.is_review_overdue
    services.risk_update(risk=overdue, data={"likelihood": 5}, version=overdue.version, user=officer)
    overdue.refresh_from_db()
    assert overdue.likelihood == 5 and overdue.review_date == yesterday


def test_an_update_moves_the_version_on_and_a_stale_one_is_refused_with_nothing_saved(officer):
    risk = RiskFactory(partnership=PartnershipFactory(lead_officer=officer))
    services.risk_update(risk=risk, data={"likelihood": 5}, version=1, user=officer)
    stale = Risk.objects.get(pk=risk.pk)
    with pytest.raises(services.StaleEdit, match="Someone else saved this risk after you opened it"):
        services.risk_update(risk=stale, data={"impact": 1}, version=1, user=officer)
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.version) == (5, 3, 2)


def test_a_refused_update_keeps_the_version(officer):
    risk = RiskFactory(partnership=PartnershipFactory(lead_officer=officer))
    with pytest.raises(ValidationError):
        services.risk_update(risk=risk, data={"impact": 0}, version=1, user=officer)
    assert Risk.objects.get(pk=risk.pk).version == 1


def test_the_service_takes_only_a_risks_own_fields(officer):
    risk = RiskFactory(partnership=PartnershipFactory(lead_officer=officer))
    with pytest.raises(ValueError):
        services.risk_update(risk=risk, data={"partnership": PartnershipFactory()}, version=1, user=officer)


def test_risks_are_ordered_highest_score_first_then_by_review(officer):
    partnership = PartnershipFactory(lead_officer=officer)
    today = timezone.localdate()
    low = RiskFactory(partnership=partnership, likelihood=1, impact=2)
    high_later = RiskFactory(partnership=partnership, likelihood=4, impact=4, review_date=today + timedelta(days=60))
    high_sooner = RiskFactory(partnership=partnership, likelihood=4, impact=4, review_date=today + timedelta(days=5))
    medium = RiskFactory(partnership=partnership, likelihood=3, impact=3)
    assert list(partnership.risks.all()) == [high_sooner, high_later, medium, low]


def test_a_risk_is_visible_only_through_its_partnership(officer, lead_member):
    mine = RiskFactory(partnership=PartnershipFactory(lead_officer=officer))
    theirs = RiskFactory(partnership=PartnershipFactory(councils=[CouncilFactory(name="Dorset Council")]))
    assert list(Risk.objects.visible_to(lead_member)) == [mine]
    assert theirs not in Risk.objects.visible_to(officer)
