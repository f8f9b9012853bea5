"""Bad input gets a clear message on the page and loses nothing typed: never a 500."""

import pytest
from django.urls import reverse

from checklists.models import Action, Answer
from partnerships.models import Partnership
from tests.checklists.factories import questions_of, start, tracked_action
from tests.factories import PartnershipFactory
from tests.partnerships.helpers import valid_partnership_data

pytestmark = pytest.mark.django_db

TOO_BIG = "99999999999999999999"


@pytest.mark.parametrize("field", ["start_date", "end_date", "next_review_due"])
@pytest.mark.parametrize("part", [0, 1])  # the day, then the month
def test_a_number_too_big_for_a_partnership_date_is_a_form_error(officer_client, officer, field, part):
    partnership = PartnershipFactory(lead_officer=officer)
    date = {f"{field}_0": "1", f"{field}_1": "4", f"{field}_2": "2030", f"{field}_{part}": TOO_BIG}
    data = valid_partnership_data(council=partnership.councils.get(), lead_officer=officer, **date)
    response = officer_client.post(reverse("partnerships:edit", args=[partnership.pk]), data)
    assert response.status_code == 200
    assert "must be a real date" in response.content.decode()
    assert TOO_BIG in response.content.decode()  # what they typed is still there


@pytest.fixture
def action(officer, lead):
    return tracked_action(PartnershipFactory(lead_officer=lead), officer)[1]


def test_a_number_too_big_for_an_action_due_date_is_a_form_error(officer_client, action, lead):
    response = officer_client.post(reverse("actions:edit", args=[action.pk]), {
        "owner": lead.pk, "due_date_0": TOO_BIG, "due_date_1": "3", "due_date_2": "2027", "status": "done",
        "version": action.version,
    })
    assert response.status_code == 200
    assert "Due date must be a real date" in response.content.decode()
    action.refresh_from_db()
    assert action.status == Action.Status.OPEN


def test_a_purpose_over_its_limit_is_refused_with_the_limit_and_kept_on_the_page(officer_client, officer):
    partnership = PartnershipFactory(lead_officer=officer, purpose="Short")
    limit = Partnership._meta.get_field("purpose").max_length
    typed = "x" * (limit + 1)
    data = valid_partnership_data(council=partnership.councils.get(), lead_officer=officer, purpose=typed)
    body = officer_client.post(reverse("partnerships:edit", args=[partnership.pk]), data).content.decode()
    assert f"Purpose and aims must be {limit:,} characters or fewer" in body
    assert typed in body
    assert f'data-maxlength="{limit}"' in body  # GOV.UK's character count, not a silent cut
    assert f'maxlength="{limit}"' not in body.replace(f'data-maxlength="{limit}"', "")
    partnership.refresh_from_db()
    assert partnership.purpose == "Short"


def test_an_answer_over_its_limit_is_refused_and_the_rest_of_the_page_kept(officer_client, officer, lead):
    assessment = start(PartnershipFactory(lead_officer=lead), officer)
    first, second = questions_of(assessment)[:2]
    limit = Answer._meta.get_field("narrative").max_length
    response = officer_client.post(reverse("checklists:section", args=[assessment.pk, 1]), {
        "version": assessment.version,
        f"q{first.pk}-narrative": "y" * (limit + 1), f"q{first.pk}-rating": "assured",
        f"q{second.pk}-narrative": "A short answer", f"q{second.pk}-rating": "partly",
    })
    body = response.content.decode()
    assert response.status_code == 200
    assert f"must be {limit:,} characters or fewer" in body
    assert "A short answer" in body
    assert f'data-maxlength="{limit}"' in body
    assert not assessment.answers.exists()


def test_a_return_reason_over_its_limit_is_refused(client, officer, lead):
    from tests.checklists.factories import submitted

    assessment = submitted(PartnershipFactory(lead_officer=lead), officer)
    client.force_login(lead)
    response = client.post(reverse("checklists:return", args=[assessment.pk]),
                           {"reason": "z" * 2001, "version": assessment.version})
    assert response.status_code == 200
    assert "The reason must be 2,000 characters or fewer" in response.content.decode()
