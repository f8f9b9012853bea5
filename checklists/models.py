"""The assessment tools as reference data: Template → Section → Question.

Templates are versioned. An assessment answers one version, so when wording
changes an administrator makes a new version and old assessments keep theirs.
"""

from django.db import models
from django.db.models import Q


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
