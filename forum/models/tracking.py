"""Read state (unread counts) and watching levels (Discourse's model)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ThreadRead(models.Model):
    """The highest post number a user has seen in a thread (upserted on each visit)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    thread = models.ForeignKey("forum.Thread", on_delete=models.CASCADE, related_name="reads")
    last_read_number = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "thread"],
                                               name="forum_threadread_unique")]


class CategoryRead(models.Model):
    """"Markera alla som lästa" in a category: everything before marked_at counts as read."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("forum.Category", on_delete=models.CASCADE, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "category"],
                                               name="forum_categoryread_unique")]


class WatchLevel(models.IntegerChoices):
    MUTED = 0, _("Tystad")
    NORMAL = 1, _("Normal")
    TRACKING = 2, _("Följer")
    WATCHING = 3, _("Bevakar")


class Watch(models.Model):
    """A user's level on exactly one of: a thread, a category or a tag."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="forum_watches")
    thread = models.ForeignKey("forum.Thread", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="watches")
    category = models.ForeignKey("forum.Category", null=True, blank=True,
                                 on_delete=models.CASCADE, related_name="watches")
    tag = models.ForeignKey("forum.Tag", null=True, blank=True, on_delete=models.CASCADE,
                            related_name="watches")
    level = models.SmallIntegerField(choices=WatchLevel.choices, default=WatchLevel.NORMAL)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(thread__isnull=False, category__isnull=True, tag__isnull=True)
                    | models.Q(thread__isnull=True, category__isnull=False, tag__isnull=True)
                    | models.Q(thread__isnull=True, category__isnull=True, tag__isnull=False)
                ),
                name="forum_watch_exactly_one_target",
            ),
            models.UniqueConstraint(fields=["user", "thread"], condition=models.Q(thread__isnull=False),
                                    name="forum_watch_user_thread"),
            models.UniqueConstraint(fields=["user", "category"],
                                    condition=models.Q(category__isnull=False),
                                    name="forum_watch_user_category"),
            models.UniqueConstraint(fields=["user", "tag"], condition=models.Q(tag__isnull=False),
                                    name="forum_watch_user_tag"),
        ]
        # Every thread list asks for the user's muted threads (forum.unread): read those
        # few rows, not all of the user's watches.
        indexes = [models.Index(fields=["user"], condition=models.Q(level=WatchLevel.MUTED),
                                name="forum_watch_user_muted")]
