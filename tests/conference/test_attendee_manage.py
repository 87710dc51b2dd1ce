"""The personal link (view, change sessions, cancel, answer offers), "my registration" with
a new link on request, and that nobody sees anyone else's registration."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from cms.conference import booking, events
from cms.conference.models import Registration, SessionBooking
from tests.conference.factories import EditionFactory, SessionFactory, build_programme, register
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

R, B = Registration.Status, SessionBooking.Status


def manage_url(token, action=""):
    return f"/konferens/anmalan/{token}/{action}"


@pytest.fixture
def edition():
    return EditionFactory()


@pytest.fixture
def attendee():
    return UserFactory(display_name="Alva Andersson")


@pytest.fixture
def attendee_client(client, attendee):
    client.force_login(attendee)
    return client


@pytest.fixture
def captured():
    """Events emitted, as (name, payload), once committed."""
    seen = []
    names = ["link_reissued"]
    handlers = {name: (lambda name=name, **payload: seen.append((name, payload)))
                for name in names}
    for name, handler in handlers.items():
        events.subscribe(name, handler)
    yield seen
    for name, handler in handlers.items():
        events._handlers[name].remove(handler)


# --- viewing ---------------------------------------------------------------------------------

def test_manage_shows_registration_sessions_and_needs(attendee_client, attendee, edition):
    session = SessionFactory(edition=edition, title="Barnrätt i praktiken")
    _, token = register(attendee, edition, sessions=[session],
                        needs={"diet": ["vegansk"], "diet_other": "Inga nötter",
                               "access": ["rullstol"]})
    response = attendee_client.get(manage_url(token))
    assert response.status_code == 200
    html = response.content.decode()
    for text in ("Alva Andersson", "Barnrätt i praktiken", "Bekräftad", "Vegansk", "Inga nötter",
                 "Rullstolsplats", "Byt pass", "Avboka din plats", "kalender.ics"):
        assert text in html, text
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("token", ["fel", "x" * 43, "x" * 500, "%00", "..%2F..%2F"])
def test_wrong_token_is_404(attendee_client, attendee, edition, token):
    register(attendee, edition)
    for action in ("", "pass/", "avboka/", "erbjudande/", "kalender.ics"):
        assert attendee_client.get(manage_url(token, action)).status_code in (404, 405)
        assert attendee_client.post(manage_url(token, action)).status_code in (404, 405)


def test_token_of_unpublished_edition_is_404(attendee_client, attendee, edition):
    _, token = register(attendee, edition)
    edition.unpublish()
    assert attendee_client.get(manage_url(token)).status_code == 404


def test_a_forwarded_link_opens_nothing_for_another_signed_in_user(client, attendee, edition):
    """Unlike pretix (no accounts), everyone here is signed in: the link also needs its owner,
    so a forwarded or leaked link neither shows the needs nor cancels the registration."""
    registration, token = register(attendee, edition, needs={"diet_other": "Glutenfri kost"})
    client.force_login(UserFactory())
    for action in ("", "avboka/", "kalender.ics"):
        assert client.get(manage_url(token, action)).status_code == 404, action
    for action in ("avboka/", "pass/", "erbjudande/"):
        assert client.post(manage_url(token, action)).status_code == 404, action
    registration.refresh_from_db()
    assert registration.status != R.CANCELLED


def test_manage_needs_sign_in(client, attendee, edition):
    _, token = register(attendee, edition)
    assert client.get(manage_url(token)).status_code == 302


def test_waitlisted_registration_shows_queue_position(attendee_client, attendee):
    edition = EditionFactory(capacity=1)
    register(UserFactory(), edition)
    register(UserFactory(), edition)
    _, token = register(attendee, edition)
    html = attendee_client.get(manage_url(token)).content.decode()
    assert "väntelista" in html and "plats 2 i kön" in html


# --- after the change deadline ---------------------------------------------------------------

def test_after_deadline_read_only(attendee_client, attendee, edition):
    first, second = build_programme(edition, slots=1, per_slot=2)[0]
    registration, token = register(attendee, edition, sessions=[first])
    edition.change_deadline = timezone.now() - datetime.timedelta(minutes=1)
    edition.save()
    html = attendee_client.get(manage_url(token)).content.decode()
    assert "Sista dag för ändringar och avbokning var" in html
    assert "Byt pass" not in html and "Avboka din plats" not in html
    response = attendee_client.post(manage_url(token, "pass/"),
                                    {f"pass_{first.slot_id}": second.pk})
    assert response.status_code == 400
    assert "Det går inte längre att ändra passen" in response.content.decode()
    cancel = attendee_client.post(manage_url(token, "avboka/"))
    assert cancel.status_code == 400 and "Sista dag för avbokning var" in cancel.content.decode()
    assert attendee_client.get(manage_url(token, "avboka/")).status_code == 200
    registration.refresh_from_db()
    assert registration.status == R.CONFIRMED
    assert registration.bookings.get(status=B.CONFIRMED).session == first


# --- changing sessions -----------------------------------------------------------------------

def test_change_sessions(attendee_client, attendee, edition):
    programme = build_programme(edition, slots=2, per_slot=2)
    registration, token = register(attendee, edition, sessions=[programme[0][0]])
    response = attendee_client.post(manage_url(token, "pass/"), {
        f"pass_{programme[0][0].slot_id}": programme[0][1].pk,
        f"pass_{programme[1][0].slot_id}": programme[1][0].pk,
    })
    assert response.status_code == 302 and response["Location"] == manage_url(token)
    active = registration.bookings.filter(status__in=SessionBooking.ACTIVE)
    assert sorted(active.values_list("session_id", flat=True)) == sorted(
        [programme[0][1].pk, programme[1][0].pk])
    registration.refresh_from_db()
    assert registration.ics_sequence == 1
    html = attendee_client.get(manage_url(token)).content.decode()
    assert "Dina pass är ändrade" in html


def test_change_to_no_session(attendee_client, attendee, edition):
    session = SessionFactory(edition=edition)
    registration, token = register(attendee, edition, sessions=[session])
    response = attendee_client.post(manage_url(token, "pass/"), {f"pass_{session.slot_id}": ""})
    assert response.status_code == 302
    assert not registration.bookings.filter(status__in=SessionBooking.ACTIVE).exists()


def test_unchanged_choice_changes_nothing(attendee_client, attendee, edition):
    session = SessionFactory(edition=edition)
    registration, token = register(attendee, edition, sessions=[session])
    response = attendee_client.post(manage_url(token, "pass/"),
                                    {f"pass_{session.slot_id}": session.pk}, follow=True)
    assert "inget ändrades" in response.content.decode()
    registration.refresh_from_db()
    assert registration.ics_sequence == 0


def test_change_to_a_session_of_another_edition_is_refused(attendee_client, attendee, edition):
    session = SessionFactory(edition=edition)
    other = SessionFactory(edition=EditionFactory())
    registration, token = register(attendee, edition, sessions=[session])
    response = attendee_client.post(manage_url(token, "pass/"),
                                    {f"pass_{session.slot_id}": other.pk})
    assert response.status_code == 400
    assert registration.bookings.get().session == session


def test_change_to_two_sessions_in_one_slot_is_refused(attendee_client, attendee, edition):
    first, second = build_programme(edition, slots=1, per_slot=2)[0]
    registration, token = register(attendee, edition, sessions=[first])
    response = attendee_client.post(manage_url(token, "pass/"),
                                    {f"pass_{first.slot_id}": [first.pk, second.pk]})
    assert response.status_code == 400
    assert "Du kan bara välja ett pass per tidpass." in response.content.decode()
    assert registration.bookings.get().session == first


def test_change_to_a_full_session_waits(attendee_client, attendee, edition):
    first, full = build_programme(edition, slots=1, per_slot=2)[0]
    full.capacity = 1
    full.save()
    register(UserFactory(), edition, sessions=[full])
    registration, token = register(attendee, edition, sessions=[first])
    attendee_client.post(manage_url(token, "pass/"), {f"pass_{first.slot_id}": full.pk})
    assert registration.bookings.get(status__in=SessionBooking.ACTIVE).status == B.WAITLISTED
    html = attendee_client.get(manage_url(token)).content.decode()
    assert "Väntelista (plats 1 i kön)" in html


def test_change_sessions_is_post_only(attendee_client, attendee, edition):
    _, token = register(attendee, edition)
    assert attendee_client.get(manage_url(token, "pass/")).status_code == 405


# --- cancelling ------------------------------------------------------------------------------

def test_cancel_confirm_then_cancel(attendee_client, attendee, edition):
    session = SessionFactory(edition=edition)
    registration, token = register(attendee, edition, sessions=[session])
    confirm = attendee_client.get(manage_url(token, "avboka/"))
    assert confirm.status_code == 200 and "Ja, avboka" in confirm.content.decode()
    registration.refresh_from_db()
    assert registration.status == R.CONFIRMED  # a GET changes nothing
    response = attendee_client.post(manage_url(token, "avboka/"))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == R.CANCELLED
    assert not registration.bookings.filter(status__in=SessionBooking.ACTIVE).exists()
    html = attendee_client.get(manage_url(token)).content.decode()
    assert "avbokad" in html and "Byt pass" not in html
    again = attendee_client.post(manage_url(token, "avboka/"))
    assert again.status_code == 302  # already cancelled: nothing to do


# --- offers ----------------------------------------------------------------------------------

def _offered_registration(edition, user):
    """A full edition: the first attendee cancels, so the second in line (`user`) is offered
    a seat."""
    first, _ = register(UserFactory(), edition)
    waiting, token = register(user, edition)
    booking.cancel(first)
    waiting.refresh_from_db()
    assert waiting.status == R.OFFERED
    return waiting, token


def test_accept_registration_offer(attendee_client, attendee):
    edition = EditionFactory(capacity=1)
    registration, token = _offered_registration(edition, attendee)
    html = attendee_client.get(manage_url(token)).content.decode()
    assert "erbjuden plats till" in html and "Ja, jag tar platsen" in html
    response = attendee_client.post(manage_url(token, "erbjudande/"), {"action": "accept"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == R.CONFIRMED


def test_decline_registration_offer_passes_it_on(attendee_client, attendee):
    edition = EditionFactory(capacity=1)
    registration, token = _offered_registration(edition, attendee)
    next_in_line, _ = register(UserFactory(), edition)
    response = attendee_client.post(manage_url(token, "erbjudande/"), {"action": "decline"})
    assert response.status_code == 302
    registration.refresh_from_db()
    next_in_line.refresh_from_db()
    assert registration.status == R.CANCELLED
    assert next_in_line.status == R.OFFERED


def test_expired_offer_is_refused_with_a_message(attendee_client, attendee):
    edition = EditionFactory(capacity=1)
    registration, token = _offered_registration(edition, attendee)
    Registration.objects.filter(pk=registration.pk).update(
        offer_expires_at=timezone.now() - datetime.timedelta(minutes=1))
    response = attendee_client.post(manage_url(token, "erbjudande/"), {"action": "accept"})
    assert response.status_code == 400
    assert "Erbjudandet gäller inte längre." in response.content.decode()


def _session_offer(edition, user=None):
    """A full session: its holder gives it up, so the confirmed attendee waiting (`user`) is
    offered it."""
    session = SessionFactory(edition=edition, capacity=1)
    holder, _ = register(UserFactory(), edition, sessions=[session])
    registration, token = register(user or UserFactory(), edition, sessions=[session])
    booking.change_sessions(holder, [])
    offered = registration.bookings.get(session=session)
    assert offered.status == B.OFFERED
    return registration, token, offered


def test_accept_session_offer(attendee_client, attendee, edition):
    registration, token, offered = _session_offer(edition, attendee)
    html = attendee_client.get(manage_url(token)).content.decode()
    assert "Erbjuden plats till" in html and f'name="booking" value="{offered.pk}"' in html
    response = attendee_client.post(manage_url(token, "erbjudande/"),
                                    {"action": "accept", "booking": offered.pk})
    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.status == B.CONFIRMED


def test_decline_session_offer(attendee_client, attendee, edition):
    registration, token, offered = _session_offer(edition, attendee)
    response = attendee_client.post(manage_url(token, "erbjudande/"),
                                    {"action": "decline", "booking": offered.pk})
    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.status == B.DECLINED


def test_session_offer_allowed_after_the_change_deadline(attendee_client, attendee, edition):
    registration, token, offered = _session_offer(edition, attendee)
    edition.change_deadline = timezone.now() - datetime.timedelta(minutes=1)
    edition.save()
    response = attendee_client.post(manage_url(token, "erbjudande/"),
                                    {"action": "accept", "booking": offered.pk})
    assert response.status_code == 302


def test_offer_for_a_booking_of_someone_else_is_404(attendee_client, attendee, edition):
    _, _, offered = _session_offer(edition)
    _, my_token = register(attendee, edition)
    response = attendee_client.post(manage_url(my_token, "erbjudande/"),
                                    {"action": "accept", "booking": offered.pk})
    assert response.status_code == 404
    offered.refresh_from_db()
    assert offered.status == B.OFFERED


@pytest.mark.parametrize("data", [{}, {"action": "kanske"}, {"action": "accept", "booking": "x"},
                                  {"action": "accept", "booking": "99999999999999"},
                                  {"action": "accept"}])
def test_bad_offer_responses_are_4xx(attendee_client, attendee, edition, data):
    _, token = register(attendee, edition)
    response = attendee_client.post(manage_url(token, "erbjudande/"), data)
    assert response.status_code == 400


# --- my registration and a new link ------------------------------------------------------------

def test_my_registration_shows_only_my_own(client, attendee, edition):
    other = UserFactory(display_name="Bo Berg")
    register(other, edition, needs={"diet_other": "Hemlig uppgift"})
    client.force_login(attendee)
    assert client.get(f"/konferens/{edition.year}/min-anmalan/").status_code == 404
    register(attendee, edition)
    html = client.get(f"/konferens/{edition.year}/min-anmalan/").content.decode()
    assert "Alva Andersson" in html
    assert "Bo Berg" not in html and "Hemlig uppgift" not in html
    assert "Skicka min personliga länk igen" in html


def test_resend_link_makes_a_new_token(attendee_client, attendee, edition, captured,
                                       django_capture_on_commit_callbacks):
    registration, old_token = register(attendee, edition)
    with django_capture_on_commit_callbacks(execute=True):
        response = attendee_client.post(f"/konferens/{edition.year}/min-anmalan/")
    assert response.status_code == 302
    html = attendee_client.get(response["Location"]).content.decode()
    assert "Den gamla länken fungerar inte" in html
    registration.refresh_from_db()
    assert registration.token_hash != booking.hash_token(old_token)
    assert attendee_client.get(manage_url(old_token)).status_code == 404
    (name, payload), = [event for event in captured if event[0] == "link_reissued"]
    assert payload["registration_id"] == registration.pk
    assert booking.hash_token(payload["token"]) == registration.token_hash
    assert payload["token"] not in html
    assert attendee_client.get(manage_url(payload["token"])).status_code == 200


def test_no_new_link_for_a_cancelled_registration(attendee_client, attendee, edition):
    registration, _ = register(attendee, edition)
    booking.cancel(registration)
    response = attendee_client.post(f"/konferens/{edition.year}/min-anmalan/")
    assert response.status_code == 400
    assert "avbokad" in response.content.decode()


# --- CSRF on every state change ------------------------------------------------------------------

def test_every_post_needs_csrf(attendee, edition):
    registration, token, offered = _session_offer(edition, attendee)
    client = Client(enforce_csrf_checks=True)
    client.force_login(attendee)
    for url, data in [
        (manage_url(token, "pass/"), {}),
        (manage_url(token, "avboka/"), {}),
        (manage_url(token, "erbjudande/"), {"action": "accept", "booking": offered.pk}),
        (f"/konferens/{edition.year}/min-anmalan/", {}),
        (f"/konferens/{edition.year}/anmalan/", {}),
    ]:
        assert client.post(url, data).status_code == 403, url
    offered.refresh_from_db()
    registration.refresh_from_db()
    assert offered.status == B.OFFERED and registration.status == R.CONFIRMED
