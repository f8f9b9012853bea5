from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Fixed, Fluid, Layout, Size, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q

from common.forms import (
    GovukDateField,
    ModelIdsChoiceField,
    MoneyField,
    UserChoiceField,
    VersionedForm,
    VersionField,
    character_limit,
)
from partnerships import services
from partnerships.models import (
    REVIEW_DATE_REQUIRED,
    Council,
    Organisation,
    Partnership,
    PartnershipMember,
    council_ids_of,
    of_councils,
)
from partnerships.permissions import can_change_lead_officer
from partnerships.roles import CAN_LEAD, IS_LEAD_MEMBER

YES_NO = [("yes", "Yes"), ("no", "No")]

# The partnership strategy's list of what is not a partnership (seed 003), each
# with the question officers answer and the reason the register gives.
EXCLUSIONS = [
    (
        "council_controls",
        "Does the council have direct control over the group’s budget or decision making?",
        "Groups where the council has direct control over budgets or decision making are not "
        "partnerships. Manage it through the council’s own budget and decision-making processes.",
    ),
    (
        "informal_group",
        "Is it an informal group set up to discuss and consider specific topics, such as a "
        "consultation group?",
        "Informal groups set up to discuss and consider specific topics, such as consultation "
        "groups, are not partnerships. Record it with the service’s consultation arrangements.",
    ),
    (
        "outside_body",
        "Is it an appointment or financial commitment to an outside body where the council has "
        "no strategic or policy function?",
        "Appointments and financial commitments to outside bodies where the council has no "
        "strategic or policy function are not partnerships. Record it on the register of "
        "appointments to outside bodies.",
    ),
    (
        "commercial_agreement",
        "Is it a commercial agreement?",
        "Commercial agreements are not partnerships. Manage it through the council’s "
        "commercial and legal processes.",
    ),
    (
        "service_contract",
        "Is it a contract for the delivery of a service?",
        "Contracts for the delivery of a service are not partnerships. Manage it through "
        "the council’s contract management and procurement processes.",
    ),
]


# What each screening question's error says, so the error summary names the question.
SCREENING_ERRORS = {
    "council_controls": "Select yes if the council has direct control over the group’s budget or decisions",
    "informal_group": "Select yes if it is an informal group, such as a consultation group",
    "outside_body": "Select yes if it is an appointment or financial commitment to an outside body",
    "commercial_agreement": "Select yes if it is a commercial agreement",
    "service_contract": "Select yes if it is a contract for the delivery of a service",
}


class ScreeningForm(forms.Form):
    """The strategy's five "what is not a partnership" questions, asked before registering."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, question, _reason in EXCLUSIONS:
            self.fields[name] = forms.ChoiceField(
                label=question,
                choices=YES_NO,
                widget=forms.RadioSelect,
                error_messages={"required": f"{SCREENING_ERRORS[name]}, or no"},
            )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *(Field.radios(name, legend_size=Size.SMALL, inline=True) for name, _q, _r in EXCLUSIONS),
            Submit("continue", "Continue"),
        )

    def refusals(self) -> list[str]:
        """The reasons this is not a partnership: one per exclusion answered "Yes"."""
        return [reason for name, _q, reason in EXCLUSIONS if self.cleaned_data.get(name) == "yes"]


def officer_choices(also=None, of_councils_of=None, taking_part_in=None):
    """Active users who can lead a partnership (officers and administrators), plus user `also`;
    with `of_councils_of`, only those who share one of that person's councils; with
    `taking_part_in`, only those of a council taking part in that partnership (who can see it)."""
    can_lead = CAN_LEAD & in_councils_of(of_councils_of) if of_councils_of is not None else CAN_LEAD
    if taking_part_in is not None:
        can_lead &= Q(councils__partnerships=taking_part_in)
    return (
        get_user_model()
        .objects.filter(can_lead | Q(pk=also) if also else can_lead)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def in_councils_of(user) -> Q:
    """People who belong to one of `user`'s councils (anyone, for a superuser)."""
    if user.is_superuser:
        return Q()
    return Q(councils__members=user)


def _date_field(label, help_text=""):
    return GovukDateField(label=label, required=False, help_text=help_text)


