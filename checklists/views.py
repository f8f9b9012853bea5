import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from checklists import services
from checklists.forms import ApproveForm, ReturnForm, SectionForm, StartAssessmentForm
from checklists.models import may_work_on_assessments, soonest_review
from checklists.pdf import assessment_filename, assessment_for_pdf, assessment_pdf
from checklists.selectors import (
    answers_by_question,
    assessment_for_page,
    open_earlier_actions,
    section_ratings,
    sections_with_answers,
)
from common.access import user_passes
from common.forms import VersionField
from common.pdf import pdf_response
from common.people import display_name
from partnerships.models import ASSURANCE_ORDER, Partnership
from partnerships.permissions import can_view_register


def assessment_url(assessment):
    return reverse("checklists:detail", args=[assessment.pk])


def _viewable(request, pk):
    """The assessment `pk` with everything its pages show, if the person may see it (else 404)."""
    return assessment_for_page(pk=pk, user=request.user)


def _for_officers(request, pk):
    """As _viewable, for the pages that work on assessments: 403 for those who may not."""
    assessment = _viewable(request, pk)
    if not may_work_on_assessments(request.user):
        raise PermissionDenied
    return assessment


def _editable(request, pk):
    assessment = _for_officers(request, pk)
    if not rules.has_perm("checklists.edit_assessment", request.user, assessment):
        messages.info(request, "This assessment has been submitted, so it can no longer be changed.")
        return assessment, redirect("checklists:detail", pk=pk)
    return assessment, None


@user_passes(can_view_register)
def start(request, partnership_pk):
    partnership = get_object_or_404(Partnership.objects.visible_to(request.user), pk=partnership_pk)
    if not rules.has_perm("checklists.start_assessment", request.user, partnership):
        raise PermissionDenied
    form = StartAssessmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        assessment = services.assessment_start(
            partnership=partnership, kind=form.cleaned_data["kind"], title=form.cleaned_data["title"],
            user=request.user,
        )
        return redirect("checklists:detail", pk=assessment.pk)
    return render(request, "checklists/start.html", {"form": form, "partnership": partnership})


@user_passes(can_view_register)
def detail(request, pk):
    """A draft's task list for those who may edit it; otherwise the answers, read-only."""
    assessment = _viewable(request, pk)
    sections = sections_with_answers(assessment)
    context = {
        "assessment": assessment,
        "sections": sections,
        "completed": sum(row["status"] == "Completed" for row in sections),
        "can_edit": rules.has_perm("checklists.edit_assessment", request.user, assessment),
        "may_approve": rules.has_perm("checklists.approve_assessment", request.user, assessment),
        # What was approved stays what was approved: the entry as it stood then.
        "entry": assessment.approved_entry if assessment.status == assessment.Status.APPROVED else None,
        "entry_changed": assessment.entry_changed_since_approval(),
        # What supports the approver's overall assurance.
        "ratings": section_ratings(assessment) if assessment.status == assessment.Status.APPROVED else None,
    }
    template = "checklists/task_list.html" if context["can_edit"] else "checklists/assessment.html"
    return render(request, template, context)


@user_passes(can_view_register)
def pdf(request, pk):
    """The assessment as a PDF: anyone who may read it may download it (drafts marked DRAFT)."""
    assessment = assessment_for_pdf(pk=pk, user=request.user)
    return pdf_response(assessment_pdf(assessment), assessment_filename(assessment))


@user_passes(can_view_register)
def section(request, pk, number):
    assessment, refused = _editable(request, pk)
    if refused:
        return refused
    sections = list(assessment.template.sections.all())
    current = next((s for s in sections if s.number == number), None)
    if current is None:
        raise Http404
    earlier = open_earlier_actions(assessment)
    carried = {q.pk: earlier[(current.number, q.position)] for q in current.questions.all()
               if (current.number, q.position) in earlier}
    form = SectionForm(
        request.POST if request.method == "POST" else None, assessment=assessment, section=current,
        answers=answers_by_question(assessment), carried=carried,
    )
    returning_to_check = request.GET.get("return") == "check"
    # A page that is all valid is saved and moves on. One whose only fault is a No without its
    # action is saved too, as a draft (the No included), and comes back asking for the action.
    if request.method == "POST" and (form.is_valid() or form.only_actions_missing()):
        complete = not form.errors
        try:
            version = services.assessment_save_answers(
                assessment=assessment, answers=form.answers(), version=form.cleaned_data["version"],
                user=request.user,
            )
        except services.StaleEdit as error:
            form.add_error(None, str(error))
        except services.WorkflowError as error:
            messages.info(request, str(error))
            return redirect("checklists:detail", pk=pk)
        else:
            if not complete:
                # The page now carries the new version, so saving again with the action works.
                data = request.POST.copy()
                data["version"] = str(version)
                form = SectionForm(data, assessment=assessment, section=current,
                                   answers=answers_by_question(assessment), carried=carried)
                form.is_valid()
                messages.info(request,
                              "Your other answers have been saved as a draft. Add the missing action, then save again.")
            elif "later" in request.POST:
                messages.success(request, "Your answers have been saved. You can come back to them at any time.")
                return redirect("checklists:detail", pk=pk)
            elif returning_to_check:  # came from "Change" on check your answers: go back there
                return redirect("checklists:check", pk=pk)
            else:
                following = next((s for s in sections if s.number > number), None)
                if following:
                    return redirect("checklists:section", pk=pk, number=following.number)
                return redirect("checklists:check", pk=pk)
    return render(
        request,
        "checklists/section.html",
        {"assessment": assessment, "section": current, "form": form,
         "improvement": assessment.template.kind == assessment.template.Kind.IMPROVEMENT,
         "rows": [(question, fields, carried.get(question.pk)) for question, fields in form.question_rows()],
         "assessment_url": reverse("checklists:check", args=[pk]) if returning_to_check else assessment_url(assessment)},
    )


