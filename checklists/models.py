"""The assessment tools as reference data: Template → Section → Question.

Templates are versioned. An assessment answers one version, so when wording
changes an administrator makes a new version and old assessments keep theirs.
"""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partnerships.dates import add_months
from partnerships.models import (
    ASSURANCE_MEANINGS,
    Assurance,
    assurance_below,
    of_visible_partnerships,
    sees_every_partnership,
)


class Template(models.Model):
    class Kind(models.TextChoices):
        CHECKLIST = "checklist", "Partnership checklist"
        IMPROVEMENT = "improvement", "Partnership Improvement Template"

    name = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    version = models.PositiveIntegerField(default=1)
    source = models.TextField(blank=True, help_text="Where the wording comes from.")
    used_when = models.TextField("When it is used", blank=True)
    is_current = models.BooleanField(
        default=False, help_text="The version officers use for new assessments. One per kind."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="template_version_unique_per_kind"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(is_current=True), name="template_one_current_version_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.name} (version {self.version})"


class Section(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="sections")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)

    class Meta:
        ordering = ["template", "number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="section_number_unique_per_template")
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Question(models.Model):
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    letter = models.CharField(max_length=2, blank=True, help_text="For example “a”; blank where the tool has none.")
    text = models.TextField()
    points = models.JSONField(
        default=list, blank=True,
        help_text="Bullet points that belong to the question, as in the Improvement Template’s accountability area.",
    )

    class Meta:
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section", "position"], name="question_position_unique_per_section")
        ]

    def __str__(self):
        return f"{self.letter}. {self.text}" if self.letter else self.text


def may_work_on_assessments(user) -> bool:
    """Officers and administrators: start assessments, fill in drafts, and so see drafts."""
    return user.has_perm("checklists.change_assessment")


class AssessmentQuerySet(models.QuerySet):
    def visible_to(self, user, *, partnership_seen: bool = False) -> "AssessmentQuerySet":
        """The assessments `user` may see: those of the partnerships they may see
        (`Partnership.objects.visible_to`, where council scope goes), and of those the
        drafts only if they may work on assessments (DESIGN.md's role table).

        `partnership_seen=True` for the assessments of a partnership already fetched through
        `Partnership.objects.visible_to(user)` (a prefetch of it): its council scope is
        settled, so only the draft rule applies (and no query compiles its subquery again)."""
        visible = self if partnership_seen else of_visible_partnerships(self, user)
        if not may_work_on_assessments(user):
            visible = visible.published()
        return visible

    def published(self) -> "AssessmentQuerySet":
        """Submitted and approved assessments: what every reader of the register sees, and
        all a scrutiny pack holds."""
        return self.exclude(status=Assessment.Status.DRAFT)


class Assessment(models.Model):
    """One completion of a template for one partnership: a checklist or an improvement review."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"

    partnership = models.ForeignKey(
        "partnerships.Partnership", on_delete=models.PROTECT, related_name="assessments"
    )
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="assessments")
    title = models.CharField(
        "Review period or title", max_length=120, help_text="For example “2025-26 annual review”."
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Optimistic locking: every save of answers must name the version it was
    # read at; a save against an older version is refused, never overwrites.
    version = models.PositiveIntegerField(default=1)

    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(max_length=2000, blank=True)
    # Who led the partnership when it was submitted, for whoever approves it.
    lead_officer_at_submission = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The register entry as it stood at approval (Partnership.entry_snapshot),
    # so what was approved stays what was approved.
    approved_entry = models.JSONField(null=True, blank=True, editable=False)
    # The approver's overall opinion (blank for assessments approved before it was asked).
    assurance = models.CharField("Overall assurance", max_length=20, choices=Assurance.choices, blank=True)

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            # The register's "approved checklist" filter and Your work's count of approvals (issue 15).
            models.Index(fields=["status", "template", "partnership", "id"], name="assessment_status_tool"),
            # Returned drafts, for Your work: few, so a small partial index.
            models.Index(fields=["started_by"], condition=Q(returned_at__isnull=False), name="assessment_returned"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="assessment_approved_has_approver",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_by__isnull=False, submitted_at__isnull=False),
                name="assessment_submitted_has_submitter",
            ),
        ]

    def __str__(self):
        return f"{self.template.name}: {self.title}"

    @property
    def status_tag_class(self) -> str:
        return {
            self.Status.DRAFT: "govuk-tag--grey",
            self.Status.SUBMITTED: "govuk-tag--blue",
            self.Status.APPROVED: "govuk-tag--green",
        }[self.status]

    @property
    def assurance_meaning(self) -> str:
        """What the overall assurance means, in internal audit's words ("" if none was given)."""
        return ASSURANCE_MEANINGS.get(self.assurance, "")

    ENTRY_LABELS = {
        "name": "name", "reference": "reference", "scope": "classification", "basis": "classification",
        "membership": "classification", "level": "classification", "lead_officer": "lead officer",
        "councils": "councils",
    }

    def register_entry(self) -> dict:
        """The partnership's register entry this assessment is read against: as it stood
        at approval once approved, otherwise as it stands now."""
        if self.status == self.Status.APPROVED and self.approved_entry:
            return self.approved_entry
        return self.partnership.entry_snapshot()

    def entry_changed_since_approval(self) -> list[str]:
        """What of the register entry has changed since approval, in words ("name", "lead officer")."""
        if self.status != self.Status.APPROVED or not self.approved_entry:
            return []
        now = self.partnership.entry_snapshot()
        changed = [label for key, label in self.ENTRY_LABELS.items() if self.approved_entry.get(key) != now.get(key)]
        return list(dict.fromkeys(changed))

    @property
    def review_period(self) -> str:
        """The council financial year (April to March) it reviews, e.g. "2025-26".

        That is the year it was submitted in, or for a draft the year it was started.
        """
        when = timezone.localtime(self.submitted_at or self.started_at)
        first = when.year if when.month >= 4 else when.year - 1
        return f"{first}-{(first + 1) % 100:02d}"


