"""How django-axes reads a sign-in attempt (settings: AXES_USERNAME_CALLABLE), and how
often one account may be sent a password reset email."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

_USERNAME_LENGTH = get_user_model()._meta.get_field("username").max_length


def attempted_username(request, credentials=None):
    """The username an attempt is counted against: as typed, cut to the longest a username
    can be. The sign-in form does not refuse a longer one before trying it, and axes would
    fail to record it (a 500 on PostgreSQL, whose column has a limit)."""
    if credentials:
        username = credentials.get("username")
    else:
        username = getattr(request, "data", request.POST).get("username")
    return None if username is None else str(username)[:_USERNAME_LENGTH]


def reset_email_allowed(user) -> bool:
    """Whether `user` may be sent a password reset email now: at most one every
    PASSWORD_RESET_EMAIL_INTERVAL seconds, so sending the form again and again (by a
    person unsure it worked, or by someone filling another's inbox) sends no more.
    Counted in each process's own cache: with several workers, one each at most."""
    return cache.add(f"password-reset-email:{user.pk}", True, settings.PASSWORD_RESET_EMAIL_INTERVAL)
