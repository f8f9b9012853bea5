from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in

# Unlocking a sign-in that django-axes has locked is managing people's access:
# an administrator sees the attempts and deletes one to unlock it.
_UNLOCK = ["axes.view_accessattempt", "axes.delete_accessattempt", "axes.view_accesslog"]


def _start_idle_period(sender, request, user, **kwargs):
    from accounts.sessions import session_touch

    session_touch(request.session, force=True)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Sign-in"
    # Merged into the role groups by partnerships.roles.sync_roles().
    role_permissions = {"Administrator": _UNLOCK}

    def ready(self):
        # A session's idle period starts when its person signs in (by whatever view),
        # so the first pages after that need not save the session again.
        user_logged_in.connect(_start_idle_period, dispatch_uid="accounts.start_idle_period")