class Answer(models.Model):
    class Rating(models.TextChoices):
        ASSURED = "assured", "Assured"
        PARTLY = "partly", "Partly assured"
        NOT_ASSURED = "not_assured", "Not assured"

    class Meets(models.TextChoices):
        YES = "yes", "Yes"
        NO = "no", "No"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    # Partnership checklist: a narrative answer and an assurance rating.
    narrative = models.TextField("Answer", max_length=6000, blank=True)
    rating = models.CharField("Assurance", max_length=20, choices=Rating.choices, blank=True)
    # Improvement Template: Yes / No, and an action (needed for every "No").
    meets = models.CharField(max_length=3, choices=Meets.choices, blank=True)
    action = models.TextField(max_length=2000, blank=True)
    # Who will own the action and when it is due, set as it is raised; left blank, it goes
    # to the partnership's lead officer, due three months after submission.
    action_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action_due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["question__section__number", "question__position"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "question"], name="answer_once_per_question")
        ]

    def __str__(self):
        return f"Answer to {self.question}"


class AuditEvent(models.Model):
    """Who changed what and when in an assessment; written by the services, shown on its page."""

    class Kind(models.TextChoices):
        STARTED = "started", "Started"
        ANSWERS = "answers", "Changed answers"
        SUBMITTED = "submitted", "Submitted"
        APPROVED = "approved", "Approved"
        RETURNED = "returned", "Returned"
        ACTION = "action", "Action"
        REVIEW_DATE = "review_date", "Next review moved"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    # What happened, so rules can ask (four eyes: who wrote any of the answers).
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    description = models.CharField(max_length=300)
    changes = models.JSONField(default=list, blank=True, help_text="[question, before, after] for each answer changed.")

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.at:%d %b %Y %H:%M} {self.actor}: {self.description}"


class ActionQuerySet(models.QuerySet):
    def visible_to(self, user, *, partnership_seen: bool = False) -> "ActionQuerySet":
        """The actions `user` may see: those of the assessments they may see
        (`Assessment.objects.visible_to`), so an action raised by a draft is for officers.
        `partnership_seen` as there: of a partnership already fetched through `visible_to`."""
        if sees_every_partnership(user):  # and so, a superuser, may work on assessments: every action
            return self
        if partnership_seen:
            return self if may_work_on_assessments(user) else self.exclude(assessment__status=Assessment.Status.DRAFT)
        return self.filter(assessment__in=Assessment.objects.visible_to(user))

    def open(self) -> "ActionQuerySet":
        """Actions not yet done (`action_open_q`): open or in progress."""
        return self.filter(action_open_q())

    def overdue(self, today: date | None = None) -> "ActionQuerySet":
        """Open actions whose due date has passed (`action_overdue_q`)."""
        return self.filter(action_overdue_q(today))


def action_open_q() -> Q:
    """The rule for an open action, as a condition: not done (open or in progress).
    `ActionQuerySet.open()` filters on it; `Action.is_open` is its one-object twin."""
    return ~Q(status=Action.Status.DONE)


def action_overdue_q(today: date | None = None) -> Q:
    """The rule for an overdue action: open, and due before `today` (by default the council's
    today). A Q so that a count in one pass can use it as a filter (the dashboard's);
    `ActionQuerySet.overdue()` filters on it; `Action.is_overdue` is its one-object twin."""
    return action_open_q() & Q(due_date__lt=today or timezone.localdate())


class Action(models.Model):
    """An action from an Improvement Template review, followed up until it is done."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"

    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="actions")
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions")
    answer = models.OneToOneField(Answer, on_delete=models.SET_NULL, null=True, blank=True, related_name="tracked_action")
    description = models.TextField(max_length=2000)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="actions")
    due_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking, as for partnerships and assessments.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ActionQuerySet.as_manager()

    # Every change with its values before and after; the partnership's history shows them.
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["status", "due_date"])]

    def __str__(self):
        return self.description[:80]

    @property
    def is_open(self) -> bool:
        """Whether this action is not yet done: the one-object twin of `action_open_q`."""
        return self.status != self.Status.DONE

    @property
    def is_overdue(self) -> bool:
        """Whether this action is open and past its due date: the twin of `action_overdue_q`."""
        return self.is_open and self.due_date < timezone.localdate()


class ActionNote(models.Model):
    """A dated note of progress on an action, by whoever follows it up."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(auto_now_add=True)
    text = models.TextField("Progress note", max_length=2000)

    class Meta:
        ordering = ["-written_at", "-id"]

    def __str__(self):
        return f"{self.written_at:%d %b %Y}: {self.text[:60]}"


