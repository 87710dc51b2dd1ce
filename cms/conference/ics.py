"""Calendar files (.ics): the whole programme, and an attendee's own calendar.

UIDs are stable (built from the rows' uuid fields), so a calendar updates its events instead
of adding new ones; the personal calendar carries the registration's ics_sequence, which
booking.py raises on every change. Times are written in UTC.
"""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from .models import EditionPage, Registration, Session, SessionBooking

UID_DOMAIN = "mr-navet.malmo.se"
PRODID = "-//Malmö stad//MR-navet konferens//SV"
CONTENT_TYPE = "text/calendar; charset=utf-8"

R, B = Registration.Status, SessionBooking.Status


def _utc(value: datetime.datetime) -> datetime.datetime:
    return value.astimezone(datetime.UTC).replace(microsecond=0)


def _calendar(edition: EditionPage, method: str, name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    return calendar


def _edition_location(edition: EditionPage) -> str:
    return ", ".join(part for part in (edition.venue, edition.venue_address) if part)


def _session_location(session: Session, edition: EditionPage) -> str:
    room = session.room.name if session.room_id else ""
    return ", ".join(part for part in (room, _edition_location(edition)) if part)


def _session_description(session: Session) -> str:
    lines = [session.get_kind_display()]
    if session.presenters:
        lines.append(_("Medverkande: %(names)s") % {"names": session.presenters})
    if session.organisation_unit_id:
        lines.append(session.organisation_unit.name)
    if session.description:
        lines += ["", session.description]
    return "\n".join(lines)


def _event(uid: str, summary: str, starts, ends, location: str, description: str,
           sequence: int, status: str, stamp, url: str | None = None,
           organiser: str | None = None) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", _utc(starts))
    event.add("dtend", _utc(ends))
    event.add("summary", summary)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    if organiser:
        address = vCalAddress(f"mailto:{organiser}")
        address.params["cn"] = vText("MR-navet")
        event["organizer"] = address
    event.add("sequence", sequence)
    event.add("status", status)
    return event


def _sessions(edition: EditionPage):
    return (Session.objects.filter(edition=edition)
            .select_related("slot", "room", "organisation_unit")
            .order_by("slot__starts_at", "title", "pk"))


def session_uid(session: Session) -> str:
    return f"{session.uid}@{UID_DOMAIN}"


def registration_uid(registration: Registration) -> str:
    return f"{registration.uid}@{UID_DOMAIN}"


def booking_uid(registration: Registration, session: Session) -> str:
    return f"{registration.uid}-{session.uid}@{UID_DOMAIN}"


def programme_ics(edition: EditionPage) -> bytes:
    """Every session of the edition, one VEVENT each (SEQUENCE 0)."""
    stamp = _utc(timezone.now())
    calendar = _calendar(edition, "PUBLISH", edition.title)
    url = edition.full_url
    for session in _sessions(edition):
        calendar.add_component(_event(
            session_uid(session), session.title, session.slot.starts_at, session.slot.ends_at,
            _session_location(session, edition), _session_description(session), 0, "CONFIRMED",
            stamp, url=url))
    return calendar.to_ical()


def _booked_sessions(registration: Registration) -> tuple[list[Session], list[Session]]:
    """(sessions with a confirmed seat, sessions once confirmed and since given up)."""
    bookings = (registration.bookings.filter(status__in=[B.CONFIRMED, B.CANCELLED])
                .select_related("session__slot", "session__room", "session__organisation_unit")
                .order_by("session__slot__starts_at", "pk"))
    confirmed, dropped = {}, {}
    for booking in bookings:
        if booking.status == B.CONFIRMED:
            confirmed[booking.session_id] = booking.session
        elif booking.confirmed_at is not None:
            dropped[booking.session_id] = booking.session
    return list(confirmed.values()), [s for pk, s in dropped.items() if pk not in confirmed]


def personal_ics(registration: Registration) -> bytes:
    """The conference and the attendee's confirmed sessions, all with the registration's
    SEQUENCE. Sessions given up since are sent as cancelled so calendars remove them; a
    cancelled registration gives METHOD:CANCEL with every event cancelled."""
    edition = registration.edition
    stamp = _utc(timezone.now())
    sequence = registration.ics_sequence
    cancelled = registration.status == R.CANCELLED
    calendar = _calendar(edition, "CANCEL" if cancelled else "PUBLISH", edition.title)
    confirmed, dropped = _booked_sessions(registration)
    if cancelled:
        confirmed, dropped = [], confirmed + dropped
    status = {R.CONFIRMED: "CONFIRMED", R.CANCELLED: "CANCELLED"}.get(registration.status,
                                                                       "TENTATIVE")
    url = edition.full_url
    calendar.add_component(_event(
        registration_uid(registration), edition.title, edition.starts_at, edition.ends_at,
        _edition_location(edition), _registration_description(registration), sequence, status,
        stamp, url=url, organiser=edition.contact_email))
    for session, session_status in [(s, "CONFIRMED") for s in confirmed] + [
            (s, "CANCELLED") for s in dropped]:
        calendar.add_component(_event(
            booking_uid(registration, session), session.title, session.slot.starts_at,
            session.slot.ends_at, _session_location(session, edition),
            _session_description(session), sequence, session_status, stamp, url=url,
            organiser=edition.contact_email))
    return calendar.to_ical()


def _registration_description(registration: Registration) -> str:
    labels = {
        R.CONFIRMED: _("Din plats är bekräftad."),
        R.WAITLISTED: _("Du står på väntelistan."),
        R.OFFERED: _("Du har erbjudits en plats. Svara via din personliga länk."),
        R.CANCELLED: _("Din anmälan är avbokad."),
    }
    return labels.get(registration.status, "")


def registration_ics(registration: Registration) -> bytes:
    """The personal calendar, for the confirmation email's attachment."""
    return personal_ics(registration)


def filename(edition: EditionPage, personal: bool = False) -> str:
    return f"mr-navet-konferens-{edition.year}{'-min-anmalan' if personal else ''}.ics"
