"""How django-axes reads a sign-in attempt (settings: AXES_USERNAME_CALLABLE)."""

from django.contrib.auth import get_user_model

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
