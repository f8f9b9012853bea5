from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs):
    from partnerships.roles import sync_roles

    sync_roles()


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Partnerships"

    def ready(self):
        # Permissions only exist once migrate has created them (app by app), so
        # the role groups are synchronised after migrate rather than in a
        # migration; listening to every app picks up later apps' permissions.
        post_migrate.connect(_sync_roles, dispatch_uid="partnerships.sync_roles")