@user_passes(can_view_register)
def check(request, pk):
    """Check your answers, then submit."""
    assessment, refused = _editable(request, pk)
    if refused:
        return refused
    error = None
    if request.method == "POST":
        try:
            services.assessment_submit(assessment=assessment, version=_posted_version(request), user=request.user)
        except services.WorkflowError as exc:
            error = str(exc)
        else:
            messages.success(request, "The assessment has been submitted for approval.")
            return redirect("checklists:detail", pk=pk)
    sections = sections_with_answers(assessment)
    # The same test services.unanswered applies, on answers already fetched.
    missing = [
        question for row in sections for question, answer in row["questions"]
        if not services.is_complete(assessment.template.kind, answer)
    ]
    return render(
        request,
        "checklists/check.html",
        {"assessment": assessment, "sections": sections, "missing": missing,
         "error": error, "assessment_url": assessment_url(assessment)},
    )


def _version(data) -> int | None:
    """The assessment version a page was opened at, from a form or a link; None if missing or mangled."""
    try:
        return VersionField().clean(data.get("version"))
    except ValidationError:
        return None


def _posted_version(request) -> int:
    """As _version, for a POST: a missing or mangled version matches no assessment's."""
    version = _version(request.POST)
    return -1 if version is None else version


def _decision_refusal(request, assessment, doing: str):
    """Why the approve or return page cannot go on, as a response, or None.

    Approving is of what the approver read: the assessment page's Approve and Return
    links carry the version it showed, and so do the pages' forms. A page opened from an
    older version says so (409), with a link to the assessment as it is now.
    """
    if assessment.status == assessment.Status.APPROVED:
        messages.info(request, f"This assessment has already been approved, by "
                               f"{display_name(assessment.approved_by)} "
                               f"on {assessment.approved_at:%-d %B %Y}.")
        return redirect("checklists:detail", pk=assessment.pk)
    seen = _version(request.POST if request.method == "POST" else request.GET)
    if seen is None:
        messages.info(request, f"Read the assessment, then choose {doing.capitalize()} on it.")
        return redirect("checklists:detail", pk=assessment.pk)
    if seen != assessment.version or assessment.status != assessment.Status.SUBMITTED:
        return render(request, "checklists/stale.html", {
            "assessment": assessment, "assessment_url": assessment_url(assessment),
        }, status=409)
    refusal = services.approval_refusal(request.user, assessment, doing=doing)
    if refusal:
        messages.info(request, refusal)
        return redirect("checklists:detail", pk=assessment.pk)
    return None


@user_passes(can_view_register)
def approve(request, pk):
    """Confirm what approval means, then approve the assessment as the approver read it."""
    assessment = _for_officers(request, pk)
    refused = _decision_refusal(request, assessment, "approve")
    if refused:
        return refused
    form = ApproveForm(request.POST if request.method == "POST" else None, version=assessment.version)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_approve(assessment=assessment, version=form.cleaned_data["version"],
                                        user=request.user, assurance=form.cleaned_data["assurance"])
        except services.StaleEdit:  # changed between this page's checks and the approval
            return render(request, "checklists/stale.html", {
                "assessment": assessment, "assessment_url": assessment_url(assessment)}, status=409)
        except services.WorkflowError as error:
            messages.info(request, str(error))
        else:
            messages.success(request, "The assessment has been approved.")
        return redirect("checklists:detail", pk=pk)
    partnership = assessment.partnership
    kind = assessment.template.kind
    # The policy that moves the review soonest with the lowest assurance, if any does.
    _due, policy = soonest_review(partnership, ASSURANCE_ORDER[-1], timezone.localdate())
    return render(request, "checklists/approve.html", {
        "assessment": assessment, "partnership": partnership, "form": form,
        "ratings": section_ratings(assessment), "policy": policy,
        "next_review": services.next_review_after_approval(partnership)
        if kind == assessment.template.Kind.IMPROVEMENT else None,
        # Where the next review goes with the lowest assurance, if the policy moves it at all.
        "low_assurance_review": services.next_review_on_approval(partnership, kind, ASSURANCE_ORDER[-1])[0]
        if policy else None,
        "joint": partnership.councils.count() > 1,
        "assessment_url": assessment_url(assessment),
    })


@user_passes(can_view_register)
def return_to_draft(request, pk):
    assessment = _for_officers(request, pk)
    if assessment.status == assessment.Status.SUBMITTED and not rules.has_perm(
        "checklists.return_assessment", request.user, assessment
    ):
        raise PermissionDenied
    refused = _decision_refusal(request, assessment, "return")
    if refused:
        return refused
    form = ReturnForm(request.POST if request.method == "POST" else None, version=assessment.version)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_return(
                assessment=assessment, user=request.user, reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except services.StaleEdit:
            return render(request, "checklists/stale.html", {
                "assessment": assessment, "assessment_url": assessment_url(assessment)}, status=409)
        except services.WorkflowError as error:
            messages.info(request, str(error))
        else:
            messages.success(request, "The assessment has been returned to draft.")
        return redirect("checklists:detail", pk=pk)
    return render(
        request,
        "checklists/return.html",
        {"assessment": assessment, "form": form, "assessment_url": assessment_url(assessment)},
    )