class AssurancePolicy(models.Model):
    """How soon a partnership is reviewed again after an approval below a chosen assurance level:
    one per council, set by its administrator. Manchester, for one, reassesses anything below
    Substantial after six months; that is the default for a council that has not set its own.

    A joint partnership is reviewed as soon as any of its councils' policies asks
    (`soonest_review`): each council keeps its own assurance of what it takes part in.
    """

    council = models.OneToOneField("partnerships.Council", on_delete=models.CASCADE, related_name="assurance_policy")
    below = models.CharField(
        "Bring the review forward for assurance below", max_length=20, choices=Assurance.choices,
        default=Assurance.SUBSTANTIAL,
        help_text="An approval with a lower overall assurance than this brings the partnership’s next review forward.",
    )
    review_months = models.PositiveSmallIntegerField(
        "Review again within (months)", null=True, blank=True, default=6,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
        help_text="Leave blank to keep each partnership’s own review frequency whatever the assurance.",
    )

    class Meta:
        verbose_name = "assurance policy"
        verbose_name_plural = "assurance policies"

    def __str__(self):
        if not self.review_months:
            return "No shorter review for low assurance"
        return f"Review within {self.review_months} months when assurance is below {self.get_below_display().lower()}"

    @classmethod
    def of(cls, council) -> "AssurancePolicy":
        """The council's policy: its own, or (unsaved) the default until its administrator sets one."""
        return cls.objects.filter(council=council).first() or cls(council=council)

    @classmethod
    def of_councils(cls, councils) -> list["AssurancePolicy"]:
        """The policies of `councils` (each its own or the default), in one query."""
        councils = list(councils)
        stored = {policy.council_id: policy for policy in cls.objects.filter(council__in=councils)}
        return [stored.get(council.pk) or cls(council=council) for council in councils]

    def shortens(self, assurance: str) -> bool:
        return bool(self.review_months) and assurance_below(assurance, self.below)


def soonest_review(partnership, assurance: str, today) -> tuple[object, "AssurancePolicy | None"]:
    """(the date, the policy) the councils taking part in `partnership` bring its next review
    forward to after an approval with `assurance`: the soonest any of their policies asks
    for; (None, None) if none does."""
    best = (None, None)
    for policy in AssurancePolicy.of_councils(partnership.councils.order_by("name")):
        if policy.shortens(assurance):
            due = add_months(today, policy.review_months)
            if best[0] is None or due < best[0]:
                best = (due, policy)
    return best


class SectionRatingCount(models.Model):
    """How many of a section's questions an approved Partnership checklist rated each way, kept
    when it is approved (it never changes after), so the dashboard sums a few rows per
    checklist rather than counting every answer of every checklist in the register."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="section_ratings")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="+")
    assured = models.PositiveIntegerField(default=0)
    partly = models.PositiveIntegerField(default=0)
    not_assured = models.PositiveIntegerField(default=0)
    # The assessment's partnership, and whether this is its latest approved checklist: the
    # dashboard reads the latest of each partnership without working out which it is.
    partnership = models.ForeignKey("partnerships.Partnership", on_delete=models.CASCADE, related_name="+")
    is_latest = models.BooleanField(default=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "section"], name="one_count_per_section")]
        indexes = [models.Index(fields=["partnership"], condition=Q(is_latest=True), name="latest_section_ratings")]

    def __str__(self):
        return f"{self.assessment_id}: section {self.section_id}"

    # The rating each count is of (Answer.Rating's values), in Answer.Rating's order.
    FIELDS = {"assured": "assured", "partly": "partly", "not_assured": "not_assured"}

    @classmethod
    def counts_for(cls, assessment_ids) -> list["SectionRatingCount"]:
        """The counts of each approved checklist in `assessment_ids`, from their answers (unsaved)."""
        rows = (
            Answer.objects.filter(assessment_id__in=assessment_ids, rating__in=cls.FIELDS)
            .values("assessment_id", "question__section_id", "rating").annotate(n=models.Count("pk"))
        )
        partnership_of = dict(Assessment.objects.filter(pk__in=assessment_ids).values_list("pk", "partnership_id"))
        counts = {}
        for row in rows:
            key = (row["assessment_id"], row["question__section_id"])
            count = counts.setdefault(key, cls(assessment_id=key[0], section_id=key[1],
                                               partnership_id=partnership_of[key[0]]))
            setattr(count, cls.FIELDS[row["rating"]], row["n"])
        return list(counts.values())

    @classmethod
    def keep(cls, assessment: Assessment) -> None:
        """Keep the counts of a checklist just approved, as its partnership's latest."""
        cls.objects.filter(partnership_id=assessment.partnership_id, is_latest=True).update(is_latest=False)
        cls.objects.bulk_create(cls.counts_for([assessment.pk]))
