"""The register's roles, as Django groups, and the permissions each one holds.

DESIGN.md's role table is the source: lead members and scrutiny read; officers
register and edit partnerships; administrators also manage reference data and
users. Groups are (re)synchronised after every migrate so each database has them.
"""

from django.contrib.auth.models import Group, Permission

OFFICER = "Officer"
LEAD_MEMBER = "Lead member"
SCRUTINY = "Scrutiny"
ADMINISTRATOR = "Administrator"

ROLES = [OFFICER, LEAD_MEMBER, SCRUTINY, ADMINISTRATOR]

_READ = [
    "checklists.view_template",
    "checklists.view_section",
    "checklists.view_question",
    "partnerships.view_partnership",
    "partnerships.view_partnershipmember",
    "partnerships.view_council",
    "partnerships.view_organisation",
    "partnerships.view_theme",
]
_EDIT = [
    "partnerships.add_partnership",
    "partnerships.change_partnership",
    "partnerships.add_partnershipmember",
    "partnerships.change_partnershipmember",
    "partnerships.delete_partnershipmember",
]
_ADMINISTER = [
    "partnerships.delete_partnership",
    *(f"partnerships.{action}_{model}" for action in ("add", "change", "delete")
      for model in ("council", "organisation", "theme")),
    *(f"checklists.{action}_{model}" for action in ("add", "change", "delete")
      for model in ("template", "section", "question")),
    *(f"auth.{action}_{model}" for action in ("add", "change", "delete", "view")
      for model in ("user", "group")),
]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    LEAD_MEMBER: _READ,
    SCRUTINY: _READ,
    OFFICER: _READ + _EDIT,
    ADMINISTRATOR: _READ + _EDIT + _ADMINISTER,
}


def sync_roles() -> None:
    """Create the role groups and give each exactly the permissions in ROLE_PERMISSIONS."""
    wanted = {perm for perms in ROLE_PERMISSIONS.values() for perm in perms}
    by_name = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
        if f"{p.content_type.app_label}.{p.codename}" in wanted
    }
    for role, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([by_name[perm] for perm in perms if perm in by_name])
