"""Writes to the register: each a plain function the views call."""

from django.db import transaction
from django.utils import timezone

from partnerships.models import Partnership, PartnershipMember


@transaction.atomic
def partnership_register(*, form, user) -> Partnership:
    """Save a new partnership from a valid PartnershipForm once screening has passed."""
    partnership = form.save(commit=False)
    partnership.created_by = user
    partnership.screening_confirmed_at = timezone.now()
    partnership.save()
    form.save_m2m()
    return partnership


@transaction.atomic
def partnership_update(*, form, user) -> Partnership:
    """Save changes from a valid PartnershipForm bound to an existing partnership."""
    return form.save()


@transaction.atomic
def partner_add(*, form, user) -> PartnershipMember:
    """Add the partner organisation in a valid PartnerForm to its partnership."""
    return form.save()


@transaction.atomic
def partner_remove(*, membership: PartnershipMember) -> None:
    membership.delete()
