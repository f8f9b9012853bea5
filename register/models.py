"""Scrutiny packs: one PDF of many partnerships, built in the background and kept for re-download."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from partnerships.models import Partnership


class ScrutinyPackQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ScrutinyPackQuerySet":
        """The scrutiny packs `user` may see: for those who may read packs, each pack whose
        partnerships they may all see (`Partnership.objects.visible_to`), since a pack holds
        each one's entry and assessment; none for anyone else. A pack of partnerships their
        councils take part in is theirs to read whoever asked for it; a pack holding one
        partnership of a council not theirs is not found."""
        if not user.has_perm("register.view_scrutinypack"):
            return self.none()
        if user.is_superuser:
            return self
        unseen = ScrutinyPack.partnerships.through.objects.exclude(
            partnership__in=Partnership.objects.visible_to(user)
        )
        return self.exclude(pk__in=unseen.values("scrutinypack_id"))


class ScrutinyPack(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        BUILDING = "building", "Being built"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    # Still to come: these count against a person's SCRUTINY_PACK_QUEUE_LIMIT, and may be cancelled.
    WAITING = (Status.QUEUED, Status.BUILDING)

    title = models.CharField(max_length=200)
    filters = models.TextField(blank=True, help_text="The register's query string when the pack was asked for.")
    filter_summary = models.TextField(blank=True, help_text="The filters in words, as the register showed them.")
    partnership_ids = models.JSONField(default=list, help_text="In the register's order when the pack was asked for.")
    # The same partnerships as a relation, kept from partnership_ids on saving, so who may
    # read the pack is a query (ScrutinyPackQuerySet.visible_to).
    partnerships = models.ManyToManyField(Partnership, related_name="scrutiny_packs", blank=True, editable=False)
    # A pack outlives its requester's account: the name stays on the cover and in the list.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    task_id = models.CharField(max_length=64, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField("Size in bytes", null=True, blank=True)
    # A file in the default storage (MEDIA_ROOT), written by the worker and streamed on download:
    # the database holds only its name, so it stays small and quick to back up.
    file = models.FileField(upload_to="scrutiny-packs/%Y/%m/", blank=True, editable=False)
    error = models.TextField(blank=True)

    objects = ScrutinyPackQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(done__lte=models.F("total")), name="pack_done_within_total"),
            models.CheckConstraint(
                condition=~models.Q(status="ready") | ~models.Q(file=""), name="pack_ready_has_file"
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The partnerships are fixed when a pack is asked for: recorded as a relation once.
        adding = self._state.adding
        super().save(*args, **kwargs)
        if adding:
            self.partnerships.set(Partnership.objects.filter(pk__in=self.partnership_ids).values_list("pk", flat=True))

    def get_absolute_url(self):
        return reverse("register:pack", args=[self.pk])

    @property
    def filename(self) -> str:
        """Named from its title, e.g. `audit-committee-statutory-partnerships-2026-11-24.pdf`
        (accents folded to plain letters); a title with no letters or digits to use gives
        `scrutiny-pack-<id>-<date>.pdf`."""
        name = slugify(self.title)
        if len(name) > 80:
            name = name[:81].rsplit("-", 1)[0][:80]  # whole words where it can
        return f"{name or f'scrutiny-pack-{self.pk}'}-{self.requested_at:%Y-%m-%d}.pdf"

    @property
    def percent_done(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def status_tag_class(self) -> str:
        return {
            self.Status.QUEUED: "govuk-tag--grey",
            self.Status.BUILDING: "govuk-tag--blue",
            self.Status.READY: "govuk-tag--green",
            self.Status.FAILED: "govuk-tag--red",
            self.Status.CANCELLED: "govuk-tag--grey",
        }[self.status]

    @property
    def is_waiting(self) -> bool:
        return self.status in self.WAITING


class WorkerHeartbeat(models.Model):
    """A running `manage.py run_worker`, as last heard from.

    django-tasks-db records which worker claimed each task but not whether that worker is
    still alive; a task whose worker has gone quiet is not running any more.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)
    started_at = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = "background worker"

    def __str__(self):
        return f"{self.worker_id} on {self.host} (pid {self.pid})"


class RegisterImport(models.Model):
    """A register file an administrator uploaded, kept between its preview and their confirming
    it (issue 16). The page that confirms names it through the person's session, and reads the
    file again: the register may have changed since the preview, and a confirm writes only the
    plan that was shown (`fingerprint`). Once imported, its file is let go; the record says who
    imported what, and when."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        IMPORTED = "imported", "Imported"

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(max_length=255)
    content = models.BinaryField(editable=False)
    fingerprint = models.CharField(max_length=64, blank=True)
    summary = models.JSONField(default=dict, help_text="The preview: the plan's rows, new things and problems.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PREVIEWED)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = "register import"

    def __str__(self):
        return f"{self.filename} ({self.get_status_display().lower()})"
