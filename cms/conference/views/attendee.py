"""Attendee views: registration, the attendee's own registration, the personal link pages
(view, change sessions, cancel, answer offers) and the calendar files.

Every write goes through booking.py; a BookingError comes back as the form or page again
with its Swedish message and a 4xx status, nothing the attendee typed is lost. The personal
link pages need the token and its owner signed in (the token is the key to that one
registration, and a forwarded link opens nothing for anyone else); wrong, unknown, replaced
or another person's tokens are 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .. import booking, ics
from ..forms import ChangeSessionsForm, OfferResponseForm, RegistrationForm, slot_field_name
from ..models import AttendeeNeeds, EditionPage, Registration, SessionBooking
from ..schedule import (
    current_registration,
    edition_seats,
    programme,
    queue_positions,
    registration_queue_position,
)
from ..tokens import registration_for_token, reissue_token

R, B = Registration.Status, SessionBooking.Status
ALREADY_REGISTERED = "Du är redan anmäld till konferensen."


def _edition_or_404(year: int) -> EditionPage:
    edition = EditionPage.objects.live().filter(year=year).first() if 0 < year < 10000 else None
    if edition is None:
        raise Http404
    return edition


def _private(response: HttpResponse) -> HttpResponse:
    """Pages showing a personal link or personal data: never cached anywhere."""
    add_never_cache_headers(response)
    return response


def _bookings(registration: Registration):
    """The registration's active bookings in time order, each with `queue_position`."""
    bookings = list(registration.bookings.filter(status__in=SessionBooking.ACTIVE)
                    .select_related("session__slot", "session__room")
                    .order_by("session__slot__starts_at", "pk"))
    positions = queue_positions(registration) if any(
        b.status == B.WAITLISTED for b in bookings) else {}
    for item in bookings:
        item.queue_position = positions.get(item.pk)
    return bookings


def _registration_context(registration: Registration) -> dict:
    return {
        "registration": registration,
        "edition": registration.edition,
        "bookings": _bookings(registration) if registration.status != R.CANCELLED else [],
        "queue_position": registration_queue_position(registration),
    }


# --- registration ------------------------------------------------------------------------

def _render_register(request, edition, form, *, status=200, error=None):
    seats, waiting = edition_seats(edition)
    return render(request, "conference/register.html", {
        "edition": edition, "page": edition, "form": form, "error": error,
        "seats_left": seats, "full": seats <= 0 or waiting,
    }, status=status)


def _render_unavailable(request, edition, *, status, registration=None):
    return render(request, "conference/register_unavailable.html", {
        "edition": edition, "page": edition, "registration": registration,
        "now": timezone.now(),
    }, status=status)


# Needs can reveal health: never in error reports (privacy.logging has the same names).
@sensitive_post_parameters("diet", "diet_other", "access", "access_other")
@sensitive_variables("form")
@require_http_methods(["GET", "POST"])
def register(request, year):
    edition = _edition_or_404(year)
    existing = current_registration(edition, request.user)
    if existing is not None and existing.status != R.CANCELLED:
        return _render_unavailable(request, edition, registration=existing,
                                   status=200 if request.method == "GET" else 409)
    if not edition.registration_is_open():
        return _render_unavailable(request, edition, status=200 if request.method == "GET" else 400)
    groups = programme(edition)
    if request.method == "GET":
        form = RegistrationForm(groups=groups,
                                initial={"organisation_unit": request.user.organisation_unit_id})
        return _render_register(request, edition, form)

    form = RegistrationForm(request.POST, groups=groups)
    if not form.is_valid():
        return _render_register(request, edition, form, status=400)
    try:
        registration, token = booking.register(
            request.user, edition, form.cleaned_data["organisation_unit"], form.session_ids(),
            form.needs())
    except booking.BookingError as error:
        status = 409 if str(error) == _(ALREADY_REGISTERED) else 400
        return _render_register(request, edition, form, status=status, error=str(error))
    context = _registration_context(registration)
    context["page"] = edition
    context["manage_url"] = request.build_absolute_uri(reverse("conference:manage", args=[token]))
    context["ics_url"] = reverse("conference:personal_ics", args=[token])
    return _private(render(request, "conference/registered.html", context))


@require_http_methods(["GET", "POST"])
def my_registration(request, year):
    """The signed-in user's own registration; POST makes a new personal link and emails it."""
    edition = _edition_or_404(year)
    registration = current_registration(edition, request.user)
    if registration is None:
        raise Http404
    registration.edition = edition
    if request.method == "POST":
        if registration.status == R.CANCELLED:
            context = _registration_context(registration)
            context["error"] = _(
                "Anmälan är avbokad, så det finns ingen personlig länk att skicka.")
            return _private(render(request, "conference/my_registration.html", context,
                                   status=400))
        reissue_token(registration)
        messages.success(request, _(
            "Vi har skickat en ny personlig länk till %(email)s. Den gamla länken fungerar inte "
            "längre.") % {"email": registration.email})
        return redirect("conference:my_registration", year=edition.year)
    return _private(render(request, "conference/my_registration.html",
                           _registration_context(registration)))


# --- the personal link ---------------------------------------------------------------------

