import pytest

from partnerships.forms import EXCLUSIONS
from partnerships.models import Partnership
from tests.factories import default_council
from tests.partnerships.helpers import valid_partnership_data

pytestmark = pytest.mark.django_db

ALL_NO = {name: "no" for name, _question, _reason in EXCLUSIONS}


def test_it_asks_the_screening_questions_first(officer_client):
    response = officer_client.get("/partnerships/new/")
    assert response.status_code == 200
    for _name, question, _reason in EXCLUSIONS:
        assert question in response.content.decode()


def test_it_refuses_when_an_exclusion_applies_and_says_why(officer_client):
    response = officer_client.post("/partnerships/new/", {**ALL_NO, "commercial_agreement": "yes"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "This is not a partnership for the register" in body
    assert "Commercial agreements are not partnerships." in body
    # The refusal does not open the details step.
    assert officer_client.get("/partnerships/new/details/").status_code == 302


def test_it_keeps_screening_answers_when_going_back_to_change_them(officer_client):
    officer_client.post("/partnerships/new/", {**ALL_NO, "service_contract": "yes"})
    response = officer_client.get("/partnerships/new/")
    assert response.context["form"].initial["service_contract"] == "yes"


def test_it_shows_an_error_summary_for_unanswered_screening(officer_client):
    response = officer_client.post("/partnerships/new/", {"council_controls": "no"})
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Select yes if it is a commercial agreement, or no" in body
    assert response.context["form"]["council_controls"].value() == "no"


def test_it_sends_an_officer_who_skipped_screening_back_to_it(officer_client):
    response = officer_client.get("/partnerships/new/details/")
    assert response.status_code == 302
    assert response.url == "/partnerships/new/"


def test_it_registers_a_partnership_after_screening(officer_client, officer):
    council = default_council()
    officer_client.post("/partnerships/new/", ALL_NO)
    response = officer_client.post(
        "/partnerships/new/details/", valid_partnership_data(council=council, lead_officer=officer)
    )
    partnership = Partnership.objects.get(name="Harbourside Food Partnership")
    assert response.status_code == 302
    assert response.url == f"/partnerships/{partnership.pk}/partners/"
    assert partnership.created_by == officer
    assert partnership.screening_confirmed_at is not None
    assert list(partnership.councils.all()) == [council]
    # Screening is needed again for the next registration.
    assert officer_client.get("/partnerships/new/details/").status_code == 302


def test_it_keeps_what_was_typed_when_the_form_has_errors(officer_client, officer):
    officer_client.post("/partnerships/new/", ALL_NO)
    data = valid_partnership_data(council=default_council(), lead_officer=officer, annual_contribution="ten pounds")
    response = officer_client.post("/partnerships/new/details/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert 'href="#id_annual_contribution"' in body
    assert 'value="ten pounds"' in body
    assert 'value="Harbourside Food Partnership"' in body
    assert "Reduce food poverty and food waste." in body
    assert not Partnership.objects.exists()


def test_it_escapes_what_users_type(officer_client, officer):
    officer_client.post("/partnerships/new/", ALL_NO)
    data = valid_partnership_data(
        council=default_council(), lead_officer=officer,
        name='<script>alert("x")</script> Partnership', purpose="<img src=x onerror=alert(1)>",
    )
    officer_client.post("/partnerships/new/details/", data)
    partnership = Partnership.objects.get()
    body = officer_client.get(f"/partnerships/{partnership.pk}/").content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Partnership" in body
    assert "&lt;img src=x onerror=alert(1)&gt;" in body
    register = officer_client.get("/register/").content.decode()
    assert "<script>alert" not in register
