from django.apps import AppConfig

_PACKS = ["register.view_scrutinypack", "register.add_scrutinypack"]


class RegisterConfig(AppConfig):
    name = "register"
    verbose_name = "Register"
    # Merged into the role groups by partnerships.roles.sync_roles(). Everyone who
    # reads the register may build a scrutiny pack: packs hold only approved
    # assessments and register entries. Requesters may delete their own packs.
    # Importing the register from a file is for administrators (issue 16).
    role_permissions = {
        "Lead member": _PACKS,
        "Scrutiny": _PACKS,
        "Officer": _PACKS,
        "Administrator": [*_PACKS, "register.delete_scrutinypack", "register.add_registerimport"],
    }
