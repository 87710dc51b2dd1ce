"""Conference emails, in Swedish, sent from tasks only (tasks.py).

Each send reads the rows again and sends only if the email still applies (an offer that was
accepted before the worker ran gets no offer email). Texts come from a
ConferenceEmailTemplate for the kind if one exists, else the default files
(email_templates.py). Plain text, From DEFAULT_FROM_EMAIL, Reply-To the edition's contact.

The self-service token exists only at registration and on a reissued link, so only the
confirmation/waitlist email of a registration and the reissue email carry the token link
(manage_url); every other email links to the attendee's signed-in page (my_registration).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import formats, timezone, translation

from .email_templates import (ConferenceEmailTemplate, EmailKind, REMINDER_KINDS, default_texts,
                              render_texts)
from .models import Registration, SessionBooking

logger = logging.getLogger(__name__)

R, B = Registration.Status, SessionBooking.Status
SHOWN_BOOKINGS = (B.CONFIRMED, B.OFFERED, B.WAITLISTED)


# --- formatting ---------------------------------------------------------------------------

def absolute_url(path: str) -> str:
    return path if path.startswith("http") else settings.BASE_URL.rstrip("/") + path


def _date(value, fmt: str = "l j F Y") -> str:
    return formats.date_format(timezone.localtime(value), fmt)


def _time(value) -> str:
    return formats.date_format(timezone.localtime(value), "H.i")


def _moment(value) -> str:
    """"torsdag 12 mars 2026 kl. 09.00"."""
    return f"{_date(value)} kl. {_time(value)}"


def _span(start, end) -> str:
    if timezone.localdate(start) == timezone.localdate(end):
        return f"{_date(start)} kl. {_time(start)}–{_time(end)}"
    return f"{_moment(start)} – {_moment(end)}"


def _edition_context(edition) -> dict:
    url = edition.get_url() or f"/konferens/{edition.year}/"
    return {
        "title": edition.title, "year": edition.year,
        "when": _span(edition.starts_at, edition.ends_at), "start_date": _date(edition.starts_at),
        "venue": edition.venue, "venue_address": edition.venue_address,
        "contact_email": edition.contact_email, "url": absolute_url(url),
        "change_deadline": _moment(edition.change_deadline),
    }


def _session_context(session, multi_day: bool, status: str = "") -> dict:
    slot = session.slot
    when = f"{_time(slot.starts_at)}–{_time(slot.ends_at)}"
    if multi_day:
        when = f"{_date(slot.starts_at, 'j F')} {when}"
    return {"title": session.title, "when": when,
            "room": session.room.name if session.room_id else "", "status": status}


def _sessions(registration, multi_day: bool) -> list[dict]:
    bookings = (registration.bookings.filter(status__in=SHOWN_BOOKINGS)
                .select_related("session__slot", "session__room")
                .order_by("session__slot__starts_at", "session__title"))
    return [_session_context(b.session, multi_day, b.get_status_display()) for b in bookings]


def build_context(registration, token: str | None = None, **extra) -> dict:
    """Plain values only: templates must not reach other rows through model instances."""
    edition = registration.edition
    multi_day = timezone.localdate(edition.starts_at) != timezone.localdate(edition.ends_at)
    my_url = absolute_url(reverse("conference:my_registration", kwargs={"year": edition.year}))
    manage = my_url
    if token:
        manage = absolute_url(reverse("conference:manage", kwargs={"token": token}))
    context = {
        "name": registration.name, "email": registration.email,
        "status": registration.get_status_display(), "edition": _edition_context(edition),
        "manage_url": manage, "my_registration_url": my_url,
        "sessions": _sessions(registration, multi_day), "changed": False,
        "personal_link": bool(token), "changes_allowed": edition.changes_allowed(),
        "offer_expires_at": (_moment(registration.offer_expires_at)
                             if registration.offer_expires_at else ""),
    }
    booking = extra.pop("booking", None)
    if booking is not None:
        context["session"] = _session_context(booking.session, multi_day,
                                              booking.get_status_display())
        if booking.offer_expires_at:
            context["offer_expires_at"] = _moment(booking.offer_expires_at)
    context.update(extra)
    return context


# --- rendering and sending ----------------------------------------------------------------

def render(kind: str, context: dict) -> tuple[str, str]:
    """(subject, body) from the edited template for `kind`, or the default files."""
    template = ConferenceEmailTemplate.objects.filter(kind=kind).first()
    if template is not None:
        try:
            return render_texts(*template.texts(), context)
        except Exception:  # an edited text must never stop the email: fall back
            logger.exception("Conference email template %r is broken; using the default", kind)
    return render_texts(*default_texts(kind), context)


def _ics_attachment(registration) -> tuple[str, str, str]:
    from .ics import filename, registration_ics

    content = registration_ics(registration)
    if isinstance(content, bytes):
        content = content.decode()
    return filename(registration.edition, personal=True), content, "text/calendar"


def send(registration, kind: str, *, token: str | None = None, attach_ics: bool = False,
         **extra) -> bool:
    if not registration.email:
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = render(kind, build_context(registration, token, **extra))
        message = EmailMessage(
            subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL,
            to=[registration.email], reply_to=[registration.edition.contact_email],
            headers={"Auto-Submitted": "auto-generated"},
        )
        if attach_ics:
            message.attach(*_ics_attachment(registration))
    message.send()
    return True


# --- one function per event (called from tasks.send_email_task) ----------------------------

def _registration(registration_id: int) -> Registration | None:
    return (Registration.objects.select_related("edition")
            .filter(pk=registration_id).first())


def _booking(booking_id: int) -> SessionBooking | None:
    return (SessionBooking.objects
            .select_related("registration__edition", "session__slot", "session__room")
            .filter(pk=booking_id).first())


def registered(registration_id: int, token: str, status: str) -> bool:
    """Confirmation (with .ics) or waiting-list email, both with the personal token link."""
    registration = _registration(registration_id)
    if registration is None or registration.status == R.CANCELLED:
        return False
    if status == R.CONFIRMED:
        return send(registration, EmailKind.CONFIRMATION, token=token, attach_ics=True)
    return send(registration, EmailKind.WAITLISTED, token=token)


def confirmed(registration_id: int) -> bool:
    """An accepted offer: the confirmation with .ics."""
    registration = _registration(registration_id)
    if registration is None or registration.status != R.CONFIRMED:
        return False
    return send(registration, EmailKind.CONFIRMATION, attach_ics=True)


def changed(registration_id: int) -> bool:
    """Changed sessions: a new confirmation whose .ics has a higher SEQUENCE."""
    registration = _registration(registration_id)
    if registration is None or registration.status != R.CONFIRMED:
        return False
    return send(registration, EmailKind.CONFIRMATION, attach_ics=True, changed=True)


def cancelled(registration_id: int) -> bool:
    registration = _registration(registration_id)
    if registration is None or registration.status != R.CANCELLED:
        return False
    # Once confirmed, it may be in their calendar: the .ics (METHOD:CANCEL) removes it.
    return send(registration, EmailKind.CANCELLED,
                attach_ics=registration.confirmed_at is not None)


def offered(registration_id: int) -> bool:
    registration = _registration(registration_id)
    if registration is None or registration.status != R.OFFERED:
        return False
    return send(registration, EmailKind.OFFER)


def offer_expired(registration_id: int) -> bool:
    registration = _registration(registration_id)
    if registration is None or registration.status != R.CANCELLED:
        return False
    return send(registration, EmailKind.OFFER_EXPIRED)


def session_offered(booking_id: int) -> bool:
    booking = _booking(booking_id)
    if booking is None or booking.status != B.OFFERED:
        return False
    return send(booking.registration, EmailKind.SESSION_OFFER, booking=booking)


def session_offer_expired(booking_id: int) -> bool:
    booking = _booking(booking_id)
    if booking is None or booking.status != B.EXPIRED:
        return False
    return send(booking.registration, EmailKind.SESSION_OFFER_EXPIRED, booking=booking)


def reminder(registration_id: int, kind: str) -> bool:
    registration = _registration(registration_id)
    if kind not in REMINDER_KINDS or registration is None or registration.status != R.CONFIRMED:
        return False
    return send(registration, kind)


def link_reissued(registration_id: int, token: str) -> bool:
    registration = _registration(registration_id)
    if registration is None:
        return False
    return send(registration, EmailKind.LINK_REISSUED, token=token)


SENDERS = {
    "registered": registered, "confirmed": confirmed, "changed": changed,
    "cancelled": cancelled, "offered": offered, "offer_expired": offer_expired,
    "session_offered": session_offered, "session_offer_expired": session_offer_expired,
    "reminder": reminder, "link_reissued": link_reissued,
}
