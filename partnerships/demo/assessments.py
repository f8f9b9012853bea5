"""Demo assessments in every state, made through the same services officers use."""

import itertools

from django.db import transaction

from partnerships.demo import data
from partnerships.models import Partnership


@transaction.atomic
def load_assessments(users) -> int:
    # checklists sits above partnerships; only the demo loader reaches up to it.
    from checklists import services
    from checklists.models import Question, Template

    added = 0
    # Each approval gives its own overall assurance, so the register shows and filters every level.
    assurances = itertools.cycle(["reasonable", "substantial", "limited", "reasonable", "none", "substantial"])
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
            services.assessment_approve(assessment=assessment, version=assessment.version, user=users[reviewer],
                                        assurance=next(assurances))
        if state == "returned":
            services.assessment_return(assessment=assessment, version=assessment.version, user=users[reviewer], reason=reason)
        if title.startswith("2025-26") and state == "approved":
            type(assessment).objects.filter(pk=assessment.pk).update(**data.LAST_YEAR_DATES)
        added += 1
    if added:
        _vary_actions(users)
        _hand_over(users)
    return added


def _vary_actions(users):
    """Some demo actions under way, one done and one overdue, so the actions page shows each
    (changed through the service, so each partnership's history shows who did it)."""
    from datetime import timedelta

    from django.utils import timezone

    from checklists import services
    from checklists.models import Action

    actions = list(Action.objects.select_related("owner", "assessment").order_by("id"))
    if len(actions) >= 4:
        changes = [
            {"status": Action.Status.IN_PROGRESS},
            {"status": Action.Status.DONE},
            {"due_date": timezone.localdate() - timedelta(days=14)},
        ]
        for action, change in zip(actions, changes):
            values = {"owner": action.owner, "due_date": action.due_date, "status": action.status, **change}
            services.action_update(action=action, version=action.version, user=action.owner, **values)


def _hand_over(users):
    """One lead officer hands a partnership over after its review was approved, so its
    history shows the handover and the approved review shows the entry as it was."""
    from partnerships.services import partnership_update

    partnership = Partnership.objects.filter(name=data.HANDED_OVER[0]).first()
    if partnership is not None and partnership.lead_officer.username == data.HANDED_OVER[1]:
        partnership_update(partnership=partnership, version=partnership.version, user=partnership.lead_officer,
                           data={"lead_officer": users[data.HANDED_OVER[2]],
                                 "council_representative": users[data.HANDED_OVER[2]].get_full_name()})
