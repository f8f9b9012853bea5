"""Forgot your password?: an emailed link, lasting three days and working once, to choose a
new password; the page never says whether an account has that address."""

import re
from datetime import datetime, timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "harbour-lights-2027"


@pytest.fixture
def peter(lead_member):
    lead_member.email = "peter.bennett@harbourside.gov.uk"
    lead_member.save()
    return lead_member


def ask_for_a_reset(client, email="peter.bennett@harbourside.gov.uk"):
    return client.post(reverse("password_reset"), {"email": email})


def link_in(message) -> str:
    return re.search(r"https?://\S+", message.body).group()


def set_password(client, link, password=NEW_PASSWORD, again=None):
    """Follow the emailed link (which takes the token out of the address) and post the form."""
    form_page = client.get(link)
    assert form_page.status_code == 302
    return client.post(form_page.url, {"new_password1": password, "new_password2": again or password})


def signs_in(password, username="peter"):
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": password})
    return response.status_code == 302 and "_auth_user_id" in client.session


def test_the_sign_in_page_offers_it(client):
    body = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}">Forgot your password?</a>' in body


def test_it_emails_a_link_and_says_to_check_email(client, peter):
    response = ask_for_a_reset(client)
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    [message] = mail.outbox
    assert message.to == ["peter.bennett@harbourside.gov.uk"]
    assert message.subject == "Reset your Partnership Register password"
    assert "Your username is: peter" in message.body
    assert "The link lasts 3 days and works once." in message.body
    assert link_in(message).startswith("http://testserver/accounts/password-reset/")
    assert not message.alternatives  # plain text only
    done = client.get(response.url).content.decode()
    assert "Check your email" in done and "The link lasts 3 days" in done


def test_the_answer_is_the_same_whether_or_not_there_is_an_account(client, peter):
    known = ask_for_a_reset(Client())
    unknown = ask_for_a_reset(Client(), "nobody@harbourside.gov.uk")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert len(mail.outbox) == 1


def test_the_address_is_matched_whatever_its_case(client, peter):
    ask_for_a_reset(client, "Peter.Bennett@Harbourside.GOV.UK")
    assert mail.outbox[0].to == ["peter.bennett@harbourside.gov.uk"]


def test_an_inactive_account_gets_no_email(client, peter):
    peter.is_active = False
    peter.save()
    assert ask_for_a_reset(client).url == reverse("password_reset_done")
    assert mail.outbox == []


def test_each_account_with_the_address_gets_its_own_email_naming_it(client, peter):
    UserFactory(username="peter-scrutiny", email=peter.email)
    ask_for_a_reset(client)
    assert sorted(re.search(r"Your username is: (\S+)", m.body).group(1) for m in mail.outbox) == [
        "peter", "peter-scrutiny"]


@pytest.mark.parametrize("email, error", [
    ("", "Enter your email address"),
    ("peter at harbourside", "Enter an email address in the correct format, like name@example.gov.uk"),
])
def test_a_missing_or_malformed_address_is_explained(client, peter, email, error):
    response = ask_for_a_reset(client, email)
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Reset your password – Partnership Register</title>" in body
    assert f'<a href="#id_email">{error}</a>' in body
    assert 'id="id_email"' in body
    assert mail.outbox == []


def test_sending_the_form_again_and_again_sends_one_email_and_never_fails(client, peter):
    responses = [ask_for_a_reset(client) for _ in range(20)]
    assert {r.status_code for r in responses} == {302}
    assert len(mail.outbox) == 1


def test_another_email_may_be_sent_after_five_minutes(client, peter, settings):
    settings.PASSWORD_RESET_EMAIL_INTERVAL = 0  # as if five minutes had passed each time
    ask_for_a_reset(client)
    ask_for_a_reset(client)
    assert len(mail.outbox) == 2


