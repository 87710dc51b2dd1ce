"""Flags from users and the log of moderator actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Flag(models.Model):
    class Reason(models.TextChoices):
        OFFENSIVE = "krankande", _("Kränkande eller diskriminerande")
        PERSONAL_DATA = "personuppgifter", _("Innehåller känsliga personuppgifter")
        OFF_TOPIC = "fel-amne", _("Hör inte hit")
        SPAM = "reklam", _("Reklam eller spam")
        OTHER = "annat", _("Annat")

    post = models.ForeignKey("forum.Post", on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                 related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    text = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    resolution = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [models.UniqueConstraint(
            fields=["post", "reporter"], condition=models.Q(resolved_at__isnull=True),
            name="forum_flag_one_open_per_reporter")]


class ModerationAction(models.Model):
    class Action(models.TextChoices):
        HIDE = "hide", _("Dolde inlägg")
        UNHIDE = "unhide", _("Visade inlägg igen")
        LOCK = "lock", _("Låste tråd")
        UNLOCK = "unlock", _("Låste upp tråd")
        PIN = "pin", _("Fäste tråd")
        UNPIN = "unpin", _("Lossade tråd")
        MOVE = "move", _("Flyttade tråd")
        MERGE = "merge", _("Slog ihop trådar")
        SPLIT = "split", _("Delade tråd")
        RESOLVE_FLAG = "resolve_flag", _("Hanterade flaggning")
        ACCEPT = "accept", _("Markerade accepterat svar")

    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                  related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    thread = models.ForeignKey("forum.Thread", null=True, on_delete=models.SET_NULL, related_name="+")
    post = models.ForeignKey("forum.Post", null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
