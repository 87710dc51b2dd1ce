"""Organiser exports: participants, attendees per session and catering counts, as CSV or XLSX.

Every cell is neutralised against formula injection (a leading = + - @, tab or carriage
return gets a leading apostrophe) in both formats. Needs appear only as counts per diet code
(catering), never with names and never as free text.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .models import AttendeeNeeds, EditionPage, Registration, SessionBooking

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"  # what Excel with Swedish settings expects
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]


def neutralise(value):
    """A spreadsheet-safe cell: text starting with a formula character gets a leading '."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS_PREFIXES) else text


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


# --- the tables ---------------------------------------------------------------------------

def participants(edition: EditionPage) -> Table:
    """Active registrations: name, e-mail, unit, status, confirmed sessions, check-in."""
    confirmed = SessionBooking.objects.filter(status=SessionBooking.Status.CONFIRMED).select_related(
        "session").order_by("slot__starts_at", "session__title")
    registrations = (Registration.objects.filter(edition=edition, status__in=Registration.ACTIVE)
                     .select_related("organisation_unit")
                     .prefetch_related(Prefetch("bookings", queryset=confirmed, to_attr="confirmed"))
                     .order_by("name", "pk"))
    rows = [[r.name, r.email, r.organisation_unit.name if r.organisation_unit else "",
             r.get_status_display(), ", ".join(b.session.title for b in r.confirmed),
             _local(r.checked_in_at)] for r in registrations]
    return Table(_("Deltagare"), [_("Namn"), _("E-post"), _("Förvaltning eller bolag"), _("Status"),
                                  _("Pass"), _("Incheckad")], rows)


def per_session(edition: EditionPage) -> Table:
    """Everyone holding or waiting for a place, per session, in queue order."""
    bookings = (SessionBooking.objects
                .filter(session__edition=edition, status__in=SessionBooking.ACTIVE,
                        registration__status__in=Registration.ACTIVE)
                .select_related("session__slot", "session__room", "registration__organisation_unit")
                .order_by("session__slot__starts_at", "session__title", "session_id",
                          "status", "created_at", "pk"))
    rows = [[b.session.title, str(b.session.slot), b.session.room.name if b.session.room else "",
             b.registration.name,
             b.registration.organisation_unit.name if b.registration.organisation_unit else "",
             b.get_status_display()] for b in bookings]
    return Table(_("Per pass"), [_("Pass"), _("Tidpass"), _("Lokal"), _("Namn"),
                                 _("Förvaltning eller bolag"), _("Status")], rows)


def needs_counts(edition: EditionPage, statuses=(Registration.Status.CONFIRMED,)) -> dict:
    """Counts only: per diet and access code, and how many wrote free text (not what)."""
    rows = AttendeeNeeds.objects.filter(
        registration__edition=edition, registration__status__in=statuses, purged_at__isnull=True,
    ).values_list("diet", "diet_other", "access", "access_other")
    diet, access = Counter(), Counter()
    diet_other = access_other = 0
    for diet_codes, diet_text, access_codes, access_text in rows:
        diet.update(set(diet_codes or []))
        access.update(set(access_codes or []))
        diet_other += bool(diet_text)
        access_other += bool(access_text)
    return {
        "diet": [(label, diet[code]) for code, label in AttendeeNeeds.Diet.choices],
        "access": [(label, access[code]) for code, label in AttendeeNeeds.Access.choices],
        "diet_other": diet_other, "access_other": access_other,
    }


def catering(edition: EditionPage) -> Table:
    """Portions per diet code for confirmed participants; no names, no free text."""
    total = Registration.objects.filter(edition=edition, status=Registration.Status.CONFIRMED).count()
    counts = needs_counts(edition)
    rows = [[_("Bekräftade deltagare totalt"), total]]
    rows += [[label, n] for label, n in counts["diet"]]
    rows.append([_("Annat om kost (se behovslistan)"), counts["diet_other"]])
    return Table(_("Kost"), [_("Kost"), _("Antal")], rows)


KINDS = {"deltagare": participants, "pass": per_session, "kost": catering}


# --- the files ------------------------------------------------------------------------------

def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in table.headers])
    writer.writerows([neutralise(cell) for cell in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM tells Excel it is UTF-8


def to_xlsx(table: Table) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.title[:31])
    sheet.append([neutralise(h) for h in table.headers])
    for row in table.rows:
        sheet.append([neutralise(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def filename(edition: EditionPage, kind: str, fmt: str) -> str:
    return f"konferens-{edition.year}-{kind}.{fmt}"


def build(edition: EditionPage, kind: str, fmt: str) -> tuple[bytes, int]:
    """The file's bytes and its number of data rows. KeyError for an unknown kind or format."""
    if fmt not in FORMATS:
        raise KeyError(fmt)
    table = KINDS[kind](edition)
    return (to_csv(table) if fmt == "csv" else to_xlsx(table)), len(table.rows)