def _needs_summary(registration: Registration) -> dict | None:
    """The attendee's own needs, as labels (shown only to the holder of the link)."""
    needs = AttendeeNeeds.objects.filter(registration=registration).first()
    if needs is None:
        return None
    diet_labels = dict(AttendeeNeeds.Diet.choices)
    access_labels = dict(AttendeeNeeds.Access.choices)
    return {
        "purged": needs.purged_at is not None,
        "diet": [diet_labels.get(code, code) for code in needs.diet],
        "diet_other": needs.diet_other,
        "access": [access_labels.get(code, code) for code in needs.access],
        "access_other": needs.access_other,
    }


def _can_change(registration: Registration, now=None) -> bool:
    return registration.status != R.CANCELLED and registration.edition.changes_allowed(now)


def _change_form(registration, groups, bookings, data=None):
    initial = {slot_field_name(b.session.slot): b.session_id for b in bookings}
    current = {b.session_id: b.status for b in bookings}
    return ChangeSessionsForm(data, groups=groups, initial=initial, current=current)


def _render_manage(request, registration, token, *, status=200, error=None, form=None):
    now = timezone.now()
    context = _registration_context(registration)
    can_change = _can_change(registration, now)
    groups = programme(registration.edition, now) if can_change else []
    context.update({
        "page": registration.edition, "token": token, "error": error, "now": now,
        "can_change": can_change, "needs": _needs_summary(registration),
        "form": form or (_change_form(registration, groups, context["bookings"])
                         if can_change else None),
        "offered_bookings": [b for b in context["bookings"] if b.status == B.OFFERED],
    })
    return _private(render(request, "conference/manage.html", context, status=status))


@require_GET
def manage(request, token):
    return _render_manage(request, registration_for_token(token, request.user), token)


@require_POST
def change_sessions(request, token):
    registration = registration_for_token(token, request.user)
    if not _can_change(registration):
        return _render_manage(request, registration, token, status=400, error=_(
            "Det går inte längre att ändra passen. Kontakta arrangören om något har ändrats."))
    groups = programme(registration.edition)
    current = [b for b in registration.bookings.filter(status__in=SessionBooking.ACTIVE)
               .select_related("session__slot")]
    form = _change_form(registration, groups, current, request.POST)
    if not form.is_valid():
        return _render_manage(request, registration, token, status=400, form=form,
                              error=_("Passen kunde inte ändras. Se felen nedan."))
    wanted = form.session_ids()
    if set(wanted) == {b.session_id for b in current}:
        messages.info(request, _("Du valde samma pass som förut, så inget ändrades."))
        return redirect("conference:manage", token=token)
    try:
        booking.change_sessions(registration, wanted)
    except booking.BookingError as error:
        return _render_manage(request, registration, token, status=400, form=form, error=str(error))
    messages.success(request, _("Dina pass är ändrade. Vi har mejlat en bekräftelse."))
    return redirect("conference:manage", token=token)


@require_http_methods(["GET", "POST"])
def cancel(request, token):
    registration = registration_for_token(token, request.user)
    if registration.status == R.CANCELLED:
        messages.info(request, _("Anmälan är redan avbokad."))
        return redirect("conference:manage", token=token)
    allowed = _can_change(registration)
    if request.method == "GET" or not allowed:
        context = {"registration": registration, "edition": registration.edition,
                   "page": registration.edition, "token": token, "allowed": allowed}
        return _private(render(request, "conference/cancel.html", context,
                               status=200 if request.method == "GET" else 400))
    try:
        booking.cancel(registration)
    except booking.BookingError as error:
        return _render_manage(request, registration, token, status=400, error=str(error))
    messages.success(request, _(
        "Din anmälan är avbokad. Tack för att du lämnade platsen till någon annan."))
    return redirect("conference:manage", token=token)


@require_POST
def respond_to_offer(request, token):
    """Accept or decline an offered seat (the conference, or with `booking`, a session).
    Allowed while the offer is valid, also after the change deadline: the seat is held for
    the attendee and would otherwise be lost to the queue."""
    registration = registration_for_token(token, request.user)
    form = OfferResponseForm(request.POST)
    if not form.is_valid():
        return _render_manage(request, registration, token, status=400,
                              error=_("Välj om du tackar ja eller nej till erbjudandet."))
    accept = form.cleaned_data["action"] == "accept"
    booking_id = form.cleaned_data.get("booking")
    try:
        if booking_id:
            item = registration.bookings.filter(pk=booking_id).first()
            if item is None:
                raise Http404
            (booking.accept_session_offer if accept else booking.decline_session_offer)(item)
        else:
            (booking.accept_offer if accept else booking.decline_offer)(registration)
    except booking.BookingError as error:
        return _render_manage(request, registration, token, status=400, error=str(error))
    messages.success(request, _("Tack! Du har tackat ja till platsen.") if accept
                     else _("Du har tackat nej. Platsen går vidare till nästa på väntelistan."))
    return redirect("conference:manage", token=token)


# --- calendar files ------------------------------------------------------------------------

def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ics.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def programme_ics(request, year):
    edition = _edition_or_404(year)
    return _ics_response(ics.programme_ics(edition), ics.filename(edition))


@require_GET
def personal_ics(request, token):
    registration = registration_for_token(token, request.user)
    response = _ics_response(ics.personal_ics(registration),
                             ics.filename(registration.edition, personal=True))
    return _private(response)
