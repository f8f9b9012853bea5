"""Builds the demo register. Idempotent: running it twice changes nothing."""

import os
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from partnerships import services
from partnerships.demo import data
from partnerships.models import Council, Organisation, Partnership, Theme
from partnerships.roles import sync_roles

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
            user.save()
            user.groups.set([Group.objects.get(name=role)])
            user.councils.set([council_codes[code] for code in belongs_to])
        users[username] = user
    return users


@transaction.atomic
def load_operator():
    """The demo's superuser (data.OPERATOR), with the demo password; left alone if there already."""
    username, first, last = data.OPERATOR
    operator, created = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
    )
    if created:
        operator.set_password(demo_password())
        operator.is_staff = operator.is_superuser = True
        operator.save()
    return operator


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


@transaction.atomic
def load_risks(users) -> int:
    """The demo's risk registers (data.RISKS), added and then changed through the services
    officers use, so each partnership's history shows them; returns how many were added.
    A partnership that has risks already is left alone."""
    names = {item["partnership"] for item in data.RISKS}
    partnerships = {p.name: p for p in Partnership.objects.filter(name__in=names, risks__isnull=True).distinct()}
    today = timezone.localdate()
    added = 0
    for item in data.RISKS:
        partnership = partnerships.get(item["partnership"])
        if partnership is None:
            continue
        owner = users[item["owner"]]
        risk = services.risk_create(partnership=partnership, user=owner, data={
            "standard": item.get("standard", ""), "description": item.get("description", ""),
            "likelihood": item["likelihood"], "impact": item["impact"], "mitigation": item["mitigation"],
            "owner": owner, "review_date": today + timedelta(days=item["review"]),
        })
        if item.get("then"):
            services.risk_update(risk=risk, data=item["then"], version=risk.version, user=owner)
        added += 1
    return added


def _performance_notes(method: str) -> str:
    return {
        "light_touch": "The lead officer completes the Partnership Improvement Template each year.",
        "annual_report": "An annual report to Cabinet on progress against the partnership’s aims.",
        "quarterly": "Quarterly indicators reported to the Performance and Resources Scrutiny Committee.",
        "framework": "A performance framework with targets, quarterly monitoring and an annual review by Scrutiny.",
    }[method]


def load_synthetic(count: int, *, councils: int = 0) -> dict:
    """Generated councils (up to `councils` in all), four officers each, and `count` partnerships
    with their assessments, inserted in bulk for benchmarks (partnerships.demo.national)."""
    from partnerships.demo import national

    added = national.load_councils(councils)
    officers = national.load_officers()
    made = national.load_partnerships(count, officers=officers) if count else 0
    return {"councils": added, "officers": sum(len(ids) for ids in officers.values()), "partnerships": made}
