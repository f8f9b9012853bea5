"""What an administrator types about a person: their name, email, username, role and councils."""

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator

from administration.people import councils_administered_by
from partnerships.roles import ADMINISTRATOR, LEAD_MEMBER, OFFICER, ROLES, SCRUTINY

User = get_user_model()

# What each role may do, in the words of DESIGN.md's role table, shown beside the choice.
ROLE_HINTS = {
    OFFICER: "Registers and edits partnerships, fills in assessments, follows up actions and risks.",
    LEAD_MEMBER: "A councillor: browses the register and reads submitted and approved assessments.",
    SCRUTINY: "A scrutiny committee member: reads as a lead member does and builds scrutiny packs.",
    ADMINISTRATOR: "All an officer does, and manages their councils’ people, settings and reference data.",
}


class CouncilChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, council):
        return council.name


class PersonForm(forms.Form):
    """A person's details, one role and their councils (among the administrator's own)."""

    first_name = forms.CharField(label="First name", max_length=150,
                                 error_messages={"required": "Enter the person’s first name"})
    last_name = forms.CharField(label="Last name", max_length=150,
                                error_messages={"required": "Enter the person’s last name"})
    email = forms.EmailField(label="Email address", max_length=254,
                             help_text="Where they are sent a link to set their password.",
                             error_messages={"required": "Enter the person’s email address",
                                             "invalid": "Enter an email address in the correct format, like "
                                                        "name@example.gov.uk"})
    role = forms.ChoiceField(label="Role", widget=forms.RadioSelect,
                             choices=[(role, role) for role in ROLES],
                             error_messages={"required": "Select the person’s role",
                                             "invalid_choice": "Select one of the roles"})
    councils = CouncilChoiceField(
        queryset=None, label="Councils", widget=forms.CheckboxSelectMultiple,
        help_text="They see the partnerships these councils take part in.",
        error_messages={"required": "Select at least one council",
                        "invalid_choice": "Select councils from the list",
                        "invalid_pk_value": "Select councils from the list"},
    )

    def __init__(self, *args, by, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        self.fields["councils"].queryset = councils_administered_by(by)
        self.fields["role"].choices = [Choice(role, role, hint=ROLE_HINTS[role]) for role in ROLES]
        self.helper = FormHelper()
        self.helper.form_tag = False  # the page's form also carries the version it was opened at
        self.helper.layout = Layout(
            Field.text("first_name", field_width=Fluid.ONE_HALF),
            Field.text("last_name", field_width=Fluid.ONE_HALF),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            *self.extra_fields(),
            Field.radios("role", legend_size=Size.SMALL),
            Field.checkboxes("councils", legend_size=Size.SMALL, small=True),
            Submit("continue", self.submit_label),
        )

    submit_label = "Save changes"

    def extra_fields(self):
        return []

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        others = User.objects.filter(email__iexact=email)
        if self.person is not None:
            others = others.exclude(pk=self.person.pk)
        if others.exists():
            raise forms.ValidationError("Another account already has this email address: each person needs "
                                        "their own, so that only they can set their password")
        return email


class NewPersonForm(PersonForm):
    username = forms.CharField(
        label="Username", max_length=150, validators=[UnicodeUsernameValidator()],
        help_text="What they sign in with: letters, digits and @ . + - _ only, for example jsmith.",
        error_messages={"required": "Enter a username"},
    )

    field_order = ["first_name", "last_name", "email", "username", "role", "councils"]
    submit_label = "Continue"

    def extra_fields(self):
        return [Field.text("username", field_width=Fluid.ONE_THIRD)]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("That username is already taken: choose another")
        return username


class PeopleFilters(forms.Form):
    """Which of the administrator's people are listed."""

    ACTIVE = [("", "Active and deactivated"), ("yes", "Active"), ("no", "Deactivated")]

    name = forms.CharField(required=False, max_length=150, label="Name, username or email")
    role = forms.ChoiceField(required=False, label="Role",
                             choices=[("", "Any role"), *((role, role) for role in ROLES), ("none", "No role")])
    council = forms.ModelChoiceField(queryset=None, required=False, label="Council", empty_label="Any council")
    active = forms.ChoiceField(required=False, label="Active", choices=ACTIVE)
    locked = forms.BooleanField(required=False, label="Locked out of signing in")

    def __init__(self, *args, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()  # read by the error summary
        self.fields["council"].queryset = councils_administered_by(by)
        for name in ("role", "council", "active"):
            self.fields[name].error_messages["invalid_choice"] = f"Select a {self.fields[name].label.lower()} from the list"


class CouncilForm(forms.Form):
    """A council's name and short name (a superuser's to set); `services` checks that no other
    council has either, in any case."""

    name = forms.CharField(
        label="Name", max_length=150, help_text="In full, as the council calls itself, for example "
                                                "Harbourside Borough Council.",
        error_messages={"required": "Enter the council’s name",
                        "max_length": "The council’s name must be 150 characters or fewer"})
    short_name = forms.CharField(
        label="Short name", max_length=40, help_text="Used in tables, for example Harbourside.",
        error_messages={"required": "Enter the council’s short name",
                        "max_length": "The council’s short name must be 40 characters or fewer"})

    def __init__(self, *args, submit_label="Add the council", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # the rename form also carries the version it was opened at
        self.helper.layout = Layout(
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.text("short_name", field_width=Fluid.ONE_THIRD),
            Submit("save", submit_label),
        )


class NamedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, item):
        return item.name


class MergeForm(forms.Form):
    """Which organisation or theme to keep, among the others, when `duplicate` is merged into it."""

    into = NamedChoiceField(queryset=None, empty_label="Choose one")

    def __init__(self, *args, kind, duplicate, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["into"]
        field.queryset = kind.model.objects.exclude(pk=duplicate.pk)
        field.label = f"Which {kind.singular} should {duplicate.name} be merged into?"
        field.help_text = (f"Every partnership that has {duplicate.name} will have the one you choose instead, "
                           f"and {duplicate.name} is taken off the register.")
        field.error_messages = {
            "required": f"Select the {kind.singular} to keep",
            "invalid_choice": f"Select another {kind.singular} from the list: one cannot be merged into itself",
            "invalid_pk_value": f"Select another {kind.singular} from the list",
        }
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.select("into"), Submit("continue", "Continue"))
