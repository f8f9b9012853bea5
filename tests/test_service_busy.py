"""A locked or unreachable database gives the "service is busy" page (503), never a 500."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import DatabaseError, DataError, IntegrityError, InterfaceError, OperationalError, connection
from django.test import Client
from django.urls import reverse

from register import selectors
from tests.databases import postgresql_only, terminate

pytestmark = pytest.mark.django_db


def locked(*args, **kwargs):
    raise OperationalError("database is locked")


# psycopg2 reports a connection PostgreSQL dropped (as it restarts) as a plain DatabaseError at times.
@pytest.mark.parametrize("error", [OperationalError("database is locked"),
                                   InterfaceError("connection already closed"),
                                   DatabaseError("server closed the connection unexpectedly")])
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


@pytest.mark.parametrize("error", [OperationalError("server closed the connection unexpectedly"),
                                   DatabaseError("server closed the connection unexpectedly")])
def test_the_busy_page_needs_nothing_from_the_database(member_client, settings, error):
    """With the database gone, even the signed-in person's session cannot be read: the page
    is made without it (no signed-in user bar, no count of work waiting)."""
    settings.DEBUG = False
    member_client.raise_request_exception = False
    attempts = []

    def unavailable(execute, sql, params, many, context):
        attempts.append(sql)
        raise error

    with connection.execute_wrapper(unavailable):
        response = member_client.get(reverse("register:index"))
    assert attempts  # the session was asked for, and could not be read
    assert response.status_code == 503
    assert "Sorry, the service is busy" in response.content.decode()


@pytest.mark.parametrize("error", [IntegrityError("duplicate key value violates unique constraint"),
                                   DataError("value too long for type character varying(200)")])
def test_a_fault_in_a_statement_is_still_the_problem_page(member_client, monkeypatch, settings, error):
    """A DatabaseError too, but a bug in the page, not a database that is unavailable."""
    settings.DEBUG = False

    def failing(*args, **kwargs):
        raise error

    monkeypatch.setattr("register.views.register_partnerships", failing)
    member_client.raise_request_exception = False
    response = member_client.get(reverse("register:index"))
    assert response.status_code == 500
    assert "there is a problem with the service" in response.content.decode()


def test_a_database_error_with_a_code_from_the_database_is_the_problem_page(member_client, monkeypatch,
                                                                            settings):
    """A plain DatabaseError that the database reported about the statement (it has a code) is a bug."""
    settings.DEBUG = False

    class DriverError(Exception):
        pgcode = "XX001"  # data_corrupted
        sqlite_errorcode = 11  # SQLITE_CORRUPT

    def failing(*args, **kwargs):
        raise DatabaseError("could not read block 0") from DriverError()

    monkeypatch.setattr("register.views.register_partnerships", failing)
    member_client.raise_request_exception = False
    assert member_client.get(reverse("register:index")).status_code == 500


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_connection_postgresql_drops_mid_request_is_the_busy_page(client, lead_member, monkeypatch, settings):
    """As PostgreSQL restarting does: the request's connection is ended from another one."""
    settings.DEBUG = False
    client.force_login(lead_member)
    real = selectors.register_partnerships

    def dropped_then_read(**kwargs):
        terminate(connection)
        return real(**kwargs)

    monkeypatch.setattr("register.views.register_partnerships", dropped_then_read)
    client.raise_request_exception = False
    try:
        response = client.get(reverse("register:index"))
    finally:
        connection.close()  # the test client keeps its connection between requests: a fresh one after
    assert response.status_code == 503
    assert "Sorry, the service is busy" in response.content.decode()
