"""The registration and session-booking state machine of cms.conference.booking."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from cms.conference import booking
from cms.conference.models import Registration, SessionBooking

from ..factories import UserFactory
from .factories import EditionFactory, RoomFactory, SessionFactory, TimeSlotFactory, register

pytestmark = pytest.mark.django_db

R, B = Registration.Status, SessionBooking.Status
HOUR = datetime.timedelta(hours=1)


def _status(obj) -> str:
    obj.refresh_from_db()
    return obj.status


def _registrations(edition, count, sessions=()):
    return [register(UserFactory(), edition, sessions)[0] for _ in range(count)]


# --- capacity and the edition's waiting list ---------------------------------------------------

def test_registrations_beyond_capacity_join_the_waiting_list():
    edition = EditionFactory(capacity=2)
    first, second, third, fourth = _registrations(edition, 4)
    assert [r.status for r in (first, second)] == [R.CONFIRMED, R.CONFIRMED]
    assert [r.status for r in (third, fourth)] == [R.WAITLISTED, R.WAITLISTED]
    assert first.confirmed_at is not None and third.confirmed_at is None


def test_register_returns_a_token_stored_only_as_its_hash():
    registration, token = register(UserFactory(), EditionFactory())
    assert token and token not in registration.token_hash
    assert registration.token_hash == booking.hash_token(token)


def test_needs_are_stored_apart_and_empty_needs_are_not():
    edition = EditionFactory()
    with_needs, _ = register(UserFactory(), edition, needs={"diet": ["vegansk"],
                                                             "access_other": "Ledsagare"})
    without, _ = register(UserFactory(), edition, needs=booking.Needs())
    assert with_needs.needs.diet == ["vegansk"]
    assert with_needs.needs.access_other == "Ledsagare"
    assert not hasattr(without, "needs")


@pytest.mark.parametrize("problem", ["twice", "closed", "not_open", "other_edition",
                                     "two_in_one_slot", "no_signup", "unknown"])
def test_bad_registrations_are_refused_and_change_nothing(problem):
    edition = EditionFactory()
    user = UserFactory()
    sessions = []
    if problem == "twice":
        register(user, edition)
    elif problem == "closed":
        edition.registration_closes_at = timezone.now() - HOUR
        edition.save()
    elif problem == "not_open":
        edition.registration_opens_at = timezone.now() + HOUR
        edition.save()
    elif problem == "other_edition":
        sessions = [SessionFactory()]
    elif problem == "two_in_one_slot":
        slot = TimeSlotFactory(edition=edition)
        sessions = [SessionFactory(slot=slot), SessionFactory(slot=slot)]
    elif problem == "no_signup":
        sessions = [SessionFactory(edition=edition, requires_signup=False)]
    elif problem == "unknown":
        sessions = [987654]
    before = Registration.objects.count(), SessionBooking.objects.count()
    with pytest.raises(booking.BookingError) as error:
        register(user, edition, sessions)
    assert str(error.value)  # a Swedish message for the user
    assert (Registration.objects.count(), SessionBooking.objects.count()) == before


def test_a_cancelled_registration_does_not_stop_registering_again():
    edition = EditionFactory()
    user = UserFactory()
    first, _ = register(user, edition)
    booking.cancel(first)
    again, _ = register(user, edition)
    assert again.status == R.CONFIRMED


# --- offers on the edition's waiting list ------------------------------------------------------

def test_a_freed_place_is_offered_to_the_first_in_line_and_held_for_offer_hours():
    edition = EditionFactory(capacity=1, offer_hours=24)
    holder, first, second = _registrations(edition, 3)
    now = timezone.now()
    booking.cancel(holder, now=now)
    first.refresh_from_db()
    assert first.status == R.OFFERED
    assert first.offer_expires_at == now + datetime.timedelta(hours=24)
    assert _status(second) == R.WAITLISTED
    # The offer holds the place: a newcomer waits.
    assert register(UserFactory(), edition)[0].status == R.WAITLISTED


def test_accepting_an_offer_confirms():
    edition = EditionFactory(capacity=1)
    holder, waiting = _registrations(edition, 2)
    booking.cancel(holder)
    booking.accept_offer(waiting)
    waiting.refresh_from_db()
    assert waiting.status == R.CONFIRMED and waiting.confirmed_at is not None
    assert waiting.offer_expires_at is None
    assert waiting.ics_sequence == 1


def test_an_expired_offer_cannot_be_accepted():
    edition = EditionFactory(capacity=1, offer_hours=48)
    holder, waiting = _registrations(edition, 2)
    booking.cancel(holder)
    with pytest.raises(booking.BookingError):
        booking.accept_offer(waiting, now=timezone.now() + 49 * HOUR)
    assert _status(waiting) == R.OFFERED


def test_declining_an_offer_passes_it_on():
    edition = EditionFactory(capacity=1)
    holder, first, second = _registrations(edition, 3)
    booking.cancel(holder)
    booking.decline_offer(first)
    assert _status(first) == R.CANCELLED
    assert _status(second) == R.OFFERED
    with pytest.raises(booking.BookingError):
        booking.decline_offer(first)


def test_expiry_passes_the_offer_on_with_the_tick():
    edition = EditionFactory(capacity=1, offer_hours=48)
    holder, first, second = _registrations(edition, 3)
    booking.cancel(holder)
    with time_machine.travel(timezone.now() + 47 * HOUR, tick=False):
        assert booking.expire_and_promote(edition) == {
            "expired": 0, "expired_session_offers": 0, "offered": 0, "session_offers": 0}
    with time_machine.travel(timezone.now() + 49 * HOUR, tick=False):
        counts = booking.expire_and_promote(edition)
        assert counts["expired"] == 1 and counts["offered"] == 1
        first.refresh_from_db()
        assert first.status == R.CANCELLED and first.cancelled_at == timezone.now()
        second.refresh_from_db()
        assert second.status == R.OFFERED
        assert second.offer_expires_at == timezone.now() + 48 * HOUR


def test_no_queue_jumping_while_people_wait_even_for_a_lapsed_offer():
    edition = EditionFactory(capacity=1, offer_hours=48)
    holder, first, second = _registrations(edition, 3)
    booking.cancel(holder)
    # The offer to `first` has lapsed but the tick has not run: the seat counts as free,
    # yet `second` waits, so a newcomer joins the queue behind them.
    with time_machine.travel(timezone.now() + 49 * HOUR, tick=False):
        newcomer, _ = register(UserFactory(), edition)
        assert newcomer.status == R.WAITLISTED
        booking.expire_and_promote(edition)
    assert _status(second) == R.OFFERED
    assert _status(newcomer) == R.WAITLISTED


def test_the_queue_is_served_in_registration_order():
    edition = EditionFactory(capacity=2)
    holders = _registrations(edition, 2)
    waiting = _registrations(edition, 3)
    for holder in holders:
        booking.cancel(holder)
    assert [_status(r) for r in waiting] == [R.OFFERED, R.OFFERED, R.WAITLISTED]


def test_raising_capacity_offers_the_new_places_on_the_tick():
    edition = EditionFactory(capacity=1)
    _, first, second = _registrations(edition, 3)
    edition.capacity = 2
    edition.save()
    assert booking.expire_and_promote(edition)["offered"] == 1
    assert (_status(first), _status(second)) == (R.OFFERED, R.WAITLISTED)


def test_cancelling_after_the_change_deadline_is_refused_except_for_organisers():
    edition = EditionFactory()
    registration, _ = register(UserFactory(), edition)
    late = edition.change_deadline + HOUR
    with pytest.raises(booking.BookingError):
        booking.cancel(registration, now=late)
    assert _status(registration) == R.CONFIRMED
    booking.cancel(registration, now=late, by_organiser=True)
    assert _status(registration) == R.CANCELLED


# --- session capacity and the session queues ---------------------------------------------------

def test_session_capacity_defaults_to_the_room_and_full_sessions_queue():
    edition = EditionFactory()
    session = SessionFactory(edition=edition, room=RoomFactory(capacity=2))
    regs = _registrations(edition, 3, [session])
    statuses = [r.bookings.get().status for r in regs]
    assert statuses == [B.CONFIRMED, B.CONFIRMED, B.WAITLISTED]
    assert booking.seats_left(session) == 0


def test_explicit_capacity_wins_over_the_room_and_no_capacity_means_unlimited():
    edition = EditionFactory()
    small = SessionFactory(edition=edition, room=RoomFactory(capacity=50), capacity=1)
    open_ = SessionFactory(edition=edition, room=None, capacity=None)
    regs = _registrations(edition, 3, [small, open_])
    assert [r.bookings.get(session=small).status for r in regs] == [
        B.CONFIRMED, B.WAITLISTED, B.WAITLISTED]
    assert {r.bookings.get(session=open_).status for r in regs} == {B.CONFIRMED}
    assert booking.seats_left(open_) is None


def test_a_waitlisted_registration_waits_for_its_sessions_too():
    edition = EditionFactory(capacity=1)
    session = SessionFactory(edition=edition, capacity=10)
    _, waiting = _registrations(edition, 2, [session])
    assert waiting.bookings.get().status == B.WAITLISTED
    assert booking.seats_left(session) == 9


def test_bookings_of_people_waiting_for_the_edition_do_not_block_a_confirmed_attendee():
    edition = EditionFactory(capacity=1)
    session = SessionFactory(edition=edition, capacity=10)
    attendee, _ = register(UserFactory(), edition)
    register(UserFactory(), edition, [session])  # waitlisted, and so is its booking
    booking.change_sessions(attendee, [session.pk])
    assert attendee.bookings.get().status == B.CONFIRMED


def test_accepting_an_edition_offer_puts_waiting_bookings_in_the_session_queue():
    edition = EditionFactory(capacity=1)
    session = SessionFactory(edition=edition, capacity=5)
    holder, waiting = _registrations(edition, 2, [session])
    booking.cancel(holder)
    booking.accept_offer(waiting)
    assert waiting.bookings.get().status == B.OFFERED


def test_a_freed_session_seat_is_offered_to_the_first_confirmed_attendee_in_line():
    edition = EditionFactory()
    session = SessionFactory(edition=edition, capacity=1)
    holder, first, second = _registrations(edition, 3, [session])
    booking.change_sessions(holder, [])
    first_booking, second_booking = first.bookings.get(), second.bookings.get()
    assert first_booking.status == B.OFFERED and first_booking.offer_expires_at is not None
    assert second_booking.status == B.WAITLISTED
    # A newcomer does not take the held seat.
    newcomer, _ = register(UserFactory(), edition, [session])
    assert newcomer.bookings.get().status == B.WAITLISTED
    booking.accept_session_offer(first_booking)
    assert _status(first_booking) == B.CONFIRMED


def test_declining_a_session_offer_passes_it_on():
    edition = EditionFactory()
    session = SessionFactory(edition=edition, capacity=1)
    holder, first, second = _registrations(edition, 3, [session])
    booking.cancel(holder)
    booking.decline_session_offer(first.bookings.get())
    assert first.bookings.get().status == B.DECLINED
    assert second.bookings.get().status == B.OFFERED


def test_an_expired_session_offer_passes_on_with_the_tick():
    edition = EditionFactory(offer_hours=48)
    session = SessionFactory(edition=edition, capacity=1)
    holder, first, second = _registrations(edition, 3, [session])
    booking.change_sessions(holder, [])
    offer = first.bookings.get()
    with time_machine.travel(timezone.now() + 49 * HOUR, tick=False):
        with pytest.raises(booking.BookingError):
            booking.accept_session_offer(offer)
        counts = booking.expire_and_promote(edition)
    assert counts["expired_session_offers"] == 1 and counts["session_offers"] == 1
    assert _status(offer) == B.EXPIRED
    assert second.bookings.get().status == B.OFFERED
    assert _status(first) == R.CONFIRMED  # only the session offer lapsed


def test_a_session_offer_skips_someone_who_already_holds_a_seat_in_that_slot():
    edition = EditionFactory()
    slot = TimeSlotFactory(edition=edition)
    full = SessionFactory(slot=slot, capacity=1)
    other = SessionFactory(slot=slot, capacity=10)
    holder, _ = register(UserFactory(), edition, [full])
    switcher, _ = register(UserFactory(), edition, [other])
    # Older data or an organiser's edit: waiting for `full` while holding `other`.
    SessionBooking.objects.create(registration=switcher, session=full, slot=slot,
                                  status=B.WAITLISTED)
    patient, _ = register(UserFactory(), edition, [full])
    booking.change_sessions(holder, [])
    assert switcher.bookings.get(session=full).status == B.WAITLISTED
    assert patient.bookings.get(session=full).status == B.OFFERED


# --- database guarantees and capacity edits -----------------------------------------------------

def test_the_database_refuses_two_seat_holding_bookings_in_one_slot():
    edition = EditionFactory()
    slot = TimeSlotFactory(edition=edition)
    first, second = SessionFactory(slot=slot), SessionFactory(slot=slot)
    registration, _ = register(UserFactory(), edition, [first])
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionBooking.objects.create(registration=registration, session=second, slot=slot,
                                      status=B.CONFIRMED)
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionBooking.objects.create(registration=registration, session=second, slot=slot,
                                      status=B.OFFERED)
    # Waiting for another session of the same slot is allowed.
    SessionBooking.objects.create(registration=registration, session=second, slot=slot,
                                  status=B.WAITLISTED)


def test_the_database_refuses_a_second_active_registration():
    edition = EditionFactory()
    registration, _ = register(UserFactory(), edition)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(edition=edition, user=registration.user, name="x",
                                    email="x@malmo.se", status=R.WAITLISTED, token_hash="x")


def test_capacity_cannot_drop_below_the_confirmed_count():
    edition = EditionFactory(capacity=5)
    session = SessionFactory(edition=edition, capacity=5)
    _registrations(edition, 3, [session])
    edition.capacity = 2
    with pytest.raises(ValidationError) as error:
        edition.clean()
    assert "3" in error.value.message_dict["capacity"][0]
    edition.capacity = 3
    edition.clean()
    session.capacity = 2
    with pytest.raises(ValidationError) as error:
        session.clean()
    assert "capacity" in error.value.message_dict
    session.capacity = 3
    session.clean()


def test_a_session_slot_must_belong_to_the_session_edition():
    session = SessionFactory.build(edition=EditionFactory(), slot=TimeSlotFactory())
    with pytest.raises(ValidationError) as error:
        session.clean()
    assert "slot" in error.value.message_dict
