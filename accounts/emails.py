"""The emails the register sends people about their accounts, in plain text.

The password reset a person asks for carries a link to set a password (Django's
password reset confirm page, with a token from `default_token_generator`). The link
lasts PASSWORD_RESET_TIMEOUT and works once.
"""

from django.conf import settings

SERVICE_NAME = "Partnership Register"


def link_lifetime() -> str:
    """How long a set-password link lasts, in words ("3 days", "1 hour", "90 minutes")."""
    seconds = settings.PASSWORD_RESET_TIMEOUT
    for unit, length in (("day", 24 * 60 * 60), ("hour", 60 * 60), ("minute", 60)):
        if seconds >= length and seconds % length == 0:
            count = seconds // length
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{seconds} seconds"
