import rules
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from checklists import services
from checklists.forms import ActionForm
from checklists.models import Action, ActionNote, may_work_on_assessments
from common.access import user_passes
from common.forms import UserChoiceField
from common.querystrings import url_with
from partnerships.permissions import can_view_register
from partnerships.services import StaleEdit

SHOW = {
    "open": ("Open and in progress", lambda qs: qs.open()),
    "overdue": ("Overdue", lambda qs: qs.overdue()),
    "done": ("Done", lambda qs: qs.filter(status=Action.Status.DONE)),
    "all": ("All", lambda qs: qs),
}


def visible_actions(user):
    """The actions `user` may see (`Action.objects.visible_to`), with what the list shows."""
    return Action.objects.visible_to(user).select_related("partnership", "owner", "assessment").prefetch_related(
        Prefetch("notes", queryset=ActionNote.objects.select_related("author"))
    )


class ActionFilters(forms.Form):
    """Whose actions, and for which partnership: narrows whichever tab is open."""

    owner = UserChoiceField(queryset=None, required=False, label="Owner", empty_label="Anyone")
    partnership = forms.CharField(required=False, label="Partnership", max_length=200,
                                  help_text="Part of its name or its reference")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        owners = Action.objects.visible_to(user).values("owner")
        self.fields["owner"].queryset = get_user_model().objects.filter(pk__in=owners).order_by(
            "first_name", "last_name", "username")
        self.fields["owner"].error_messages["invalid_choice"] = "Select an owner from the list"

    def apply(self, actions):
        if not self.is_valid():
            return actions
        if self.cleaned_data["owner"]:
            actions = actions.filter(owner=self.cleaned_data["owner"])
        words = self.cleaned_data["partnership"].strip().lower()
        if words:
            actions = actions.filter(partnership__search_text__contains=words)
        return actions


def listed_actions(params, *, user) -> tuple[str, ActionFilters, QuerySet]:
    """The tab (`show`), the filters and the actions they list, in the list's order: for the
    page and its downloads alike."""
    show = params.get("show", "open")
    if show not in SHOW:
        show = "open"
    filters = ActionFilters(params, user=user)
    return show, filters, filters.apply(SHOW[show][1](visible_actions(user))).order_by("due_date", "id")


@user_passes(can_view_register)
def index(request):
    show, filters, rows = listed_actions(request.GET, user=request.user)
    page = Paginator(rows, settings.REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    kept.pop("show", None)
    return render(request, "checklists/actions.html", {
        "page": page,
        "show": show,
        "filters": filters,
        "tabs": [(key, label, url_with(kept, show=key)) for key, label in ((k, v[0]) for k, v in SHOW.items())],
        "previous_url": url_with(request.GET, page=page.previous_page_number()) if page.has_previous() else None,
        "next_url": url_with(request.GET, page=page.next_page_number()) if page.has_next() else None,
        # For the whole list: whoever works on assessments may update every action they see
        # (`checklists.update_action`), so the list asks once, not once a row.
        "can_edit": may_work_on_assessments(request.user),
        "export_query": url_with(request.GET, page=None),
    })


@user_passes(can_view_register)
def edit(request, pk):
    action = get_object_or_404(
        Action.objects.visible_to(request.user).select_related("assessment", "partnership", "owner")
        .prefetch_related("notes__author"), pk=pk
    )
    if not rules.has_perm("checklists.update_action", request.user, action):
        raise PermissionDenied
    form = ActionForm(request.POST if request.method == "POST" else None, action=action)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.action_update(
                action=action, owner=data["owner"], due_date=data["due_date"], status=data["status"],
                note=data["note"], version=data["version"], user=request.user,
            )
        except StaleEdit as error:
            form.add_error(None, str(error))  # nothing saved; what they chose stays on the page
        else:
            messages.success(request, "The action has been updated.")
            return redirect("actions:index")
    return render(request, "checklists/action_form.html",
                  {"action": action, "form": form, "actions_url": reverse("actions:index")})
