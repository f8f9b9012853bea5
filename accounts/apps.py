from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


def _start_idle_period(sender, request, user, **kwargs):
    from accounts.sessions import session_touch

    session_touch(request.session, force=True)


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Sign-in"

    def ready(self):
        # A session's idle period starts when its person signs in (by whatever view),
        # so the first pages after that need not save the session again.
        user_logged_in.connect(_start_idle_period, dispatch_uid="accounts.start_idle_period")
