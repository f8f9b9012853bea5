"""Who may see and work on assessments. Views ask here; approval rules live in services.may_approve."""

from checklists.models import Assessment


def can_work_on_assessments(user) -> bool:
    """Officers and administrators: start assessments, fill in drafts, see drafts."""
    return user.has_perm("checklists.change_assessment")


def can_view_assessment(user, assessment: Assessment) -> bool:
    """Everyone with the register sees submitted and approved assessments; drafts only officers."""
    if not user.has_perm("checklists.view_assessment"):
        return False
    return assessment.status != Assessment.Status.DRAFT or can_work_on_assessments(user)


def can_edit_assessment(user, assessment: Assessment) -> bool:
    return assessment.status == Assessment.Status.DRAFT and can_work_on_assessments(user)
