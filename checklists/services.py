"""Writes to the assessment tools and assessments. Views call these; they never set status themselves."""

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from checklists.models import (
    Action,
    ActionNote,
    Answer,
    Assessment,
    AuditEvent,
    Question,
    Section,
    SectionRatingCount,
    Template,
    soonest_review,
)
from common.people import display_name
from partnerships.dates import add_months
from partnerships.models import Assurance, Partnership, may_own
from partnerships.permissions import is_administrator
from partnerships.services import claim_version


class WorkflowError(Exception):
    """An action the assessment's state or the user's role does not allow; the message says why."""


class StaleEdit(WorkflowError):
    """Someone else saved the assessment since this user opened it."""


@transaction.atomic
def template_new_version(*, template: Template) -> Template:
    """Copy `template` (sections and questions) as the next version of its kind, not yet current.

    Administrators change wording on the copy and then publish it, so an
    assessment answered against the old version keeps its old wording.
    """
    latest = Template.objects.filter(kind=template.kind).aggregate(Max("version"))["version__max"]
    copy = Template.objects.create(
        name=template.name, kind=template.kind, version=latest + 1,
        source=template.source, used_when=template.used_when, is_current=False,
    )
    for section in template.sections.prefetch_related("questions"):
        new_section = Section.objects.create(template=copy, number=section.number, title=section.title)
        Question.objects.bulk_create(
            Question(section=new_section, position=q.position, letter=q.letter, text=q.text, points=q.points)
            for q in section.questions.all()
        )
    return copy


@transaction.atomic
def template_publish(*, template: Template) -> None:
    """Make `template` the version new assessments use; the previous current version retires."""
    Template.objects.filter(kind=template.kind, is_current=True).exclude(pk=template.pk).update(is_current=False)
    Template.objects.filter(pk=template.pk).update(is_current=True)
    template.is_current = True


def _record(assessment, user, kind, description, changes=()):
    AuditEvent.objects.create(
        assessment=assessment, actor=user, kind=kind, description=description[:300], changes=list(changes)
    )


@transaction.atomic
def assessment_start(*, partnership: Partnership, kind: str, title: str, user) -> Assessment:
    """Start a draft assessment against the current version of the `kind` template."""
    template = Template.objects.get(kind=kind, is_current=True)
    assessment = Assessment.objects.create(partnership=partnership, template=template, title=title, started_by=user)
    _record(assessment, user, AuditEvent.Kind.STARTED, f"Started the {template.name} (version {template.version})")
    return assessment


ANSWER_FIELDS = ("narrative", "rating", "meets", "action", "action_owner", "action_due")


