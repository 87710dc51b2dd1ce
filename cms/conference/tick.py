"""The conference's periodic work (manage.py conference_tick, from cron every 5 minutes).

For each edition: expire passed offers and offer freed seats to the next in line
(booking.expire_and_promote), queue the reminders that are due (7 days and 1 day before the
start, once each per confirmed registration), and purge needs data `needs_retention_days`
after the edition ends. Each run is logged as one AuditEvent("tick") holding counts only:
needs values are never read into the log.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from . import audit, booking
from .email_templates import EmailKind, ReminderSent
from .models import AttendeeNeeds, EditionPage, Registration

REMINDERS = ((EmailKind.REMINDER_7, datetime.timedelta(days=7)),
             (EmailKind.REMINDER_1, datetime.timedelta(days=1)))
COUNTS = ("expired", "expired_session_offers", "offered", "session_offers", "reminders",
          "purged")


def _reminder_due(edition: EditionPage, now) -> tuple[str, datetime.datetime] | None:
    """The reminder whose window [start - offset, next window or start) contains now."""
    for kind, offset in reversed(REMINDERS):  # the later (closer) reminder wins
        due_at = edition.starts_at - offset
        if due_at <= now < edition.starts_at:
            return kind, due_at
    return None


def send_reminders(edition: EditionPage, now) -> int:
    """Claim and queue the due reminder for confirmed registrations that have not had it.

    Only registrations confirmed before the reminder fell due get it: later ones have just
    had their confirmation. The edition row is locked so overlapping runs cannot both claim.
    """
    due = _reminder_due(edition, now)
    if due is None:
        return 0
    kind, due_at = due
    from .tasks import send_email_task

    with transaction.atomic():
        EditionPage.objects.select_for_update().only("pk").get(pk=edition.pk)
        already = ReminderSent.objects.filter(kind=kind, registration__edition_id=edition.pk)
        ids = list(Registration.objects.filter(
            edition_id=edition.pk, status=Registration.Status.CONFIRMED, confirmed_at__lt=due_at,
        ).exclude(pk__in=already.values("registration_id")).values_list("pk", flat=True))
        ReminderSent.objects.bulk_create(
            [ReminderSent(registration_id=pk, kind=kind, sent_at=now) for pk in ids])
        for pk in ids:
            transaction.on_commit(lambda pk=pk: send_email_task.enqueue(
                "reminder", registration_id=pk, kind=kind.value))
    return len(ids)


def purge_needs(edition: EditionPage, now) -> int:
    """Clear the needs of an edition that ended `needs_retention_days` ago; keep the rest."""
    if now < edition.ends_at + datetime.timedelta(days=edition.needs_retention_days):
        return 0
    return AttendeeNeeds.objects.filter(
        registration__edition_id=edition.pk, purged_at__isnull=True,
    ).update(diet=[], diet_other="", access=[], access_other="", purged_at=now)


def run(now=None) -> dict:
    """One tick over every edition; returns the totals (also written to the audit log)."""
    now = now or timezone.now()
    totals = dict.fromkeys(COUNTS, 0)
    by_year = {}
    editions = list(EditionPage.objects.order_by("year"))
    for edition in editions:
        counts = dict.fromkeys(COUNTS, 0)
        if now < edition.ends_at:
            counts.update(booking.expire_and_promote(edition, now=now))
        counts["reminders"] = send_reminders(edition, now)
        counts["purged"] = purge_needs(edition, now)
        for key in COUNTS:
            totals[key] += counts.get(key, 0)
        if any(counts.values()):
            by_year[str(edition.year)] = {k: v for k, v in counts.items() if v}
    details = {**totals, "editions": len(editions), "by_year": by_year}
    audit.log(None, None, "tick", details)
    return details
