import hashlib
import html

import django_filters
from crispy_forms_gds.helper import FormHelper
from django import forms
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import Concat, Lower
from django.utils import timezone
from django.utils.safestring import mark_safe

from checklists.models import Assessment, Template
from common.forms import UserChoiceField
from common.people import name_from_parts
from common.querystrings import url_with
from partnerships.forms import officer_choices
from partnerships.models import Assurance, Council, Partnership, PartnershipMember, Risk, Theme, highest_open_risk_in


class YesCheckbox(forms.CheckboxInput):
    """Ticked only by yes/true/on/1, so `?overdue=no` does not switch a filter on."""

    def value_from_datadict(self, data, files, name):
        return str(data.get(name, "")).strip().lower() in {"yes", "true", "on", "1"}


class OfficerFilter(django_filters.ModelChoiceFilter):
    field_class = UserChoiceField


def _choice(label, choices):
    return django_filters.ChoiceFilter(label=label, choices=choices, empty_label="Any")


class CaseInsensitiveOrdering(django_filters.OrderingFilter):
    """Orders names as people read them: "apple", "Bridge", "canal", not by character code;
    and people by first name then last, each one's partnerships together."""

    FOLDED = {"name", "lead_officer__first_name"}
    # A lead officer's whole name, then the officer: the order of an index on auth_user
    # (partnerships migration 0011), so PostgreSQL reads the first page's 50 partnerships
    # officer by officer rather than sorting all 100,000 (65 -> 20 ms; issue 15).
    BY_PERSON = {"lead_officer__first_name": ("lead_officer__first_name", "lead_officer__last_name", "lead_officer")}

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        return qs.order_by(*(
            ordering for param in value if param not in django_filters.constants.EMPTY_VALUES
            for ordering in self.get_ordering_values(param)
        ))

    def get_ordering_values(self, param) -> list:
        value = super().get_ordering_value(param)
        descending, field = value.startswith("-"), value.lstrip("-")
        return [self._folded(name, descending) for name in self.BY_PERSON.get(field, (field,))]

    def _folded(self, field: str, descending: bool):
        if field in self.FOLDED or field == "lead_officer__last_name":
            return Lower(field).desc() if descending else Lower(field).asc()
        return f"-{field}" if descending else field


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
    risk = django_filters.ChoiceFilter(
        label="Highest open risk", choices=Risk.Band.choices, empty_label="Any", method="filter_risk"
    )
    risk_cell = django_filters.ChoiceFilter(
        label="With an open risk of likelihood and impact", empty_label="Any", method="filter_risk_cell",
        choices=[(f"{likelihood}-{impact}", f"{likelihood_label} × {impact_label}")
                 for likelihood, likelihood_label in Risk.Likelihood.choices
                 for impact, impact_label in Risk.Impact.choices],
    )
    overdue = django_filters.BooleanFilter(
        label="Only reviews that are overdue", method="filter_overdue", widget=YesCheckbox
    )
    assurance = django_filters.ChoiceFilter(
        label="Latest overall assurance", field_name="latest_assurance", choices=Assurance.choices, empty_label="Any",
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

    def __init__(self, *args, part_of_register=False, reader=None, **kwargs):
        """`part_of_register`: the queryset is some councils' part of the register, not the
        whole of it, so a search looks only there (see `search`). `reader`: the id of the
        person whose register the queryset is, under which its choice lists are kept a while
        (`_offered`); None to read them afresh."""
        super().__init__(*args, **kwargs)
        self.part_of_register = part_of_register
        self.reader = reader

    def count_key(self) -> str | None:
        """The cache key of this reader's count of these filters' matches, while nothing it
        reads has changed (`register_versions`) and on this day (overdue reviews); None to
        count afresh."""
        if self.reader is None:
            return None
        wanted = sorted((name, value) for name, values in self.data.lists() if name not in ("page", "sort")
                        for value in values)
        digest = hashlib.sha256(repr(wanted).encode()).hexdigest()[:32]
        versions = "-".join(map(str, self._versions()))
        return f"register:count:{self.reader}:{versions}:{timezone.localdate().isoformat()}:{digest}"

    def _versions(self) -> tuple[int, int, int]:
        if not hasattr(self, "_read_versions"):
            self._read_versions = register_versions()
        return self._read_versions

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        folded = value.lower()
        # One set of ids from three indexable parts rather than `A OR pk IN (…) OR …`, which
        # PostgreSQL can only answer by reading every row (issue 15): the text through its
        # trigram index, partners and lead officers from their own small tables. lower() on
        # both sides, so case never matters in any script (see partnerships.apps for SQLite's).
        # On PostgreSQL, in some councils' part of the register, each part searches only there,
        # so a common word is not first matched across the whole country's (31 -> 11 ms at
        # 100,000 partnerships). Over the whole register that only adds a join; and SQLite
        # plans it worse (a search of 10,000 partnerships: 90 -> 150 ms), so it searches all.
        narrow = self.part_of_register and connection.vendor == "postgresql"
        within = (queryset.prefetch_related(None) if narrow else Partnership.objects).order_by()
        members = PartnershipMember.objects.all()
        if narrow:
            members = members.filter(partnership__in=within.values("pk"))
        by_text = within.filter(search_text__contains=folded).values("pk")
        with_matching_partner = members.annotate(
            organisation_name=Lower("organisation__name")
        ).filter(organisation_name__contains=folded).order_by().values("partnership_id")
        # The officer's name as common.people.display_name shows it (less the username,
        # which no one searches by), folded in SQL so the search stays one query.
        led_by_match = within.filter(lead_officer__in=get_user_model().objects.annotate(
            full_name=Lower(Concat("first_name", Value(" "), "last_name"))
        ).filter(full_name__contains=folded).values("pk")).values("pk")
        return queryset.filter(pk__in=by_text.union(with_matching_partner, led_by_match))

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.review_overdue()

    def filter_risk(self, queryset, name, value):
        """Partnerships whose highest open risk is in the band `value` (high, medium or low)."""
        if not value:
            return queryset
        return queryset.filter(highest_open_risk_in(value))

    def filter_risk_cell(self, queryset, name, value):
        """Partnerships with an open risk in one cell of the 5×5 matrix (`4-5`: likely, severe),
        as the dashboard's heat map counts them."""
        if not value:
            return queryset
        likelihood, impact = (int(part) for part in value.split("-"))
        cell = Risk.objects.open().filter(partnership=OuterRef("pk"), likelihood=likelihood, impact=impact)
        return queryset.filter(Exists(cell))

    def filter_approved_checklist(self, queryset, name, value):
        if not value:
            return queryset
        approved = Assessment.objects.filter(
            partnership=OuterRef("pk"), status=Assessment.Status.APPROVED, template__kind=Template.Kind.CHECKLIST
        )
        return queryset.filter(Exists(approved))

    # Choice lists that offer only what occurs in the register being filtered (a national
    # register has 317 councils and 1,276 officers; one council's reader needs a handful).
    # Any value stays valid, so a bookmarked filter of someone who leads nothing now still works.
    OFFERED_WHERE = {"council": "councils", "lead_officer": "lead_officer"}
    # Each model choice list read as values, not model instances (hundreds of them at
    # national scale): the columns, and the label as the field's label_from_instance gives it.
    OPTION_VALUES = {
        "council": (("name",), lambda name: name),
        "theme": (("name",), lambda name: name),
        "lead_officer": (("first_name", "last_name", "username"), name_from_parts),  # display_name()
    }

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            for name, field in form.fields.items():
                if isinstance(field, forms.ChoiceField):
                    field.options_html = self._options_html(name, field, form[name].value())
            form.helper = FormHelper()  # read by the error summary
        return self._form

    def _options_html(self, name: str, field, current) -> str:
        """The field's <option>s, the empty choice first and `current` selected."""
        if not isinstance(field, forms.ModelChoiceField):
            return options_html(field.choices, current)
        current = "" if current is None else str(current).strip()
        options = self._remembered_options(name, field.queryset)
        chosen = f'<option value="{html.escape(current)}">'
        if current.isdigit() and chosen not in options:
            # Not in the list (a bookmark from before a handover): offered too, first, read by
            # its id alone (`pk = x OR EXISTS (…)` took PostgreSQL 200 ms at 100,000).
            options = options_html(self._rows(name, field.queryset.filter(pk=current)), None) + options
        empty = options_html([("", field.empty_label)], current)
        return mark_safe(empty + options.replace(chosen, chosen[:-1] + " selected>", 1) if current else empty + options)

    def _remembered_options(self, name: str, queryset) -> str:
        """The options of a choice list that offers what occurs in the reader's register, as
        HTML, kept for OFFERED_FOR seconds while the register is unchanged (`register_versions`).
        Read afresh they took a superuser's page 8 ms at 100,000 partnerships (1,268 officers
        and 315 councils to find, then write out; issue 15). A renamed officer or council shows
        within the minute; a change to the register at once, as the version moves."""
        if self.reader is None or name not in self.OFFERED_WHERE:
            return options_html(self._options(name, queryset), None)
        key = f"register:options:{name}:{self.reader}:{self._versions()[0]}"
        options = cache.get(key)
        if options is None:
            options = options_html(self._options(name, queryset), None)
            cache.set(key, options, OFFERED_FOR)
        return options

    def _options(self, name: str, queryset) -> list[tuple]:
        """(value, label) for each option the filter's list offers."""
        if name in self.OFFERED_WHERE:
            # One semi-join, over the register's own queryset (what this reader may see).
            queryset = queryset.filter(Exists(self.queryset.filter(**{self.OFFERED_WHERE[name]: OuterRef("pk")})))
        return self._rows(name, queryset)

    def _rows(self, name: str, queryset) -> list[tuple]:
        columns, label = self.OPTION_VALUES[name]
        return [(pk, label(*rest)) for pk, *rest in queryset.values_list("pk", *columns)]


OFFERED_FOR = 60  # seconds


def register_versions() -> tuple[int, int, int]:
    """Numbers that move whenever what the register's lists and counts read changes, in one
    query: the newest history record of a partnership (registered, changed or deleted, its
    councils and lead officer among the changes), of a risk, and the newest audit event of an
    assessment (started, answered, submitted, approved, returned)."""
    tables = (apps.get_model("partnerships", "HistoricalPartnership")._meta.db_table,
              apps.get_model("partnerships", "HistoricalRisk")._meta.db_table,
              apps.get_model("checklists", "AuditEvent")._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT (SELECT MAX(history_id) FROM {}), (SELECT MAX(history_id) FROM {}), "
                       "(SELECT MAX(id) FROM {})".format(*(connection.ops.quote_name(t) for t in tables)))
        return tuple(number or 0 for number in cursor.fetchone())


def options_html(choices, current) -> str:
    """The <option>s of a choice list as one string: written out here, not by the template
    engine option by option, as a long list (every officer in the country) would take it
    tens of milliseconds."""
    current = "" if current is None else str(current)
    return mark_safe("".join(
        f'<option value="{html.escape(str(value))}"{" selected" if str(value) == current else ""}>'
        f'{html.escape(str(label))}</option>'
        for value, label in choices
    ))


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
