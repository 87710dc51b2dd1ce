"""Figures for the organiser dashboard, each in a constant number of queries.

Needs appear only as counts (exports.needs_counts); feedback only as averages and comments
without any link to a person, ordered by session and rating, never by submission order.
"""

from __future__ import annotations

import datetime

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from . import charts
from .models import EditionPage, Feedback, Proposal, Registration, Session, SessionBooking

B = SessionBooking.Status
MAX_DAYS = 400  # a registration window longer than this is drawn from its last days


def _active(edition: EditionPage):
    return Registration.objects.filter(edition=edition, status__in=Registration.ACTIVE)


def registrations_over_time(edition: EditionPage) -> charts.BarChart:
    """Active registrations per registration day, drawn cumulatively; gaps filled with 0."""
    per_day = dict(_active(edition).annotate(day=TruncDate("created_at")).values("day")
                   .annotate(n=Count("pk")).values_list("day", "n"))
    items, extra, total = [], [], 0
    if per_day:
        first, last = min(per_day), max(per_day)
        first = max(first, last - datetime.timedelta(days=MAX_DAYS - 1))
        total = sum(n for day, n in per_day.items() if day < first)
        day = first
        while day <= last:
            total += per_day.get(day, 0)
            items.append((f"{day.day}/{day.month}", total))
            extra.append([per_day.get(day, 0)])
            day += datetime.timedelta(days=1)
    summary = (_("%(total)s aktiva anmälningar, den första %(first)s och den senaste %(last)s.")
               % {"total": total, "first": items[0][0], "last": items[-1][0]}) if items else ""
    return charts.columns("chart-over-time", _("Anmälningar över tid (sammanlagt)"), items,
                          headers=[_("Dag"), _("Sammanlagt"), _("Nya den dagen")],
                          summary=summary, extra=extra)


def registrations_per_unit(edition: EditionPage) -> charts.BarChart:
    rows = (_active(edition).values("organisation_unit__name").annotate(n=Count("pk"))
            .order_by("-n", "organisation_unit__name"))
    items = [(row["organisation_unit__name"] or _("Uppgift saknas"), row["n"]) for row in rows]
    summary = (_("%(units)s förvaltningar och bolag. Flest anmälda: %(top)s (%(n)s).")
               % {"units": len(items), "top": items[0][0], "n": items[0][1]}) if items else ""
    return charts.horizontal("chart-per-unit", _("Anmälningar per förvaltning eller bolag"), items,
                             headers=[_("Förvaltning eller bolag"), _("Anmälningar")], summary=summary)


def status_counts(edition: EditionPage) -> dict[str, int]:
    counts = dict(Registration.objects.filter(edition=edition).values("status")
                  .annotate(n=Count("pk")).values_list("status", "n"))
    return {status: counts.get(status, 0) for status in Registration.Status.values}


def sessions(edition: EditionPage) -> list[Session]:
    """Sessions with confirmed/offered/waiting counts and the fill rate (confirmed/capacity)."""
    rows = list(Session.objects.filter(edition=edition).select_related("slot", "room").annotate(
        confirmed=Count("bookings", filter=Q(bookings__status=B.CONFIRMED)),
        offered=Count("bookings", filter=Q(bookings__status=B.OFFERED)),
        waiting=Count("bookings", filter=Q(bookings__status=B.WAITLISTED)),
    ).order_by("slot__starts_at", "title", "pk"))
    for session in rows:
        capacity = session.effective_capacity
        session.fill_percent = round(100 * session.confirmed / capacity) if capacity else None
    return rows


def proposal_summary(edition: EditionPage) -> dict:
    rows = {row["status"]: row for row in Proposal.objects.filter(edition=edition).values("status")
            .annotate(n=Count("pk", distinct=True),
                      reviewed=Count("pk", filter=Q(reviews__isnull=False), distinct=True))}
    by_status = [(label, rows.get(value, {}).get("n", 0)) for value, label in Proposal.Status.choices]
    return {"by_status": by_status, "total": sum(n for _, n in by_status),
            "unreviewed": rows.get(Proposal.Status.SUBMITTED, {}).get("n", 0)
            - rows.get(Proposal.Status.SUBMITTED, {}).get("reviewed", 0)}


def feedback(edition: EditionPage, session_list: list[Session]) -> dict:
    """Average rating for the edition and per session, and the comments (no person link)."""
    titles = {s.pk: s.title for s in session_list}
    averages = {row["session_id"]: row for row in Feedback.objects.filter(edition=edition)
                .values("session_id").annotate(average=Avg("rating"), n=Count("pk"))}
    overall = averages.pop(None, None)
    per_session = [{"title": titles.get(pk, "–"), "average": row["average"], "n": row["n"]}
                   for pk, row in averages.items()]
    per_session.sort(key=lambda row: row["title"])
    comments = list(Feedback.objects.filter(edition=edition).exclude(comment="")
                    .order_by("session__title", "-rating", "comment")
                    .values("session__title", "rating", "comment"))
    return {"overall": overall, "per_session": per_session, "comments": comments}
