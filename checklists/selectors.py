"""Reads for the assessment pages, each in a fixed number of queries."""

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from checklists.models import Action, Answer, Assessment, AuditEvent, Question, Section, Template
from checklists.services import is_complete
from partnerships.models import Council, Partnership


def assessments_with_answers(assessments: QuerySet) -> QuerySet:
    """`assessments` with their people, answers, sections and questions: what every view of one
    reads. Pages pass `Assessment.objects.visible_to(user)`; a scrutiny pack, built by the
    worker for no one in particular, passes `Assessment.objects.published()`."""
    return assessments.select_related("partnership", "template").prefetch_related(
        Prefetch("answers", queryset=Answer.objects.select_related("action_owner")),
        Prefetch("partnership__councils", queryset=Council.objects.order_by("name")),
        Prefetch(
            "template__sections",
            queryset=Section.objects.prefetch_related(
                Prefetch("questions", queryset=Question.objects.order_by("position"))
            ).order_by("number"),
        ),
    )


# The people an assessment names, read by one_assessment in a query of their own: joined
# into the assessment's query (select_related), its eight tables took PostgreSQL 5 ms to
# plan at national scale, where it ran in 0.4 ms.
PEOPLE = ("started_by", "submitted_by", "approved_by", "returned_by", "lead_officer_at_submission")


def one_assessment(assessments: QuerySet, pk: int) -> Assessment:
    """The assessment `pk` of `assessments` (else 404), with the people it names: its own and
    its partnership's lead officer, in one query."""
    assessment = get_object_or_404(assessments, pk=pk)
    named = [(assessment, Assessment._meta.get_field(name)) for name in PEOPLE]
    named.append((assessment.partnership, Partnership._meta.get_field("lead_officer")))
    people = get_user_model().objects.in_bulk({getattr(obj, field.attname) for obj, field in named} - {None})
    for obj, field in named:
        field.set_cached_value(obj, people.get(getattr(obj, field.attname)))
    return assessment


def assessment_for_page(*, pk: int, user) -> Assessment:
    """One assessment `user` may see (else 404), with everything its pages show."""
    queryset = assessments_with_answers(Assessment.objects.visible_to(user)).prefetch_related(
        Prefetch("events", queryset=AuditEvent.objects.select_related("actor")),
    )
    return one_assessment(queryset, pk)


def answers_by_question(assessment: Assessment) -> dict:
    return {answer.question_id: answer for answer in assessment.answers.all()}


def sections_with_answers(assessment: Assessment) -> list[dict]:
    """Each section with its questions' answers and a task-list status."""
    answers = answers_by_question(assessment)
    kind = assessment.template.kind
    rows = []
    for section in assessment.template.sections.all():
        questions = [(q, answers.get(q.pk)) for q in section.questions.all()]
        complete = sum(is_complete(kind, answer) for _q, answer in questions)
        started = any(answer is not None for _q, answer in questions)
        if complete == len(questions):
            status = "Completed"
        elif started:
            status = "In progress"
        else:
            status = "Not started"
        rows.append({"section": section, "questions": questions, "status": status})
    return rows


def section_ratings(assessment: Assessment) -> dict:
    """What supports an overall assurance: for each section, how many of its questions had
    each rating (a checklist: assured, partly, not assured) or answer (a review: yes, no).
    {"columns": [labels], "rows": [{"section": Section, "counts": [n, ...], "unanswered": n}]}"""
    if assessment.template.kind == Template.Kind.CHECKLIST:
        field, values = "rating", Answer.Rating.choices
    else:
        field, values = "meets", Answer.Meets.choices
    answers = answers_by_question(assessment)
    rows = []
    for section in assessment.template.sections.all():
        given = [getattr(answers[q.pk], field) if q.pk in answers else "" for q in section.questions.all()]
        rows.append({"section": section, "counts": [given.count(value) for value, _label in values],
                     "unanswered": sum(1 for value in given if not value)})
    return {"columns": [label for _value, label in values], "rows": rows}


def open_earlier_actions(assessment: Assessment) -> dict:
    """{(section number, position): the open action an earlier Improvement Template review of
    the same partnership raised for that area}, so a later review carries it on or closes it
    rather than raising the same action again."""
    if assessment.template.kind != "improvement":
        return {}
    actions = (
        Action.objects.filter(partnership_id=assessment.partnership_id, answer__isnull=False)
        .open().exclude(assessment=assessment)
        .filter(answer__assessment__template__kind="improvement")
        .select_related("owner", "assessment", "answer__question__section")
        .order_by("created_at", "id")
    )
    return {(a.answer.question.section.number, a.answer.question.position): a for a in actions}
