"""Who may do what: every view asks here, so no view forgets a check."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from partnerships.roles import ADMINISTRATOR


def can_view_register(user) -> bool:
    return user.has_perm("partnerships.view_partnership")


def can_register_partnership(user) -> bool:
    return user.has_perm("partnerships.add_partnership")


def can_edit_partnership(user, partnership=None) -> bool:
    return user.has_perm("partnerships.change_partnership")


def can_add_organisation(user) -> bool:
    """Officers put a partner that is not on the list yet on the register, from a partnership."""
    return can_edit_partnership(user) and user.has_perm("partnerships.add_organisation")


def is_administrator(user) -> bool:
    return user.is_superuser or ADMINISTRATOR in {group.name for group in user.groups.all()}


def can_change_lead_officer(user, partnership) -> bool:
    """Handing over is for the current lead officer or an administrator (or anyone, on registering)."""
    if partnership.pk is None:
        return can_register_partnership(user)
    return can_edit_partnership(user, partnership) and (
        partnership.lead_officer_id == user.pk or is_administrator(user)
    )


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
