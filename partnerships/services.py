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
def partner_remove(*, membership: PartnershipMember) -> None:
    membership.delete()
