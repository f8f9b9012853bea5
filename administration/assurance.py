"""Each council's assurance policy: how soon a partnership is reviewed again after an
approval below a chosen level (checklists.AssurancePolicy). A council's administrator
changes their own council's only; each change is recorded."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render

from administration.models import ChangeRecord, state_version
from administration.people import councils_administered_by
from administration.services import AdministrationError, record
from checklists.models import AssurancePolicy
from common.access import user_passes
from partnerships.models import ASSURANCE_MEANINGS, Assurance, Council
from partnerships.permissions import is_administrator

STALE = ("{council}’s policy was changed by someone else while you were working on it. It is shown as it is "
         "now: make your change again if it is still needed.")


def policy_state(policy: AssurancePolicy) -> dict:
    return {"below": policy.get_below_display(), "review_months": policy.review_months}


def policy_version(policy: AssurancePolicy) -> str:
    return state_version(policy_state(policy))


@transaction.atomic
def assurance_policy_set(*, by, council: Council, version: str | None, below: str, review_months: int | None):
    """Set `council`'s policy, if `by` administers it; recorded with before and after."""
    if not councils_administered_by(by).filter(pk=council.pk).exists():
        raise AdministrationError("You can only change the settings of a council you administer.")
    Council.objects.select_for_update().filter(pk=council.pk).first()  # one change at a time
    policy = AssurancePolicy.of(council)
    if version is not None and version != policy_version(policy):
        raise AdministrationError(STALE.format(council=council.name))
    before = policy_state(policy)
    policy.below, policy.review_months = below, review_months
    policy.full_clean()
    policy.save()
    after = policy_state(policy)
    if before == after:
        return None
    if review_months:
        summary = (f"Set {council.short_name}’s assurance policy: review within {review_months} months when "
                   f"assurance is below {policy.get_below_display().lower()}")
    else:
        summary = f"Switched off {council.short_name}’s shorter review for low assurance"
    return record(by=by, kind=ChangeRecord.Kind.SETTING_CHANGED, council=council, before=before, after=after,
                  summary=summary)


class AssurancePolicyForm(forms.Form):
    below = forms.ChoiceField(
        label="Bring the next review forward when the overall assurance is below", widget=forms.RadioSelect,
        choices=[Choice(level.value, level.label, hint=ASSURANCE_MEANINGS[level]) for level in Assurance],
        error_messages={"required": "Select an assurance level", "invalid_choice": "Select an assurance level"},
    )
    review_months = forms.IntegerField(
        label="Review again within (months)", required=False, min_value=1, max_value=36,
        help_text="From 1 to 36. Leave it blank to keep each partnership’s own review frequency whatever the "
                  "assurance.",
        error_messages={"invalid": "Enter a whole number of months, like 6",
                        "min_value": "Enter a number of months from 1 to 36",
                        "max_value": "Enter a number of months from 1 to 36"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.radios("below", legend_size=Size.SMALL),
                                    Field.text("review_months", field_width=2), Submit("save", "Save the policy"))


@user_passes(is_administrator)
def council_assurance(request, pk):
    """Change a council's assurance policy (a council the administrator does not administer: 404)."""
    council = get_object_or_404(councils_administered_by(request.user), pk=pk)
    policy = AssurancePolicy.of(council)
    if request.method == "POST":
        form = AssurancePolicyForm(request.POST)
        version = request.POST.get("version", "")
        if form.is_valid():
            try:
                changed = assurance_policy_set(by=request.user, council=council, version=version,
                                               below=form.cleaned_data["below"],
                                               review_months=form.cleaned_data["review_months"])
            except (AdministrationError, ValidationError) as error:
                form.add_error(None, error.messages if isinstance(error, ValidationError) else str(error))
            else:
                messages.success(request, "The policy has been saved." if changed else "Nothing was changed.")
                return redirect("manage:council_assurance", pk=council.pk)
    else:
        form = AssurancePolicyForm(initial={"below": policy.below, "review_months": policy.review_months})
        version = policy_version(policy)
    return render(request, "administration/council_assurance.html", {
        "council": council, "policy": policy, "form": form, "version": version,
        "changes": ChangeRecord.objects.filter(council=council, kind=ChangeRecord.Kind.SETTING_CHANGED)[:50],
    })
