"""The form for a risk of working in a partnership: the strategy's nine risks or one of the
officer's own, scored for likelihood and impact in the words of a council's risk matrix."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

from common.forms import GovukDateField, UserChoiceField, VersionedForm, VersionField, character_limit
from partnerships.forms import officer_choices
from partnerships.models import DESCRIBE_THE_RISK, Risk
from partnerships.services import RISK_FIELDS

# The choice for a risk that is not one of the strategy's nine.
ANOTHER_RISK = "another"
ANOTHER_RISK_LABEL = "Another risk"


def _standard_choices() -> list:
    """The strategy's nine risks, then "or", then a risk of the officer's own."""
    nine = list(Risk.Standard.choices)
    *first, (last_value, last_label) = nine
    return [*first, Choice(last_value, last_label, divider="or"), (ANOTHER_RISK, ANOTHER_RISK_LABEL)]


class RiskForm(VersionedForm, forms.ModelForm):
    """Adds a risk to a partnership or changes one, with the version it was read at
    (optimistic locking). Its owner is chosen among the officers of the councils taking part."""

    standard = forms.ChoiceField(
        label="Which risk is it?", choices=_standard_choices, widget=forms.RadioSelect,
        help_text="The partnership strategy’s risks of working in partnership, or one of your own.",
        error_messages={"required": "Select one of the strategy’s risks, or Another risk",
                        "invalid_choice": "Select one of the strategy’s risks, or Another risk"},
    )
    likelihood = forms.TypedChoiceField(
        label="How likely is it to happen?", coerce=int, widget=forms.RadioSelect,
        choices=Risk.Likelihood.choices,
        error_messages={"required": "Select how likely the risk is to happen",
                        "invalid_choice": "Select how likely the risk is to happen"},
    )
    impact = forms.TypedChoiceField(
        label="How great would its impact be?", coerce=int, widget=forms.RadioSelect,
        choices=Risk.Impact.choices,
        error_messages={"required": "Select how great the risk’s impact would be",
                        "invalid_choice": "Select how great the risk’s impact would be"},
    )
    owner = UserChoiceField(
        queryset=None, label="Owner", help_text="An officer of a council taking part in the partnership.",
        error_messages={"required": "Select who owns the risk", "invalid_choice": "Select who owns the risk"},
    )
    review_date = GovukDateField(label="Next review", help_text="For example, 31 3 2027")
    version = VersionField()

    class Meta:
        model = Risk
        fields = ["standard", "description", "likelihood", "impact", "mitigation", "owner", "review_date", "status"]
        widgets = {"status": forms.RadioSelect, "description": forms.Textarea(attrs={"rows": 3}),
                   "mitigation": forms.Textarea(attrs={"rows": 4})}
        labels = {"description": "If it is another risk, describe it", "mitigation": "How is it being managed?"}
        help_texts = {"description": "Leave this blank if it is one of the strategy’s risks.",
                      "mitigation": "What the partnership and the council are doing to make it less likely, "
                                    "or to lessen its impact."}
        error_messages = {
            "mitigation": {"required": "Enter how the risk is being managed"},
            "status": {"required": "Select whether the risk is open or closed",
                       "invalid_choice": "Select whether the risk is open or closed"},
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        risk = self.instance
        risk.partnership = partnership
        adding = risk.pk is None
        self.fields["version"].initial = risk.version
        if not adding:
            self.initial["standard"] = risk.standard or ANOTHER_RISK
            if risk.standard:  # its words are the strategy's, not typed here
                self.initial["description"] = ""
        self.fields["owner"].queryset = officer_choices(also=risk.owner_id, taking_part_in=partnership.pk)
        self.fields["review_date"].error_messages["required"] = "Enter the date of the risk’s next review"
        description_limit = character_limit(self.fields["description"], "The risk")
        mitigation_limit = character_limit(self.fields["mitigation"], "How it is being managed")
        if adding:
            del self.fields["status"]  # a risk is open when it is added
        else:
            self.fields["status"].choices = Risk.Status.choices  # no "---------": GOV.UK radios start empty
        self.helper = FormHelper()
        self.helper.layout = Layout(
            # Not a conditional reveal: GOV.UK Frontend's marks its radio aria-expanded, which
            # a radio may not have (axe-core's aria-allowed-attr).
            Field.radios("standard", legend_size=Size.SMALL),
            Field.textarea("description", rows=3, max_characters=description_limit, threshold=75),
            Field.radios("likelihood", legend_size=Size.SMALL),
            Field.radios("impact", legend_size=Size.SMALL),
            Field.textarea("mitigation", rows=4, max_characters=mitigation_limit, threshold=75),
            Field.select("owner"),
            Field("review_date"),
            *([] if adding else [Field.radios("status", inline=True, legend_size=Size.SMALL)]),
            "version",
            Submit("save", "Add the risk" if adding else "Save the risk"),
        )

    def clean_standard(self) -> str:
        """A risk of the officer's own is one with no standard risk."""
        value = self.cleaned_data["standard"]
        return "" if value == ANOTHER_RISK else value

    def clean(self):
        cleaned = super().clean()
        # A risk from the list reads as the strategy words it (Risk.clean): words typed here
        # would be lost without a word, so they are asked about instead.
        if cleaned.get("standard") and cleaned.get("description", "").strip():
            self.add_error("description", "Leave this blank for one of the strategy’s risks, or choose Another risk")
        return cleaned

    def _post_clean(self):
        # The model's rules (Risk.clean) are asked of the risk as the form could read it. Where
        # no risk was chosen, "Describe the risk" would only send them to a box they cannot see.
        unread = "standard" in self._errors
        super()._post_clean()
        if unread and DESCRIBE_THE_RISK in self._errors.get("description", []):
            kept = [error for error in self._errors["description"] if error != DESCRIBE_THE_RISK]
            if kept:
                self._errors["description"] = self.error_class(kept)
            else:
                del self._errors["description"]

    def risk_data(self) -> dict:
        """The risk's fields, from the cleaned data, for risk_create and risk_update."""
        return {name: self.cleaned_data[name] for name in RISK_FIELDS if name in self.cleaned_data}
