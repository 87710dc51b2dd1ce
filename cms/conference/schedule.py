"""Reading the programme and seat counts for display, in a constant number of queries.

booking.py owns every write and the locked recounts; these helpers only read (the same
rule: seats held = confirmed plus unexpired offers) to show a schedule and a status box.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import EditionPage, Registration, Session, SessionBooking, TimeSlot

R, B = Registration.Status, SessionBooking.Status


@dataclass
class SlotGroup:
    slot: TimeSlot
    sessions: list[Session]

    @property
    def signup_sessions(self) -> list[Session]:
        return [s for s in self.sessions if s.requires_signup]

    @property
    def open_sessions(self) -> list[Session]:
        return [s for s in self.sessions if not s.requires_signup]


@dataclass
class Day:
    date: object
    slots: list[SlotGroup] = field(default_factory=list)


@dataclass
class EditionStatus:
    """The registration box: the window, seats left overall and the viewer's registration."""

    is_open: bool
    not_yet_open: bool
    seats_left: int
    people_waiting: bool
    registration: Registration | None

    @property
    def full(self) -> bool:
        return self.seats_left <= 0 or self.people_waiting


def _session_queryset():
    return (Session.objects.select_related("room", "organisation_unit", "good_example")
            .prefetch_related("rights_areas").order_by("title", "pk"))


def annotate_seats(sessions, now=None) -> None:
    """Set `seats_left` (None without a limit) and `has_queue` on each session: one query."""
    now = now or timezone.now()
    sessions = list(sessions)
    rows = SessionBooking.objects.filter(session__in=[s.pk for s in sessions]).values(
        "session_id").annotate(
        holding=Count("pk", filter=Q(status=B.CONFIRMED)
                      | Q(status=B.OFFERED, offer_expires_at__gt=now)),
        waiting=Count("pk", filter=Q(status=B.WAITLISTED)),
    )
    counts = {row["session_id"]: row for row in rows}
    for session in sessions:
        row = counts.get(session.pk, {"holding": 0, "waiting": 0})
        capacity = session.effective_capacity
        session.seats_left = None if capacity is None else max(0, capacity - row["holding"])
        session.has_queue = row["waiting"] > 0
        session.is_full = session.seats_left == 0 or session.has_queue


def programme(edition: EditionPage, now=None) -> list[SlotGroup]:
    """The edition's time slots with their sessions (and seat counts), in time order."""
    slots = list(TimeSlot.objects.filter(edition=edition).order_by("starts_at", "pk")
                 .prefetch_related(Prefetch("sessions", queryset=_session_queryset())))
    groups = [SlotGroup(slot, list(slot.sessions.all())) for slot in slots]
    annotate_seats([s for g in groups for s in g.sessions], now)
    return groups


def programme_days(groups: list[SlotGroup]) -> list[Day]:
    """Slot groups split by local date, for a conference of more than one day."""
    def local_date(group):
        return timezone.localtime(group.slot.starts_at).date()
    return [Day(date, list(items)) for date, items in groupby(groups, key=local_date)]


def edition_seats(edition: EditionPage, now=None) -> tuple[int, bool]:
    """(seats left overall, whether anyone waits), in one query."""
    now = now or timezone.now()
    counts = Registration.objects.filter(edition=edition).aggregate(
        holding=Count("pk", filter=Q(status=R.CONFIRMED)
                      | Q(status=R.OFFERED, offer_expires_at__gt=now)),
        waiting=Count("pk", filter=Q(status=R.WAITLISTED)),
    )
    return max(0, edition.capacity - counts["holding"]), counts["waiting"] > 0


def current_registration(edition: EditionPage, user) -> Registration | None:
    """The user's active registration, else their latest cancelled one."""
    if user is None or not user.is_authenticated:
        return None
    return (Registration.objects.filter(edition=edition, user=user)
            .order_by(_active_first(), "-created_at", "-pk").first())


def _active_first():
    return Case(When(status=R.CANCELLED, then=Value(1)), default=Value(0),
                output_field=IntegerField())


def edition_status(edition: EditionPage, user, now=None) -> EditionStatus:
    now = now or timezone.now()
    seats, waiting = edition_seats(edition, now)
    return EditionStatus(
        is_open=edition.registration_is_open(now),
        not_yet_open=now < edition.registration_opens_at,
        seats_left=seats, people_waiting=waiting,
        registration=current_registration(edition, user),
    )


def queue_positions(registration: Registration) -> dict[int, int]:
    """Place in the queue (1 = next) for each waitlisted booking of a registration, counting
    those ahead whose registration is confirmed (only they are offered seats): one query."""
    ahead = (SessionBooking.objects.filter(session_id=OuterRef("session_id"), status=B.WAITLISTED,
                                           registration__status=R.CONFIRMED)
             .filter(Q(created_at__lt=OuterRef("created_at"))
                     | Q(created_at=OuterRef("created_at"), pk__lt=OuterRef("pk")))
             .order_by().values("session_id").annotate(n=Count("pk")).values("n"))
    rows = registration.bookings.filter(status=B.WAITLISTED).annotate(
        ahead=Coalesce(Subquery(ahead), 0))
    return {row.pk: row.ahead + 1 for row in rows}


def registration_queue_position(registration: Registration) -> int | None:
    """Place in the edition's queue (1 = next) for a waitlisted registration."""
    if registration.status != R.WAITLISTED:
        return None
    queue = Registration.objects.filter(edition_id=registration.edition_id, status=R.WAITLISTED)
    return queue.filter(Q(created_at__lt=registration.created_at)
                        | Q(created_at=registration.created_at, pk__lt=registration.pk)).count() + 1
