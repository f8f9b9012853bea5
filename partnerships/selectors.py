"""Reads of partnerships that pages rely on, built once with their related data."""

import difflib
import re

from django.apps import apps
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from partnerships.models import Organisation, Partnership, PartnershipMember, Risk


def partnership_detail(*, pk: int, user) -> Partnership:
    """One partnership `user` may see (else 404), with everything its page shows, in a fixed
    number of queries: its assessments, actions and child partnerships as far as `user`
    may see them, and its risks."""
    # Assessments and actions belong to checklists, a higher app: named, not imported.
    Assessment, Action = apps.get_model("checklists", "Assessment"), apps.get_model("checklists", "Action")
    queryset = Partnership.objects.visible_to(user).select_related(
        "lead_officer", "parent", "created_by"
    ).prefetch_related(
        "councils",
        "themes",
        Prefetch("memberships", queryset=PartnershipMember.objects.select_related("organisation")),
        Prefetch("children", queryset=Partnership.objects.visible_to(user).select_related("lead_officer").order_by("name")),
        # Of the partnership fetched through visible_to: only the draft rule is left to apply.
        Prefetch("assessments", queryset=Assessment.objects.visible_to(user, partnership_seen=True)
                 .select_related("template")),
        Prefetch("actions", queryset=Action.objects.visible_to(user, partnership_seen=True)
                 .select_related("owner", "assessment")),
        Prefetch("risks", queryset=Risk.objects.select_related("owner")),
    )
    return get_object_or_404(queryset, pk=pk)


def assessments_and_open_actions(partnership: Partnership) -> tuple[list, list]:
    """The assessments and open actions `partnership_detail` fetched, newest assessment first."""
    assessments = list(partnership.assessments.all())
    open_actions = [action for action in partnership.actions.all() if action.is_open]
    return assessments, open_actions


def open_and_closed_risks(partnership: Partnership) -> tuple[list, list]:
    """The risks `partnership_detail` fetched, open then closed, each highest score first."""
    risks = list(partnership.risks.all())
    return ([risk for risk in risks if risk.status == Risk.Status.OPEN],
            [risk for risk in risks if risk.status == Risk.Status.CLOSED])


def similar_organisations(name: str, *, limit: int = 3) -> list[Organisation]:
    """Organisations already on the register whose names are close to `name`: the same
    once case, punctuation and words such as "the" and "Ltd" are set aside, or nearly so."""
    wanted = _comparable(name)
    scored = []
    for organisation in Organisation.objects.only("pk", "name", "sector"):
        known = _comparable(organisation.name)
        ratio = 1.0 if known == wanted else difflib.SequenceMatcher(None, wanted, known).ratio()
        if ratio >= 0.85 or (len(wanted) > 3 and (wanted in known or known in wanted)):
            scored.append((ratio, organisation))
    return [organisation for _ratio, organisation in sorted(scored, key=lambda pair: -pair[0])[:limit]]


NOISE_WORDS = {"the", "ltd", "limited", "plc", "llp", "cic", "and", "of"}


def _comparable(name: str) -> str:
    words = re.sub(r"[^\w\s]", " ", name.lower().replace("&", " and ")).split()
    return " ".join(word for word in words if word not in NOISE_WORDS)
