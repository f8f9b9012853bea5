"""Changes to people's accounts, each checked against `people.change_refusal` and recorded,
and to the councils themselves (a superuser's).

Services take plain values, so a page, a command or a test calls the same rules. A person
is never deleted (their history stays) and nobody sets another person's password: a new
person is sent a link to set their own (accounts.emails).
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from administration.models import ChangeRecord, state_version
from administration.people import (
    change_refusal,
    councils_administered_by,
    person_state,
    person_version,
    role_groups,
)
from common.people import display_name
from partnerships.models import Council
from partnerships.roles import ROLES


class AdministrationError(Exception):
    """A change refused, with the reason in words for the page (and the form field it is about, if one)."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field


STALE = ("{name}’s account was changed by someone else while you were working on it. "
         "It is shown as it is now: make your change again if it is still needed.")


def record(*, by, kind, summary, person=None, council=None, before=None, after=None) -> ChangeRecord:
    """Record one administration change."""
    return ChangeRecord.objects.create(
        made_by=by, made_by_name=display_name(by) if by else "The system", kind=kind, summary=summary[:500],
        person=person, council=council, before=before or {}, after=after or {},
    )


def _check_councils(by, councils) -> list:
    councils = list(councils)
    allowed = set(councils_administered_by(by).values_list("pk", flat=True))
    if not councils:
        raise AdministrationError("Select at least one council the person belongs to.")
    if any(council.pk not in allowed for council in councils):
        raise AdministrationError("You can only give people the councils you administer.")
    return councils


def _set_role(person, role: str) -> None:
    """One role per person: any other role is taken away."""
    if role not in ROLES:
        raise AdministrationError("Select one of the register’s roles.")
    person.groups.remove(*role_groups().exclude(name=role))
    person.groups.add(role_groups().get(name=role))


def _locked(person):
    """The person's row, locked until the change is saved, so two administrators' changes
    are made one after the other, the second seeing the first."""
    return get_user_model().objects.select_for_update().get(pk=person.pk)


@transaction.atomic
def person_add(*, by, username: str, first_name: str, last_name: str, email: str, role: str, councils):
    """Add a person with one role and some of `by`'s councils. They have no password until
    they set one from the emailed link."""
    councils = _check_councils(by, councils)
    User = get_user_model()
    if User.objects.filter(username__iexact=username).exists():
        raise AdministrationError(f"The username {username} is already taken: choose another.")
    try:
        with transaction.atomic():
            person = User(username=username, first_name=first_name, last_name=last_name, email=email)
            person.set_unusable_password()
            person.save()
    except IntegrityError:
        raise AdministrationError(f"The username {username} is already taken: choose another.") from None
    _set_role(person, role)
    person.councils.set(councils)
    record(by=by, kind=ChangeRecord.Kind.PERSON_ADDED, person=person, after=person_state(person),
           summary=f"Added {display_name(person)} ({username}) as {role}")
    return person


def _check(by, person, version):
    refusal = change_refusal(by, person)
    if refusal:
        raise AdministrationError(refusal)
    if version is not None and version != person_version(person):
        raise AdministrationError(STALE.format(name=display_name(person)))


@transaction.atomic
def person_change(*, by, person, version: str | None, first_name: str, last_name: str, email: str,
                  role: str, councils) -> list[ChangeRecord]:
    """Change a person's name, email, role and councils, recording each kind of change."""
    person = _locked(person)
    _check(by, person, version)
    councils = _check_councils(by, councils)
    before = person_state(person)
    person.first_name, person.last_name, person.email = first_name, last_name, email
    person.save(update_fields=["first_name", "last_name", "email"])
    _set_role(person, role)
    person.councils.set(councils)
    after = person_state(person)
    records = []
    details = ("first_name", "last_name", "email")
    if any(before[key] != after[key] for key in details):
        records.append(record(by=by, kind=ChangeRecord.Kind.DETAILS_CHANGED, person=person,
                              before={key: before[key] for key in details},
                              after={key: after[key] for key in details},
                              summary=f"Changed {display_name(person)}’s name or email"))
    if before["role"] != after["role"]:
        records.append(record(by=by, kind=ChangeRecord.Kind.ROLE_CHANGED, person=person,
                              before={"role": before["role"]}, after={"role": after["role"]},
                              summary=f"Changed {display_name(person)}’s role from {before['role'] or 'none'} "
                                      f"to {after['role']}"))
    if before["councils"] != after["councils"]:
        records.append(record(by=by, kind=ChangeRecord.Kind.COUNCILS_CHANGED, person=person,
                              before={"councils": before["councils"]}, after={"councils": after["councils"]},
                              summary=f"Changed {display_name(person)}’s councils to {', '.join(after['councils'])}"))
    return records


@transaction.atomic
def person_set_active(*, by, person, version: str | None, active: bool) -> ChangeRecord | None:
    """Deactivate (they can no longer sign in; nothing of theirs is deleted) or reactivate a person."""
    person = _locked(person)
    _check(by, person, version)
    if person.is_active == active:
        return None
    person.is_active = active
    person.save(update_fields=["is_active"])
    kind = ChangeRecord.Kind.REACTIVATED if active else ChangeRecord.Kind.DEACTIVATED
    return record(by=by, kind=kind, person=person, before={"active": not active}, after={"active": active},
                  summary=f"{'Reactivated' if active else 'Deactivated'} {display_name(person)}")


