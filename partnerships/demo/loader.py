"""Builds the demo register. Idempotent: running it twice changes nothing."""

import os
import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Case, CharField, Value, When
from django.db.models.functions import Cast, Concat, LPad
from django.utils import timezone

from partnerships import services
from partnerships.demo import data
from partnerships.models import Council, Organisation, Partnership, PartnershipMember, Theme
from partnerships.roles import ADMINISTRATOR, sync_roles

DEFAULT_PASSWORD = "register-demo"


def demo_password() -> str:
    return os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD


@transaction.atomic
def load_reference_data():
    sync_roles()
    councils = {
        short: Council.objects.get_or_create(name=name, defaults={"short_name": short})[0]
        for name, short in data.COUNCILS
    }
    themes = {
        name: Theme.objects.get_or_create(name=name, defaults={"description": description})[0]
        for name, description in data.THEMES
    }
    organisations = {
        name: Organisation.objects.get_or_create(name=name, defaults={"sector": sector})[0]
        for name, sector in data.ORGANISATIONS
    }
    return councils, themes, organisations


@transaction.atomic
def load_users(councils):
    User = get_user_model()
    password = demo_password()
    users = {}
    council_codes = {"H": councils["Harbourside"], "W": councils["Wessex Vale"]}
    for username, first, last, role, belongs_to in data.USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        # An existing user is left alone: a changed password or role stays changed.
        if created:
            user.set_password(password)
            user.is_staff = role == ADMINISTRATOR
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            user.councils.set([council_codes[code] for code in belongs_to])
        users[username] = user
    return users


@transaction.atomic
def load_partnerships(councils, themes, organisations, users) -> int:
    """The hand-written demo register; returns how many partnerships were added."""
    today = timezone.localdate()
    council_codes = {"H": councils["Harbourside"], "W": councils["Wessex Vale"]}
    by_name = {p.name: p for p in Partnership.objects.filter(name__in=[d["name"] for d in data.PARTNERSHIPS])}
    added = 0
    for item in data.PARTNERSHIPS:
        if item["name"] in by_name:
            continue
        scope, basis, membership, level = item["cls"]
        start = today - timedelta(days=365 * item["start"]) if item["start"] else today + timedelta(days=60)
        ended = item.get("ended")
        # Through the same services officers use, so each entry's history starts with who registered it.
        officer = users["officer"]
        partnership = services.partnership_register(user=officer, data=dict(
            name=item["name"], purpose=item["purpose"], status=item["status"],
            scope=scope, basis=basis, membership=membership, level=level,
            council_role=item["role"], lead_officer=users[item["lead_officer"]],
            lead_member=item["lead_member"],
            council_representative=users[item["lead_officer"]].get_full_name(),
            legal_status=item["legal"], parent=by_name.get(item.get("parent")),
            annual_contribution=Decimal(item["contribution"]), officer_days=Decimal(item["days"]),
            total_budget=Decimal(item["budget"]) if item["budget"] is not None else None,
            performance_method=item["method"],
            performance_notes=_performance_notes(item["method"]),
            start_date=start,
            end_date=today - timedelta(days=365 * ended) if ended else None,
            review_frequency=item["freq"],
            next_review_due=today + timedelta(days=item["review"]),
            councils=[council_codes[code] for code in item["councils"]],
            themes=[themes[name] for name in item["themes"]],
        ))
        for org, role in item["partners"]:
            services.partner_add(partnership=partnership, organisation=organisations[org], role=role, user=officer)
        by_name[partnership.name] = partnership
        added += 1
    return added


def _performance_notes(method: str) -> str:
    return {
        "light_touch": "The lead officer completes the Partnership Improvement Template each year.",
        "annual_report": "An annual report to Cabinet on progress against the partnership’s aims.",
        "quarterly": "Quarterly indicators reported to the Performance and Resources Scrutiny Committee.",
        "framework": "A performance framework with targets, quarterly monitoring and an annual review by Scrutiny.",
    }[method]


SYNTHETIC_PLACES = ["Harbourside", "Wessex Vale", "Quayside", "Northmoor", "Eastbury", "Westcombe", "Heathfield"]
SYNTHETIC_TOPICS = ["Community Safety", "Youth", "Housing", "Health", "Economy", "Climate", "Arts",
                    "Transport", "Skills", "Heritage", "Sport", "Advice", "Flood", "Tourism", "Waste"]


@transaction.atomic
def load_synthetic(count: int, councils, themes, organisations, users, seed: int = 2026) -> int:
    """`count` generated partnerships for benchmarks, inserted in bulk."""
    rng = random.Random(seed)
    today = timezone.localdate()
    officers = [u for u in users.values() if u.groups.filter(name__in=["Officer", ADMINISTRATOR]).exists()]
    council_list, theme_list, org_list = list(councils.values()), list(themes.values()), list(organisations.values())
    start_index = Partnership.objects.count()
    batch = []
    for i in range(count):
        place, topic = rng.choice(SYNTHETIC_PLACES), rng.choice(SYNTHETIC_TOPICS)
        batch.append(Partnership(
            name=f"{place} {topic} Partnership {start_index + i + 1}",
            purpose=f"Generated partnership for load testing: {topic.lower()} work in {place}.",
            status=rng.choice(Partnership.Status.values),
            scope=rng.choice(Partnership.Scope.values), basis=rng.choice(Partnership.Basis.values),
            membership=rng.choice(Partnership.Membership.values), level=rng.choice(Partnership.Level.values),
            council_role=rng.choice(Partnership.CouncilRole.values), lead_officer=rng.choice(officers),
            legal_status=rng.choice(Partnership.LegalStatus.values),
            annual_contribution=Decimal(rng.randrange(0, 200000)),
            officer_days=Decimal(rng.randrange(0, 60)),
            performance_method=rng.choice(Partnership.PerformanceMethod.values),
            review_frequency=12,
            next_review_due=today + timedelta(days=rng.randrange(-365, 365)),
        ))
    created = Partnership.objects.bulk_create(batch, batch_size=1000)
    ids = [p.pk for p in created]
    # The same references Partnership.save() gives (reference_for), in one statement.
    id_text = Cast("id", CharField())
    Partnership.objects.filter(reference__isnull=True).update(
        reference=Concat(Value("P-"), Case(When(id__lt=10000, then=LPad(id_text, 4, Value("0"))), default=id_text))
    )
    Through = Partnership.councils.through
    Through.objects.bulk_create(
        [Through(partnership_id=pk, council_id=rng.choice(council_list).pk) for pk in ids], batch_size=2000
    )
    ThemeThrough = Partnership.themes.through
    ThemeThrough.objects.bulk_create(
        [ThemeThrough(partnership_id=pk, theme_id=rng.choice(theme_list).pk) for pk in ids], batch_size=2000
    )
    PartnershipMember.objects.bulk_create(
        [PartnershipMember(partnership_id=pk, organisation=org, role="member")
         for pk in ids for org in rng.sample(org_list, 2)],
        batch_size=2000,
    )
    return len(ids)

