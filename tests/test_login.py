import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_signs_in_and_goes_to_their_work(client, lead_member):
    response = client.post("/accounts/login/", {"username": "peter", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/register/work/"


def test_it_returns_to_the_page_that_asked_for_sign_in(client, lead_member):
    response = client.post("/accounts/login/?next=/partnerships/1/",
                           {"username": "peter", "password": PASSWORD, "next": "/partnerships/1/"})
    assert response.url == "/partnerships/1/"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/"])
def test_it_never_sends_users_off_site(client, lead_member, next_url):
    response = client.post("/accounts/login/", {"username": "peter", "password": PASSWORD, "next": next_url})
    assert response.url == "/register/work/"


def test_it_explains_a_wrong_password_and_keeps_the_username(client, lead_member):
    response = client.post("/accounts/login/", {"username": "peter", "password": "wrong"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert 'value="peter"' in body


def test_a_signed_in_user_sent_to_sign_in_is_told_why(client, lead_member):
    client.force_login(lead_member)
    response = client.get("/accounts/login/?next=/accounts/login/")
    assert response.status_code == 200
    assert "Your account cannot see that page" in response.content.decode()


def test_signing_out_ends_the_session(client, lead_member):
    client.force_login(lead_member)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/register/").status_code == 302
