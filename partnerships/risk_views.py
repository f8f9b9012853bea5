"""The risk registers: every risk the reader may see, in one list that filters and downloads
(issue 16), and adding a risk to a partnership and changing one. A partnership's own risks
are listed on its page; whoever may edit the partnership may add and change them."""

from crispy_forms_gds.helper import FormHelper
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from common.access import user_passes
from common.forms import UserChoiceField
from common.querystrings import url_with
from partnerships import services
from partnerships.models import RISK_SCORE, Risk
from partnerships.permissions import can_view_register
from partnerships.risk_forms import RiskForm
from partnerships.views import _partnership

# Which risks, by status: open ones unless asked otherwise, as the actions list shows open actions.
SHOW = {
    "open": ("Open", lambda qs: qs.open()),
    "overdue": ("Open, review overdue", lambda qs: qs.open().filter(review_date__lt=timezone.localdate())),
    "closed": ("Closed", lambda qs: qs.filter(status=Risk.Status.CLOSED)),
    "all": ("Open and closed", lambda qs: qs),
}


class RiskFilters(forms.Form):
    """Which risks of those the reader may see: by status, band, owner and partnership."""

    show = forms.ChoiceField(required=False, label="Status",
                             choices=[(key, label) for key, (label, _apply) in SHOW.items()])
    band = forms.ChoiceField(required=False, label="Band", choices=[("", "Any band"), *(
        (band.value, f"{band.label} ({low}–{high})") for band, (low, high) in Risk.BANDS.items())])
    owner = UserChoiceField(queryset=None, required=False, label="Owner", empty_label="Anyone")
    partnership = forms.CharField(required=False, label="Partnership", max_length=200,
                                  help_text="Part of its name or its reference")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()  # read by the error summary
        owners = Risk.objects.visible_to(user).values("owner")
        self.fields["owner"].queryset = get_user_model().objects.filter(pk__in=owners).order_by(
            "first_name", "last_name", "username")
        self.fields["owner"].error_messages["invalid_choice"] = "Select an owner from the list"
        self.fields["show"].error_messages["invalid_choice"] = "Select a status from the list"
        self.fields["band"].error_messages["invalid_choice"] = "Select a band from the list"

    def apply(self, risks: QuerySet) -> QuerySet:
        """`risks` narrowed by the filters; with a filter it cannot read, none (the page says
        what to correct, and a download is refused)."""
        if not self.is_valid():
            return risks.none()
        data = self.cleaned_data
        risks = SHOW[data["show"] or "open"][1](risks)
        if data["band"]:
            risks = risks.in_band(data["band"])
        if data["owner"]:
            risks = risks.filter(owner=data["owner"])
        words = data["partnership"].strip().lower()
        if words:
            risks = risks.filter(partnership__search_text__contains=words)
        return risks


def listed_risks(params, *, user) -> tuple[RiskFilters, QuerySet]:
    """The filters and the risks they list, highest score first (then the review due soonest):
    for the page and its downloads alike. Only risks of partnerships `user` may see."""
    filters = RiskFilters(params, user=user)
    risks = Risk.objects.visible_to(user).select_related("partnership", "owner")
    return filters, filters.apply(risks).order_by(RISK_SCORE.desc(), "review_date", "id")


@user_passes(can_view_register)
def index(request):
    filters, risks = listed_risks(request.GET, user=request.user)
    page = Paginator(risks, settings.REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "partnerships/risks.html", {
        "page": page,
        "filters": filters,
        "bands": Risk.bands_in_words(),
        "previous_url": url_with(request.GET, page=page.previous_page_number()) if page.has_previous() else None,
        "next_url": url_with(request.GET, page=page.next_page_number()) if page.has_next() else None,
        "export_query": url_with(request.GET, page=None),
    })


def _saved(form, save) -> bool:
    """Call `save` with the form's data; False, with the reason on the form, if it was refused.
    Nothing is saved then, and what they typed stays on the page."""
    try:
        save(form.risk_data())
    except services.RegisterError as error:  # StaleEdit: someone else saved it first
        form.add_error(None, str(error))
    except ValidationError as error:
        form.add_error(None, error)
    else:
        return True
    return False


@user_passes(can_view_register)
def new(request, pk):
    partnership = _partnership(request, pk, may="partnerships.edit_partnership")
    form = RiskForm(request.POST if request.method == "POST" else None, partnership=partnership)
    if request.method == "POST" and form.is_valid() and _saved(
        form, lambda data: services.risk_create(partnership=partnership, data=data, user=request.user)
    ):
        messages.success(request, "The risk has been added.")
        return redirect(f"{partnership.get_absolute_url()}#risks")
    return render(request, "partnerships/risk_form.html",
                  {"form": form, "partnership": partnership, "title": "Add a risk", "bands": Risk.bands_in_words()})


@user_passes(can_view_register)
def edit(request, pk, risk_pk):
    partnership = _partnership(request, pk, may="partnerships.edit_partnership")
    risk = get_object_or_404(Risk.objects.visible_to(request.user).select_related("owner"),
                             partnership=partnership, pk=risk_pk)
    form = RiskForm(request.POST if request.method == "POST" else None, instance=risk, partnership=partnership)
    if request.method == "POST" and form.is_valid() and _saved(
        form, lambda data: services.risk_update(
            risk=risk, data=data, version=form.cleaned_data["version"], user=request.user)
    ):
        messages.success(request, "The risk has been saved.")
        return redirect(f"{partnership.get_absolute_url()}#risks")
    return render(request, "partnerships/risk_form.html",
                  {"form": form, "partnership": partnership, "title": "Change a risk",
                   "bands": Risk.bands_in_words()})
