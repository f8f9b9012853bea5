from django.apps import AppConfig

# Unlocking a sign-in that django-axes has locked is managing people's access:
# an administrator sees the attempts and deletes one to unlock it.
_UNLOCK = ["axes.view_accessattempt", "axes.delete_accessattempt", "axes.view_accesslog"]


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Sign-in"
    # Merged into the role groups by partnerships.roles.sync_roles().
    role_permissions = {"Administrator": _UNLOCK}
