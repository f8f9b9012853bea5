"""Form fields every app's forms use: GOV.UK patterns (dates, people, money, text limits)
and optimistic locking (the version a form was opened at)."""

from datetime import date

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError

from common.people import display_name


class UserChoiceField(forms.ModelChoiceField):
    """A person, named as colleagues know them; the empty choice asks for one in words."""

    def __init__(self, *args, empty_label="Choose an officer", **kwargs):
        super().__init__(*args, empty_label=empty_label, **kwargs)

    def label_from_instance(self, user):
        return display_name(user)


class GovukDateField(DateInputField):
    """A GOV.UK day/month/year date that is either complete and real, or left blank.

    A partly filled date is an error, never a silently empty date, and
    impossible dates get plain English rather than Python's messages.
    """

    def __init__(self, *, label, error_label=None, **kwargs):
        super().__init__(label=label, **kwargs)
        self.label_text = error_label or label  # how messages name it, when the label is markup

    def clean(self, value):
        # A part missing from the POST (None) is a blank part, not the text "None".
        parts = ["" if part is None else str(part).strip() for part in (value or [])] + [""] * 3
        day, month, year = parts[:3]
        if not (day or month or year):
            return super().clean(value)
        if not (day and month and year):
            raise ValidationError(f"{self.label_text} must include a day, month and year", code="incomplete")
        if not (day.isdigit() and month.isdigit() and year.isdigit() and len(year) == 4):
            raise ValidationError(
                f"{self.label_text} must be a real date, with a 4-digit year, for example 27 3 2025",
                code="invalid",
            )
        try:
            return date(int(year), int(month), int(day))
        except (ValueError, OverflowError):  # OverflowError: a day or month too big for C's int
            raise ValidationError(f"{self.label_text} must be a real date", code="invalid") from None


def character_limit(field: forms.CharField, what: str) -> int:
    """Give a text field with a limit GOV.UK's wording, and let the character count show it.

    The browser's maxlength would cut pasted text silently; the character count
    shows how much is over instead, and the server refuses it with this message.
    """
    limit = field.max_length
    field.widget.attrs.pop("maxlength", None)
    # crispy-forms-gds appends the count's id to this attribute and fails if it is missing.
    field.widget.attrs.setdefault("aria-describedby", "")
    field.error_messages["max_length"] = f"{what} must be {limit:,} characters or fewer"
    return limit


class MoneyField(forms.DecimalField):
    """An amount in pounds as people write it: "£12,500", "12500.50" or " 12 500 "."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().removeprefix("£").replace(",", "").replace(" ", "")
        return super().to_python(value)


class ModelIdsChoiceField(forms.ModelMultipleChoiceField):
    """Refuses ids no database could hold before asking the database (SQLite overflows)."""

    def _check_values(self, value):
        for pk in value or []:
            if not str(pk).isdigit() or int(pk) > 2**63 - 1:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                )
        return super()._check_values(value)


class VersionField(forms.IntegerField):
    """The version of the record a form was opened at, for optimistic locking (hidden)."""

    def __init__(self, **kwargs):
        reload = "This page is out of date. Reload it and make your changes again"
        super().__init__(
            widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1,
            error_messages={key: reload for key in ("required", "invalid", "min_value", "max_value")}, **kwargs,
        )


class VersionedForm:
    """A form with a hidden VersionField: its error goes to the top of the error summary,
    since a hidden field has nowhere on the page to show one."""

    def clean(self):
        cleaned = super().clean()
        if "version" in self._errors:
            self.add_error(None, self._errors.pop("version"))
        return cleaned
