import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, Value
from django.db.models.functions import Concat, Lower
from django.utils import timezone
from crispy_forms_gds.helper import FormHelper

from checklists.models import Assessment, Template
from partnerships.forms import UserChoiceField, officer_choices
from partnerships.querystrings import url_with
from partnerships.models import Council, Partnership, PartnershipMember, Theme


class YesCheckbox(forms.CheckboxInput):
    """Ticked only by yes/true/on/1, so `?overdue=no` does not switch a filter on."""

    def value_from_datadict(self, data, files, name):
        return str(data.get(name, "")).strip().lower() in {"yes", "true", "on", "1"}


class OfficerFilter(django_filters.ModelChoiceFilter):
    field_class = UserChoiceField


def _choice(label, choices):
    return django_filters.ChoiceFilter(label=label, choices=choices, empty_label="Any")


class CaseInsensitiveOrdering(django_filters.OrderingFilter):
    """Orders names as people read them: "apple", "Bridge", "canal", not by character code."""

    FOLDED = {"name", "lead_officer__first_name"}

    def get_ordering_value(self, param):
        value = super().get_ordering_value(param)
        field = value.lstrip("-")
        if field not in self.FOLDED:
            return value
        return Lower(field).desc() if value.startswith("-") else Lower(field).asc()


class RegisterFilter(django_filters.FilterSet):
    """The register's filters. Parameter names are part of bookmarked URLs: keep them stable."""

    q = django_filters.CharFilter(label="Search", method="search")
    scope = _choice("Strategic or operational", Partnership.Scope.choices)
    basis = _choice("Statutory or voluntary", Partnership.Basis.choices)
    membership = _choice("Single or multi organisation", Partnership.Membership.choices)
    level = _choice("National, regional or local", Partnership.Level.choices)
    status = _choice("Status", Partnership.Status.choices)
    council = django_filters.ModelChoiceFilter(
        label="Council", field_name="councils", queryset=Council.objects.all(), empty_label="Any"
    )
    theme = django_filters.ModelChoiceFilter(
        label="Theme", field_name="themes", queryset=Theme.objects.all(), empty_label="Any"
    )
    lead_officer = OfficerFilter(
        label="Lead officer", queryset=lambda request: officer_choices(), empty_label="Any"
    )
    overdue = django_filters.BooleanFilter(
        label="Only reviews that are overdue", method="filter_overdue", widget=YesCheckbox
    )
    approved_checklist = django_filters.BooleanFilter(
        label="Only those with an approved Partnership checklist", method="filter_approved_checklist",
        widget=YesCheckbox,
    )
    sort = CaseInsensitiveOrdering(
        fields=(
            ("name", "name"),
            ("id", "reference"),
            ("status", "status"),
            ("lead_officer__first_name", "lead_officer"),
            ("annual_contribution", "contribution"),
            ("next_review_due", "next_review"),
        ),
        field_labels={"name": "Name", "id": "Reference", "status": "Status",
                      "lead_officer__first_name": "Lead officer",
                      "annual_contribution": "Annual contribution", "next_review_due": "Next review"},
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Partnership
        fields = []

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        folded = value.lower()
        # IN subqueries rather than correlated EXISTS: under OR, PostgreSQL can hash
        # each once instead of running it for every partnership. lower() on both sides,
        # so case never matters in any script (see partnerships.apps for SQLite's).
        with_matching_partner = PartnershipMember.objects.annotate(
            organisation_name=Lower("organisation__name")
        ).filter(organisation_name__contains=folded).values("partnership_id")
        led_by_match = get_user_model().objects.annotate(
            full_name=Lower(Concat("first_name", Value(" "), "last_name"))
        ).filter(full_name__contains=folded).values("pk")
        return queryset.filter(
            Q(search_text__contains=folded) | Q(pk__in=with_matching_partner) | Q(lead_officer__in=led_by_match)
        )

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(next_review_due__lt=timezone.localdate()).exclude(
            status=Partnership.Status.CLOSED
        )

    def filter_approved_checklist(self, queryset, name, value):
        if not value:
            return queryset
        approved = Assessment.objects.filter(
            partnership=OuterRef("pk"), status=Assessment.Status.APPROVED, template__kind=Template.Kind.CHECKLIST
        )
        return queryset.filter(Exists(approved))

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            # Read each choice list once: the page template loops over them,
            # and a queryset-backed list would count and query again each time.
            for field in form.fields.values():
                if isinstance(field, forms.ModelChoiceField):
                    field.widget.choices = [choice for choice in field.choices]  # list() would count first
            form.helper = FormHelper()  # read by the error summary
        return self._form


def active_filters(filterset, params):
    """A removable tag for each filter in use, labelled as the user chose it."""
    active = []
    form = filterset.form
    for name, field in form.fields.items():
        if name == "sort" or not params.get(name):
            continue
        value = form.cleaned_data.get(name) if form.is_valid() else None
        if value in (None, "", False):
            continue
        if name == "q":
            text = f"“{value}”"
        elif name == "overdue":
            text = "Overdue"
        elif name == "approved_checklist":
            text = "Approved"
        elif hasattr(field, "choices") and not hasattr(value, "pk"):
            text = dict(field.choices).get(value, value)
        else:
            text = field.label_from_instance(value) if hasattr(field, "label_from_instance") else str(value)
        label = {"overdue": "Review", "approved_checklist": "Partnership checklist"}.get(name, field.label)
        active.append({"label": label, "text": text, "remove_url": url_with(params, **{name: None, "page": None})})
    return active
