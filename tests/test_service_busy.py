"""A locked or unreachable database gives the "service is busy" page (503), never a 500."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def locked(*args, **kwargs):
    raise OperationalError("database is locked")


@pytest.mark.parametrize("error", [OperationalError("database is locked"),
                                   InterfaceError("connection already closed")])
def test_a_database_error_in_a_page_is_the_busy_page(member_client, monkeypatch, error):
    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr("register.views.register_partnerships", failing)
    response = member_client.get(reverse("register:index"))
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Sorry, the service is busy" in page and "Try again in a minute" in page
    assert 'class="govuk-heading-l"' in page  # the GOV.UK styles, as every page


def test_a_database_error_outside_a_page_is_the_busy_page(lead_member, monkeypatch, settings):
    settings.DEBUG = False
    lead_member.set_password("a long enough password")
    lead_member.save()
    monkeypatch.setattr(SessionStore, "save", locked)  # signing in writes the session after the view
    client = Client(raise_request_exception=False)
    response = client.post(reverse("login"), {"username": lead_member.username, "password": "a long enough password"})
    assert response.status_code == 503
    assert "Sorry, the service is busy" in response.content.decode()


def test_any_other_error_is_still_the_problem_page(member_client, monkeypatch, settings):
    settings.DEBUG = False

    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("register.views.register_partnerships", broken)
    member_client.raise_request_exception = False
    response = member_client.get(reverse("register:index"))
    assert response.status_code == 500
    assert "there is a problem with the service" in response.content.decode()
