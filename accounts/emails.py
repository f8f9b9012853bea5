"""Emails to people about their accounts (a placeholder until the password-reset work lands)."""

from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


def send_set_password_email(*, user, request) -> None:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = request.build_absolute_uri(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}))
    send_mail("You have an account on the Partnership Register",
              f"Your username is {user.get_username()}.\n\nSet your password: {link}\n", None, [user.email])
