"""Who may do what: the role checks views are gated by, and thin names for object rules.

What a person may see is `Partnership.objects.visible_to(user)`; what they may do to one
object is a rule in register/rules.py. The functions here that take an object only name
such a rule, for the callers (form, service, admin) that ask it often.
"""

import rules

from partnerships.models import may_read_register
from partnerships.roles import ADMINISTRATOR

can_view_register = may_read_register


def can_register_partnership(user) -> bool:
    return user.has_perm("partnerships.add_partnership")


def can_edit_partnership(user, partnership) -> bool:
    """Whether `user` may change this partnership's register entry and partners."""
    return rules.has_perm("partnerships.edit_partnership", user, partnership)


def can_change_lead_officer(user, partnership) -> bool:
    """Handing over is for the current lead officer or an administrator (or anyone, on registering)."""
    return rules.has_perm("partnerships.change_lead_officer", user, partnership)


def is_administrator(user) -> bool:
    """A superuser, or a member of the Administrator group (read once per user object, as
    a page may ask several times)."""
    if user.is_superuser:
        return True
    if not hasattr(user, "_role_names"):
        user._role_names = set(user.groups.values_list("name", flat=True)) if user.is_authenticated else set()
    return ADMINISTRATOR in user._role_names


def forget_role_names(sender, instance, action, reverse, **kwargs):
    """m2m_changed of a person's groups: a user object that read its roles reads them again."""
    if action.startswith("post_") and hasattr(instance, "_role_names"):
        del instance._role_names
