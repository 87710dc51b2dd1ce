"""Checking attendees in at the door (idempotent; an organiser may undo a mistake).

Only checked_in_at is written here; registration status stays booking.py's business.
"""

from __future__ import annotations

from urllib.parse import quote

import qrcode
import qrcode.image.svg
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .models import Registration


class CheckinError(Exception):
    """A Swedish message for the organiser; nothing was changed."""


def check_in(registration: Registration, actor, now=None) -> Registration:
    """Mark a confirmed registration as checked in; a second call keeps the first time."""
    if registration.status != Registration.Status.CONFIRMED:
        raise CheckinError(_("%(name)s har ingen bekräftad plats (%(status)s) och kan inte checkas in.")
                           % {"name": registration.name, "status": registration.get_status_display()})
    now = now or timezone.now()
    changed = Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=True,
                                          status=Registration.Status.CONFIRMED).update(checked_in_at=now)
    registration.refresh_from_db(fields=["checked_in_at", "status"])
    if registration.checked_in_at is None:  # cancelled meanwhile
        raise CheckinError(_("%(name)s har ingen bekräftad plats och kan inte checkas in.")
                           % {"name": registration.name})
    if changed:
        audit.log(actor, registration.edition, "checkin", {"registration": str(registration.uid)})
    return registration


def undo_check_in(registration: Registration, actor) -> Registration:
    changed = Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=False).update(
        checked_in_at=None)
    if changed:
        audit.log(actor, registration.edition, "checkin_undone", {"registration": str(registration.uid)})
    registration.refresh_from_db(fields=["checked_in_at", "status"])
    return registration


def qr_data_uri(url: str) -> str:
    """A QR code for `url` as an SVG data URI (for an <img>, allowed by the CSP)."""
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, border=2,
                        error_correction=qrcode.constants.ERROR_CORRECT_M)
    return "data:image/svg+xml;charset=utf-8," + quote(image.to_string(encoding="unicode"))
