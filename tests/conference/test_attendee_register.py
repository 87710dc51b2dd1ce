"""Registering through the form: confirmation page with the personal link, waiting lists,
one registration per person, closed registration, tampered forms, bad input, CSRF."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from cms.conference import booking
from cms.conference.models import AttendeeNeeds, Registration, SessionBooking
from tests.conference.factories import EditionFactory, SessionFactory, build_programme, register
from tests.factories import OrganisationUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

R, B = Registration.Status, SessionBooking.Status


def _url(edition):
    return f"/konferens/{edition.year}/anmalan/"


def _token(html: str) -> str:
    return re.search(r"/konferens/anmalan/([A-Za-z0-9_-]+)/\"", html).group(1)


@pytest.fixture
def unit():
    return OrganisationUnitFactory(name="Miljöförvaltningen")


@pytest.fixture
def member(unit):
    return UserFactory(display_name="Alva Andersson", organisation_unit=unit)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def test_form_prefills_unit_and_lists_sessions_per_slot(member_client, unit):
    edition = EditionFactory()
    programme = build_programme(edition, slots=2, per_slot=2)
    SessionFactory(slot=programme[0][0].slot, requires_signup=False, title="Öppet för alla")
    full = SessionFactory(slot=programme[1][0].slot, capacity=1, title="Litet rum")
    register(UserFactory(), edition, sessions=[full])
    response = member_client.get(_url(edition))
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{unit.pk}" selected>' in html
    for row in programme:
        slot = row[0].slot
        assert html.count(f'name="pass_{slot.pk}"') == 3 + (slot == full.slot)  # + Inget pass valt
    assert "Inget pass valt" in html
    assert "Öppet för alla (ingen anmälan behövs)" in html
    assert "fullt – du hamnar på väntelistan" in html
    for code, label in AttendeeNeeds.Diet.choices + AttendeeNeeds.Access.choices:
        assert f'value="{code}"' in html and str(label) in html
    assert "raderas 30 dagar efter konferensen" in html


def test_happy_path_confirms_and_shows_the_personal_link_once(member_client, member, unit):
    edition = EditionFactory()
    programme = build_programme(edition, slots=2, per_slot=2)
    first, second = programme[0][1], programme[1][0]
    response = member_client.post(_url(edition), {
        "organisation_unit": unit.pk,
        f"pass_{first.slot_id}": first.pk, f"pass_{second.slot_id}": second.pk,
        "diet": ["vegetarisk", "glutenfri"], "diet_other": "Allergi mot nötter",
        "access": ["horslinga"], "access_other": "",
    })
    assert response.status_code == 200
    html = response.content.decode()
    registration = Registration.objects.get(user=member, edition=edition)
    assert registration.status == R.CONFIRMED and registration.organisation_unit == unit
    assert sorted(registration.bookings.values_list("session_id", "status")) == sorted(
        [(first.pk, B.CONFIRMED), (second.pk, B.CONFIRMED)])
    needs = registration.needs
    assert needs.diet == ["vegetarisk", "glutenfri"] and needs.diet_other == "Allergi mot nötter"
    assert needs.access == ["horslinga"]
    assert "bekräftad" in html
    token = _token(html)
    assert booking.hash_token(token) == registration.token_hash
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="referrer" content="no-referrer">' in html
    # Nowhere else: not on the edition page nor on "my registration".
    assert token not in member_client.get(edition.url).content.decode()
    assert token not in member_client.get(
        f"/konferens/{edition.year}/min-anmalan/").content.decode()


def test_waitlisted_when_full(member_client, unit):
    edition = EditionFactory(capacity=1)
    register(UserFactory(), edition)
    response = member_client.post(_url(edition), {"organisation_unit": unit.pk})
    assert response.status_code == 200
    assert Registration.objects.get(edition=edition, user__display_name="Alva Andersson").status \
        == R.WAITLISTED
    html = response.content.decode()
    assert "väntelista" in html and "plats 1 i kön" in html


def test_waitlisted_when_others_wait_even_if_a_seat_is_free(member_client, member, unit):
    edition = EditionFactory(capacity=1)
    register(UserFactory(), edition)
    waiting, _ = register(UserFactory(), edition)
    edition.capacity = 2  # a seat is free, but someone is already waiting for it
    edition.save()
    member_client.post(_url(edition), {"organisation_unit": unit.pk})
    assert Registration.objects.get(user=member).status == R.WAITLISTED
    waiting.refresh_from_db()
    assert waiting.status == R.WAITLISTED


def test_full_session_puts_the_booking_on_its_waiting_list(member_client, member, unit):
    edition = EditionFactory()
    session = SessionFactory(edition=edition, capacity=1)
    register(UserFactory(), edition, sessions=[session])
    response = member_client.post(_url(edition), {"organisation_unit": unit.pk,
                                                  f"pass_{session.slot_id}": session.pk})
    registration = Registration.objects.get(user=member)
    assert registration.status == R.CONFIRMED
    assert registration.bookings.get().status == B.WAITLISTED
    assert "Väntelista (plats 1 i kön)" in response.content.decode()


def test_one_registration_per_user(member_client, member, unit):
    edition = EditionFactory()
    register(member, edition)
    get = member_client.get(_url(edition))
    assert get.status_code == 200 and "Du är redan anmäld" in get.content.decode()
    assert 'name="organisation_unit"' not in get.content.decode()
    post = member_client.post(_url(edition), {"organisation_unit": unit.pk})
    assert post.status_code == 409
    assert "Du är redan anmäld" in post.content.decode()
    assert Registration.objects.filter(user=member).count() == 1


def test_registering_twice_in_a_race_is_409_with_inputs_kept(member_client, member, unit,
                                                             monkeypatch):
    """The early check missed it (a concurrent request); booking.register refuses."""
    edition = EditionFactory()
    register(member, edition)
    monkeypatch.setattr("cms.conference.views.attendee.current_registration", lambda *a: None)
    response = member_client.post(_url(edition), {"organisation_unit": unit.pk,
                                                  "diet_other": "Laktosintolerant"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "Du är redan anmäld till konferensen." in html
    assert 'value="Laktosintolerant"' in html


def test_may_register_again_after_cancelling(member_client, member, unit):
    edition = EditionFactory()
    registration, _ = register(member, edition)
    booking.cancel(registration)
    assert member_client.get(_url(edition)).status_code == 200
    assert member_client.post(_url(edition), {"organisation_unit": unit.pk}).status_code == 200
    assert Registration.objects.filter(user=member).exclude(status=R.CANCELLED).count() == 1


@pytest.mark.parametrize("opens,closes,text", [
    (-10, -1, "Anmälan stängde"),
    (2, 10, "Anmälan har inte öppnat än"),
])
def test_closed_registration(member_client, member, unit, opens, closes, text):
    now = timezone.now()
    edition = EditionFactory(registration_opens_at=now + datetime.timedelta(days=opens),
                             registration_closes_at=now + datetime.timedelta(days=closes))
    get = member_client.get(_url(edition))
    assert get.status_code == 200
    assert text in get.content.decode() and "<form method=\"post\" action=\"/konferens" not in \
        get.content.decode()
    post = member_client.post(_url(edition), {"organisation_unit": unit.pk})
    assert post.status_code == 400 and text in post.content.decode()
    assert not Registration.objects.filter(user=member).exists()


def test_session_from_another_edition_is_refused(member_client, member, unit):
    edition = EditionFactory()
    mine = SessionFactory(edition=edition)
    other = SessionFactory(edition=EditionFactory())
    response = member_client.post(_url(edition), {
        "organisation_unit": unit.pk, f"pass_{mine.slot_id}": other.pk,
        "diet_other": "Behålls vid fel"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Passet du valde finns inte i det här tidpasset" in html
    assert 'value="Behålls vid fel"' in html
    assert not Registration.objects.filter(user=member).exists()


def test_session_from_another_edition_under_its_own_slot_name_is_ignored(member_client, member,
                                                                         unit):
    edition = EditionFactory()
    SessionFactory(edition=edition)
    other = SessionFactory(edition=EditionFactory())
    response = member_client.post(_url(edition), {"organisation_unit": unit.pk,
                                                  f"pass_{other.slot_id}": other.pk})
    assert response.status_code == 200
    assert not Registration.objects.get(user=member).bookings.exists()


def test_two_sessions_in_one_slot_are_refused(member_client, member, unit):
    edition = EditionFactory()
    first, second = build_programme(edition, slots=1, per_slot=2)[0]
    response = member_client.post(_url(edition), {
        "organisation_unit": unit.pk, f"pass_{first.slot_id}": [first.pk, second.pk]})
    assert response.status_code == 400
    assert "Du kan bara välja ett pass per tidpass." in response.content.decode()
    assert not Registration.objects.filter(user=member).exists()


def test_session_of_another_slot_is_refused(member_client, member, unit):
    edition = EditionFactory()
    programme = build_programme(edition, slots=2, per_slot=1)
    early, late = programme[0][0], programme[1][0]
    response = member_client.post(_url(edition), {"organisation_unit": unit.pk,
                                                  f"pass_{early.slot_id}": late.pk})
    assert response.status_code == 400
    assert not Registration.objects.filter(user=member).exists()


def test_booking_error_is_shown_with_the_form(member_client, member, unit, monkeypatch):
    edition = EditionFactory()

    def refuse(*args, **kwargs):
        raise booking.BookingError("Något av de valda passen finns inte.")
    monkeypatch.setattr(booking, "register", refuse)
    response = member_client.post(_url(edition), {"organisation_unit": unit.pk,
                                                  "access_other": "Ledsagare"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Något av de valda passen finns inte." in html and 'value="Ledsagare"' in html


@pytest.mark.parametrize("data", [
    {},
    {"organisation_unit": "abc"},
    {"organisation_unit": "999999"},
    {"organisation_unit": "1", "diet": ["inte-en-kod"]},
    {"organisation_unit": "1", "access": ["<script>"]},
    {"organisation_unit": "1", "diet_other": "x" * 201},
    {"organisation_unit": "1", "diet_other": "noll\x00tecken"},
    {"organisation_unit": "1", "pass_1": "abc"},
    {"organisation_unit": "1", "pass_999999": "1"},
    {"organisation_unit": "1", "pass_1": "99999999999999999999999"},
])
def test_bad_input_is_400_never_500(member_client, member, data):
    edition = EditionFactory()
    SessionFactory(edition=edition)
    unit = OrganisationUnitFactory()
    data = {key: (unit.pk if value == "1" and key == "organisation_unit" else value)
            for key, value in data.items()}
    if "pass_1" in data:
        data[f"pass_{edition.slots.get().pk}"] = data.pop("pass_1")
    response = member_client.post(_url(edition), data)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert "Anmälan är inte skickad" in response.content.decode()
        assert not Registration.objects.filter(user=member).exists()


def test_register_needs_csrf(member, unit):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    edition = EditionFactory()
    assert client.post(_url(edition), {"organisation_unit": unit.pk}).status_code == 403
    assert not Registration.objects.exists()


def test_register_other_methods(member_client):
    edition = EditionFactory()
    assert member_client.put(_url(edition)).status_code == 405
