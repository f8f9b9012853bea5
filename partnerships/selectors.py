"""Reads of partnerships that pages rely on, built once with their related data."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from partnerships.models import Partnership, PartnershipMember


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
