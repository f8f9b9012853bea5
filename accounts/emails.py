"""The emails the register sends people about their accounts, in plain text.

Both carry a link to set a password (Django's password reset confirm page, with a
token from `default_token_generator`): the password reset a person asks for, and the
email a person gets when an administrator adds them. The link lasts
PASSWORD_RESET_TIMEOUT and works once.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

SERVICE_NAME = "Partnership Register"


def link_lifetime() -> str:
    """How long a set-password link lasts, in words ("3 days", "1 hour", "90 minutes")."""
    seconds = settings.PASSWORD_RESET_TIMEOUT
    for unit, length in (("day", 24 * 60 * 60), ("hour", 60 * 60), ("minute", 60)):
        if seconds >= length and seconds % length == 0:
            count = seconds // length
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"


def set_password_path(user) -> str:
    """The path of the page where `user` sets a password, with a token valid until they do."""
    return reverse("password_reset_confirm", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    })


def render_email(*, subject_template: str, body_template: str, context: dict) -> tuple[str, str]:
    """The subject (one line, as email needs) and body of an email from its two templates."""
    subject = "".join(render_to_string(subject_template, context).splitlines())
    return subject, render_to_string(body_template, context)


def send_set_password_email(*, user, request) -> None:
    """Email a person an administrator has just added: their username and a link to set
    their own password (nobody else ever sets it). Works for a user whose password is
    unusable (`set_unusable_password()`), as a new person's is.

    The link is absolute, built from `request` (its host and scheme). Raises ValueError
    if the user has no email address, and whatever the email backend raises if sending
    fails (SMTPException, OSError), so the caller can tell the administrator.
    """
    if not user.email:
        raise ValueError(f"{user.get_username()} has no email address to send a link to.")
    subject, body = render_email(
        subject_template="registration/set_password_subject.txt",
        body_template="registration/set_password_email.txt",
        context={
            "service_name": SERVICE_NAME,
            "user": user,
            "username": user.get_username(),
            "set_password_url": request.build_absolute_uri(set_password_path(user)),
            "sign_in_url": request.build_absolute_uri(reverse("login")),
            "link_lasts": link_lifetime(),
        },
    )
    send_mail(subject, body, None, [user.email])
