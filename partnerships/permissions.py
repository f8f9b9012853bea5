"""Who may do what: the role checks views are gated by, and thin names for object rules.

What a person may see is `Partnership.objects.visible_to(user)`; what they may do to one
object is a rule in register/rules.py. The functions here that take an object only name
such a rule, for the callers (form, service, admin) that ask it often.
"""

from functools import wraps

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from partnerships.models import may_read_register
from partnerships.roles import ADMINISTRATOR

can_view_register = may_read_register


def can_register_partnership(user) -> bool:
    return user.has_perm("partnerships.add_partnership")


def can_edit_partnership(user, partnership) -> bool:
    """Whether `user` may change this partnership's register entry and partners."""
    return rules.has_perm("partnerships.edit_partnership", user, partnership)


def can_change_lead_officer(user, partnership) -> bool:
    """Handing over is for the current lead officer or an administrator (or anyone, on registering)."""
    return rules.has_perm("partnerships.change_lead_officer", user, partnership)


def is_administrator(user) -> bool:
    return user.is_superuser or ADMINISTRATOR in {group.name for group in user.groups.all()}


def user_passes(check):
    """Send anonymous users to log in; refuse signed-in users who fail `check` with 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
