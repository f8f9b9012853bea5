"""Who belongs to which council.

A person belongs to one or more councils (`Council.members`; `user.councils`) and sees
the partnerships in which one of them takes part. Superusers belong to none and see
everything. Where the register serves one council, everyone belongs to it without anyone
setting it up: a new account joins the only council, and the first council takes in
every account there is. When a second council arrives, those memberships stay, so nobody
loses sight of what they saw; its own people are then given it by an administrator
(the administration site, or `manage.py set_councils`).
"""

from django.contrib.auth import get_user_model

from partnerships.models import Council


def only_council() -> Council | None:
    councils = list(Council.objects.all()[:2])
    return councils[0] if len(councils) == 1 else None


def join_the_only_council(sender, instance, created, raw=False, **kwargs):
    """post_save of a user: a new account joins the register's council, if it has only one."""
    if created and not raw and (council := only_council()) is not None:
        council.members.add(instance)


def first_council_takes_everyone(sender, instance, created, raw=False, **kwargs):
    """post_save of a council: the first council there is takes in every account."""
    if created and not raw and only_council() == instance:
        instance.members.add(*get_user_model().objects.all())


def forget_council_ids(sender, instance, action, reverse, **kwargs):
    """m2m_changed of council membership: a user object that read its councils reads them again."""
    if action.startswith("post_") and hasattr(instance, "_council_ids"):
        del instance._council_ids
