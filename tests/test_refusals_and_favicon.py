"""What the site answers besides its pages: a refusal logged in one line, and its icon."""

import logging

from django.urls import reverse


def test_a_refusal_is_logged_once_in_one_line_without_a_traceback(client, no_role_user, caplog):
    client.force_login(no_role_user)
    with caplog.at_level(logging.INFO):
        response = client.get(reverse("register:index"))
    assert response.status_code == 403
    logged = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert len(logged) == 1
    (record,) = logged
    assert record.levelno == logging.WARNING and record.name == "django.request"
    assert record.getMessage() == f"Forbidden: GET /register/ (user {no_role_user.pk})"
    assert record.exc_info is None and "Traceback" not in caplog.text


def test_other_client_errors_are_logged_as_django_logs_them(client, officer, caplog):
    client.force_login(officer)
    with caplog.at_level(logging.INFO):
        assert client.get("/partnerships/999999/").status_code == 404
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.WARNING] == [
        "Not Found: /partnerships/999999/"]


def test_the_site_icon_is_served_where_browsers_look_for_it(client, settings):
    settings.WHITENOISE_USE_FINDERS = True  # as collectstatic's folder would, in production
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.ico"
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert icon["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert b"".join(icon.streaming_content).startswith(b"\x00\x00\x01\x00")  # an ICO's header


def test_pages_link_the_icon(officer_client):
    page = officer_client.get(reverse("register:index")).content.decode()
    assert '<link rel="icon" href="/static/favicon.ico"' in page
