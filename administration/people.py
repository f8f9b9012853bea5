"""Whom a council administrator sees and may change: the one place that decides it.

An administrator sees the people who belong to one of their councils (a superuser sees
everyone), as `Partnership.objects.visible_to` decides which partnerships a person sees.
Of those, they may change a person only if every council the person belongs to is one of
theirs: a person shared with a council they do not administer is shown, read-only, with
who can change them. Nobody changes their own account here, and only a superuser changes
a superuser's (in the Django admin).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from administration.models import state_version
from common.people import display_name
from partnerships.models import Council, council_ids_of
from partnerships.permissions import is_administrator
from partnerships.roles import ADMINISTRATOR, ROLES

Membership = Council.members.through


def people_visible_to(user) -> QuerySet:
    """The people `user` may see on the administration pages: none unless they administer."""
    people = get_user_model().objects.all()
    if not user.is_authenticated or not is_administrator(user):
        return people.none()
    if user.is_superuser:
        return people
    councils = Membership.objects.filter(user=user).values("council_id")
    return people.filter(pk__in=Membership.objects.filter(council__in=councils).values("user_id"))


def councils_administered_by(user) -> QuerySet:
    """The councils `user` may give people, and whose settings they change."""
    if not user.is_authenticated or not is_administrator(user):
        return Council.objects.none()
    if user.is_superuser:
        return Council.objects.all()
    return Council.objects.filter(pk__in=council_ids_of(user))


def role_of(person) -> str | None:
    """The person's one role (partnerships.roles.ROLES), or None."""
    names = [group.name for group in person.groups.all() if group.name in ROLES]
    return names[0] if names else None


def change_refusal(user, person) -> str | None:
    """Why `user` may not change `person`'s account here, in words for the page; None if they may.

    Asked only of a person `user` can see (`people_visible_to`)."""
    name = display_name(person)
    if not is_administrator(user):
        return "Only an administrator can change people’s accounts."
    if person.pk == user.pk:
        return "You cannot change your own account here: another administrator of your council can."
    if person.is_superuser:
        return f"{name} is a superuser: their account is changed in the operator’s administration site."
    if user.is_superuser:
        return None
    # Read through .all(), so a list that prefetched people's councils asks no more queries.
    others = sorted((council.name for council in person.councils.all() if council.pk not in council_ids_of(user)))
    if others:
        names = ", ".join(others)
        return (f"{name} also belongs to {names}, which you do not administer: an administrator of every "
                "council they belong to, or a superuser, can change their account.")
    return None


def may_change(user, person) -> bool:
    return change_refusal(user, person) is None


def who_can_change(person) -> list:
    """The active administrators who may change `person` (of every council they belong to)."""
    councils = list(person.councils.values_list("pk", flat=True))
    if not councils:
        return []
    return list(
        get_user_model().objects.filter(is_active=True, groups__name=ADMINISTRATOR, councils__in=councils)
        .exclude(pk=person.pk).annotate(shared=Count("councils", filter=Q(councils__in=councils), distinct=True))
        .filter(shared=len(councils)).order_by("first_name", "last_name", "username").distinct()
    )


def person_state(person) -> dict:
    """What the administration pages change of a person, as plain values (for change records
    and for noticing that someone else changed them meanwhile)."""
    return {
        "first_name": person.first_name,
        "last_name": person.last_name,
        "email": person.email,
        "role": role_of(person),
        "councils": sorted(person.councils.values_list("name", flat=True)),
        "active": person.is_active,
    }


def person_version(person) -> str:
    """A digest of `person_state`: a form carries the one it was opened with."""
    return state_version(person_state(person))


def role_groups() -> QuerySet:
    return Group.objects.filter(name__in=ROLES)


# --- Sign-in lockouts (django-axes) -----------------------------------------------------

def locked_attempts() -> QuerySet:
    """The sign-in attempts that lock a username out now (django-axes' database handler)."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
                                        attempt_time__gte=since)


def lockouts_visible_to(user) -> QuerySet:
    """The lockouts of the people `user` sees: another council's are never shown. A superuser
    also sees those of usernames that are nobody's account."""
    attempts = locked_attempts()
    if not user.is_authenticated or not is_administrator(user):
        return attempts.none()
    if user.is_superuser:
        return attempts
    return attempts.filter(username__in=people_visible_to(user).values("username"))
