"""The register's roles, as Django groups, and the permissions each one holds.

DESIGN.md's role table is the source: lead members and scrutiny read; officers
register and edit partnerships; administrators also manage reference data and
users. Groups are (re)synchronised after every migrate so each database has them.
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

OFFICER = "Officer"
LEAD_MEMBER = "Lead member"
SCRUTINY = "Scrutiny"
ADMINISTRATOR = "Administrator"

ROLES = [OFFICER, LEAD_MEMBER, SCRUTINY, ADMINISTRATOR]

# Who may lead a partnership or own an action: an officer or administrator (or a superuser)
# whose account is active. A condition on users, for choice lists and for the model's rule.
CAN_LEAD = Q(is_active=True) & (Q(groups__name__in=[OFFICER, ADMINISTRATOR]) | Q(is_superuser=True))
# Whose account may be named as a partnership's lead member: an active lead member's.
IS_LEAD_MEMBER = Q(is_active=True, groups__name=LEAD_MEMBER)

_READ = [
    "partnerships.view_partnership",
    "partnerships.view_partnershipmember",
    "partnerships.view_council",
    "partnerships.view_organisation",
    "partnerships.view_theme",
]
_EDIT = [
    "partnerships.add_partnership",
    "partnerships.add_organisation",  # a partner not yet on the list, from the partners page
    "partnerships.change_partnership",
    "partnerships.add_partnershipmember",
    "partnerships.change_partnershipmember",
    "partnerships.delete_partnershipmember",
]
# Administrators manage their councils' people, settings and reference data on the
# register's own pages (administration/), asked of `is_administrator` and the object rules:
# no Django permission of `auth` or `axes` is given, as the Django admin is for superusers.
# Deleting a partnership is for a superuser only (partnerships are closed, not deleted).
_ADMINISTER = [
    *(f"partnerships.{action}_{model}" for action in ("add", "change", "delete")
      for model in ("council", "organisation", "theme")),
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    LEAD_MEMBER: _READ,
    SCRUTINY: _READ,
    OFFICER: _READ + _EDIT,
    ADMINISTRATOR: _READ + _EDIT + _ADMINISTER,
}


def role_permissions() -> dict[str, set[str]]:
    """Every app's permissions per role: ROLE_PERMISSIONS here, plus each app config's
    `role_permissions`, so a higher app (checklists) adds its own without this one
    importing it."""
    merged = {role: set(perms) for role, perms in ROLE_PERMISSIONS.items()}
    for config in apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            merged[role] |= set(perms)
    return merged


def sync_roles() -> None:
    """Create the role groups and give each exactly the permissions its role has."""
    wanted_by_role = role_permissions()
    wanted = {perm for perms in wanted_by_role.values() for perm in perms}
    by_name = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
        if f"{p.content_type.app_label}.{p.codename}" in wanted
    }
    for role, perms in wanted_by_role.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([by_name[perm] for perm in perms if perm in by_name])
