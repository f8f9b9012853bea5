from django.apps import AppConfig


class AdministrationConfig(AppConfig):
    """Council administration as pages of the register: people, sign-in lockouts, councils
    and reference data, each change recorded. It reads the apps below it (partnerships,
    checklists, accounts); nothing below imports it."""

    name = "administration"
    verbose_name = "Council administration"
    # Merged into the role groups by partnerships.roles.sync_roles().
    role_permissions = {"Administrator": ["administration.administer_councils"]}
