"""In-app notifications, email preferences and the unsubscribe token."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    class Kind(models.TextChoices):
        REPLY = "reply", _("Nytt svar")
        MENTION = "mention", _("Omnämnande")
        NEW_THREAD = "new_thread", _("Ny tråd")
        ACCEPTED = "accepted", _("Accepterat svar")
        MODERATION = "moderation", _("Moderering")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="forum_notifications")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    thread = models.ForeignKey("forum.Thread", null=True, on_delete=models.CASCADE, related_name="+")
    post = models.ForeignKey("forum.Post", null=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                              related_name="+")
    message = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"], name="forum_notif_user_unread")]


class EmailPreference(models.Model):
    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("Direkt")
        DAILY = "daily", _("Daglig sammanfattning")
        WEEKLY = "weekly", _("Veckosammanfattning")
        NEVER = "never", _("Aldrig")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="forum_email_preference")
    frequency = models.CharField(_("e-post"), max_length=10, choices=Frequency.choices,
                                 default=Frequency.IMMEDIATE)
    unsubscribe_token = models.CharField(max_length=64, unique=True,
                                         default=secrets.token_urlsafe)
    last_digest_at = models.DateTimeField(null=True, blank=True)
