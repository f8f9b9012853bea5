"""The demo's council administration, as a newcomer would find it a few months in: people
added and changed by their council's administrator, someone who has left (deactivated, their
work kept), a sign-in lockout to lift, and a council's own assurance policy, each change
recorded as the Manage pages record it."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from administration import services
from administration.assurance import assurance_policy_set
from administration.models import ChangeRecord
from partnerships.models import Council
from partnerships.roles import OFFICER

LEAVER = ("kpatel", "Kiran", "Patel")  # a Wessex Vale officer who has left the council
LOCKED_FROM = "203.0.113.7"  # a documentation address (RFC 5737): never the demo's own browser


@transaction.atomic
def load_administration(users) -> int:
    """Add the demo's administration history once, through the services the Manage pages
    call (so each record reads as theirs do); return how many changes it recorded."""
    if ChangeRecord.objects.exists() or get_user_model().objects.filter(username=LEAVER[0]).exists():
        return 0
    harbourside, wessex = Council.objects.get(short_name="Harbourside"), Council.objects.get(short_name="Wessex Vale")
    wvadmin, admin = users["wvadmin"], users["admin"]
    username, first, last = LEAVER
    # Taken on by Harbourside, moved to Wessex Vale by the administrator of both, then left.
    leaver = services.person_add(by=admin, username=username, first_name=first, last_name=last,
                                 email=f"{username}@example.org", role=OFFICER, councils=[harbourside])
    services.person_change(by=admin, person=leaver, version=None, first_name=first, last_name=last,
                           email=leaver.email, role=OFFICER, councils=[wessex])
    services.person_invited(by=wvadmin, person=users["wvofficer"])
    assurance_policy_set(by=wvadmin, council=wessex, version=None, below="reasonable", review_months=4)
    services.person_set_active(by=wvadmin, person=leaver, version=None, active=False)
    # Spread over the past months, oldest first, as they would have happened.
    now = timezone.now()
    changes = list(ChangeRecord.objects.order_by("pk"))
    for days, change in zip((120, 95, 60, 30, 12), changes, strict=True):
        ChangeRecord.objects.filter(pk=change.pk).update(made_at=now - timedelta(days=days))
    return len(changes)


def lock_out_for_the_demo() -> None:
    """Five wrong passwords for cmorgan from another address just now, so the Manage pages have
    a lockout to lift (it ends by itself after the cool-off, as any lockout does; each
    `load_demo` makes it again). The demo's own browser is not locked: its address differs."""
    AccessAttempt.objects.update_or_create(
        username="cmorgan", ip_address=LOCKED_FROM, user_agent="Mozilla/5.0 (demo)",
        defaults={"failures_since_start": 5, "get_data": "", "post_data": "username=cmorgan", "http_accept": "*/*",
                  "path_info": "/accounts/login/", "attempt_time": timezone.now()},
    )
