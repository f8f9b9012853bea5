"""A partnership's risk register: adding a risk and changing one. Risks are listed on the
partnership's page; whoever may edit the partnership may add and change them."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render

from common.access import user_passes
from partnerships import services
from partnerships.models import Risk
from partnerships.permissions import can_view_register
from partnerships.risk_forms import RiskForm
from partnerships.views import _partnership


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
