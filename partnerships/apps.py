from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_migrate, post_save


def _sync_roles(sender, **kwargs):
    from partnerships.roles import sync_roles

    sync_roles()


def _lower(text):
    return text.lower() if isinstance(text, str) else text


def _unicode_lower_for_sqlite(sender, connection, **kwargs):
    """SQLite's own lower() folds only A-Z, so "DŴR" would never match "dŵr"; Python's folds
    every script. PostgreSQL's lower() already does (under a UTF-8 ctype)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("lower", 1, _lower, deterministic=True)


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = "Partnerships"

    def ready(self):
        # Permissions only exist once migrate has created them (app by app), so
        # the role groups are synchronised after migrate rather than in a
        # migration; listening to every app picks up later apps' permissions.
        post_migrate.connect(_sync_roles, dispatch_uid="partnerships.sync_roles")
        # The search column and case-insensitive sorting use lower(), so it must be the same
        # function in every connection, the migrations' included.
        connection_created.connect(_unicode_lower_for_sqlite, dispatch_uid="partnerships.unicode_lower")
        # With one council, everyone belongs to it (partnerships.councils).
        from django.contrib.auth import get_user_model

        from partnerships import councils
        from partnerships.models import Council

        post_save.connect(councils.join_the_only_council, sender=get_user_model(),
                          dispatch_uid="partnerships.join_the_only_council")
        post_save.connect(councils.first_council_takes_everyone, sender=Council,
                          dispatch_uid="partnerships.first_council_takes_everyone")
        m2m_changed.connect(councils.forget_council_ids, sender=Council.members.through,
                            dispatch_uid="partnerships.forget_council_ids")
        from partnerships.permissions import forget_role_names

        m2m_changed.connect(forget_role_names, sender=get_user_model().groups.through,
                            dispatch_uid="partnerships.forget_role_names")