def _plain(value):
    """A value as the audit trail's JSON keeps it: a person's name, an ISO date."""
    if hasattr(value, "get_username"):
        return display_name(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@transaction.atomic
def assessment_save_answers(*, assessment: Assessment, answers: dict, version: int, user) -> int:
    """Save `answers` ({question: {field: value}}) if nobody has saved since `version` was read.

    Returns the assessment's new version. Raises StaleEdit when someone else
    saved first (the caller keeps what the user typed), and WorkflowError once
    the assessment is no longer a draft.
    """
    if assessment.status != Assessment.Status.DRAFT:
        raise WorkflowError("This assessment has been submitted, so its answers can no longer be changed.")
    # The version check and bump are one UPDATE, so two saves cannot both pass.
    bumped = Assessment.objects.filter(pk=assessment.pk, version=version, status=Assessment.Status.DRAFT).update(
        version=F("version") + 1
    )
    if not bumped:
        raise StaleEdit(
            "Someone else saved this assessment after you opened it. Your answers have not been saved: "
            "they are still on this page. Copy anything you need, then reload the page to see the latest answers."
        )
    existing = {a.question_id: a for a in assessment.answers.filter(question__in=answers)}
    changes = []
    for question, values in answers.items():
        answer = existing.get(question.pk) or Answer(assessment=assessment, question=question)
        before = {field: getattr(answer, field) for field in ANSWER_FIELDS}
        for field, value in values.items():
            setattr(answer, field, value)
        after = {field: getattr(answer, field) for field in ANSWER_FIELDS}
        _check_action_plan(question, before, after, partnership=assessment.partnership)
        if before != after or answer.pk is None:
            answer.save()
            changed = {f: [_plain(before[f]), _plain(after[f])] for f in ANSWER_FIELDS if before[f] != after[f]}
            if changed:
                changes.append([str(question), changed])
    if changes:
        _record(assessment, user, AuditEvent.Kind.ANSWERS,
                f"Changed {len(changes)} answer{'s' if len(changes) != 1 else ''}", changes)
    assessment.version = version + 1
    return assessment.version


def _check_action_plan(question: Question, before: dict, after: dict, *, partnership) -> None:
    """Who will own an action and when it is due, as they are set: an owner who may own
    actions, a date not already past. Values set earlier and left alone stay as they are."""
    owner, due = after["action_owner"], after["action_due"]
    if owner is not None and owner != before["action_owner"] and not may_own(owner, partnership):
        raise WorkflowError(f"The owner of the action for “{question}” must be an officer or administrator "
                            "of a council taking part in the partnership.")
    if due is not None and due != before["action_due"] and due < timezone.localdate():
        raise WorkflowError(f"The due date of the action for “{question}” must be today or later.")


def is_complete(kind: str, answer: Answer | None) -> bool:
    """A checklist answer needs text and a rating; an Improvement Template area needs
    Yes or No, and an action for every No."""
    if answer is None:
        return False
    if kind == Template.Kind.CHECKLIST:
        return bool(answer.narrative.strip() and answer.rating)
    return bool(answer.meets and (answer.meets == Answer.Meets.YES or answer.action.strip()))


def unanswered(assessment: Assessment) -> list[Question]:
    """The questions of `assessment` not yet completely answered, in order."""
    answers = {a.question_id: a for a in assessment.answers.all()}
    questions = Question.objects.filter(section__template=assessment.template_id).order_by(
        "section__number", "position"
    )
    return [q for q in questions if not is_complete(assessment.template.kind, answers.get(q.pk))]


def _transition(assessment: Assessment, *, version: int, expected: str, changes: dict, refusal: str) -> None:
    """Move `assessment` on from status `expected` at `version`, in one conditional UPDATE.

    Of two transitions sent together (approve and return, or approve twice),
    exactly one matches the row; the other changes nothing and is told why.
    """
    moved = Assessment.objects.filter(pk=assessment.pk, status=expected, version=version).update(
        version=F("version") + 1, **changes
    )
    if not moved:
        current = Assessment.objects.filter(pk=assessment.pk).values_list("status", flat=True).first()
        if current != expected:
            raise WorkflowError(refusal.format(status=Assessment.Status(current).label.lower()))
        raise StaleEdit(
            "This assessment has changed since you opened it, so nothing has been done. "
            "Read the current version before you decide."
        )
    for field, value in changes.items():
        setattr(assessment, field, value)
    assessment.version = version + 1


@transaction.atomic
def assessment_submit(*, assessment: Assessment, version: int, user) -> None:
    """Send a complete draft for approval, if it has not changed since `version` was read."""
    if assessment.status != Assessment.Status.DRAFT:
        raise WorkflowError("Only a draft can be submitted.")
    if unanswered(assessment):
        raise WorkflowError("Answer every question before submitting.")
    _transition(assessment, version=version, expected=Assessment.Status.DRAFT, changes={
        "status": Assessment.Status.SUBMITTED, "submitted_by": user, "submitted_at": timezone.now(),
        "lead_officer_at_submission": assessment.partnership.lead_officer,
    }, refusal="This assessment has already been submitted: it is {status}.")
    _record(assessment, user, AuditEvent.Kind.SUBMITTED, "Submitted for approval")
    _track_actions(assessment, user)


ACTION_DUE_MONTHS = 3


def _track_actions(assessment: Assessment, user) -> None:
    """Every action written in an Improvement Template review becomes a tracked Action.

    Each goes to the owner and due date the officer set as they raised it, or else to the
    partnership's lead officer, due in three months; a resubmission updates the actions
    already tracked to what the answers now say. An area an earlier review raised an
    action for, still open, carries that action on (No) or closes it (Yes): it is never
    raised twice.
    """
    from checklists.selectors import open_earlier_actions

    earlier = open_earlier_actions(assessment)
    for answer in assessment.answers.filter(action="").select_related("question__section"):
        # The area now meets the standard: an open action an earlier review raised for it is done.
        carried = earlier.get((answer.question.section.number, answer.question.position))
        if carried is not None and answer.meets == Answer.Meets.YES:
            carried.status = Action.Status.DONE
            carried.version += 1
            carried._history_user = user
            carried.save(update_fields=["status", "version", "updated_at"])
            ActionNote.objects.create(action=carried, author=user,
                                      text=f"Closed by the review “{assessment.title}”: the area now meets the standard.")
            _record(assessment, user, AuditEvent.Kind.ACTION,
                    f"Closed the earlier action “{carried.description[:80]}”: the area now meets the standard")
    answers = assessment.answers.exclude(action="").select_related("question__section", "action_owner")
    tracked = {a.answer_id: a for a in Action.objects.filter(answer__in=answers)}
    default_due = add_months(timezone.localdate(), ACTION_DUE_MONTHS)
    for answer in answers:
        action = tracked.get(answer.pk)
        carried = earlier.get((answer.question.section.number, answer.question.position))
        if action is None and carried is not None:
            # Still not met: the earlier review's open action is carried on, not raised again.
            action = carried
            action.answer = answer
            action.version += 1
            action._history_user = user
            action.save(update_fields=["answer", "version", "updated_at"])
            _record(assessment, user, AuditEvent.Kind.ACTION,
                    f"Carried on the open action “{carried.description[:80]}” from “{carried.assessment.title}”")
        wanted = {
            "description": answer.action,
            "owner": answer.action_owner or assessment.partnership.lead_officer,
            "due_date": answer.action_due or default_due,
        }
        if action is None:
            action = Action(partnership=assessment.partnership, assessment=assessment, answer=answer, **wanted)
            action._history_user = user
            action.save()
            _record(assessment, user, AuditEvent.Kind.ACTION, f"Added an action: {answer.action[:150]}")
            continue
        if not (answer.action_owner or answer.action_due):  # nothing set as it was raised: keep the follow-up's
            wanted = {"description": answer.action}
        changed = [field for field, value in wanted.items() if getattr(action, field) != value]
        if changed:
            for field in changed:
                setattr(action, field, wanted[field])
            action.version += 1
            action._history_user = user
            action.save(update_fields=[*changed, "version", "updated_at"])


@transaction.atomic
def action_update(*, action: Action, owner, due_date, status: str, version: int, user, note: str = "") -> None:
    """Change who owns an action, when it is due or how far it has got, and add a dated
    progress note, if nobody has saved it since `version` was read; record each value
    before and after."""
    if owner != action.owner and not may_own(owner, action.partnership):
        raise WorkflowError("An action’s owner must be an officer or administrator, whose account is active, "
                            "of a council taking part in the partnership.")
    changes = []
    for field, value in (("owner", owner), ("due_date", due_date), ("status", status)):
        before = getattr(action, field)
        if before != value:
            changes.append(f"{field.replace('_', ' ')} {_shown(action, field, before)} → {_shown(action, field, value)}")
            setattr(action, field, value)
    note = note.strip()
    if not changes and not note:
        return
    claim_version(Action, pk=action.pk, version=version, what="action")
    action.version = version + 1
    if changes:
        action._history_user = user
        action.save()
        _record(action.assessment, user, AuditEvent.Kind.ACTION,
                f"Updated the action “{action.description[:80]}”: {'; '.join(changes)}")
    if note:
        ActionNote.objects.create(action=action, author=user, text=note)
        _record(action.assessment, user, AuditEvent.Kind.ACTION,
                f"Added a progress note to the action “{action.description[:80]}”")


def _shown(action: Action, field: str, value) -> str:
    """A value as the audit trail says it: a person's name, a date, a status's label."""
    if field == "owner":
        return display_name(value)
    if field == "due_date":
        return f"{value:%-d %B %Y}"
    return Action.Status(value).label


def _actors(assessment: Assessment, kind: str) -> set[int]:
    """Everyone the audit trail (prefetched or not) records doing `kind` to the assessment."""
    return {event.actor_id for event in assessment.events.all() if event.kind == kind}


def answer_writers(assessment: Assessment) -> set[int]:
    return _actors(assessment, AuditEvent.Kind.ANSWERS)


def approval_refusal(user, assessment: Assessment, doing: str = "approve") -> str | None:
    """Why `user` may not approve (or return) `assessment`, or None if they may.

    Four eyes: never whoever submitted it or wrote any of its answers; and only
    the partnership's lead officer or an administrator.
    """
    # Ever, not only this time: a return and an unchanged resubmission by a colleague
    # must not clear whoever submitted it before.
    if assessment.submitted_by_id == user.pk or user.pk in _actors(assessment, AuditEvent.Kind.SUBMITTED):
        return f"You submitted this assessment, so someone else must {doing} it."
    if user.pk in answer_writers(assessment):
        return f"You wrote some of this assessment’s answers, so someone else must {doing} it."
    if not (is_administrator(user) or assessment.partnership.lead_officer_id == user.pk):
        return f"Only the partnership’s lead officer or an administrator can {doing} it."
    return None


def may_approve(user, assessment: Assessment) -> bool:
    return approval_refusal(user, assessment) is None


def next_review_after_approval(partnership: Partnership):
    """The next review date approving an Improvement Template review today would set: one
    review cycle after the review, whether it came early or late (a review due next month
    and done today is next due a cycle from today, not a cycle from next month)."""
    return add_months(timezone.localdate(), partnership.review_frequency)


ASSURANCE_NEEDED = "Select the overall assurance this assessment gives"


@transaction.atomic
def assessment_approve(*, assessment: Assessment, version: int, user, assurance: str) -> None:
    """Approve a submitted assessment as it stood at `version`, with the approver's overall
    `assurance` (partnerships.models.Assurance); it is read-only from then on.

    The partnership's register entry is kept with it as it stands now, so what
    was approved stays what was approved, and the partnership carries the assurance as its
    latest. Approving an Improvement Template review sets the partnership's next review one
    review cycle after today; an assurance below the AssurancePolicy's level brings it
    forward to within the policy's months, whichever the tool.
    """
    if assessment.status != Assessment.Status.SUBMITTED:
        raise WorkflowError("Only a submitted assessment can be approved.")
    if assurance not in Assurance.values:
        raise WorkflowError(ASSURANCE_NEEDED)
    # The partnership's row, locked and read afresh: a handover of the lead officer, or an
    # edit of the entry, waits for the approval (or the approval for it), never interleaves.
    partnership = _locked_partnership(assessment)
    refusal = approval_refusal(user, assessment)
    if refusal:
        raise WorkflowError(refusal)
    _transition(assessment, version=version, expected=Assessment.Status.SUBMITTED, changes={
        "status": Assessment.Status.APPROVED, "approved_by": user, "approved_at": timezone.now(),
        "approved_entry": partnership.entry_snapshot(), "assurance": assurance,
    }, refusal="This assessment can no longer be approved: it is {status}.")
    _record(assessment, user, AuditEvent.Kind.APPROVED, f"Approved, with {Assurance(assurance).label.lower()}")
    if assessment.template.kind == Template.Kind.CHECKLIST:  # for the dashboard: it never changes now
        SectionRatingCount.keep(assessment)
    # The register's latest assurance: derived, so not a change to the register entry's history.
    Partnership.objects.filter(pk=partnership.pk).update(latest_assurance=assurance)
    partnership.latest_assurance = assurance
    due, reason = next_review_on_approval(partnership, assessment.template.kind, assurance)
    if due is not None:
        partnership.next_review_due = due
        # A new version, so an edit form opened before the approval cannot write the old
        # date back; saved, not .update(), so the history records the move and who made it.
        partnership.version += 1
        partnership._history_user = user
        partnership._change_reason = reason
        partnership.save(update_fields=["next_review_due", "version", "updated_at"])
        _record(assessment, user, AuditEvent.Kind.REVIEW_DATE, f"Moved the partnership’s next review to {due:%-d %B %Y}")


def next_review_on_approval(partnership: Partnership, kind: str, assurance: str):
    """(the next review date approving today sets, why) or (None, "") if it stays as it is.

    An Improvement Template review moves it one cycle on (next_review_after_approval); an
    assurance below a policy's level then brings it forward to within that policy's months
    if that is sooner (for a checklist too): the soonest of the councils taking part."""
    due, reason = None, ""
    if kind == Template.Kind.IMPROVEMENT:
        due, reason = next_review_after_approval(partnership), "Next review moved on by an approved Improvement Template review"
    sooner, policy = soonest_review(partnership, assurance, timezone.localdate())
    if sooner is not None:
        current = due or partnership.next_review_due
        if current is None or sooner < current:
            due = sooner
            # At most 80 characters: the history keeps 100.
            reason = (f"Next review brought forward: {Assurance(assurance).label.lower()} is below "
                      f"{policy.get_below_display().lower()}")
    return due, reason


def _locked_partnership(assessment: Assessment) -> Partnership:
    partnership = (
        Partnership.objects.select_for_update(of=("self",)).select_related("lead_officer")
        .get(pk=assessment.partnership_id)
    )
    assessment.partnership = partnership
    return partnership


@transaction.atomic
def assessment_return(*, assessment: Assessment, version: int, user, reason: str) -> None:
    """Return a submitted assessment, as it stood at `version`, to draft with the reason."""
    if assessment.status != Assessment.Status.SUBMITTED:
        raise WorkflowError("Only a submitted assessment can be returned.")
    if not reason.strip():
        raise WorkflowError("Enter why you are returning the assessment.")
    _locked_partnership(assessment)
    refusal = approval_refusal(user, assessment, doing="return")
    if refusal:
        raise WorkflowError(refusal)
    _transition(assessment, version=version, expected=Assessment.Status.SUBMITTED, changes={
        "status": Assessment.Status.DRAFT, "returned_by": user, "returned_at": timezone.now(),
        "return_reason": reason.strip(), "submitted_by": None, "submitted_at": None,
        "lead_officer_at_submission": None,
    }, refusal="This assessment can no longer be returned: it is {status}.")
    _record(assessment, user, AuditEvent.Kind.RETURNED, f"Returned to draft: {reason.strip()}")
