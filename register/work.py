"""What is waiting for one person: the lists on their start page ("Your work")."""

import time

import rules
from django.db.models import Q
from django.utils import timezone

from checklists.models import Action, Assessment, AuditEvent, may_work_on_assessments
from partnerships.models import Partnership
from partnerships.permissions import is_administrator

REVIEW_WINDOW_DAYS = 90
SHOWN = 20  # each list shows its first few, with a link to the rest where there is one
# The navigation's count, kept in the session: [user id, day, when counted, count].
REMEMBERED = "_waiting"
REMEMBER_FOR = 60  # seconds


def awaiting_approval(user) -> list[Assessment]:
    """Submitted assessments this person may approve: as lead officer, or any as an administrator,
    never their own submissions or those they wrote answers for (four eyes)."""
    if not may_work_on_assessments(user):
        return []
    submitted = Assessment.objects.visible_to(user).filter(status=Assessment.Status.SUBMITTED).select_related(
        "partnership__lead_officer", "template", "submitted_by", "lead_officer_at_submission"
    ).prefetch_related("events").order_by("submitted_at", "id")
    if not is_administrator(user):
        submitted = submitted.filter(partnership__lead_officer=user)
    return [
        assessment for assessment in submitted[:200]
        if rules.has_perm("checklists.approve_assessment", user, assessment)
    ][:SHOWN]


def my_drafts(user) -> list[Assessment]:
    """Drafts this person started or wrote answers for, returned ones first, with the reason."""
    if not may_work_on_assessments(user):
        return []
    wrote = AuditEvent.objects.filter(actor=user, kind=AuditEvent.Kind.ANSWERS).values("assessment")
    drafts = Assessment.objects.visible_to(user).filter(status=Assessment.Status.DRAFT).filter(
        Q(started_by=user) | Q(pk__in=wrote)
    ).select_related("partnership", "template", "returned_by")
    return sorted(drafts[:SHOWN], key=lambda a: (a.returned_at is None, a.started_at))


def my_actions(user) -> list[Action]:
    """Open actions this person owns, overdue (earliest due) first, of reviews submitted or approved
    (an action raised by a draft is not tracked yet, even for its owner)."""
    return list(
        Action.objects.visible_to(user).filter(owner=user, assessment__in=Assessment.objects.published())
        .open().select_related("partnership").order_by("due_date", "id")[:SHOWN]
    )


def reviews_due(user) -> list[Partnership]:
    """Partnerships this person leads whose review is overdue or due within 90 days."""
    return list(
        Partnership.objects.visible_to(user).filter(lead_officer=user).review_due_within(REVIEW_WINDOW_DAYS)
        .order_by("next_review_due", "id")[:SHOWN]
    )


def portfolio(user) -> list[Partnership]:
    """The partnerships this councillor holds as lead member."""
    return list(Partnership.objects.visible_to(user).filter(lead_member_account=user).order_by("next_review_due", "id")[:SHOWN])


def newest_approved(user, limit: int = 5) -> list[Assessment]:
    return list(
        Assessment.objects.visible_to(user).filter(status=Assessment.Status.APPROVED).select_related("partnership", "template")
        .order_by("-approved_at", "-id")[:limit]
    )


def waiting_count(user) -> int:
    """How many things wait for this officer: assessments they may approve, their returned
    drafts and their overdue actions. Three COUNT queries, for the service navigation."""
    if not may_work_on_assessments(user):
        return 0
    took_part = AuditEvent.objects.filter(
        actor=user, kind__in=[AuditEvent.Kind.ANSWERS, AuditEvent.Kind.SUBMITTED]
    ).values("assessment")
    visible = Assessment.objects.visible_to(user)
    approvals = visible.filter(status=Assessment.Status.SUBMITTED).exclude(pk__in=took_part)
    if not is_administrator(user):
        approvals = approvals.filter(partnership__lead_officer=user)
    returned = visible.filter(status=Assessment.Status.DRAFT, returned_at__isnull=False).filter(
        Q(started_by=user) | Q(pk__in=took_part)
    )
    overdue = Action.objects.visible_to(user).filter(
        owner=user, assessment__in=Assessment.objects.published()
    ).overdue()
    return approvals.count() + returned.count() + overdue.count()


def remembered_waiting_count(request) -> int:
    """`waiting_count` for the person signed in, as the service navigation shows it on every page.

    Counted afresh on every page, it was most of a page's time at 100,000 partnerships (10 ms
    for an officer of one council, 50 ms for a superuser: issue 15), so it is kept in the
    session for up to a minute, and for the day it was counted (overdue actions are counted
    by date). The person's own changes show at once: every change they make (any POST)
    forgets it, and so does opening Your work; other people's changes show within a minute.
    """
    user, session = request.user, request.session
    if not may_work_on_assessments(user):
        return 0  # nothing waits for a reader: nothing to count, or to keep
    now, today = int(time.time()), timezone.localdate().isoformat()
    kept = session.get(REMEMBERED)
    if kept and kept[0] == user.pk and kept[1] == today and 0 <= now - kept[2] < REMEMBER_FOR:
        return kept[3]
    count = waiting_count(user)
    session[REMEMBERED] = [user.pk, today, now, count]
    return count


def forget_waiting_count(request) -> None:
    """Count again on the next page: the person has just changed something."""
    if REMEMBERED in request.session:
        del request.session[REMEMBERED]
