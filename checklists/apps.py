from django.apps import AppConfig

_READ = ["checklists.view_template", "checklists.view_section", "checklists.view_question"]
_ADMINISTER = [
    f"checklists.{action}_{model}"
    for action in ("add", "change", "delete")
    for model in ("template", "section", "question")
]


class ChecklistsConfig(AppConfig):
    name = "checklists"
    verbose_name = "Checklists"
    # Merged into the role groups by partnerships.roles.sync_roles().
    role_permissions = {
        "Lead member": _READ,
        "Scrutiny": _READ,
        "Officer": _READ,
        "Administrator": _READ + _ADMINISTER,
    }
