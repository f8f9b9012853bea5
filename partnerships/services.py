"""Writes to the register: each a plain function taking plain values, so a form, an
import or the shell can call it and the same rules apply.

Every write goes through `save()`, never `.update()`, so django-simple-history
records it with who made it; `history_paused` folds the several writes of one
change (the row, then its councils and themes) into one history record.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from partnerships.models import (
    Organisation,
    Partnership,
    PartnershipMember,
    Risk,
    council_ids_of,
    history_paused,
    reference_for,
)
from partnerships.permissions import can_change_lead_officer


class RegisterError(Exception):
    """A change the register refuses; the message says why, for the page."""


class StaleEdit(RegisterError):
    """Someone else saved the same record since this person opened it."""


STALE_MESSAGE = (
    "Someone else saved this {what} after you opened it. Your changes have not been saved: "
    "they are still on this page. Copy anything you need, then reload the page to see the latest version."
)


def claim_version(model, *, pk: int, version: int, what: str) -> None:
    """Move the row's version on by one if it is still `version`, or raise StaleEdit.

    One conditional UPDATE, so of two saves from the same version exactly one
    wins (the other waits for the row lock, then finds the version moved on).
    """
    if not model.objects.filter(pk=pk, version=version).update(version=F("version") + 1):
        raise StaleEdit(STALE_MESSAGE.format(what=what))


def _apply(partnership: Partnership, data: dict) -> dict:
    """Set the plain fields in `data` on `partnership`; return the many-to-many ones to set after saving."""
    many = {field.name for field in Partnership._meta.many_to_many}
    for name, value in data.items():
        if name not in many:
            setattr(partnership, name, value)
    return {name: value for name, value in data.items() if name in many}


def _validate(partnership: Partnership, many: dict) -> None:
    """The entry's own rules (`Partnership.clean` and each field's), as a form would ask them,
    so an import or the shell cannot save what the form would refuse. Uniqueness and the
    constraints are the database's to refuse."""
    partnership.full_clean(validate_unique=False, validate_constraints=False)
    if "councils" in many and not many["councils"]:
        raise ValidationError({"councils": "Select at least one council taking part."})


def councils_taking_part(user, chosen, stored=()) -> list:
    """The councils taking part once `user` has chosen `chosen`: a person chooses among their
    own councils; councils of others already taking part stay, theirs to change. (A superuser
    chooses among all.)"""
    if user.is_superuser:
        return list(chosen)
    own = council_ids_of(user)
    refused = [council.name for council in chosen if council.pk not in own]
    if refused:
        raise ValidationError({"councils": f"You can only choose your own councils: {', '.join(refused)} "
                                           f"{'is' if len(refused) == 1 else 'are'} not one of yours."})
    return [*chosen, *(council for council in stored if council.pk not in own)]


def _save_with_history(partnership: Partnership, many: dict, user, reason: str) -> None:
    with history_paused(partnership):
        partnership.save()
        for name, values in many.items():
            getattr(partnership, name).set(values)
    # One record, with the councils and themes as they now are.
    partnership._history_user = user
    partnership._change_reason = reason
    partnership.save(update_fields=["updated_at"])


@transaction.atomic
def partnership_register(*, data: dict, user, reference: str | None = None, reason: str = "Registered"
                         ) -> Partnership:
    """Register a new partnership from `data` (field name → value) once screening has passed.

    Raises ValidationError, by field, for an entry the register's rules refuse (no council, no
    next review date for a partnership not closed, a lead officer who is not an officer, a lead
    officer or lead member of no council taking part).

    `reference` keeps a reference this register gave before (an import of its own export into
    another database): the partnership takes the number as its key too, as `reference_for`
    derives every reference, so no partnership registered later can be given it again.
    """
    partnership = Partnership(created_by=user, screening_confirmed_at=timezone.now())
    if reference is not None:
        number = reference_number(reference)
        if number is None:
            raise ValidationError({"reference": f"“{reference}” is not a reference this register gives."})
        partnership.pk, partnership.reference = number, reference
    many = {"councils": [], **_apply(partnership, data)}
    many["councils"] = councils_taking_part(user, many["councils"])
    _validate(partnership, many)
    partnership.check_people_take_part(many["councils"])
    _save_with_history(partnership, many, user, reason)
    return partnership


def reference_number(reference: str) -> int | None:
    """The number of a reference as `reference_for` writes it (P-0012 → 12); None for any other text."""
    digits = reference[2:] if reference.startswith("P-") else ""
    if not digits.isascii() or not digits.isdigit() or int(digits) == 0:
        return None
    return int(digits) if reference_for(int(digits)) == reference else None


