"""Who may do what: every view asks here, so no view forgets a check."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def can_view_register(user) -> bool:
    return user.has_perm("partnerships.view_partnership")


def can_register_partnership(user) -> bool:
    return user.has_perm("partnerships.add_partnership")


def can_edit_partnership(user, partnership=None) -> bool:
    return user.has_perm("partnerships.change_partnership")


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
