"""Registration, session booking and the waiting list, safe under concurrency.

Every change follows one pattern (pretalx/pretix): inside a transaction, lock the rows being
booked — the edition first, then sessions in ascending id — with select_for_update, recount
seat-holding rows (confirmed plus unexpired offers), then write. No counters are stored.
A partial unique constraint also stops two seat-holding bookings in one time slot.

Fairness: while anyone waits for an edition or a session, newcomers join the queue instead
of taking a freed seat; freed seats are offered to the first in line (promote), and an offer
holds the seat until it is accepted, declined or expires.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_variables

from . import events
from .models import AttendeeNeeds, EditionPage, Registration, Session, SessionBooking

R, B = Registration.Status, SessionBooking.Status


class BookingError(Exception):
    """A Swedish message for the user; nothing was changed."""


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A random self-service token and its stored hash (the token itself is never stored)."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)


@dataclass
class Needs:
    diet: list[str] = field(default_factory=list)
    diet_other: str = ""
    access: list[str] = field(default_factory=list)
    access_other: str = ""

    def is_empty(self) -> bool:
        return not (self.diet or self.diet_other or self.access or self.access_other)


# --- locking and counting -------------------------------------------------------------

# of=("self",): lock only the edition's and the sessions' own rows, not the joined
# wagtailcore_page row or the rooms (shared by editions: locking them in session order could
# deadlock two editions and would block room edits in the admin).

def _lock_edition(edition_id: int) -> EditionPage:
    return EditionPage.objects.select_for_update(of=("self",)).get(pk=edition_id)


def _lock_sessions(session_ids) -> dict[int, Session]:
    sessions = Session.objects.select_for_update(of=("self",)).filter(
        pk__in=sorted(set(session_ids)))
    return {s.pk: s for s in sessions.order_by("pk").select_related("room")}


def _holding_registrations(edition_id: int, now) -> int:
    return Registration.objects.filter(edition_id=edition_id).filter(
        status=R.CONFIRMED).count() + Registration.objects.filter(
        edition_id=edition_id, status=R.OFFERED, offer_expires_at__gt=now).count()


def _holding_bookings(session_id: int, now) -> int:
    return SessionBooking.objects.filter(session_id=session_id, status=B.CONFIRMED).count() + \
        SessionBooking.objects.filter(session_id=session_id, status=B.OFFERED,
                                      offer_expires_at__gt=now).count()


def edition_has_room(edition: EditionPage, now) -> bool:
    """A seat is free and nobody is waiting for one."""
    waiting = Registration.objects.filter(edition_id=edition.pk, status=R.WAITLISTED).exists()
    return not waiting and _holding_registrations(edition.pk, now) < edition.capacity


def session_has_room(session: Session, now) -> bool:
    """A seat is free and no confirmed attendee waits for one (the bookings of people still
    on the edition's waiting list are not in the session's queue yet)."""
    capacity = session.effective_capacity
    if capacity is None:
        return True
    waiting = SessionBooking.objects.filter(session_id=session.pk, status=B.WAITLISTED,
                                            registration__status=R.CONFIRMED).exists()
    return not waiting and _holding_bookings(session.pk, now) < capacity


def seats_left(session: Session, now=None) -> int | None:
    capacity = session.effective_capacity
    if capacity is None:
        return None
    return max(0, capacity - _holding_bookings(session.pk, now or timezone.now()))


# --- validation ------------------------------------------------------------------------

def _validate_sessions(edition: EditionPage, sessions: dict[int, Session], wanted) -> None:
    if len(sessions) != len(set(wanted)):
        raise BookingError(_("Något av de valda passen finns inte."))
    slots = set()
    for session in sessions.values():
        if session.edition_id != edition.pk:
            raise BookingError(_("Passet ”%(title)s” hör inte till den här konferensen.")
                               % {"title": session.title})
        if not session.requires_signup:
            raise BookingError(_("Passet ”%(title)s” kräver ingen anmälan.")
                               % {"title": session.title})
        if session.slot_id in slots:
            raise BookingError(_("Du kan bara välja ett pass per tidpass."))
        slots.add(session.slot_id)


def _book_sessions(registration: Registration, sessions: dict[int, Session], now) -> None:
    """Seat-taking bookings only for a confirmed registration; otherwise they wait too."""
    for session in sessions.values():  # ascending id: the lock order
        holding = registration.status == R.CONFIRMED and session_has_room(session, now)
        SessionBooking.objects.create(
            registration=registration, session=session, slot_id=session.slot_id,
            status=B.CONFIRMED if holding else B.WAITLISTED, created_at=now,
            confirmed_at=now if holding else None,
        )


# --- public operations -------------------------------------------------------------------

@sensitive_variables("needs")  # health data: never in error reports
@transaction.atomic
def register(user, edition: EditionPage, organisation_unit, session_ids=(), needs: Needs | None = None,
             now=None) -> tuple[Registration, str]:
    """Register `user`; returns the registration and its self-service token."""
    now = now or timezone.now()
    edition = _lock_edition(edition.pk)
    if not edition.registration_is_open(now):
        raise BookingError(_("Anmälan till %(year)s års konferens är inte öppen.")
                           % {"year": edition.year})
    if Registration.objects.filter(edition=edition, user=user).exclude(status=R.CANCELLED).exists():
        raise BookingError(_("Du är redan anmäld till konferensen."))
    sessions = _lock_sessions(session_ids)
    _validate_sessions(edition, sessions, session_ids)
    token, token_hash = new_token()
    status = R.CONFIRMED if edition_has_room(edition, now) else R.WAITLISTED
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                edition=edition, user=user, name=user.get_full_name(), email=user.email,
                organisation_unit=organisation_unit, status=status, token_hash=token_hash,
                created_at=now, confirmed_at=now if status == R.CONFIRMED else None,
            )
    except IntegrityError:
        raise BookingError(_("Du är redan anmäld till konferensen.")) from None
    _book_sessions(registration, sessions, now)
    if needs and not needs.is_empty():
        AttendeeNeeds.objects.create(registration=registration, diet=needs.diet,
                                     diet_other=needs.diet_other, access=needs.access,
                                     access_other=needs.access_other)
    events.registered(registration, token)
    return registration, token


@transaction.atomic
def change_sessions(registration: Registration, session_ids, now=None) -> Registration:
    """Replace the attendee's session choices (until the change deadline)."""
    now = now or timezone.now()
    edition = _lock_edition(registration.edition_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == R.CANCELLED:
        raise BookingError(_("Anmälan är avbokad."))
    if not edition.changes_allowed(now):
        raise BookingError(_("Sista dag för ändringar har passerat."))
    current = {b.session_id: b for b in registration.bookings.filter(status__in=SessionBooking.ACTIVE)}
    wanted = set(session_ids)
    sessions = _lock_sessions(wanted | set(current))
    _validate_sessions(edition, {pk: s for pk, s in sessions.items() if pk in wanted}, wanted)
    freed = []
    for session_id, booking in current.items():
        if session_id not in wanted:
            if booking.status in SessionBooking.HOLDING:
                freed.append(session_id)
            booking.status = B.CANCELLED
            booking.save(update_fields=["status"])
    _book_sessions(registration, {pk: sessions[pk] for pk in sorted(wanted - set(current))}, now)
    _bump_sequence(registration)
    for session_id in freed:
        _promote_session(sessions[session_id], edition, now)
    events.changed(registration)
    return registration


@transaction.atomic
def cancel(registration: Registration, now=None, by_organiser: bool = False) -> Registration:
    now = now or timezone.now()
    edition = _lock_edition(registration.edition_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == R.CANCELLED:
        return registration
    if not by_organiser and not edition.changes_allowed(now):
        raise BookingError(_("Sista dag för avbokning har passerat. Kontakta arrangören."))
    held_seat = registration.status in (R.CONFIRMED, R.OFFERED)
    bookings = list(registration.bookings.filter(status__in=SessionBooking.ACTIVE))
    sessions = _lock_sessions([b.session_id for b in bookings])
    registration.status, registration.cancelled_at = R.CANCELLED, now
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "cancelled_at", "offer_expires_at"])
    freed_sessions = [b.session_id for b in bookings if b.status in SessionBooking.HOLDING]
    registration.bookings.filter(status__in=SessionBooking.ACTIVE).update(status=B.CANCELLED)
    _bump_sequence(registration)
    if held_seat:
        _promote_edition(edition, now)
    for session_id in freed_sessions:
        _promote_session(sessions[session_id], edition, now)
    events.cancelled(registration)
    return registration


