import rules
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from common.access import user_passes
from common.pdf import pdf_response, render_pdf
from partnerships import services
from partnerships.forms import NewOrganisationForm, PartnerForm, PartnershipForm, ScreeningForm
from partnerships.history import partnership_history
from partnerships.models import Partnership, PartnershipMember, Risk
from partnerships.permissions import can_edit_partnership, can_register_partnership, can_view_register
from partnerships.selectors import assessments_and_open_actions, open_and_closed_risks, partnership_detail
from partnerships.tree import branch, drawing, forest, walk

SCREENING_SESSION_KEY = "partnership_screening"


def _partnership(request, pk, *, may: str | None = None, queryset=None) -> Partnership:
    """The partnership `pk` if the person may see it (else 404) and, if `may` names a rule,
    may do that to it (else 403): the one way these views fetch a partnership."""
    partnership = get_object_or_404(
        queryset if queryset is not None else Partnership.objects.visible_to(request.user), pk=pk
    )
    if may and not rules.has_perm(may, request.user, partnership):
        raise PermissionDenied
    return partnership


@user_passes(can_view_register)
def detail(request, pk):
    partnership = partnership_detail(pk=pk, user=request.user)
    assessments, open_actions = assessments_and_open_actions(partnership)
    open_risks, closed_risks = open_and_closed_risks(partnership)
    return render(
        request,
        "partnerships/detail.html",
        {
            "partnership": partnership,
            "assessments": assessments,
            "open_actions": open_actions,
            "open_risks": open_risks,
            "closed_risks": closed_risks,
            "can_edit": can_edit_partnership(request.user, partnership),
            "can_assess": rules.has_perm("checklists.start_assessment", request.user, partnership),
            "last_change": partnership.history.select_related("history_user").first(),
            # Its branch of the partnership tree, if it is in one (its children are read already).
            "branch": branch(partnership=partnership, user=request.user)
            if partnership.parent_id is not None or partnership.children.all() else [],
        },
    )


HISTORY_PAGE_SIZE = 50


@user_passes(can_view_register)
def history(request, pk):
    """Every change to the register entry, its partners and its actions: who, when, before and after."""
    partnership = _partnership(request, pk)
    page = Paginator(partnership_history(partnership, user=request.user), HISTORY_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "partnerships/history.html", {"partnership": partnership, "page": page})


@user_passes(can_view_register)
def profile_pdf(request, pk):
    """The register entry as a PDF: every field, partners, assessments, open actions and risks."""
    partnership = partnership_detail(pk=pk, user=request.user)
    assessments, open_actions = assessments_and_open_actions(partnership)
    open_risks, closed_risks = open_and_closed_risks(partnership)
    content = render_pdf(
        "pdf/partnership.html",
        {"partnership": partnership, "assessments": assessments, "open_actions": open_actions,
         "open_risks": open_risks, "closed_risks": closed_risks, "bands": Risk.bands_in_words()},
    )
    return pdf_response(content, f"{partnership.reference}-partnership-profile.pdf")


@user_passes(can_register_partnership)
def screening(request):
    """Step 1 of registering: the strategy's five exclusions must all be answered "No"."""
    saved = request.session.get(SCREENING_SESSION_KEY, {})
    form = ScreeningForm(request.POST if request.method == "POST" else None, initial=saved.get("answers"))
    if request.method == "POST" and form.is_valid():
        refusals = form.refusals()
        request.session[SCREENING_SESSION_KEY] = {
            "answers": form.cleaned_data,
            "passed": not refusals,
        }
        if refusals:
            return render(request, "partnerships/screening_refused.html", {"refusals": refusals})
        return redirect("partnerships:create")
    return render(request, "partnerships/screening.html", {"form": form})


