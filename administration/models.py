"""What council administrators change, recorded: who, when, what, before and after."""

import hashlib
import json

from django.conf import settings
from django.db import models
from django.utils import timezone


class ChangeRecord(models.Model):
    """One change made on the administration pages: a person's role, councils or active
    state, a lockout lifted, a council added or renamed, a setting, a merge.

    Kept whatever happens to the people and councils it names: the names are copied in
    (`made_by_name`), and the links become empty if a superuser ever deletes one.
    """

    class Kind(models.TextChoices):
        PERSON_ADDED = "person_added", "Person added"
        DETAILS_CHANGED = "details_changed", "Name or email changed"
        ROLE_CHANGED = "role_changed", "Role changed"
        COUNCILS_CHANGED = "councils_changed", "Councils changed"
        DEACTIVATED = "deactivated", "Deactivated"
        REACTIVATED = "reactivated", "Reactivated"
        INVITATION_SENT = "invitation_sent", "Set-password email sent"
        LOCKOUT_LIFTED = "lockout_lifted", "Sign-in lockout lifted"
        COUNCIL_ADDED = "council_added", "Council added"
        COUNCIL_RENAMED = "council_renamed", "Council renamed"
        SETTING_CHANGED = "setting_changed", "Setting changed"
        MERGED = "merged", "Merged"

    made_at = models.DateTimeField(default=timezone.now, db_index=True)
    made_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    made_by_name = models.CharField(max_length=300)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="administration_changes")
    council = models.ForeignKey("partnerships.Council", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="administration_changes")
    summary = models.CharField(max_length=500)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-made_at", "-id"]
        # The Administrator role's, so pages can ask it from the permissions Django has
        # read already (the navigation's link) rather than read the person's groups again.
        permissions = [("administer_councils", "Can administer their councils’ people, settings and reference data")]

    def __str__(self):
        return f"{self.made_at:%d %b %Y %H:%M} {self.made_by_name}: {self.summary}"


def state_version(state: dict) -> str:
    """A digest of what an administration form was opened on (a person's, a council's, a
    policy's state as plain values): posted back with the form, a change saved meanwhile
    by someone else shows as a different digest, and the second save is refused."""
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()[:16]
