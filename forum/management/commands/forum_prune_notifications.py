"""`manage.py forum_prune_notifications`: delete old forum notifications (run daily from cron).

Read notifications go READ_RETENTION after they were made (default 90 days), unread ones
UNREAD_RETENTION after (default 365 days). Both count from `created_at`, so a notification
never lives longer than the unread retention, and reading one only shortens its life.

Rows go in batches of BATCH_SIZE ids per DELETE, so a large table is never locked for long
and a run that is stopped half-way has still done part of the work (the next run does the
rest).

Unread notifications that a digest would still send are never deleted (`_digest_pending`).
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from forum.emails import DAILY, WEEKLY
from forum.models import EmailPreference, Notification

# No retention settings live in settings.py (the read-mark cutoff is forum.unread.CUTOFF),
# so the defaults are here. privacy/registry.py and docs/privacy.md state the same figures.
READ_RETENTION = datetime.timedelta(days=90)
UNREAD_RETENTION = datetime.timedelta(days=365)
BATCH_SIZE = 5000

Frequency = EmailPreference.Frequency


def _digest_pending(now: datetime.datetime) -> Q:
    """Unread notifications that the next `forum_send_digests` run could still email.

    forum.emails.send_digest takes the unread, not yet emailed notifications of an active
    daily/weekly user made after `last_digest_at`, or, before the first digest, in the last
    day or week. With the daily digest running, that is the last day or week only, younger
    than both retentions, so this normally protects nothing. It matters when the digests
    have not run for a long time, when someone switches back to a digest after a long break
    (last_digest_at is then old), and with --days/--unread-days under 7. Follows the current
    preference only: a user on "never" or "immediate" gets no digest of these.
    """
    digests = EmailPreference.objects.filter(user=OuterRef("user_id"), user__is_active=True,
                                             frequency__in=[Frequency.DAILY, Frequency.WEEKLY])
    since_last_digest = Exists(digests.filter(last_digest_at__lt=OuterRef("created_at")))
    first_daily = Q(created_at__gt=now - DAILY) & Exists(
        digests.filter(frequency=Frequency.DAILY, last_digest_at__isnull=True))
    first_weekly = Q(created_at__gt=now - WEEKLY) & Exists(
        digests.filter(frequency=Frequency.WEEKLY, last_digest_at__isnull=True))
    return (Q(read_at__isnull=True, emailed_at__isnull=True)
            & (since_last_digest | first_daily | first_weekly))


def _delete_in_batches(condition: Q) -> int:
    """Delete the notifications matching `condition`, BATCH_SIZE at a time (oldest first)."""
    deleted = 0
    while True:
        ids = list(Notification.objects.filter(condition).order_by("pk")
                   .values_list("pk", flat=True)[:BATCH_SIZE])
        if not ids:
            return deleted
        # The condition again: a row may have changed since it was picked (read, emailed).
        _, per_model = Notification.objects.filter(condition, pk__in=ids).delete()
        deleted += per_model.get(Notification._meta.label, 0)


class Command(BaseCommand):
    help = ("Tar bort lästa forumaviseringar äldre än 90 dagar och olästa äldre än 365 dagar "
            "(olästa som en e-postsammanfattning ännu ska skicka finns kvar).")

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=READ_RETENTION.days,
                            help="Ta bort lästa aviseringar äldre än så här många dagar "
                                 f"(standard: {READ_RETENTION.days}).")
        parser.add_argument("--unread-days", type=int, default=UNREAD_RETENTION.days,
                            help="Ta bort olästa aviseringar äldre än så här många dagar, "
                                 f"minst --days (standard: {UNREAD_RETENTION.days}).")

    def handle(self, *args, days: int, unread_days: int, **options):
        if days < 1:
            raise CommandError("--days måste vara minst 1.")
        if unread_days < days:
            raise CommandError("--unread-days måste vara minst lika många dagar som --days.")
        now = timezone.now()
        pending = _digest_pending(now)
        read = _delete_in_batches(
            Q(read_at__isnull=False, created_at__lt=now - datetime.timedelta(days=days)))
        old_unread = Q(read_at__isnull=True,
                       created_at__lt=now - datetime.timedelta(days=unread_days))
        unread = _delete_in_batches(old_unread & ~pending)
        kept = Notification.objects.filter(old_unread).count()
        summary = (f"Tog bort {read} lästa aviseringar äldre än {days} dagar och {unread} "
                   f"olästa äldre än {unread_days} dagar.")
        if kept:
            summary += f" {kept} olästa sparas tills en e-postsammanfattning har skickat dem."
        self.stdout.write(summary)
