"""Demo assessments in every state, made through the same services officers use."""

from django.db import transaction

from partnerships.demo import data
from partnerships.models import Partnership


@transaction.atomic
def load_assessments(users) -> int:
    # checklists sits above partnerships; only the demo loader reaches up to it.
    from checklists import services
    from checklists.models import Question, Template

    added = 0
    for name, kind, title, state, author, reviewer, reason in data.ASSESSMENTS:
        partnership = Partnership.objects.filter(name=name).first()
        if partnership is None or partnership.assessments.filter(title=title).exists():
            continue
        assessment = services.assessment_start(partnership=partnership, kind=kind, title=title, user=users[author])
        questions = list(
            Question.objects.filter(section__template=assessment.template).order_by("section__number", "position")
        )
        if kind == Template.Kind.CHECKLIST:
            answers = {q: {"narrative": text, "rating": rating}
                       for q, (text, rating) in zip(questions, data.CHECKLIST_ANSWERS)}
        else:
            answers = {q: {"meets": meets, "action": action}
                       for q, (meets, action) in zip(questions, data.IMPROVEMENT_ANSWERS)}
        if state == "draft":
            answers = dict(list(answers.items())[: len(answers) // 2])
        services.assessment_save_answers(
            assessment=assessment, answers=answers, version=assessment.version, user=users[author]
        )
        if state != "draft":
            services.assessment_submit(assessment=assessment, version=assessment.version, user=users[author])
        if state == "approved":
            services.assessment_approve(assessment=assessment, version=assessment.version, user=users[reviewer])
        if state == "returned":
            services.assessment_return(assessment=assessment, version=assessment.version, user=users[reviewer], reason=reason)
        if title.startswith("2025-26") and state == "approved":
            type(assessment).objects.filter(pk=assessment.pk).update(**data.LAST_YEAR_DATES)
        added += 1
    if added:
        _vary_actions()
    return added


def _vary_actions():
    """Some demo actions under way, one done and one overdue, so the actions page shows each."""
    from datetime import timedelta

    from django.utils import timezone

    from checklists.models import Action

    actions = list(Action.objects.order_by("id"))
    if len(actions) >= 4:
        Action.objects.filter(pk=actions[0].pk).update(status=Action.Status.IN_PROGRESS)
        Action.objects.filter(pk=actions[1].pk).update(status=Action.Status.DONE)
        Action.objects.filter(pk=actions[2].pk).update(due_date=timezone.localdate() - timedelta(days=14))
