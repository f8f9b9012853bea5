from checklists import services
from checklists.models import Question, Template


def questions_of(assessment):
    return list(Question.objects.filter(section__template=assessment.template).order_by("section__number", "position"))


def complete(assessment, user):
    """Answer every question of `assessment` fully."""
    if assessment.template.kind == Template.Kind.CHECKLIST:
        answers = {q: {"narrative": f"Answer to {q.letter}", "rating": "assured"} for q in questions_of(assessment)}
    else:
        answers = {q: {"meets": "yes"} for q in questions_of(assessment)}
    services.assessment_save_answers(assessment=assessment, answers=answers, version=assessment.version, user=user)


def start(partnership, user, kind=Template.Kind.CHECKLIST, title="2025-26 review"):
    return services.assessment_start(partnership=partnership, kind=kind, title=title, user=user)


def submitted(partnership, user, kind=Template.Kind.CHECKLIST, title="2025-26 review"):
    """A fully answered assessment, submitted by `user`."""
    assessment = start(partnership, user, kind, title)
    complete(assessment, user)
    services.assessment_submit(assessment=assessment, version=assessment.version, user=user)
    return assessment


def tracked_action(partnership, user, action="Agree a plan"):
    """An Improvement Template review by `user`, every area Yes but the first, No with `action`,
    submitted so the action is tracked: (the review, its Action)."""
    from checklists.models import Action

    assessment = start(partnership, user, Template.Kind.IMPROVEMENT, "2026")
    complete(assessment, user)
    assessment.refresh_from_db()
    services.assessment_save_answers(
        assessment=assessment, answers={questions_of(assessment)[0]: {"meets": "no", "action": action}},
        version=assessment.version, user=user)
    assessment.refresh_from_db()
    services.assessment_submit(assessment=assessment, version=assessment.version, user=user)
    return assessment, Action.objects.get(assessment=assessment)
