"""The partnership register's data, in the words of the council's partnership strategy.

A partnership is "a relationship between two or more independent legal bodies,
organisations or individuals working together to secure some shared objective",
classified on four spectrums (seed 003).
"""

from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Lower
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from common.people import display_name
from partnerships.roles import CAN_LEAD, IS_LEAD_MEMBER


class Council(models.Model):
    """An authority this register serves; one register may serve several.

    People belong to one or more councils and see the partnerships their councils take
    part in (`Partnership.objects.visible_to`). Where the register serves one council,
    everyone belongs to it without anyone setting it up (partnerships.councils).
    """

    name = models.CharField(max_length=150, unique=True)
    short_name = models.CharField(
        max_length=40, unique=True, help_text="Used in tables, for example “Harbourside”."
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="councils", blank=True,
        help_text="The people who work for or represent this council: they see the partnerships it takes part in.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Organisation(models.Model):
    """A partner body that takes part in partnerships alongside the council."""

    class Sector(models.TextChoices):
        PUBLIC = "public", "Public"
        PRIVATE = "private", "Private"
        VOLUNTARY = "voluntary", "Voluntary and community"

    name = models.CharField(max_length=200, unique=True)
    sector = models.CharField(max_length=20, choices=Sector.choices)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Theme(models.Model):
    """A policy theme such as community safety or health and wellbeing."""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(max_length=1000, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnershipQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PartnershipQuerySet":
        """The partnerships `user` may see: the one place that decides it (DESIGN.md, Roles).

        Every selector, page, PDF, export and pack request starts here, and assessments and
        actions derive their own scope from it (`partnership__in=...visible_to(user)`), so
        an object outside it is a 404 wherever it is asked for. (Scrutiny packs do not yet:
        see `ScrutinyPackQuerySet.visible_to`.)

        Those who may read the register see the partnerships in which one of their
        councils takes part (a superuser, every one); anonymous people and accounts
        without a role see none. `Partnership.is_visible_to` is its twin for one
        partnership in hand. One subquery, so no page takes a query more for it.
        """
        if not may_read_register(user):
            return self.none()
        if sees_every_partnership(user):
            return self
        # The two membership tables alone, with no join through councils: each query that
        # derives from this one plans in about two thirds of the time (issue 15).
        councils = Council.members.through.objects.filter(user=user).values("council_id")
        taking_part = self.model.councils.through.objects.filter(council__in=councils)
        return self.filter(pk__in=taking_part.values("partnership_id"))

    def review_overdue(self, today: date | None = None) -> "PartnershipQuerySet":
        """The partnerships whose review is overdue (`review_overdue_q`): the register's
        filter, the dashboard's count and Your work all mean this. `is_review_overdue` is
        its twin for one partnership in hand."""
        return self.filter(review_overdue_q(today))

    def review_due_within(self, days: int, today: date | None = None) -> "PartnershipQuerySet":
        """The partnerships whose review is overdue or due within `days` of today: what a
        lead officer should be preparing for. A closed partnership has no review due."""
        by = (today or timezone.localdate()) + timedelta(days=days)
        return self.filter(next_review_due__lte=by).exclude(status=Partnership.Status.CLOSED)


def review_overdue_q(today: date | None = None) -> Q:
    """The rule for an overdue review, as a condition: its date has passed (before `today`,
    by default the council's today) and the partnership is not closed. A Q so that a count
    in one pass can use it as a filter (the dashboard's); a queryset calls
    `Partnership.objects.review_overdue()`."""
    return Q(next_review_due__lt=today or timezone.localdate()) & ~Q(status=Partnership.Status.CLOSED)


def may_read_register(user) -> bool:
    """Whether `user` holds a role that reads the register at all (lead member and up)."""
    return user.is_authenticated and user.has_perm("partnerships.view_partnership")


def sees_every_partnership(user) -> bool:
    """Whether `user` sees the whole register, every council's part of it (a superuser)."""
    return user.is_superuser and may_read_register(user)


def of_visible_partnerships(queryset, user, partnership: str = "partnership"):
    """`queryset` (of a partnership's things: assessments, risks) narrowed to those of the
    partnerships `user` may see (`PartnershipQuerySet.visible_to`). Left as it is for
    someone who sees every partnership: a subquery of every partnership only slows the
    planner (a superuser's Your-work count took 32 ms with it at 100,000; issue 15)."""
    if sees_every_partnership(user):
        return queryset
    return queryset.filter(**{f"{partnership}__in": Partnership.objects.visible_to(user)})


def council_ids_of(user) -> set[int]:
    """The ids of the councils `user` belongs to (partnerships.councils), read once per user object."""
    if not hasattr(user, "_council_ids"):
        user._council_ids = set(user.councils.values_list("pk", flat=True)) if user.is_authenticated else set()
    return user._council_ids


class Assurance(models.TextChoices):
    """The overall assurance an approver gives an assessment, in internal audit's words (CIPFA's
    four opinions, as councils report significant partnerships to their audit committee).
    Defined here, under the register, so the partnership can carry its latest one."""

    SUBSTANTIAL = "substantial", "Substantial assurance"
    REASONABLE = "reasonable", "Reasonable assurance"
    LIMITED = "limited", "Limited assurance"
    NONE = "none", "No assurance"


# What each opinion means, as internal audit defines it; shown wherever a level is chosen.
ASSURANCE_MEANINGS = {
    Assurance.SUBSTANTIAL: "A sound system of governance, risk management and control exists, with internal "
                           "controls operating effectively and being consistently applied to support the "
                           "achievement of objectives.",
    Assurance.REASONABLE: "There is a generally sound system of governance, risk management and control in place. "
                          "Some issues, non-compliance or scope for improvement were identified which may put at "
                          "risk the achievement of objectives.",
    Assurance.LIMITED: "Significant gaps, weaknesses or non-compliance were identified. Improvement is required to "
                       "the system of governance, risk management and control to effectively manage risks to the "
                       "achievement of objectives.",
    Assurance.NONE: "Immediate action is required to address fundamental gaps, weaknesses or non-compliance "
                    "identified. The system of governance, risk management and control is inadequate to "
                    "effectively manage risks to the achievement of objectives.",
}
# Highest first: a level is "below" another that comes earlier here.
ASSURANCE_ORDER = [Assurance.SUBSTANTIAL, Assurance.REASONABLE, Assurance.LIMITED, Assurance.NONE]


def assurance_below(level: str, threshold: str) -> bool:
    """Whether `level` is a lower opinion than `threshold` (limited is below substantial)."""
    return ASSURANCE_ORDER.index(level) > ASSURANCE_ORDER.index(threshold)


def may_own(user, partnership) -> bool:
    """Whether `user` may own an action or a risk of `partnership`: an officer or administrator
    whose account is active, as a lead officer is (partnerships.roles.CAN_LEAD), of a council
    taking part in the partnership (or a superuser), so that they can see what they own."""
    return get_user_model().objects.filter(
        CAN_LEAD, Q(is_superuser=True) | Q(councils__partnerships=partnership), pk=user.pk,
    ).exists()


def of_councils(councils) -> Q:
    """People who belong to one of `councils`, or superusers (who see every partnership): a
    condition on users. Whom a partnership those councils take part in may name as its lead
    officer or its lead member's account, so that they can see it (`Partnership.check_people_take_part`)."""
    return Q(is_superuser=True) | Q(councils__in=councils)


class Partnership(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        UNDER_REVIEW = "under_review", "Under review"
        CLOSED = "closed", "Closed"

    # The four classification spectrums from the partnership strategy.
    class Scope(models.TextChoices):
        STRATEGIC = "strategic", "Strategic"
        OPERATIONAL = "operational", "Operational"

    class Basis(models.TextChoices):
        STATUTORY = "statutory", "Statutory"
        VOLUNTARY = "voluntary", "Voluntary"

    class Membership(models.TextChoices):
        SINGLE = "single", "Single organisation"
        MULTI = "multi", "Multi organisation"

    class Level(models.TextChoices):
        NATIONAL = "national", "National"
        REGIONAL = "regional", "Regional"
        LOCAL = "local", "Local"

    class CouncilRole(models.TextChoices):
        LEADING = "leading", "Leading"
        SUPPORTING = "supporting", "Supporting"
        FUNDING_ONLY = "funding_only", "Funding only"
        MEMBER = "member", "Member"

    class LegalStatus(models.TextChoices):
        UNINCORPORATED = "unincorporated", "Unincorporated association (no separate legal status)"
        MEMORANDUM = "memorandum", "Memorandum of understanding or partnership agreement"
        JOINT_COMMITTEE = "joint_committee", "Joint committee"
        STATUTORY_BODY = "statutory_body", "Statutory body"
        COMPANY = "company", "Company limited by guarantee"
        CHARITY = "charity", "Charitable trust or incorporated organisation"
        CIC = "cic", "Community interest company"

    class PerformanceMethod(models.TextChoices):
        # "Performance management needs to be proportionate to the type and
        # complexity of the partnership" (seed 003).
        LIGHT_TOUCH = "light_touch", "Light touch: annual self-assessment"
        ANNUAL_REPORT = "annual_report", "Annual report to the council"
        QUARTERLY = "quarterly", "Quarterly performance indicators"
        FRAMEWORK = "framework", "Full performance framework with targets and scrutiny"

    class ReviewFrequency(models.IntegerChoices):
        SIX_MONTHS = 6, "Every 6 months"
        ANNUAL = 12, "Every year"
        TWO_YEARS = 24, "Every 2 years"
        THREE_YEARS = 36, "Every 3 years"

    name = models.CharField(max_length=200)
    reference = models.CharField(
        max_length=12, unique=True, null=True, editable=False,
        help_text="Generated when the partnership is registered, for example P-0012.",
    )
    purpose = models.TextField("Purpose and aims", max_length=5000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)

    scope = models.CharField("Strategic or operational", max_length=20, choices=Scope.choices)
    basis = models.CharField("Statutory or voluntary", max_length=20, choices=Basis.choices)
    membership = models.CharField(
        "Single or multi organisation", max_length=20, choices=Membership.choices
    )
    level = models.CharField("National, regional or local", max_length=20, choices=Level.choices)

    councils = models.ManyToManyField(
        Council, related_name="partnerships", verbose_name="Councils taking part"
    )
    council_role = models.CharField(
        "Council’s role", max_length=20, choices=CouncilRole.choices
    )
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="led_partnerships",
        help_text="The officer responsible for the council’s involvement.",
    )
    lead_member = models.CharField(
        max_length=150, blank=True, help_text="The councillor with the portfolio, for example “Cllr P Bennett”."
    )
    # The same councillor as a person with a sign-in, so their start page lists the
    # partnerships of their portfolio; the text above stays for councillors without one.
    lead_member_account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="portfolio_partnerships", verbose_name="Lead member’s account",
        help_text="The councillor’s sign-in, if they have one: their start page then lists this partnership.",
    )
    council_representative = models.CharField(
        max_length=150, blank=True,
        help_text="Who represents the council in the partnership, if not the lead officer.",
    )
    legal_status = models.CharField(max_length=30, choices=LegalStatus.choices)
    themes = models.ManyToManyField(Theme, related_name="partnerships", blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name="Parent partnership",
        help_text="For a themed partnership inside a partnership of partnerships, such as a Local Strategic Partnership.",
    )
    partners = models.ManyToManyField(
        Organisation, through="PartnershipMember", related_name="partnerships"
    )

    annual_contribution = models.DecimalField(
        "Annual council contribution (£)",
        max_digits=12, decimal_places=2, default=Decimal("0.00"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    officer_days = models.DecimalField(
        "Officer time (days a year)",
        max_digits=6, decimal_places=1, default=Decimal("0.0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    total_budget = models.DecimalField(
        "Total partnership budget (£)",
        max_digits=14, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    performance_method = models.CharField(
        "Performance management method", max_length=20, choices=PerformanceMethod.choices
    )
    performance_notes = models.TextField("How performance is managed", max_length=3000, blank=True)

    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    review_frequency = models.PositiveSmallIntegerField(
        choices=ReviewFrequency.choices, default=ReviewFrequency.ANNUAL
    )
    next_review_due = models.DateField("Next review due", null=True, blank=True)
    # The overall assurance of its latest approved assessment, kept here by the approval
    # (checklists.services.assessment_approve) so the register filters on an indexed column.
    latest_assurance = models.CharField(
        "Latest assurance", max_length=20, choices=Assurance.choices, blank=True, editable=False,
    )

    # Kept by the database, so a search is one LIKE on one column rather than
    # case-folding four columns for every row.
    search_text = models.GeneratedField(
        expression=Lower(
            Concat(
                "name", Value(" "), Coalesce("reference", Value("")), Value(" "),
                "lead_member", Value(" "), "purpose",
                output_field=models.TextField(),
            )
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    screening_confirmed_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When an officer confirmed that none of the strategy’s exclusions applies.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        editable=False, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: an edit names the version it was read at, and a save
    # against an older version is refused rather than overwriting someone else's.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PartnershipQuerySet.as_manager()

    # Every change, by whom and when, with the councils and themes as they were.
    history = HistoricalRecords(
        m2m_fields=[councils, themes],
        excluded_fields=["search_text", "updated_at", "version", "latest_assurance"],
    )

    class Meta:
        # As people read names: case does not decide the order.
        ordering = [Lower("name"), "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("id")), name="partnership_not_its_own_parent"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(start_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="partnership_ends_after_it_starts",
            ),
            models.CheckConstraint(
                condition=Q(annual_contribution__gte=0), name="partnership_contribution_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(officer_days__gte=0), name="partnership_officer_days_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(total_budget__isnull=True) | Q(total_budget__gte=0),
                name="partnership_budget_not_negative",
            ),
        ]
        indexes = [
            models.Index(Lower("name"), "id", name="partnership_name_folded"),
            models.Index(fields=["status"]),
            models.Index(fields=["next_review_due"]),
            models.Index(fields=["annual_contribution"]),
            # The register's counts, served from small indexes rather than the table (issue 15):
            # any mix of the four spectrums and status, and the overdue filter.
            models.Index(fields=["scope", "basis", "membership", "level", "status"],
                         name="partnership_classification"),
            models.Index(fields=["next_review_due"], condition=~Q(status="closed"), name="partnership_open_review"),
            models.Index(fields=["latest_assurance"], condition=~Q(latest_assurance=""),
                         name="partnership_assurance"),
        ]

    def __str__(self):
        return f"{self.name} ({self.reference})" if self.reference else self.name

    def get_absolute_url(self):
        return reverse("partnerships:detail", args=[self.pk])

    def save(self, *args, **kwargs):
        # The reference is derived from the primary key, so it is unique
        # without a race between two officers registering at once. The first
        # write only claims the key; the second, with the reference, is the one
        # the history records.
        with transaction.atomic():
            if self.pk is None and not self.reference:
                with history_paused(self):
                    super().save(*args, **kwargs)
                self.reference = reference_for(self.pk)
                kwargs = {"using": kwargs.get("using")}
            super().save(*args, **kwargs)

    def clean(self):
        """The rules an entry keeps however it is made: by the form, an import or the shell.

        A person chosen now (lead officer, lead member's account) or a parent chosen now must
        be one that may be chosen; one chosen earlier stays, even if they have since left or
        the parent has closed, so an old entry can still be saved.
        """
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be the same as or after the start date."
        # The strategy is "reviewed annually" (seed 003): a partnership not closed has a next review.
        if self.status != self.Status.CLOSED and self.next_review_due is None:
            errors["next_review_due"] = REVIEW_DATE_REQUIRED
        chosen_now = self._chosen_now()
        users = get_user_model().objects
        if "lead_officer_id" in chosen_now and not users.filter(CAN_LEAD, pk=self.lead_officer_id).exists():
            errors["lead_officer"] = "The lead officer must be an officer or administrator whose account is active."
        if "lead_member_account_id" in chosen_now and not users.filter(
            IS_LEAD_MEMBER, pk=self.lead_member_account_id
        ).exists():
            errors["lead_member_account"] = "The lead member’s account must be an active lead member’s."
        if "parent_id" in chosen_now and self.parent.status == self.Status.CLOSED:
            errors["parent"] = "Choose a parent partnership that is not closed."
        if self.parent_id and self.pk and "parent" not in errors:
            if self.parent_id == self.pk:
                errors["parent"] = "A partnership cannot be its own parent."
            elif self.pk in self.parent.ancestor_ids():
                errors["parent"] = (
                    "Choose a different parent: this partnership already contains "
                    f"“{self.parent.name}”, so it cannot also sit inside it."
                )
        if errors:
            raise ValidationError(errors)

    # The people a partnership names who must belong to a council taking part, with the
    # role each must be chosen from.
    PEOPLE_TAKING_PART = {"lead_officer": "lead officer", "lead_member_account": "lead member"}

    def check_people_take_part(self, councils) -> None:
        """Refuse (ValidationError, by field) a lead officer or lead member's account chosen now
        who belongs to none of `councils`, those that will take part (`of_councils`): they could
        not see the partnership. One chosen earlier stays, as in `clean`.

        Not part of `clean`, as the councils are set after the row is saved: the form, the
        services and the import each ask it with the councils they are about to set."""
        chosen_now = self._chosen_now()
        may_be_named = get_user_model().objects.filter(of_councils(councils))
        errors = {}
        for name, role in self.PEOPLE_TAKING_PART.items():
            if f"{name}_id" in chosen_now and not may_be_named.filter(pk=getattr(self, f"{name}_id")).exists():
                person = getattr(self, name)
                errors[name] = (f"{display_name(person)} does not belong to a council "
                                f"taking part: choose a {role} of one of them.")
        if errors:
            raise ValidationError(errors)

    def _chosen_now(self) -> set[str]:
        """Which of the lead officer, the lead member's account and the parent are set to
        other than the stored row holds: chosen now, rather than kept."""
        kept = ("lead_officer_id", "lead_member_account_id", "parent_id")
        stored = (Partnership.objects.filter(pk=self.pk).values(*kept).first() if self.pk else None) or {}
        return {name for name in kept if getattr(self, name) is not None and getattr(self, name) != stored.get(name)}

    def is_visible_to(self, user) -> bool:
        """`PartnershipQuerySet.visible_to` for one partnership in hand, without a query:
        object rules (may this person edit *this* partnership) start from it. The two must
        agree; tests/partnerships/test_visible_to.py checks that they do. Reads the
        partnership's councils from a prefetch where there is one."""
        if not may_read_register(user):
            return False
        if sees_every_partnership(user):
            return True
        return not council_ids_of(user).isdisjoint(council.pk for council in self.councils.all())

    def ancestor_ids(self) -> list[int]:
        """The ids of this partnership's parent, its parent's parent, and so on."""
        ids: list[int] = []
        parent_id = self.parent_id
        while parent_id is not None and parent_id not in ids:
            ids.append(parent_id)
            parent_id = (
                Partnership.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
            )
        return ids

    @property
    def status_tag_class(self) -> str:
        return STATUS_TAG_CLASSES[self.status]

    def entry_snapshot(self) -> dict:
        """The register entry as an approval keeps it: what the assessment was approved against.

        Plain values (names and labels, not ids), so it reads the same whatever
        later happens to the people and councils it names.
        """
        lead = self.lead_officer
        return {
            "name": self.name,
            "reference": self.reference,
            "scope": self.get_scope_display(),
            "basis": self.get_basis_display(),
            "membership": self.get_membership_display(),
            "level": self.get_level_display(),
            "lead_officer": display_name(lead),
            "councils": sorted(council.name for council in self.councils.all()),
        }

    @property
    def is_overdue(self) -> bool:
        """Whether this partnership's review is overdue (`is_review_overdue`)."""
        return is_review_overdue(self.next_review_due, self.status)


REVIEW_DATE_REQUIRED = "Enter the date the next review is due"

STATUS_TAG_CLASSES = {
    Partnership.Status.PROPOSED: "govuk-tag--blue",
    Partnership.Status.ACTIVE: "govuk-tag--green",
    Partnership.Status.UNDER_REVIEW: "govuk-tag--yellow",
    Partnership.Status.CLOSED: "govuk-tag--grey",
}


@contextmanager
def history_paused(instance):
    """Saves of `instance` inside record no history (django-simple-history's own switch).

    Used where several writes make one change, so the history shows it once.
    A caller's pause is left in place.
    """
    if hasattr(instance, "skip_history_when_saving"):
        yield
        return
    instance.skip_history_when_saving = True
    try:
        yield
    finally:
        del instance.skip_history_when_saving


def reference_for(pk: int) -> str:
    return f"P-{pk:04d}"


def is_review_overdue(next_review_due: date | None, status: str) -> bool:
    """A review is overdue when its date has passed and the partnership is not closed.

    The one-object twin of `review_overdue_q` (`Partnership.objects.review_overdue()`),
    for a partnership or a row of values already in hand; the two must say the same."""
    return (
        next_review_due is not None
        and status != Partnership.Status.CLOSED
        and next_review_due < timezone.localdate()
    )


class PartnershipMember(models.Model):
    """A partner organisation's place in a partnership."""

    class Role(models.TextChoices):
        ACCOUNTABLE_BODY = "accountable_body", "Accountable body"
        CHAIR = "chair", "Chair"
        MEMBER = "member", "Member"
        FUNDER = "funder", "Funder"
        ADVISER = "adviser", "Adviser or observer"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "organisation"], name="partner_once_per_partnership"
            )
        ]
        # The register's search by partner: an organisation's partnerships from the index alone.
        indexes = [models.Index(fields=["organisation", "partnership"], name="partner_organisation")]
        verbose_name = "partner"

    def __str__(self):
        return f"{self.organisation} – {self.get_role_display()}"


class RiskQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RiskQuerySet":
        """The risks `user` may see: those of the partnerships they may see (`Partnership.objects.visible_to`)."""
        return of_visible_partnerships(self, user)

    def open(self) -> "RiskQuerySet":
        return self.filter(status=Risk.Status.OPEN)

    def in_band(self, band: str) -> "RiskQuerySet":
        """The risks whose score falls in `band` (Risk.BANDS)."""
        low, high = Risk.score_range(band)
        return self.alias(rated=RISK_SCORE).filter(rated__gte=low, rated__lte=high)


DESCRIBE_THE_RISK = "Describe the risk"

# A risk's score as the database works it out: likelihood × impact, 1 to 25.
RISK_SCORE = F("likelihood") * F("impact")


class Risk(models.Model):
    """A risk of working in this partnership, scored on a 5×5 matrix and reviewed until closed.

    The strategy lists nine risks of working in partnership (seed 003, "What risks are
    involved in working in partnership?"): they are offered as the standard list, word for
    word, and an officer may describe a risk of their own instead.
    """

    class Standard(models.TextChoices):
        # The seed's own wording, in its order.
        PERFORMANCE = "performance", "Performance management arrangements are ineffective and do not identify issues in time"
        AGENDAS = "agendas", "The agendas of participating organisations are out of line and cannot be reconciled"
        PERSONALITIES = "personalities", "Personalities change and previously effective partnerships become more difficult"
        TRUST = "trust", "Trust breaks down"
        RESOURCES = "resources", "Resources are not committed"
        PRIORITIES = "priorities", "Priorities change"
        OBJECTIVES = "objectives", "They fail to deliver their objectives"
        AGREEMENT = "agreement", "Agreement cannot be reached by partners on any range of issues"
        ADDED_VALUE = "added_value", "It cannot be demonstrated that the partnership is adding value"

    # The words councils' risk matrices use for each level.
    class Likelihood(models.IntegerChoices):
        RARE = 1, "Rare (1)"
        UNLIKELY = 2, "Unlikely (2)"
        POSSIBLE = 3, "Possible (3)"
        LIKELY = 4, "Likely (4)"
        ALMOST_CERTAIN = 5, "Almost certain (5)"

    class Impact(models.IntegerChoices):
        INSIGNIFICANT = 1, "Insignificant (1)"
        MINOR = 2, "Minor (2)"
        MODERATE = 3, "Moderate (3)"
        MAJOR = 4, "Major (4)"
        SEVERE = 5, "Severe (5)"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    class Band(models.TextChoices):
        HIGH = "high", "High"
        MEDIUM = "medium", "Medium"
        LOW = "low", "Low"

    # The bands, in one place: the lowest and highest score of each (likelihood × impact).
    # High 15–25, medium 8–14, low 1–7: on a 5×5 matrix, "likely" and "major" together
    # (16) is high, "possible" and "moderate" (9) medium, "unlikely" and "minor" (4) low.
    BANDS = {Band.HIGH: (15, 25), Band.MEDIUM: (8, 14), Band.LOW: (1, 7)}
    BAND_TAG_CLASSES = {Band.HIGH: "govuk-tag--red", Band.MEDIUM: "govuk-tag--orange", Band.LOW: "govuk-tag--green"}

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="risks")
    standard = models.CharField(
        "One of the strategy’s risks", max_length=20, choices=Standard.choices, blank=True,
        help_text="Which of the partnership strategy’s nine risks this is; blank for a risk of the officer’s own.",
    )
    # A TextField's max_length is only the form's: the validators hold an import to it too.
    description = models.TextField("Risk", max_length=1000, blank=True, validators=[MaxLengthValidator(1000)])
    likelihood = models.PositiveSmallIntegerField(choices=Likelihood.choices)
    impact = models.PositiveSmallIntegerField(choices=Impact.choices)
    mitigation = models.TextField("Mitigation", max_length=2000, validators=[MaxLengthValidator(2000)])
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_risks")
    review_date = models.DateField("Next review")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking, as for partnerships and actions.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RiskQuerySet.as_manager()

    # Every change with its values before and after; the partnership's history shows them.
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        # Highest score first, then the one due for review soonest.
        ordering = [RISK_SCORE.desc(), "review_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(likelihood__gte=1, likelihood__lte=5), name="risk_likelihood_1_to_5"),
            models.CheckConstraint(condition=Q(impact__gte=1, impact__lte=5), name="risk_impact_1_to_5"),
        ]
        # The register's highest open risk: a partnership's open risks from the index.
        indexes = [models.Index(fields=["partnership", "status"], name="risk_partnership_status")]

    def __str__(self):
        return self.description[:80]

    def get_absolute_url(self):
        return f"{self.partnership.get_absolute_url()}#risks"

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> "Risk.Band":
        return self.band_of(self.score)

    @property
    def band_tag_class(self) -> str:
        return self.BAND_TAG_CLASSES[self.band]

    @property
    def is_review_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.review_date < timezone.localdate()

    @classmethod
    def band_of(cls, score: int) -> "Risk.Band":
        return next(band for band, (low, high) in cls.BANDS.items() if low <= score <= high)

    @classmethod
    def score_range(cls, band: str) -> tuple[int, int]:
        return cls.BANDS[band]

    @classmethod
    def bands_in_words(cls) -> str:
        """"high 15–25, medium 8–14 and low 1–7", for the pages that explain a score."""
        words = [f"{band.label.lower()} {low}–{high}" for band, (low, high) in cls.BANDS.items()]
        return f"{', '.join(words[:-1])} and {words[-1]}"

    def clean(self):
        """The rules a risk keeps however it is made: by the form, an import or the shell.

        One of the strategy's risks reads as the strategy words it; a risk of the officer's own
        needs its words. An owner or review date chosen now must be one that may be chosen; one
        chosen earlier stays (an owner who has since left, a review now overdue), so an old risk
        can still be closed.
        """
        # Asked even of values the fields' own checks refused (full_clean asks both), so each
        # rule reads only a value of its own type.
        errors = {}
        if self.standard in self.Standard.values:
            self.description = self.Standard(self.standard).label
        elif not self.standard and not str(self.description or "").strip():
            errors["description"] = DESCRIBE_THE_RISK
        stored = (Risk.objects.filter(pk=self.pk).values("owner_id", "review_date").first() if self.pk else None) or {}
        if (isinstance(self.owner_id, int) and self.partnership_id is not None
                and self.owner_id != stored.get("owner_id") and not may_own(self.owner, self.partnership)):
            errors["owner"] = ("The risk’s owner must be an officer or administrator, whose account is active, "
                               "of a council taking part in the partnership.")
        if (isinstance(self.review_date, date) and self.review_date != stored.get("review_date")
                and self.review_date < timezone.localdate()):
            errors["review_date"] = "The next review must be today or later"
        if errors:
            raise ValidationError(errors)


def highest_open_risk() -> Subquery:
    """The score of a partnership's highest open risk, or None if it has none: an annotation
    of partnerships (one subquery, read from the index of its risks by status)."""
    return Subquery(
        Risk.objects.open().filter(partnership=OuterRef("pk")).annotate(rated=RISK_SCORE)
        .order_by("-rated").values("rated")[:1]
    )


def highest_open_risk_in(band: str) -> Q:
    """Partnerships whose highest open risk is in `band` (Risk.BANDS): an open risk in the band,
    none above it. Partnerships without open risks are in no band."""
    _low, high = Risk.score_range(band)
    open_risks = Risk.objects.open().filter(partnership=OuterRef("pk"))
    condition = Q(Exists(open_risks.in_band(band)))
    if high < max(top for _low, top in Risk.BANDS.values()):
        condition &= ~Exists(open_risks.alias(rated=RISK_SCORE).filter(rated__gt=high))
    return condition
