"""Reads of partnerships that pages rely on, built once with their related data."""

import difflib
import re

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from partnerships.models import Organisation, Partnership, PartnershipMember


def partnership_detail(*, pk: int) -> Partnership:
    """One partnership with everything its page shows, in a fixed number of queries."""
    queryset = Partnership.objects.select_related("lead_officer", "parent", "created_by").prefetch_related(
        "councils",
        "themes",
        Prefetch("memberships", queryset=PartnershipMember.objects.select_related("organisation")),
        Prefetch("children", queryset=Partnership.objects.select_related("lead_officer").order_by("name")),
        "assessments__template",
        "actions__owner",
        "actions__assessment",
    )
    return get_object_or_404(queryset, pk=pk)


def visible_assessments_and_open_actions(partnership: Partnership, user) -> tuple[list, list]:
    """What of a partnership's assessments and open actions `user` may see, newest first.

    Drafts, and the actions of drafts, are for officers only (DESIGN.md's role table).
    Reads what `partnership_detail` prefetched.
    """
    sees_drafts = user.has_perm("checklists.change_assessment")
    assessments = [a for a in partnership.assessments.all() if sees_drafts or a.status != "draft"]
    open_actions = [
        action for action in partnership.actions.all()
        if action.status != "done" and (sees_drafts or action.assessment.status != "draft")
    ]
    return assessments, open_actions


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
