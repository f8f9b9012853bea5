"""Sessions end after a period without activity; signed-in pages are never stored."""

import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from accounts.sessions import LAST_ACTIVITY
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client):
    response = client.post("/accounts/login/", {"username": "peter", "password": PASSWORD})
    assert response.status_code == 302
    return response


def expires_in(client):
    """Seconds the stored session has left."""
    session = Session.objects.get(session_key=client.session.session_key)
    return (session.expire_date - timezone.now()).total_seconds()


def idle_for(client, minutes):
    """As if the last request was `minutes` ago."""
    session = client.session
    session[LAST_ACTIVITY] = int(time.time()) - minutes * 60
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now() + timedelta(minutes=30 - minutes))


def test_a_session_lasts_thirty_idle_minutes_not_fourteen_days(client, lead_member):
    response = sign_in(client)
    assert response.cookies["sessionid"]["max-age"] == 30 * 60
    assert 29 * 60 < expires_in(client) <= 30 * 60


def test_a_page_restarts_the_idle_period(client, lead_member):
    sign_in(client)
    idle_for(client, 10)
    assert client.get("/register/").status_code == 200
    assert expires_in(client) > 29 * 60


def test_asking_how_long_is_left_does_not_restart_it(client, lead_member):
    sign_in(client)
    idle_for(client, 10)
    response = client.get("/accounts/session/")
    assert response.json()["signed_in"] is True
    assert 19 * 60 < response.json()["expires_in"] <= 20 * 60
    assert expires_in(client) <= 20 * 60


def test_staying_signed_in_restarts_it(client, lead_member):
    sign_in(client)
    idle_for(client, 29)
    response = client.post("/accounts/session/")
    assert response.status_code == 200
    assert response.json() == {"signed_in": True, "expires_in": 30 * 60}
    assert expires_in(client) > 29 * 60


def test_the_session_ends_after_the_idle_period(client, lead_member, settings):
    settings.SESSION_COOKIE_AGE = 1
    sign_in(client)
    time.sleep(1.2)
    response = client.get("/register/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert client.get("/accounts/session/").json() == {"signed_in": False, "expires_in": 0}


def test_the_anonymous_are_told_they_are_not_signed_in(client):
    assert client.get("/accounts/session/").json() == {"signed_in": False, "expires_in": 0}
    assert client.post("/accounts/session/").json() == {"signed_in": False, "expires_in": 0}
    assert client.put("/accounts/session/").status_code == 405


def test_signed_in_pages_are_private_and_never_stored(member_client):
    for url in ["/register/", "/actions/", "/accounts/session/", "/accounts/login/"]:
        cache_control = member_client.get(url)["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, url


def test_a_signed_in_page_carries_the_timeout_warning(member_client):
    body = member_client.get("/register/").content.decode()
    assert 'id="session-timeout"' in body
    assert 'data-warning="120"' in body
    assert "Stay signed in" in body


def test_the_sign_in_page_has_no_timeout_warning(client):
    assert 'id="session-timeout"' not in client.get("/accounts/login/").content.decode()


def test_after_a_timeout_the_sign_in_page_says_why(client):
    body = client.get("/accounts/login/?timed_out=1&next=/register/").content.decode()
    assert "For your security, we signed you out" in body
    assert 'name="next" value="/register/"' in body