def test_an_email_that_cannot_be_sent_gives_the_same_answer(client, peter, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    response = ask_for_a_reset(client)
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")


def test_the_link_sets_a_new_password_once(client, peter):
    ask_for_a_reset(client)
    link = link_in(mail.outbox[0])
    form = client.get(client.get(link).url)
    assert form.status_code == 200
    assert "Set your password" in form.content.decode()
    assert "Your username is <strong" in form.content.decode()

    response = set_password(client, link)
    assert response.status_code == 302
    assert response.url == reverse("password_reset_complete")
    assert signs_in(NEW_PASSWORD)
    assert not signs_in(PASSWORD)

    again = Client().get(link)
    body = again.content.decode()
    assert again.status_code == 200
    assert "<title>This link has expired or has been used – Partnership Register</title>" in body
    assert f'href="{reverse("password_reset")}"' in body
    peter.refresh_from_db()
    assert peter.check_password(NEW_PASSWORD)


def test_an_older_link_stops_working_when_a_newer_one_is_used(client, peter, settings):
    settings.PASSWORD_RESET_EMAIL_INTERVAL = 0
    ask_for_a_reset(client)
    ask_for_a_reset(client)
    first, second = (link_in(message) for message in mail.outbox)
    set_password(Client(), second)
    assert "has expired or has been used" in Client().get(first).content.decode()


def days_later(monkeypatch, days, seconds=0):
    """As if the link were followed `days` (and `seconds`) after it was made."""
    later = datetime.now() + timedelta(days=days, seconds=seconds)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)


def test_the_link_lasts_three_days(client, peter, monkeypatch):
    ask_for_a_reset(client)
    days_later(monkeypatch, 3, seconds=-60)
    assert client.get(link_in(mail.outbox[0])).status_code == 302


def test_the_link_expires_after_three_days(client, peter, monkeypatch):
    ask_for_a_reset(client)
    days_later(monkeypatch, 3, seconds=60)
    response = client.get(link_in(mail.outbox[0]))
    assert response.status_code == 200
    assert "has expired or has been used" in response.content.decode()


@pytest.mark.parametrize("path", [
    "/accounts/password-reset/MQ/not-a-token/",
    "/accounts/password-reset/bm9ib2R5/set-password/",
    "/accounts/password-reset/%00%ff/x/",
    "/accounts/password-reset/MTIzNDU2Nzg5MDEyMzQ1Njc4OTA/abc-def/",
])
def test_a_made_up_link_is_the_expired_link_page_never_a_500(client, peter, path):
    for method in (client.get, client.post):
        response = method(path)
        assert response.status_code == 200
        assert "has expired or has been used" in response.content.decode()


def test_the_password_rules_apply(client, peter):
    ask_for_a_reset(client)
    response = set_password(client, link_in(mail.outbox[0]), password="12345678")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Set your password – Partnership Register</title>" in body
    assert '<a href="#id_new_password1">This password is too common.</a>' in body
    assert '<a href="#id_new_password1">This password is entirely numeric.</a>' in body
    assert signs_in(PASSWORD)


def test_the_two_passwords_must_match(client, peter):
    ask_for_a_reset(client)
    response = set_password(client, link_in(mail.outbox[0]), again="harbour-lights-2028")
    assert '<a href="#id_new_password2">The passwords do not match' in response.content.decode()
    assert signs_in(PASSWORD)


def test_a_new_password_ends_a_sign_in_lockout(client, peter):
    for _ in range(5):
        Client().post(reverse("login"), {"username": "peter", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    locked = Client().post(reverse("login"), {"username": "peter", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1")
    assert locked.status_code == 429
    assert f'href="{reverse("password_reset")}">reset your password</a>' in locked.content.decode()

    ask_for_a_reset(client)
    complete = client.get(set_password(client, link_in(mail.outbox[0])).url)
    assert "it is unlocked now" in complete.content.decode()
    assert not AccessAttempt.objects.filter(username="peter").exists()
    signed_in = Client().post(reverse("login"), {"username": "peter", "password": NEW_PASSWORD},
                              REMOTE_ADDR="10.0.0.1")
    assert signed_in.status_code == 302


def test_a_lockout_of_someone_else_stays(client, peter, officer):
    for _ in range(5):
        Client().post(reverse("login"), {"username": "olivia", "password": "wrong"}, REMOTE_ADDR="10.0.0.1")
    ask_for_a_reset(client)
    set_password(client, link_in(mail.outbox[0]))
    assert AccessAttempt.objects.filter(username="olivia").exists()


def test_a_new_password_signs_out_the_account_elsewhere(client, peter):
    elsewhere = Client()
    elsewhere.force_login(peter)
    assert elsewhere.get(reverse("register:index")).status_code == 200
    ask_for_a_reset(client)
    set_password(client, link_in(mail.outbox[0]))
    assert elsewhere.get(reverse("register:index")).status_code == 302


def test_a_name_with_an_apostrophe_is_written_as_it_is(client, peter):
    peter.last_name = "O'Brien"
    peter.save()
    ask_for_a_reset(client)
    assert "Hello Peter O'Brien," in mail.outbox[0].body
