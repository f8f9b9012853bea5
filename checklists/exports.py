"""Actions and assessments as spreadsheets (issue 16), in the formats of common.spreadsheets.

The actions are those the actions page lists, as filtered there, in its order, read a chunk
at a time. An assessment keeps its template's structure: a row per question, section by
section, with the answer the tool asks for.
"""

from typing import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from checklists.models import Action, Answer, Assessment, Template
from checklists.selectors import sections_with_answers
from common.people import display_name
from common.spreadsheets import DATE, NUMBER, Column, in_chunks
from partnerships.models import Assurance

_ACTION_STATUS = dict(Action.Status.choices)
_RATINGS = dict(Answer.Rating.choices)
_MEETS = dict(Answer.Meets.choices)
_ASSURANCE = dict(Assurance.choices)


def _name(person) -> str | None:
    return display_name(person) if person else None


ACTION_COLUMNS = [
    Column("Partnership reference", width=12),
    Column("Partnership", width=36),
    Column("Assessment", width=24),
    Column("Action", width=60),
    Column("Owner", width=22),
    Column("Due", DATE, width=12),
    Column("Status", width=12),
    Column("Overdue", width=9),
    Column("Latest progress note", width=50),
    Column("Latest note written", DATE, width=12),
    Column("Raised", DATE, width=12),
]


def action_rows(actions: QuerySet, *, chunk_size: int) -> Iterator[tuple]:
    """Each action of `actions` (the actions page's queryset, with its partnership, owner,
    assessment and notes), in their order, reading `chunk_size` at a time."""
    for action in (action for chunk in in_chunks(actions, chunk_size=chunk_size) for action in chunk):
        latest_note = next(iter(action.notes.all()), None)
        yield (
            action.partnership.reference,
            action.partnership.name,
            action.assessment.title,
            action.description,
            _name(action.owner),
            action.due_date,
            _ACTION_STATUS[action.status],
            action.is_overdue,
            latest_note.text if latest_note else None,
            timezone.localdate(latest_note.written_at) if latest_note else None,
            timezone.localdate(action.created_at),
        )


_STRUCTURE = [Column("Section number", NUMBER, width=9), Column("Section", width=36),
              Column("Question", width=9), Column("Question text", width=60)]
# The overall assurance the approver gave, on every row: the file stays one table (a line
# above the headings would break it for whatever reads it), and a row read alone says it.
_OVERALL = Column("Overall assurance", width=22)
ASSESSMENT_COLUMNS = {
    # The Partnership checklist: open questions, a narrative answer and an assurance rating.
    Template.Kind.CHECKLIST: [*_STRUCTURE, Column("Answer", width=70), Column("Assurance rating", width=16),
                              _OVERALL],
    # The Improvement Template: Yes or No, and an action for every No, with its owner and due date.
    Template.Kind.IMPROVEMENT: [*_STRUCTURE, Column("Yes or No", width=9), Column("Action", width=50),
                                Column("Action owner", width=22), Column("Action due", DATE, width=12),
                                Column("Action status", width=14), _OVERALL],
}


def assessment_columns(assessment: Assessment) -> list[Column]:
    return ASSESSMENT_COLUMNS[assessment.template.kind]


def assessment_rows(assessment: Assessment) -> Iterator[tuple]:
    """A row per question of the assessment's template, in its order, with its answer (blank
    where none). Owner, due date and status are the tracked action's once the assessment is
    submitted; in a draft, what its answer proposes. The overall assurance is the one given
    at approval; blank until then."""
    tracked = {action.answer_id: action for action in assessment.actions.all()}
    checklist = assessment.template.kind == Template.Kind.CHECKLIST
    overall = _ASSURANCE.get(assessment.assurance) if assessment.status == Assessment.Status.APPROVED else None
    for row in sections_with_answers(assessment):
        section = row["section"]
        for question, answer in row["questions"]:
            text = "\n".join([question.text, *(f"• {point}" for point in question.points)])
            structure = (section.number, section.title, question.letter or None, text)
            if checklist:
                yield (*structure, answer.narrative if answer else None,
                       _RATINGS.get(answer.rating) if answer else None, overall)
            else:
                yield (*structure, *_improvement_answer(answer, tracked.get(answer.pk) if answer else None), overall)


def _improvement_answer(answer: Answer | None, action: Action | None) -> tuple:
    if answer is None:
        return (None,) * 5
    if action is not None:
        owner, due, status = _name(action.owner), action.due_date, _ACTION_STATUS[action.status]
    elif answer.action:
        owner, due, status = _name(answer.action_owner), answer.action_due, "Proposed"
    else:
        owner = due = status = None
    return _MEETS.get(answer.meets), answer.action or None, owner, due, status
