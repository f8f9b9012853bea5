from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils import timezone
from django.utils.html import escape, format_html, format_html_join

from checklists.models import Action, ActionNote, Answer, Assessment, Template
from common.forms import GovukDateField, UserChoiceField, VersionedForm, VersionField, character_limit
from common.people import display_name
from partnerships.forms import officer_choices
from partnerships.models import ASSURANCE_MEANINGS, ASSURANCE_ORDER


class StartAssessmentForm(forms.Form):
    kind = forms.ChoiceField(
        label="Which tool are you using?",
        choices=[
            (Template.Kind.CHECKLIST, "Partnership checklist – when a partnership is about to be established"),
            (Template.Kind.IMPROVEMENT, "Partnership Improvement Template – to review a partnership"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Select which tool you are using"},
    )
    title = forms.CharField(
        label="Review period or title",
        help_text="For example, 2025-26 annual review",
        max_length=120,
        error_messages={"required": "Enter the review period or a title",
                        "max_length": "Review period or title must be 120 characters or fewer"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field.text("title"),
            Submit("start", "Start"),
        )


def limited_text(*, label, what: str, model_field: str, rows: int, **kwargs) -> forms.CharField:
    """A textarea for an answer, limited as the Answer model is, with GOV.UK's character count."""
    limit = Answer._meta.get_field(model_field).max_length
    field = forms.CharField(
        label=label, required=False, max_length=limit,
        widget=forms.Textarea(attrs={"rows": rows, "class": "govuk-textarea govuk-js-character-count"}), **kwargs,
    )
    character_limit(field, what)
    return field


class SectionForm(VersionedForm, forms.Form):
    """The questions of one section, with the assessment's version for optimistic locking."""

    version = VersionField()

    def __init__(self, *args, assessment, section, answers, carried=None, **kwargs):
        """`carried`: {question id: the open action an earlier review raised}, offered as the action."""
        super().__init__(*args, **kwargs)
        carried = carried or {}
        self.helper = FormHelper()  # the error summary reads its settings
        self.kind = assessment.template.kind
        self.questions = list(section.questions.all())
        self.fields["version"].initial = assessment.version
        self.names = {}  # how messages name each question: "question a", "area 3"
        if self.kind == Template.Kind.IMPROVEMENT:
            # Read once for every area's "who will own it" list, not once per area.
            self.people = {user.pk: user for user in officer_choices(taking_part_in=assessment.partnership_id)}
            for answer in answers.values():
                if answer.action_owner_id and answer.action_owner_id not in self.people:
                    self.people[answer.action_owner_id] = answer.action_owner
        for number, question in enumerate(self.questions, start=1):
            answer = answers.get(question.pk) or Answer()
            prefix = f"q{question.pk}"
            # crispy-forms-gds prints labels and hints unescaped; question wording
            # is data, so it is escaped here (format_html escapes its arguments).
            label = escape(f"{question.letter}. {question.text}" if question.letter else question.text)
            # Repeated labels say which question they belong to, for screen readers.
            which = f"question {question.letter}" if question.letter else f"area {number}"
            self.names[question.pk] = which
            hidden = format_html('<span class="govuk-visually-hidden"> for {}</span>', which)
            points = format_html(
                '<ul class="govuk-list govuk-list--bullet">{}</ul>',
                format_html_join("", "<li>{}</li>", ((point,) for point in question.points)),
            ) if question.points else ""
            if self.kind == Template.Kind.CHECKLIST:
                self.fields[f"{prefix}-narrative"] = limited_text(
                    label=label, what=f"The answer to {which}", model_field="narrative", rows=4,
                    initial=answer.narrative,
                )
                self.fields[f"{prefix}-rating"] = forms.ChoiceField(
                    label=format_html("How assured are you{}?", hidden), required=False, choices=Answer.Rating.choices,
                    widget=forms.RadioSelect, initial=answer.rating,
                )
            else:
                self.fields[f"{prefix}-meets"] = forms.ChoiceField(
                    label=label, required=False, choices=Answer.Meets.choices,
                    widget=forms.RadioSelect, initial=answer.meets, help_text=points,
                )
                self.fields[f"{prefix}-action"] = limited_text(
                    label=format_html("Action{}", hidden), what=f"The action for {which}", model_field="action",
                    rows=3, help_text="What will be done. Needed when the answer is No.",
                    initial=answer.action or (carried[question.pk].description if question.pk in carried else ""),
                )
                self.fields[f"{prefix}-action_owner"] = forms.TypedChoiceField(
                    label=format_html("Who will own the action{}", hidden), required=False,
                    coerce=int, empty_value=None, initial=answer.action_owner_id,
                    choices=[("", "The partnership’s lead officer")] + [
                        (pk, display_name(user)) for pk, user in self.people.items()
                    ],
                    error_messages={"invalid_choice": f"Select who will own the action for {which}"},
                )
                self.fields[f"{prefix}-action_due"] = GovukDateField(
                    label=format_html("When the action is due{}", hidden), required=False,
                    error_label=f"The due date for the action for {which}",
                    help_text="For example, 31 3 2027. Leave blank for three months after the review is submitted.",
                    initial=answer.action_due,
                )

    def clean(self):
        cleaned = super().clean()
        if self.kind == Template.Kind.IMPROVEMENT:
            for question in self.questions:
                prefix = f"q{question.pk}"
                due = cleaned.get(f"{prefix}-action_due")
                if due and due < timezone.localdate():
                    self.add_error(f"{prefix}-action_due",
                                   f"The due date for the action for {self.names[question.pk]} must be today or later")
                if cleaned.get(f"{prefix}-meets") == "no" and not cleaned.get(f"{prefix}-action", "").strip():
                    self.add_error(f"{prefix}-action", forms.ValidationError(
                        f"Enter an action for {self.names[question.pk]}, because the answer is No",
                        code=self.ACTION_NEEDED,
                    ))
        return cleaned

    ACTION_NEEDED = "action_needed"

    def only_actions_missing(self) -> bool:
        """Whether the one thing wrong is a No without an action, so the rest can be kept as a draft."""
        return bool(self.errors) and all(
            error.code == self.ACTION_NEEDED for errors in self.errors.as_data().values() for error in errors
        )

    def answers(self) -> dict:
        """{question: {field: value}} from the cleaned data, for assessment_save_answers."""
        if self.kind == Template.Kind.CHECKLIST:
            return {q: {field: self.cleaned_data.get(f"q{q.pk}-{field}") or "" for field in ("narrative", "rating")}
                    for q in self.questions}
        answers = {}
        for q in self.questions:
            meets = self.cleaned_data.get(f"q{q.pk}-meets") or ""
            values = {"meets": meets, "action": self.cleaned_data.get(f"q{q.pk}-action") or "",
                      "action_owner": None, "action_due": None}
            if values["action"]:  # an owner and a due date belong to an action
                values["action_owner"] = self.people.get(self.cleaned_data.get(f"q{q.pk}-action_owner"))
                values["action_due"] = self.cleaned_data.get(f"q{q.pk}-action_due")
            answers[q] = values
        return answers

    def question_rows(self):
        """(question, [bound fields]) for the template, in order."""
        return [
            (q, [self[name] for name in self.fields if name.startswith(f"q{q.pk}-")]) for q in self.questions
        ]


class ReturnForm(VersionedForm, forms.Form):
    """The reason for returning, with the version the page was opened at."""

    reason = forms.CharField(
        label="Why are you returning it?",
        help_text="Say what needs to change. The officer will see this.",
        max_length=Assessment._meta.get_field("return_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter why you are returning the assessment"},
    )
    version = VersionField()

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = version
        limit = character_limit(self.fields["reason"], "The reason")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("reason", rows=4, max_characters=limit, threshold=75), "version",
            Submit("return", "Return to draft", css_class="govuk-button--warning"),
        )


class ApproveForm(VersionedForm, forms.Form):
    """The approver's overall assurance, in internal audit's words, with the version the
    assessment page showed them (approval is of what they read)."""

    assurance = forms.ChoiceField(
        label="What overall assurance does this assessment give?",
        help_text="As internal audit would put it, from the answers and the section ratings above. The register "
                  "shows it, and an assurance below the register’s policy brings the next review forward.",
        choices=[Choice(level.value, level.label, hint=ASSURANCE_MEANINGS[level]) for level in ASSURANCE_ORDER],
        widget=forms.RadioSelect,
        error_messages={"required": "Select the overall assurance this assessment gives",
                        "invalid_choice": "Select the overall assurance this assessment gives"},
    )
    version = VersionField()

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"].initial = version
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("assurance", legend_size=Size.MEDIUM), "version",
            Submit("approve", "Approve the assessment"),
        )


class ActionForm(VersionedForm, forms.Form):
    owner = UserChoiceField(queryset=None, label="Owner",
                            error_messages={"required": "Select who owns the action",
                                            "invalid_choice": "Select who owns the action"})
    due_date = GovukDateField(label="Due date", help_text="For example, 31 3 2027")
    status = forms.ChoiceField(label="Status", choices=Action.Status.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Select the action’s status"})

    note = forms.CharField(
        label="Add a progress note (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}),
        max_length=ActionNote._meta.get_field("text").max_length,
        help_text="What has happened since the last note. It is kept with today’s date and your name.",
    )
    version = VersionField()

    def __init__(self, *args, action, **kwargs):
        super().__init__(*args, initial={"owner": action.owner_id, "due_date": action.due_date,
                                         "status": action.status, "version": action.version}, **kwargs)
        self.fields["owner"].queryset = officer_choices(also=action.owner_id, taking_part_in=action.partnership_id)
        self.fields["due_date"].error_messages["required"] = "Enter the due date"
        note_limit = character_limit(self.fields["note"], "The progress note")
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.select("owner"), Field("due_date"), Field.radios("status", inline=True),
            Field.textarea("note", rows=3, max_characters=note_limit, threshold=75), "version",
            Submit("save", "Save action"),
        )