def person_invited(*, by, person) -> ChangeRecord:
    """Record that a set-password email was sent to `person` (by accounts.emails)."""
    return record(by=by, kind=ChangeRecord.Kind.INVITATION_SENT, person=person, after={"email": person.email},
                  summary=f"Sent {display_name(person)} a link to set their password")


@transaction.atomic
def lockout_lift(*, by, attempt, person) -> ChangeRecord:
    """Lift a sign-in lockout (delete django-axes' attempt record), recording it."""
    before = {"username": attempt.username, "ip_address": attempt.ip_address,
              "failures": attempt.failures_since_start,
              "last_try": f"{timezone.localtime(attempt.attempt_time):%-d %b %Y, %H:%M}"}
    deleted, _ = type(attempt).objects.filter(pk=attempt.pk).delete()
    if not deleted:
        raise AdministrationError("That lockout has already been lifted or has ended.")
    return record(by=by, kind=ChangeRecord.Kind.LOCKOUT_LIFTED, person=person, before=before,
                  after={"locked": False},
                  summary=f"Lifted the sign-in lockout of {attempt.username} from {attempt.ip_address or 'an unknown address'}")



# --- Councils (superusers add and rename them) -------------------------------------------

NAME_LENGTH = Council._meta.get_field("name").max_length
SHORT_NAME_LENGTH = Council._meta.get_field("short_name").max_length
TAKEN = "A council with that name or short name has just been added: give the council another one."
STALE_COUNCIL = ("{name} was renamed by someone else while you were working on it. It is shown as it is now: "
                 "rename it again if it is still needed.")


def council_state(council) -> dict:
    """What the council pages change of a council, as plain values."""
    return {"name": council.name, "short_name": council.short_name}


def council_version(council) -> str:
    """A digest of `council_state`: the rename form carries the one it was opened with."""
    return state_version(council_state(council))


def _only_superusers(by) -> None:
    if not by.is_superuser:
        raise AdministrationError("Only a superuser can add or rename councils.")


def _council_names(*, by, name: str, short_name: str, council=None) -> tuple[str, str]:
    """The names tidied (spaces collapsed) and checked: present, not too long,
    and neither used by another council in any case, since "harbourside" beside "Harbourside"
    in a list of councils is a mistake, never a second council."""
    name, short_name = " ".join(name.split()), " ".join(short_name.split())
    for field, value, most in (("name", name, NAME_LENGTH), ("short_name", short_name, SHORT_NAME_LENGTH)):
        label = "name" if field == "name" else "short name"
        if not value:
            raise AdministrationError(f"Enter the council’s {label}", field=field)
        if len(value) > most:
            raise AdministrationError(f"The council’s {label} must be {most} characters or fewer", field=field)
    others = Council.objects.exclude(pk=council.pk) if council is not None else Council.objects.all()
    if clash := others.filter(name__iexact=name).first():
        raise AdministrationError(f"{clash.name} is already on the register: give the council another name",
                                  field="name")
    if clash := others.filter(short_name__iexact=short_name).first():
        raise AdministrationError(f"{clash.name} already has the short name {clash.short_name}: "
                                  "give the council another short name", field="short_name")
    return name, short_name


@transaction.atomic
def council_add(*, by, name: str, short_name: str) -> Council:
    """Add a council (superusers only). Saved as any council is, so the first council there
    still takes in every account (partnerships.councils)."""
    _only_superusers(by)
    name, short_name = _council_names(by=by, name=name, short_name=short_name)
    try:
        with transaction.atomic():  # the same name sent twice at once: one adds, one is told
            council = Council.objects.create(name=name, short_name=short_name)
    except IntegrityError:
        raise AdministrationError(TAKEN) from None
    record(by=by, kind=ChangeRecord.Kind.COUNCIL_ADDED, council=council, after=council_state(council),
           summary=f"Added the council {name} ({short_name})")
    return council


@transaction.atomic
def council_rename(*, by, council, name: str, short_name: str, version: str | None = None) -> ChangeRecord | None:
    """Change a council's name and short name (superusers only); None if neither changed.
    Its people and partnerships stay as they are: they hold the council, not its name."""
    _only_superusers(by)
    council = Council.objects.select_for_update().get(pk=council.pk)
    if version is not None and version != council_version(council):
        raise AdministrationError(STALE_COUNCIL.format(name=council.name))
    name, short_name = _council_names(by=by, name=name, short_name=short_name, council=council)
    before = council_state(council)
    if before == {"name": name, "short_name": short_name}:
        return None
    council.name, council.short_name = name, short_name
    try:
        with transaction.atomic():
            council.save(update_fields=["name", "short_name"])
    except IntegrityError:
        raise AdministrationError(TAKEN) from None
    return record(by=by, kind=ChangeRecord.Kind.COUNCIL_RENAMED, council=council, before=before,
                  after=council_state(council), summary=f"Renamed {before['name']} to {name}"
                  if before["name"] != name else f"Changed {name}’s short name to {short_name}")