class PartnershipForm(VersionedForm, forms.ModelForm):
    """A partnership's register entry, with the version it was read at (optimistic locking).

    The lead officer can be changed only by the current lead officer or an
    administrator (`can_change_lead_officer`); for anyone else it is shown but fixed.
    """

    version = VersionField()
    start_date = _date_field("Start date", "For example, 1 4 2024")
    end_date = _date_field("End date", "Leave blank if the partnership is open-ended")
    next_review_due = _date_field("Next review due", "For example, 31 3 2026")
    lead_officer = UserChoiceField(
        queryset=None,
        label="Lead officer",
        help_text="The officer responsible for the council’s involvement.",
        error_messages={"required": "Select the lead officer", "invalid_choice": "Select the lead officer"},
    )

    class Meta:
        model = Partnership
        field_classes = {"councils": ModelIdsChoiceField, "themes": ModelIdsChoiceField,
                         "annual_contribution": MoneyField, "total_budget": MoneyField}
        fields = [
            "name", "purpose", "status", "themes", "parent",
            "scope", "basis", "membership", "level",
            "councils", "council_role", "lead_officer", "lead_member", "lead_member_account", "council_representative",
            "legal_status", "annual_contribution", "officer_days", "total_budget",
            "performance_method", "performance_notes",
            "start_date", "end_date", "review_frequency", "next_review_due",
        ]
        widgets = {
            "status": forms.RadioSelect,
            "scope": forms.RadioSelect,
            "basis": forms.RadioSelect,
            "membership": forms.RadioSelect,
            "level": forms.RadioSelect,
            "council_role": forms.RadioSelect,
            "councils": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "performance_method": forms.RadioSelect,
            "review_frequency": forms.RadioSelect,
            # GOV.UK asks for text inputs with a numeric keyboard, not type=number.
            "annual_contribution": forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
            "officer_days": forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
            "total_budget": forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
            "purpose": forms.Textarea(attrs={"rows": 5}),
            "performance_notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"name": "Partnership name"}
        help_texts = {
            "purpose": "Why the partnership exists and what it has agreed to achieve.",
            "councils": "Select every council this register serves that takes part.",
            "themes": "Select all that apply.",
            "annual_contribution": "In pounds, for example £12,500 or 12500.50. Enter 0 if the council contributes nothing.",
            "officer_days": "Roughly how many days of officer time a year, for example 12.5.",
            "total_budget": "In pounds, if known.",
        }
        error_messages = {
            "name": {"required": "Enter the partnership’s name"},
            "purpose": {"required": "Enter the partnership’s purpose and aims"},
            "status": {"required": "Select the partnership’s status"},
            "scope": {"required": "Select whether the partnership is strategic or operational"},
            "basis": {"required": "Select whether the partnership is statutory or voluntary"},
            "membership": {"required": "Select whether the partnership is single or multi organisation"},
            "level": {"required": "Select whether the partnership is national, regional or local"},
            "councils": {"required": "Select at least one council taking part"},
            "council_role": {"required": "Select the council’s role in the partnership"},
            "legal_status": {"required": "Select the partnership’s legal status"},
            "performance_method": {"required": "Select how the partnership’s performance is managed"},
            "annual_contribution": {
                "required": "Enter the annual council contribution, or 0 if there is none",
                "invalid": "Enter the annual contribution as an amount in pounds, for example 12500.50",
                "min_value": "The annual contribution cannot be less than £0",
                "max_digits": "Enter an annual contribution below £10,000,000,000",
                "max_decimal_places": "Enter the annual contribution to the nearest penny",
            },
            "officer_days": {
                "required": "Enter the officer time in days a year, or 0",
                "invalid": "Enter the officer time as a number of days, for example 12.5",
                "min_value": "Officer time cannot be less than 0 days",
                "max_digits": "Enter fewer than 100,000 days of officer time",
                "max_decimal_places": "Enter officer time to the nearest half day, for example 2.5",
            },
            "total_budget": {
                "invalid": "Enter the total budget as an amount in pounds, for example 250000",
                "min_value": "The total budget cannot be less than £0",
                "max_digits": "Enter a total budget below £1,000,000,000,000",
                "max_decimal_places": "Enter the total budget to the nearest penny",
            },
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["version"].initial = self.instance.version
        # The partnership's current lead officer and parent stay choosable even
        # if the officer has since left or the parent has closed.
        self.fields["lead_officer"].queryset = officer_choices(also=self.instance.lead_officer_id,
                                                               of_councils_of=user)
        self._choose_among_own_councils(user)
        if not can_change_lead_officer(user, self.instance):
            # A disabled field keeps its saved value whatever is posted.
            self.fields["lead_officer"].disabled = True
            self.fields["lead_officer"].help_text = (
                "Only the current lead officer or an administrator can hand the partnership over "
                "to another lead officer."
            )
        purpose_limit = character_limit(self.fields["purpose"], "Purpose and aims")
        notes_limit = character_limit(self.fields["performance_notes"], "How performance is managed")
        self.fields["lead_member"].error_messages["max_length"] = "Lead member must be 150 characters or fewer"
        self.fields["council_representative"].error_messages["max_length"] = (
            "Council representative must be 150 characters or fewer"
        )
        self.fields["name"].error_messages["max_length"] = "Partnership name must be 200 characters or fewer"
        parents = Partnership.objects.visible_to(user).filter(
            ~Q(status=Partnership.Status.CLOSED) | Q(pk=self.instance.parent_id)
        ).order_by("name")
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        self.fields["parent"].empty_label = "None – this is not part of another partnership"
        # The lead members of the councils that may take part: those this person may choose and
        # those taking part already (the rule `Partnership.check_people_take_part` asks).
        councils = self.fields["councils"].queryset
        if self.instance.pk:
            councils = councils | Council.objects.filter(partnerships=self.instance)
        self.fields["lead_member_account"] = UserChoiceField(
            queryset=get_user_model().objects.filter(
                (IS_LEAD_MEMBER & of_councils(councils)) | Q(pk=self.instance.lead_member_account_id)
            ).distinct().order_by("first_name", "last_name", "username"),
            required=False, empty_label="None – they do not sign in to the register",
            label="Lead member’s account",
            help_text="If the councillor signs in to the register, their start page then lists this partnership.",
            initial=self.instance.lead_member_account_id,
        )
        self.fields["legal_status"].choices = [("", "Select a legal status")] + list(
            Partnership.LegalStatus.choices
        )
        # Radios need no "---------" option: GOV.UK radios start with none chosen.
        for name in ("status", "scope", "basis", "membership", "level", "council_role",
                     "performance_method", "review_frequency"):
            self.fields[name].choices = [c for c in self.fields[name].choices if c[0] != ""]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset(
                Field.text("name", field_width=Fluid.TWO_THIRDS),
                Field.textarea("purpose", rows=5, max_characters=purpose_limit, threshold=75),
                Field.radios("status", inline=True),
                Field.checkboxes("themes", small=True),
                Field.select("parent"),
                legend="About the partnership", legend_size=Size.MEDIUM, legend_tag="h2",
            ),
            Fieldset(
                Field.radios("scope", inline=True),
                Field.radios("basis", inline=True),
                Field.radios("membership", inline=True),
                Field.radios("level", inline=True),
                legend="Classification", legend_size=Size.MEDIUM, legend_tag="h2",
            ),
            Fieldset(
                Field.checkboxes("councils"),
                Field.radios("council_role", inline=True),
                Field.select("lead_officer"),
                Field.text("lead_member", field_width=Fluid.ONE_HALF),
                Field.select("lead_member_account"),
                Field.text("council_representative", field_width=Fluid.ONE_HALF),
                legend="The council’s involvement", legend_size=Size.MEDIUM, legend_tag="h2",
            ),
            Fieldset(
                Field.select("legal_status"),
                Field.text("annual_contribution", field_width=Fixed.TEN),
                Field.text("officer_days", field_width=Fixed.FIVE),
                Field.text("total_budget", field_width=Fixed.TEN),
                Field.radios("performance_method"),
                Field.textarea("performance_notes", rows=3, max_characters=notes_limit, threshold=75),
                legend="Governance and resources", legend_size=Size.MEDIUM, legend_tag="h2",
            ),
            Fieldset(
                Field("start_date"),
                Field("end_date"),
                Field.radios("review_frequency", inline=True),
                Field("next_review_due"),
                legend="Dates and review", legend_size=Size.MEDIUM, legend_tag="h2",
            ),
            "version",
            Submit("save", "Save partnership"),
        )

    def _choose_among_own_councils(self, user) -> None:
        """A person chooses among their own councils (partnerships.services keeps the others
        taking part); the field says which others take part."""
        if user.is_superuser:
            return
        field = self.fields["councils"]
        field.queryset = Council.objects.filter(members=user)
        if self.instance.pk:
            others = [council.name for council in self.instance.councils.all()
                      if council.pk not in council_ids_of(user)]
            if others:
                field.help_text = (f"Also taking part: {', '.join(others)}. Only "
                                   f"{'its' if len(others) == 1 else 'their'} own people can change that.")
        else:
            field.help_text = "Select each of your councils that takes part."

    def _check_people_take_part(self) -> None:
        """The lead officer and lead member's account chosen belong to a council taking part,
        as the services will set the councils (`Partnership.check_people_take_part`). Asked
        only of councils the form could read: otherwise their own error says what to fix."""
        if "councils" not in self.cleaned_data:
            return
        stored = self.instance.councils.all() if self.instance.pk else ()
        try:
            councils = services.councils_taking_part(self.user, self.cleaned_data["councils"], stored)
            self.instance.check_people_take_part(councils)
        except ValidationError as error:
            self._update_errors(error)

    def entry_data(self) -> dict:
        """The register entry's fields, from the cleaned data, for partnership_register and partnership_update."""
        return {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}

    def _post_clean(self):
        # The model's rules (Partnership.clean: the next review date unless closed, and the
        # rest) are asked of the entry as the form could read it, and their errors shown
        # against their fields. Where the status or the date could not be read, that field's
        # own error says what to fix; "Enter the date" would only repeat or contradict it.
        unread = bool({"status", "next_review_due"} & set(self._errors))
        super()._post_clean()
        self._check_people_take_part()
        if unread and REVIEW_DATE_REQUIRED in self._errors.get("next_review_due", []):
            kept = [error for error in self._errors["next_review_due"] if error != REVIEW_DATE_REQUIRED]
            if kept:
                self._errors["next_review_due"] = self.error_class(kept)
            else:
                del self._errors["next_review_due"]


class PartnerForm(forms.ModelForm):
    """Adds one partner organisation, with its role, to a partnership."""

    class Meta:
        model = PartnershipMember
        fields = ["organisation", "role"]
        labels = {"organisation": "Partner organisation", "role": "Their role in the partnership"}
        widgets = {"role": forms.RadioSelect}
        error_messages = {
            "organisation": {"required": "Select the partner organisation"},
            "role": {"required": "Select the organisation’s role"},
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.partnership = partnership
        self.fields["organisation"].queryset = Organisation.objects.exclude(
            memberships__partnership=partnership
        )
        self.fields["organisation"].empty_label = "Select an organisation"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("organisation"),
            Field.radios("role", inline=True),
            Submit("add", "Add partner"),
        )


class NewOrganisationForm(forms.Form):
    """A partner organisation that is not on the register yet, added from the partners page.

    A name close to one already on the register is asked about first, so the list does
    not fill with "Wessex Police" and "The Wessex Police".
    """

    name = forms.CharField(
        label="Organisation name", max_length=Organisation._meta.get_field("name").max_length,
        error_messages={"required": "Enter the organisation’s name",
                        "max_length": "Organisation name must be 200 characters or fewer"},
    )
    sector = forms.ChoiceField(
        label="Sector", choices=Organisation.Sector.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the organisation’s sector"},
    )
    role = forms.ChoiceField(
        label="Their role in the partnership", choices=PartnershipMember.Role.choices, widget=forms.RadioSelect,
        error_messages={"required": "Select the organisation’s role"},
    )
    not_a_duplicate = forms.BooleanField(
        label="It is a different organisation from those named above", required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.similar = []
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.radios("sector", inline=True),
            Field.radios("role", inline=True),
            Submit("add", "Add the organisation as a partner"),
        )

    def clean(self):
        from partnerships.selectors import similar_organisations

        cleaned = super().clean()
        name = cleaned.get("name", "").strip()
        if name and not cleaned.get("not_a_duplicate"):
            self.similar = similar_organisations(name)
            if self.similar:
                self.helper.layout.insert(3, Field.checkbox("not_a_duplicate"))
                self.add_error("name", "An organisation with a similar name is already on the register: "
                                       "add that one instead, or confirm this is a different organisation")
        return cleaned
