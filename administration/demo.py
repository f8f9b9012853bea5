"""The demo's council administration, as a newcomer would find it a few months in: people
added and changed by their council's administrator, someone who has left (deactivated, their
work kept), a sign-in lockout to lift, and a council's own assurance policy, each change
recorded as the Manage pages record it."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from administration.models import ChangeRecord
from administration.people import person_state
from administration.services import record
from checklists.models import AssurancePolicy
from partnerships.models import Council
from partnerships.roles import OFFICER

LEAVER = ("kpatel", "Kiran", "Patel")  # a Wessex Vale officer who has left the council
LOCKED_FROM = "203.0.113.7"  # a documentation address (RFC 5737): never the demo's own browser


@transaction.atomic
def load_administration(users) -> int:
    """Add the demo's administration history once; return how many changes it recorded."""
    if ChangeRecord.objects.exists():
        return 0
    wessex = Council.objects.get(short_name="Wessex Vale")
    wvadmin, admin = users["wvadmin"], users["admin"]
    username, first, last = LEAVER
    leaver, _ = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"})
    leaver.set_unusable_password()
    leaver.save()
    leaver.groups.set([Group.objects.get(name=OFFICER)])
    leaver.councils.set([wessex])
    added = record(by=wvadmin, kind=ChangeRecord.Kind.PERSON_ADDED, person=leaver, after=person_state(leaver),
                   summary=f"Added {first} {last} ({username}) as {OFFICER}")
    leaver.is_active = False
    leaver.save(update_fields=["is_active"])
    left = record(by=wvadmin, kind=ChangeRecord.Kind.DEACTIVATED, person=leaver, before={"active": True},
                  after={"active": False}, summary=f"Deactivated {first} {last}")
    officer = users["wvofficer"]
    invited = record(by=wvadmin, kind=ChangeRecord.Kind.INVITATION_SENT, person=officer,
                     after={"email": officer.email}, summary="Sent Wendy Vaughan a link to set their password")
    pnair = users["pnair"]
    councils = record(by=admin, kind=ChangeRecord.Kind.COUNCILS_CHANGED, person=pnair,
                      before={"councils": ["Harbourside Borough Council"]},
                      after={"councils": ["Harbourside Borough Council", "Wessex Vale District Council"]},
                      summary="Changed Priya Nair’s councils to Harbourside Borough Council, Wessex Vale District "
                              "Council")
    policy, _ = AssurancePolicy.objects.get_or_create(council=wessex)
    before = {"below": policy.get_below_display(), "review_months": policy.review_months}
    policy.below, policy.review_months = "reasonable", 4
    policy.save()
    setting = record(by=wvadmin, kind=ChangeRecord.Kind.SETTING_CHANGED, council=wessex, before=before,
                     after={"below": policy.get_below_display(), "review_months": 4},
                     summary="Set Wessex Vale’s assurance policy: review within 4 months when assurance is below "
                             "reasonable assurance")
    # Spread over the past months, oldest first, as they would have happened.
    now = timezone.now()
    for days, change in ((120, added), (95, councils), (60, setting), (30, invited), (12, left)):
        ChangeRecord.objects.filter(pk=change.pk).update(made_at=now - timedelta(days=days))
    return 5


def lock_out_for_the_demo() -> None:
    """Five wrong passwords for cmorgan from another address just now, so the Manage pages have
    a lockout to lift (it ends by itself after the cool-off, as any lockout does; each
    `load_demo` makes it again). The demo's own browser is not locked: its address differs."""
    AccessAttempt.objects.update_or_create(
        username="cmorgan", ip_address=LOCKED_FROM, user_agent="Mozilla/5.0 (demo)",
        defaults={"failures_since_start": 5, "get_data": "", "post_data": "username=cmorgan", "http_accept": "*/*",
                  "path_info": "/accounts/login/", "attempt_time": timezone.now()},
    )
