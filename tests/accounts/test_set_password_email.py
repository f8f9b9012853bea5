"""A person an administrator adds is emailed their username and a link to set their own
password (accounts.emails.send_set_password_email)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.emails import link_lifetime, send_set_password_email
from partnerships.roles import OFFICER
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "harbour-lights-2027"


@pytest.fixture
def new_person(db):
    """As an administrator adds a person: no password until they set one."""
    user = UserFactory(username="nadia", first_name="Nadia", last_name="Rahman", email="nadia.rahman@harbourside.gov.uk",
                       role=OFFICER)
    user.set_unusable_password()
    user.save()
    return user


def link_in(message) -> str:
    return re.search(r"https?://\S+/accounts/password-reset/\S+", message.body).group()


def test_it_emails_the_person_their_username_and_a_link(rf, new_person):
    send_set_password_email(user=new_person, request=rf.get("/manage/people/new/"))
    [message] = mail.outbox
    assert message.to == ["nadia.rahman@harbourside.gov.uk"]
    assert message.subject == "You have an account on the Partnership Register"
    assert message.from_email == "Partnership Register <noreply@localhost>"
    assert "Hello Nadia Rahman," in message.body
    assert "Your username is: nadia" in message.body
    assert link_in(message).startswith("http://testserver/accounts/password-reset/")
    assert "The link lasts 3 days and works once." in message.body
    assert 'sign-in page, http://testserver/accounts/login/, choose "Forgot your password?"' in message.body
    assert not message.alternatives


def test_the_link_is_built_from_the_request_so_https_stays_https(rf, new_person):
    send_set_password_email(user=new_person, request=rf.get("/", secure=True, HTTP_HOST="localhost"))
    assert link_in(mail.outbox[0]).startswith("https://localhost/accounts/password-reset/")


def test_the_link_lets_them_set_a_password_and_sign_in_once(client, rf, new_person):
    assert not new_person.has_usable_password()
    send_set_password_email(user=new_person, request=rf.get("/"))
    link = link_in(mail.outbox[0])

    form_page = client.get(link)
    assert form_page.status_code == 302
    form = client.get(form_page.url)
    assert "Set your password" in form.content.decode()
    assert "nadia" in form.content.decode()
    done = client.post(form_page.url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert done.url == reverse("password_reset_complete")
    assert "Your password is set" in client.get(done.url).content.decode()

    signing_in = Client()
    assert signing_in.post(reverse("login"), {"username": "nadia", "password": PASSWORD}).status_code == 302
    assert "_auth_user_id" in signing_in.session

    again = Client().get(link)
    assert again.status_code == 200
    assert "This link has expired or has been used" in again.content.decode()
    assert "Get a new link" in again.content.decode()


def test_a_person_whose_link_has_expired_can_ask_for_another(client, new_person):
    """The email says to use Forgot your password?, so it must work without a usable password."""
    client.post(reverse("password_reset"), {"email": "nadia.rahman@harbourside.gov.uk"})
    [message] = mail.outbox
    assert "Your username is: nadia" in message.body


def test_the_arguments_are_named(rf, new_person):
    with pytest.raises(TypeError):
        send_set_password_email(new_person, rf.get("/"))


def test_a_person_without_an_email_address_is_refused(rf, new_person):
    new_person.email = ""
    with pytest.raises(ValueError, match="nadia has no email address"):
        send_set_password_email(user=new_person, request=rf.get("/"))
    assert mail.outbox == []


def test_a_failure_to_send_is_raised_for_the_caller_to_report(rf, new_person, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1  # nothing listens
    with pytest.raises(OSError):
        send_set_password_email(user=new_person, request=rf.get("/"))


@pytest.mark.parametrize("seconds, words", [(3 * 86400, "3 days"), (86400, "1 day"), (7200, "2 hours"),
                                            (5400, "90 minutes"), (90, "90 seconds")])
def test_the_link_lifetime_is_said_in_words(settings, seconds, words):
    settings.PASSWORD_RESET_TIMEOUT = seconds
    assert link_lifetime() == words


def test_a_new_person_made_by_create_user_without_a_password_can_use_the_link(client, rf):
    user = get_user_model().objects.create_user("omar", email="omar@harbourside.gov.uk")
    send_set_password_email(user=user, request=rf.get("/"))
    form_page = client.get(link_in(mail.outbox[0]))
    response = client.post(form_page.url, {"new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
