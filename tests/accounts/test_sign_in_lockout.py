"""Failed sign-ins are throttled per username and address (django-axes, in the database)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LIMIT = 5


def sign_in(client, password, username="peter", address="10.0.0.1", **data):
    return client.post("/accounts/login/", {"username": username, "password": password, **data},
                       REMOTE_ADDR=address)


def lock(client, username="peter", address="10.0.0.1"):
    for _ in range(LIMIT):
        sign_in(client, "wrong", username=username, address=address)


def signed_in(client):
    return "_auth_user_id" in client.session


def test_it_answers_every_wrong_password_but_the_right_one_no_longer_works(client, lead_member):
    responses = [sign_in(client, "wrong") for _ in range(60)]
    assert all(r.status_code in (200, 429) for r in responses)
    response = sign_in(client, PASSWORD)
    assert response.status_code == 429
    assert not signed_in(client)


def test_it_locks_after_five_failures_not_before(client, lead_member):
    for _ in range(LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200
    assert sign_in(client, "wrong").status_code == 429
    assert sign_in(client, PASSWORD).status_code == 429
    assert not signed_in(client)


def test_the_lockout_is_the_sign_in_page_saying_why_and_for_how_long(client, lead_member):
    lock(client)
    response = sign_in(client, PASSWORD)
    body = response.content.decode()
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    assert "<title>Error: Sign in – Partnership Register</title>" in body
    assert "There is a problem" in body and 'class="govuk-error-summary"' in body
    assert "signing in as this user is locked for 15 minutes" in body
    assert "ask a register administrator to unlock your account" in body
    assert 'value="peter"' in body
    assert 'name="password"' in body


def test_the_lockout_page_keeps_a_safe_next_page_and_drops_another_site(client, lead_member):
    lock(client)
    assert 'value="/partnerships/1/"' in sign_in(client, PASSWORD, next="/partnerships/1/").content.decode()
    assert "evil.example" not in sign_in(client, PASSWORD, next="https://evil.example/").content.decode()


def test_it_counts_per_username_and_address(client, lead_member, officer):
    lock(client)
    assert sign_in(Client(), PASSWORD, username="olivia").status_code == 302  # another user, same address
    assert sign_in(Client(), PASSWORD, address="10.0.0.2").status_code == 302  # same user, another address
    assert sign_in(client, PASSWORD).status_code == 429


def test_a_successful_sign_in_starts_the_count_again(client, lead_member):
    for _ in range(LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 302


def test_the_lock_ends_after_fifteen_minutes(client, lead_member):
    lock(client)
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=15, seconds=1))
    assert sign_in(client, PASSWORD).status_code == 302
    assert signed_in(client)


def test_an_unknown_username_is_locked_too_so_the_page_tells_nothing(client):
    lock(client, username="nobody")
    assert sign_in(client, "anything", username="nobody").status_code == 429


def test_the_django_admin_has_no_sign_in_of_its_own(client, administrator):
    """Its sign-in sends to the register's, which is throttled (and has password reset)."""
    response = client.post("/admin/login/?next=/admin/", {"username": "ada", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not signed_in(client)


def test_an_administrator_lifts_a_lockout_on_the_manage_pages(client, lead_member, administrator):
    lock(client)
    admin = Client()
    admin.force_login(administrator)
    listing = admin.get(reverse("manage:lockouts"))
    assert "peter" in listing.content.decode()
    attempt = AccessAttempt.objects.get(username="peter")
    response = admin.post(reverse("manage:lockout_lift", args=[attempt.pk]))
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, PASSWORD).status_code == 302
    assert signed_in(client)


def test_no_role_holds_a_permission_of_axes_or_auth(db):
    """The Django admin is a superuser's: no role is given what it would need there."""
    for group in Group.objects.all():
        assert not group.permissions.filter(content_type__app_label__in=["axes", "auth"]).exists()


def test_an_officer_cannot_unlock(client, lead_member, officer):
    lock(client)
    officer_client = Client()
    officer_client.force_login(UserFactory(username="staffofficer", role="Officer", is_staff=True))
    attempt = AccessAttempt.objects.get(username="peter")
    assert officer_client.post(reverse("manage:lockout_lift", args=[attempt.pk])).status_code == 403
    response = officer_client.post(reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert AccessAttempt.objects.filter(pk=attempt.pk).exists()


@pytest.mark.parametrize("data", [
    {"username": "peter", "password": "wrong", "next": "/register/\x00"},
    {"username": "peter\x00", "password": "wrong"},
    {"username": "p" * 5000, "password": "wrong"},
    {"username": "peter", "password": "wrong", "extra": "\x00" * 10},
    {"username": ["peter", "olivia"], "password": ["a", "b"]},
    {},
])
def test_odd_sign_in_input_is_counted_or_refused_never_a_500(client, lead_member, data):
    for _ in range(LIMIT + 1):
        response = client.post("/accounts/login/?next=%00", data, REMOTE_ADDR="10.0.0.1")
        assert response.status_code in (200, 429)