@user_passes(can_register_partnership)
def create(request):
    """Step 2 of registering: the partnership's details, once screening has passed."""
    if not request.session.get(SCREENING_SESSION_KEY, {}).get("passed"):
        messages.info(request, "Answer the screening questions before registering a partnership.")
        return redirect("partnerships:screening")
    form = PartnershipForm(request.POST if request.method == "POST" else None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            partnership = services.partnership_register(data=form.entry_data(), user=request.user)
        except ValidationError as error:  # a rule the form could not ask (whose councils these are)
            form.add_error(None, error)
        else:
            del request.session[SCREENING_SESSION_KEY]
            messages.success(
                request,
                f"{partnership.name} has been registered as {partnership.reference}. "
                "Add its partner organisations below.",
            )
            return redirect("partnerships:partners", pk=partnership.pk)
    return render(request, "partnerships/form.html", {"form": form, "title": "Register a partnership", "back_url": reverse("partnerships:screening")})


@user_passes(can_view_register)
def edit(request, pk):
    partnership = _partnership(request, pk, may="partnerships.edit_partnership")
    form = PartnershipForm(request.POST if request.method == "POST" else None, instance=partnership, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.partnership_update(
                partnership=partnership, data=form.entry_data(), user=request.user,
                version=form.cleaned_data["version"],
            )
        except services.RegisterError as error:
            # Nothing was saved; what they typed stays on the page with the reason.
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Your changes have been saved.")
            return redirect(partnership)
    return render(
        request,
        "partnerships/form.html",
        {"form": form, "title": f"Edit {partnership.name}", "back_url": partnership.get_absolute_url()},
    )


@user_passes(can_view_register)
def partners(request, pk):
    partnership = _partnership(request, pk, may="partnerships.edit_partnership",
                               queryset=Partnership.objects.visible_to(request.user).prefetch_related(
                                   Prefetch("memberships", PartnershipMember.objects.select_related("organisation"))))
    form = PartnerForm(request.POST if request.method == "POST" else None, partnership=partnership)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.partner_add(
                partnership=partnership, organisation=form.cleaned_data["organisation"],
                role=form.cleaned_data["role"], user=request.user,
            )
        except services.RegisterError as error:
            form.add_error("organisation", str(error))
        else:
            messages.success(request, f"{member.organisation.name} has been added as a partner.")
            return redirect("partnerships:partners", pk=partnership.pk)
    return render(
        request,
        "partnerships/partners.html",
        {
            "partnership": partnership,
            "form": form,
            "can_add_partner": form.fields["organisation"].queryset.exists(),
            "can_add_organisation": rules.has_perm(
                "partnerships.add_organisation_as_partner", request.user, partnership
            ),
        },
    )


@user_passes(can_view_register)
def organisation_new(request, pk):
    """Add a partner organisation that is not on the register yet, after a near-duplicate check."""
    partnership = _partnership(request, pk, may="partnerships.add_organisation_as_partner")
    form = NewOrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            member = services.organisation_add_as_partner(
                partnership=partnership, user=request.user, name=form.cleaned_data["name"],
                sector=form.cleaned_data["sector"], role=form.cleaned_data["role"],
            )
        except services.RegisterError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"{member.organisation.name} has been added to the register and as a partner.")
            return redirect("partnerships:partners", pk=partnership.pk)
    return render(request, "partnerships/organisation_new.html", {"partnership": partnership, "form": form})


@user_passes(can_view_register)
def partner_remove(request, pk, member_pk):
    _partnership(request, pk, may="partnerships.edit_partnership")
    if request.method != "POST":  # asked after the rule, so whoever may not remove partners is told 403
        return HttpResponseNotAllowed(["POST"])
    membership = PartnershipMember.objects.select_related("organisation").filter(pk=member_pk).first()
    if membership is not None and membership.partnership_id != pk:
        raise Http404
    if membership is None:  # removed already: by someone else, or by the same form sent twice
        messages.info(request, "That partner had already been removed.")
    else:
        services.partner_remove(membership=membership, user=request.user)
        messages.success(request, f"{membership.organisation.name} has been removed as a partner.")
    return redirect("partnerships:partners", pk=pk)


@user_passes(can_view_register)
def tree(request):
    """Every tree of partnerships and sub-partnerships the person may see, drawn and listed."""
    roots = forest(user=request.user)
    return render(request, "partnerships/tree.html", {
        "roots": roots, "picture": drawing(roots), "count": len(walk(roots)),
    })
