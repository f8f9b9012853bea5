from django.apps import AppConfig

_READ = [
    "checklists.view_template", "checklists.view_section", "checklists.view_question",
    "checklists.view_assessment", "checklists.view_answer",
]
_WORK = ["checklists.add_assessment", "checklists.change_assessment", "checklists.add_answer",
         "checklists.change_answer"]
_ADMINISTER = [
    f"checklists.{action}_{model}"
    for action in ("add", "change", "delete")
    for model in ("template", "section", "question")
]  # each council's assurance policy is set on the Manage pages (administration/)


class ChecklistsConfig(AppConfig):
    name = "checklists"
    verbose_name = "Checklists"
    # Merged into the role groups by partnerships.roles.sync_roles().
    role_permissions = {
        "Lead member": _READ,
        "Scrutiny": _READ,
        "Officer": _READ + _WORK,
        "Administrator": _READ + _WORK + _ADMINISTER,
    }
