"""The PDF of one assessment, as a scrutiny committee reads it."""

from django.db.models import Prefetch

from checklists.models import Action, Assessment, Template
from checklists.selectors import assessments_with_answers, one_assessment, section_ratings, sections_with_answers
from common.pdf import render_pdf

FILE_KINDS = {Template.Kind.CHECKLIST: "partnership-checklist", Template.Kind.IMPROVEMENT: "improvement-review"}


def assessments_for_pdf(assessments):
    """`assessments` with everything their PDF shows, in a fixed number of queries."""
    return assessments_with_answers(assessments).prefetch_related(
        Prefetch("actions", queryset=Action.objects.select_related("owner").order_by("due_date", "id")),
    )


def assessment_for_pdf(*, pk: int, user) -> Assessment:
    """One assessment `user` may see (else 404), for its PDF."""
    return one_assessment(assessments_for_pdf(Assessment.objects.visible_to(user)), pk)


def assessment_context(assessment: Assessment, *, anchor: str = "assessment") -> dict:
    sections = sections_with_answers(assessment)
    return {
        "assessment": assessment,
        "sections": sections,
        "actions": list(assessment.actions.all()),
        # A draft's actions are not tracked yet: show what its answers propose.
        "proposed_actions": [
            (question, answer) for row in sections for question, answer in row["questions"]
            if answer is not None and answer.action
        ],
        "anchor": anchor,
        # Approved: the register entry as it stood at approval, and what has changed since.
        "entry": assessment.register_entry(),
        "entry_changed": assessment.entry_changed_since_approval(),
        "ratings": section_ratings(assessment),
    }


def assessment_pdf(assessment: Assessment, *, target=None) -> bytes | None:
    return render_pdf("pdf/assessment.html", assessment_context(assessment), target=target)


def assessment_filename(assessment: Assessment, *, extension: str = "pdf") -> str:
    """What it is, e.g. `P-0012-improvement-review-2025-26.pdf` (or `.csv`, `.xlsx`); a draft says so."""
    draft = "-DRAFT" if assessment.status == Assessment.Status.DRAFT else ""
    kind = FILE_KINDS.get(assessment.template.kind, "assessment")
    return f"{assessment.partnership.reference}-{kind}-{assessment.review_period}{draft}.{extension}"
