"""Writes to the assessment tools and assessments. Views call these; they never set status themselves."""

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from checklists.models import Action, Answer, Assessment, AuditEvent, Question, Section, Template
from partnerships.dates import add_months
from partnerships.models import Partnership
from partnerships.roles import ADMINISTRATOR


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


def _record(assessment, user, description, changes=()):
    AuditEvent.objects.create(assessment=assessment, actor=user, description=description, changes=list(changes))


@transaction.atomic
def assessment_start(*, partnership: Partnership, kind: str, title: str, user) -> Assessment:
    """Start a draft assessment against the current version of the `kind` template."""
    template = Template.objects.get(kind=kind, is_current=True)
    assessment = Assessment.objects.create(partnership=partnership, template=template, title=title, started_by=user)
    _record(assessment, user, f"Started the {template.name} (version {template.version})")
    return assessment


ANSWER_FIELDS = ("narrative", "rating", "meets", "action")


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
        if before != after or answer.pk is None:
            answer.save()
            changed = {f: [before[f], after[f]] for f in ANSWER_FIELDS if before[f] != after[f]}
            if changed:
                changes.append([str(question), changed])
    if changes:
        _record(assessment, user, f"Changed {len(changes)} answer{'s' if len(changes) != 1 else ''}", changes)
    assessment.version = version + 1
    return assessment.version


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


@transaction.atomic
def assessment_submit(*, assessment: Assessment, user) -> None:
    """Send a complete draft for approval."""
    if assessment.status != Assessment.Status.DRAFT:
        raise WorkflowError("Only a draft can be submitted.")
    if unanswered(assessment):
        raise WorkflowError("Answer every question before submitting.")
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_by, assessment.submitted_at = user, timezone.now()
    assessment.version += 1
    assessment.save()
    _record(assessment, user, "Submitted for approval")
    _track_actions(assessment, user)


ACTION_DUE_MONTHS = 3


def _track_actions(assessment: Assessment, user) -> None:
    """Every action written in an Improvement Template review becomes a tracked Action.

    New actions go to the partnership's lead officer, due in three months; a
    resubmission updates the wording of actions already tracked.
    """
    answers = assessment.answers.exclude(action="").select_related("question")
    tracked = {a.answer_id: a for a in Action.objects.filter(answer__in=answers)}
    due = add_months(timezone.localdate(), ACTION_DUE_MONTHS)
    for answer in answers:
        action = tracked.get(answer.pk)
        if action is None:
            Action.objects.create(
                partnership=assessment.partnership, assessment=assessment, answer=answer,
                description=answer.action, owner=assessment.partnership.lead_officer, due_date=due,
            )
            _record(assessment, user, f"Added an action: {answer.action[:150]}")
        elif action.description != answer.action:
            action.description = answer.action
            action.save(update_fields=["description", "updated_at"])


@transaction.atomic
def action_update(*, action: Action, owner, due_date, status: str, user) -> None:
    """Change who owns an action, when it is due or how far it has got, and record it."""
    changes = []
    for field, value in (("owner", owner), ("due_date", due_date), ("status", status)):
        if getattr(action, field) != value:
            changes.append(field.replace("_", " "))
            setattr(action, field, value)
    if changes:
        action.save()
        _record(action.assessment, user, f"Updated the action “{action.description[:80]}”: {', '.join(changes)}")


def may_approve(user, assessment: Assessment) -> bool:
    """The partnership's lead officer or an administrator, and never whoever submitted it (four eyes)."""
    if assessment.submitted_by_id == user.pk:
        return False
    is_administrator = user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists()
    return is_administrator or assessment.partnership.lead_officer_id == user.pk


@transaction.atomic
def assessment_approve(*, assessment: Assessment, user) -> None:
    """Approve a submitted assessment; it is read-only from then on.

    Approving an Improvement Template review moves the partnership's next review
    on by its review frequency: from the date it was due, in whole cycles, to the
    first date after today (so a late review does not leave it overdue).
    """
    if assessment.status != Assessment.Status.SUBMITTED:
        raise WorkflowError("Only a submitted assessment can be approved.")
    if assessment.submitted_by_id == user.pk:
        raise WorkflowError("You submitted this assessment, so someone else must approve it.")
    if not may_approve(user, assessment):
        raise WorkflowError("Only the partnership’s lead officer or an administrator can approve it.")
    assessment.status = Assessment.Status.APPROVED
    assessment.approved_by, assessment.approved_at = user, timezone.now()
    assessment.version += 1
    assessment.save()
    _record(assessment, user, "Approved")
    if assessment.template.kind == Template.Kind.IMPROVEMENT:
        partnership = assessment.partnership
        today = timezone.localdate()
        due = partnership.next_review_due or today
        due = add_months(due, partnership.review_frequency)
        while due <= today:
            due = add_months(due, partnership.review_frequency)
        Partnership.objects.filter(pk=partnership.pk).update(next_review_due=due)
        partnership.next_review_due = due
        _record(assessment, user, f"Moved the partnership’s next review to {due:%-d %B %Y}")


@transaction.atomic
def assessment_return(*, assessment: Assessment, user, reason: str) -> None:
    """Return a submitted assessment to draft, with the reason, for its officer to change."""
    if assessment.status != Assessment.Status.SUBMITTED:
        raise WorkflowError("Only a submitted assessment can be returned.")
    if not reason.strip():
        raise WorkflowError("Enter why you are returning the assessment.")
    if not may_approve(user, assessment):
        raise WorkflowError("Only the partnership’s lead officer or an administrator can return it.")
    assessment.status = Assessment.Status.DRAFT
    assessment.returned_by, assessment.returned_at, assessment.return_reason = user, timezone.now(), reason.strip()
    assessment.submitted_by, assessment.submitted_at = None, None
    assessment.version += 1
    assessment.save()
    _record(assessment, user, f"Returned to draft: {reason.strip()}")
