"""The erasure log: that an account was erased, when and by whom, with counts only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ErasureRecord(models.Model):
    """One erased account. No name, no email: `subject_id` is the pk of the inactive
    tombstone row left behind, so a restored backup can be erased again by id."""

    subject_id = models.BigIntegerField(db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    by_self = models.BooleanField(default=False)
    via = models.CharField(max_length=20)  # "self-service", "command" or "admin"
    counts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
