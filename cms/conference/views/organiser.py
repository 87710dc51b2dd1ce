"""Organiser views (conference.manage_conference): dashboard, participants, exports, badges,
check-in and the audit log; and the needs list (conference.view_needs only, audited).

Needs never appear here except as counts, and in the needs view itself. Lists run a constant
number of queries whatever the number of registrations.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from cms.models.indexes import paginate

from .. import audit, exports, stats
from ..access import edition_or_404, require_manage, require_view_needs
from ..checkin import CheckinError, check_in, qr_data_uri, undo_check_in
from ..models import AttendeeNeeds, AuditEvent, Registration, SessionBooking

PAGE_SIZE = 50
BADGES_PER_PAGE = 8
R = Registration.Status
ACTION_LABELS = {
    "export": gettext_lazy("Export"),
    "needs_viewed": gettext_lazy("Visade behovslistan"),
    "needs_counts_viewed": gettext_lazy("Visade antal behov (översikten)"),
    "checkin": gettext_lazy("Checkade in"),
    "checkin_undone": gettext_lazy("Ångrade incheckning"),
    "proposal_accepted": gettext_lazy("Antog förslag"),
    "proposal_rejected": gettext_lazy("Avslog förslag"),
}


def _managed_edition(request, year: int):
    require_manage(request.user)
    return edition_or_404(year, live=False)


def _confirmed_bookings():
    return Prefetch("bookings", to_attr="confirmed_bookings", queryset=SessionBooking.objects.filter(
        status=SessionBooking.Status.CONFIRMED).select_related("session").order_by("slot__starts_at"))


def _search(request, registrations):
    # Control characters are dropped: nobody's name has them, and PostgreSQL refuses NUL.
    query = "".join(ch for ch in request.GET.get("q") or "" if ch.isprintable())
    query = query.strip()[:100]
    if query:
        registrations = registrations.filter(name__icontains=query)
    return registrations, query


@require_safe
def dashboard(request, year: int):
    edition = _managed_edition(request, year)
    session_list = stats.sessions(edition)
    counts = exports.needs_counts(edition)
    audit.log(request.user, edition, "needs_counts_viewed", {"page": "dashboard"})
    status_counts = stats.status_counts(edition)
    return render(request, "conference/organiser/dashboard.html", {
        "edition": edition, "current": "dashboard",
        "over_time": stats.registrations_over_time(edition),
        "per_unit": stats.registrations_per_unit(edition),
        "status_counts": status_counts,
        "confirmed": status_counts[R.CONFIRMED], "waitlisted": status_counts[R.WAITLISTED],
        "offered": status_counts[R.OFFERED], "cancelled": status_counts[R.CANCELLED],
        "sessions": session_list, "needs": counts,
        "proposals": stats.proposal_summary(edition),
        "feedback": stats.feedback(edition, session_list),
        "export_kinds": [("deltagare", _("Deltagare")), ("pass", _("Per pass")), ("kost", _("Kost (antal)"))],
    })


@require_safe
def participants(request, year: int):
    edition = _managed_edition(request, year)
    registrations = (Registration.objects.filter(edition=edition)
                     .select_related("organisation_unit").prefetch_related(_confirmed_bookings())
                     .order_by("name", "pk"))
    registrations, query = _search(request, registrations)
    status = request.GET.get("status", "")
    if status in R.values:
        registrations = registrations.filter(status=status)
    else:
        status = ""
    page_obj = paginate(request, registrations, PAGE_SIZE)
    params = urlencode({key: value for key, value in (("q", query), ("status", status)) if value})
    return render(request, "conference/organiser/participants.html", {
        "edition": edition, "current": "participants", "page_obj": page_obj, "query": query,
        "status": status, "status_choices": R.choices,
        "filter_query": params, "total": page_obj.paginator.count})


@require_safe
def needs(request, year: int):
    """Per registration, the needs the catering and accessibility coordinators act on."""
    require_view_needs(request.user)
    edition = edition_or_404(year, live=False)
    rows = list(AttendeeNeeds.objects.filter(
        registration__edition=edition, registration__status__in=Registration.ACTIVE,
        purged_at__isnull=True).select_related("registration__organisation_unit")
        .order_by("registration__name", "pk"))
    diet_labels, access_labels = dict(AttendeeNeeds.Diet.choices), dict(AttendeeNeeds.Access.choices)
    for row in rows:
        row.diet_labels = [diet_labels.get(code, code) for code in row.diet or []]
        row.access_labels = [access_labels.get(code, code) for code in row.access or []]
    rows = [row for row in rows if row.diet_labels or row.access_labels or row.diet_other or row.access_other]
    audit.log(request.user, edition, "needs_viewed", {"registrations": len(rows)})
    return render(request, "conference/organiser/needs.html", {
        "edition": edition, "current": "needs", "rows": rows,
        "counts": exports.needs_counts(edition)})


@require_safe
def export(request, year: int, kind: str, fmt: str):
    edition = _managed_edition(request, year)
    if kind not in exports.KINDS or fmt not in exports.FORMATS:
        raise Http404
    content, row_count = exports.build(edition, kind, fmt)
    audit.log(request.user, edition, "export", {"kind": kind, "format": fmt, "rows": row_count})
    response = HttpResponse(content, content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(edition, kind, fmt)}"'
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def badges(request, year: int):
    """Printable name badges, eight per A4 sheet: name and organisation unit only."""
    edition = _managed_edition(request, year)
    people = list(Registration.objects.filter(edition=edition, status=R.CONFIRMED)
                  .order_by("name", "pk").values("name", "organisation_unit__name"))
    sheets = [people[i:i + BADGES_PER_PAGE] for i in range(0, len(people), BADGES_PER_PAGE)]
    return render(request, "conference/organiser/badges.html", {
        "edition": edition, "current": "badges", "sheets": sheets, "total": len(people)})


@require_safe
def checkin(request, year: int):
    """Confirmed registrations, searchable by name, each with a QR code for its check-in page."""
    edition = _managed_edition(request, year)
    registrations = (Registration.objects.filter(edition=edition, status=R.CONFIRMED)
                     .select_related("organisation_unit").order_by("name", "pk"))
    registrations, query = _search(request, registrations)
    page_obj = paginate(request, registrations, PAGE_SIZE)
    for registration in page_obj.object_list:
        url = request.build_absolute_uri(reverse("conference:checkin_one",
                                                 args=[edition.year, registration.uid]))
        registration.qr = qr_data_uri(url)
    checked_in = Registration.objects.filter(edition=edition, status=R.CONFIRMED,
                                             checked_in_at__isnull=False).count()
    return render(request, "conference/organiser/checkin.html", {
        "edition": edition, "current": "checkin", "page_obj": page_obj, "query": query,
        "filter_query": urlencode({"q": query}) if query else "", "checked_in": checked_in,
        "total": Registration.objects.filter(edition=edition, status=R.CONFIRMED).count()})


def _next_url(request, default: str) -> str:
    candidate = request.POST.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(candidate, allowed_hosts={request.get_host()},
                                                     require_https=request.is_secure()):
        return candidate
    return default


@require_http_methods(["GET", "HEAD", "POST"])
def checkin_one(request, year: int, uid):
    """The page a scanned QR code opens: who it is (never needs) and a check-in button."""
    edition = _managed_edition(request, year)
    registration = (Registration.objects.filter(edition=edition, uid=uid)
                    .select_related("organisation_unit", "edition").first())
    if registration is None:
        raise Http404
    error = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "checkin":
                check_in(registration, request.user)
                messages.success(request, _("%(name)s är incheckad.") % {"name": registration.name})
            elif action == "undo":
                undo_check_in(registration, request.user)
                messages.success(request, _("Incheckningen av %(name)s är ångrad.")
                                 % {"name": registration.name})
            else:
                raise CheckinError(_("Okänd åtgärd."))
        except CheckinError as exc:
            error = str(exc)
        else:
            own = reverse("conference:checkin_one", args=[edition.year, registration.uid])
            return redirect(_next_url(request, own))
    return render(request, "conference/organiser/checkin_one.html", {
        "edition": edition, "current": "checkin", "registration": registration, "error": error,
        "can_check_in": registration.status == R.CONFIRMED}, status=400 if error else 200)


@require_safe
def audit_log(request, year: int):
    edition = _managed_edition(request, year)
    events = AuditEvent.objects.filter(edition=edition).select_related("actor").order_by("-created_at", "-pk")
    page_obj = paginate(request, events, PAGE_SIZE)
    for event in page_obj.object_list:
        event.label = ACTION_LABELS.get(event.action, event.action)
        event.detail_text = ", ".join(f"{key}: {value}" for key, value in (event.details or {}).items())
    return render(request, "conference/organiser/audit_log.html", {
        "edition": edition, "current": "audit", "page_obj": page_obj})
