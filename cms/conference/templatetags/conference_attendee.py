"""Template helpers for the attendee pages: the edition page's programme and status box,
and time ranges written the Swedish way."""

from __future__ import annotations

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..schedule import EditionStatus, edition_status, programme, programme_days

register = template.Library()


@register.simple_tag(takes_context=True)
def edition_context(context, edition):
    """Programme (by day and time slot, with seats), rooms and the registration status box
    for the edition page, in a constant number of queries."""
    request = context.get("request")
    now = timezone.now()
    if edition.pk is None:  # the admin's preview of a page not saved yet
        return {"days": [], "rooms": [], "now": now, "status": EditionStatus(
            is_open=False, not_yet_open=True, seats_left=edition.capacity or 0,
            people_waiting=False, registration=None)}
    groups = programme(edition, now)
    rooms = {s.room.pk: s.room for g in groups for s in g.sessions if s.room_id}
    return {
        "days": programme_days(groups),
        "rooms": sorted(rooms.values(), key=lambda room: room.name),
        "status": edition_status(edition, getattr(request, "user", None), now),
        "now": now,
    }


@register.simple_tag
def time_range(starts, ends, with_date=True):
    """"12 mars 2026, 09:00–16:00", or both dates when the range spans days."""
    starts, ends = timezone.localtime(starts), timezone.localtime(ends)
    start_time, end_time = date_format(starts, "H:i"), date_format(ends, "H:i")
    if not with_date:
        return f"{start_time}–{end_time}"
    if starts.date() == ends.date():
        return f"{date_format(starts, 'j F Y')}, {start_time}–{end_time}"
    return (f"{date_format(starts, 'j F Y')} {start_time} – "
            f"{date_format(ends, 'j F Y')} {end_time}")


@register.filter
def local_datetime(value):
    """"12 mars 2026 kl. 09:00"."""
    if not value:
        return ""
    value = timezone.localtime(value)
    return _("%(date)s kl. %(time)s") % {"date": date_format(value, "j F Y"),
                                         "time": date_format(value, "H:i")}