@transaction.atomic
def partnership_update(*, partnership: Partnership, data: dict, version: int, user,
                       reason: str = "Changed the register entry") -> Partnership:
    """Change a partnership's register entry, if nobody has saved it since `version` was read.

    Handing the partnership to another lead officer is for the current lead
    officer or an administrator: otherwise any officer could make themselves
    lead officer to approve an assessment.
    """
    claim_version(Partnership, pk=partnership.pk, version=version, what="partnership")
    # Asked of the row as stored (now locked), not of `partnership`, which a bound form
    # may already have changed.
    stored = Partnership.objects.get(pk=partnership.pk)
    new_lead = data.get("lead_officer")
    if new_lead is not None and new_lead.pk != stored.lead_officer_id and not can_change_lead_officer(user, stored):
        raise RegisterError(
            "Only the partnership’s lead officer or an administrator can change who the lead officer is."
        )
    many = _apply(partnership, data)
    if "councils" in many:
        many["councils"] = councils_taking_part(user, many["councils"], stored.councils.all())
    _validate(partnership, many)
    partnership.check_people_take_part(many.get("councils", stored.councils.all()))
    partnership.version = version + 1
    _save_with_history(partnership, many, user, reason)
    return partnership


@transaction.atomic
def partner_add(*, partnership: Partnership, organisation, role: str, user) -> PartnershipMember:
    """Add `organisation` to the partnership's partners, in `role`."""
    if PartnershipMember.objects.filter(partnership=partnership, organisation=organisation).exists():
        raise RegisterError(f"{organisation.name} is already a partner.")
    member = PartnershipMember(partnership=partnership, organisation=organisation, role=role)
    member._history_user = user
    try:
        with transaction.atomic():  # the same form sent twice at once: one adds, one is told
            member.save()
    except IntegrityError:
        raise RegisterError(f"{organisation.name} is already a partner.") from None
    return member


@transaction.atomic
def organisation_add_as_partner(*, partnership: Partnership, name: str, sector: str, role: str, user
                                ) -> PartnershipMember:
    """Put a new organisation on the register and make it a partner of `partnership`."""
    name = " ".join(name.split())
    if Organisation.objects.filter(name__iexact=name).exists():
        raise RegisterError(f"{name} is already on the register: choose it from the list of organisations.")
    organisation = Organisation.objects.create(name=name, sector=sector)
    return partner_add(partnership=partnership, organisation=organisation, role=role, user=user)


@transaction.atomic
def partner_remove(*, membership: PartnershipMember, user) -> None:
    membership._history_user = user
    membership.delete()


@transaction.atomic
def partners_set(*, partnership: Partnership, partners: dict, user, reason: str) -> None:
    """Make the partnership's partners exactly `partners` (organisation → role): add, remove,
    change a role, each recorded in the partners' history with `reason`; one already there
    in the same role is left alone."""
    current = {member.organisation_id: member for member in partnership.memberships.all()}
    wanted = {organisation.pk: (organisation, role) for organisation, role in partners.items()}
    for organisation_id, member in current.items():
        if organisation_id not in wanted:
            member._history_user, member._change_reason = user, reason
            member.delete()
        elif member.role != wanted[organisation_id][1]:
            member.role = wanted[organisation_id][1]
            member._history_user, member._change_reason = user, reason
            member.full_clean(validate_unique=False, validate_constraints=False)
            member.save()
    for organisation_id, (organisation, role) in wanted.items():
        if organisation_id not in current:
            member = PartnershipMember(partnership=partnership, organisation=organisation, role=role)
            member.full_clean(validate_unique=False, validate_constraints=False)
            member._history_user, member._change_reason = user, reason
            member.save()


# What an officer writes of a risk; `partnership` is fixed when it is added.
RISK_FIELDS = ("standard", "description", "likelihood", "impact", "mitigation", "owner", "review_date", "status")


def _set_risk(risk: Risk, data: dict) -> None:
    """Set the fields `data` names on `risk` and ask its rules (`Risk.clean` and each field's),
    as a form would, so an import or the shell cannot save what the form would refuse."""
    unknown = set(data) - set(RISK_FIELDS)
    if unknown:
        raise ValueError(f"Not a risk's field: {', '.join(sorted(unknown))}")
    for name, value in data.items():
        setattr(risk, name, value)
    # The constraints (scores 1 to 5) are the database's to refuse: the fields' choices ask the same.
    risk.full_clean(validate_unique=False, validate_constraints=False)


@transaction.atomic
def risk_create(*, partnership: Partnership, data: dict, user) -> Risk:
    """Add a risk to the partnership's risk register from `data` (field name → value).

    Raises ValidationError, by field, for a risk the register's rules refuse (no words for a
    risk of their own, an owner of a council not taking part, a review date already past).
    """
    risk = Risk(partnership=partnership)
    _set_risk(risk, data)
    risk._history_user = user
    risk.save()
    return risk


@transaction.atomic
def risk_update(*, risk: Risk, data: dict, version: int, user) -> Risk:
    """Change a risk (its scores, mitigation, owner, review date, or close it), if nobody has
    saved it since `version` was read; StaleEdit if someone has, and nothing is saved."""
    claim_version(Risk, pk=risk.pk, version=version, what="risk")
    _set_risk(risk, data)
    risk.version = version + 1
    risk._history_user = user
    risk.save()
    return risk