@transaction.atomic
def accept_offer(registration: Registration, now=None) -> Registration:
    now = now or timezone.now()
    edition = _lock_edition(registration.edition_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != R.OFFERED or registration.offer_expires_at <= now:
        raise BookingError(_("Erbjudandet gäller inte längre."))
    registration.status, registration.confirmed_at = R.CONFIRMED, now
    registration.offer_expires_at = None
    registration.save(update_fields=["status", "confirmed_at", "offer_expires_at"])
    # Session bookings that waited because the whole registration waited can now queue
    # for their sessions properly: promote each, in lock order.
    waiting = list(registration.bookings.filter(status=B.WAITLISTED))
    sessions = _lock_sessions([b.session_id for b in waiting])
    for session in sessions.values():
        _promote_session(session, edition, now)
    _bump_sequence(registration)
    events.confirmed(registration)
    return registration


@transaction.atomic
def decline_offer(registration: Registration, now=None) -> Registration:
    now = now or timezone.now()
    _lock_edition(registration.edition_id)  # the edition first, as everywhere (no deadlock)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != R.OFFERED:
        raise BookingError(_("Det finns inget erbjudande att tacka nej till."))
    return cancel(registration, now=now, by_organiser=True)


@transaction.atomic
def accept_session_offer(booking: SessionBooking, now=None) -> SessionBooking:
    now = now or timezone.now()
    _lock_edition(booking.registration.edition_id)
    _lock_sessions([booking.session_id])
    booking = SessionBooking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != B.OFFERED or booking.offer_expires_at <= now:
        raise BookingError(_("Erbjudandet gäller inte längre."))
    booking.status, booking.confirmed_at, booking.offer_expires_at = B.CONFIRMED, now, None
    booking.save(update_fields=["status", "confirmed_at", "offer_expires_at"])
    _bump_sequence(booking.registration)
    events.changed(booking.registration)
    return booking


@transaction.atomic
def decline_session_offer(booking: SessionBooking, now=None) -> SessionBooking:
    now = now or timezone.now()
    edition = _lock_edition(booking.registration.edition_id)
    sessions = _lock_sessions([booking.session_id])
    booking = SessionBooking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != B.OFFERED:
        raise BookingError(_("Det finns inget erbjudande att tacka nej till."))
    booking.status = B.DECLINED
    booking.save(update_fields=["status"])
    _promote_session(sessions[booking.session_id], edition, now)
    return booking


# --- the waiting list ----------------------------------------------------------------------

def _bump_sequence(registration: Registration) -> None:
    Registration.objects.filter(pk=registration.pk).update(ics_sequence=registration.ics_sequence + 1)
    registration.ics_sequence += 1


def _offer_deadline(edition: EditionPage, now) -> datetime.datetime:
    return now + datetime.timedelta(hours=edition.offer_hours)


def _promote_edition(edition: EditionPage, now) -> int:
    """Offer freed edition seats to the first in line. The edition row must be locked."""
    offered = 0
    free = edition.capacity - _holding_registrations(edition.pk, now)
    queue = Registration.objects.filter(edition_id=edition.pk, status=R.WAITLISTED).order_by(
        "created_at", "pk")
    for registration in queue[: max(0, free)]:
        registration.status = R.OFFERED
        registration.offer_expires_at = _offer_deadline(edition, now)
        registration.save(update_fields=["status", "offer_expires_at"])
        events.offered(registration)
        offered += 1
    return offered


def _promote_session(session: Session, edition: EditionPage, now) -> int:
    """Offer freed session seats to the first confirmed attendees in line (session locked)."""
    capacity = session.effective_capacity
    queue = SessionBooking.objects.filter(
        session_id=session.pk, status=B.WAITLISTED, registration__status=R.CONFIRMED,
    ).order_by("created_at", "pk")
    if capacity is None:
        free = queue.count()
    else:
        free = capacity - _holding_bookings(session.pk, now)
    offered = 0
    for booking in queue.select_related("registration"):
        if offered >= free:
            break
        if SessionBooking.objects.filter(registration_id=booking.registration_id,
                                         slot_id=booking.slot_id,
                                         status__in=SessionBooking.HOLDING).exists():
            continue  # they already hold another session in that slot: the next in line
        booking.status = B.OFFERED
        booking.offer_expires_at = _offer_deadline(edition, now)
        booking.save(update_fields=["status", "offer_expires_at"])
        events.session_offered(booking)
        offered += 1
    return offered


@transaction.atomic
def expire_and_promote(edition: EditionPage, now=None) -> dict[str, int]:
    """For conference_tick: expire passed offers, then offer freed seats to the next in line."""
    now = now or timezone.now()
    edition = _lock_edition(edition.pk)
    expired = list(Registration.objects.filter(edition_id=edition.pk, status=R.OFFERED,
                                               offer_expires_at__lte=now))
    for registration in expired:
        registration.status, registration.cancelled_at = R.CANCELLED, now
        registration.save(update_fields=["status", "cancelled_at"])
        registration.bookings.filter(status__in=SessionBooking.ACTIVE).update(status=B.CANCELLED)
        events.offer_expired(registration)
    session_ids = list(Session.objects.filter(edition_id=edition.pk).values_list("pk", flat=True))
    sessions = _lock_sessions(session_ids)
    expired_bookings = list(SessionBooking.objects.filter(
        session_id__in=session_ids, status=B.OFFERED, offer_expires_at__lte=now))
    for booking in expired_bookings:
        booking.status = B.EXPIRED
        booking.save(update_fields=["status"])
        events.session_offer_expired(booking)
    promoted = _promote_edition(edition, now)
    session_offers = sum(_promote_session(s, edition, now) for s in sessions.values())
    return {"expired": len(expired), "expired_session_offers": len(expired_bookings),
            "offered": promoted, "session_offers": session_offers}
