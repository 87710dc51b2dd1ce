"""conference_tick: the waiting list through time, reminders, needs purge and its log."""

from __future__ import annotations

import datetime
import io
import json
import zoneinfo

import pytest
import time_machine
from django.core.management import call_command

from cms.conference import booking, tick
from cms.conference.email_templates import EmailKind, ReminderSent
from cms.conference.models import AttendeeNeeds, AuditEvent, Registration, SessionBooking
from tests.factories import UserFactory

from .factories import EditionFactory, SessionFactory, register

pytestmark = pytest.mark.django_db

R, B = Registration.Status, SessionBooking.Status
TZ = zoneinfo.ZoneInfo("Europe/Stockholm")
NOW = datetime.datetime(2030, 3, 1, 10, 0, tzinfo=TZ)
STARTS = datetime.datetime(2030, 4, 11, 9, 0, tzinfo=TZ)
ENDS = STARTS + datetime.timedelta(hours=7)
HOUR, DAY = datetime.timedelta(hours=1), datetime.timedelta(days=1)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def edition(clock):
    return EditionFactory(
        year=2030, title="Spridningskonferensen 2030", capacity=1, offer_hours=48,
        starts_at=STARTS, ends_at=ENDS, registration_opens_at=NOW - DAY,
        registration_closes_at=STARTS - 2 * DAY, change_deadline=STARTS - 3 * DAY)


@pytest.fixture
def run_tick(django_capture_on_commit_callbacks):
    """The command, with its on-commit callbacks (emails) run as a real commit would."""
    def run():
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("conference_tick", stdout=out)
        return out.getvalue()
    return run


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def person(name):
    return UserFactory(display_name=name)


def subjects_to(mailoutbox, registration):
    return [m.subject for m in mailoutbox if m.to == [registration.email]]


def refreshed(*rows):
    for row in rows:
        row.refresh_from_db()
    return rows


# --- the waiting list ----------------------------------------------------------------------------

def test_an_offer_expires_after_offer_hours_and_passes_to_the_next(edition, clock, run_tick,
                                                                   on_commit, mailoutbox):
    with on_commit():
        first, _ = register(person("Först"), edition)
        second, _ = register(person("Andra"), edition)
        third, _ = register(person("Tredje"), edition)
        booking.cancel(first)
    second, third = refreshed(second, third)
    assert (second.status, third.status) == (R.OFFERED, R.WAITLISTED)
    assert second.offer_expires_at == NOW + 48 * HOUR

    clock.move_to(NOW + 47 * HOUR)
    run_tick()
    assert refreshed(second)[0].status == R.OFFERED  # still valid

    mailoutbox.clear()
    clock.move_to(NOW + 48 * HOUR + datetime.timedelta(minutes=5))
    output = run_tick()
    second, third = refreshed(second, third)
    assert second.status == R.CANCELLED
    assert third.status == R.OFFERED
    assert third.offer_expires_at == NOW + 96 * HOUR + datetime.timedelta(minutes=5)
    assert subjects_to(mailoutbox, second) == [
        "Erbjudandet har gått ut: Spridningskonferensen 2030"]
    assert subjects_to(mailoutbox, third)[0].startswith("En plats är ledig på")
    assert "1 erbjudanden och 0 passerbjudanden gick ut, 1 nya erbjudanden" in output

    with on_commit():
        booking.accept_offer(third)
    assert refreshed(third)[0].status == R.CONFIRMED
    assert subjects_to(mailoutbox, third)[-1] == "Du är anmäld: Spridningskonferensen 2030"


def test_declining_an_offer_passes_it_on(edition, clock, on_commit, mailoutbox):
    with on_commit():
        first, _ = register(person("Först"), edition)
        second, _ = register(person("Andra"), edition)
        third, _ = register(person("Tredje"), edition)
        booking.cancel(first)
        booking.decline_offer(Registration.objects.get(pk=second.pk))
    second, third = refreshed(second, third)
    assert second.status == R.CANCELLED
    assert third.status == R.OFFERED
    assert subjects_to(mailoutbox, second)[-1] == "Avbokad: Spridningskonferensen 2030"


def test_no_queue_jumping_while_people_wait(edition, clock, run_tick, on_commit):
    with on_commit():
        first, _ = register(person("Först"), edition)
        second, _ = register(person("Andra"), edition)
        third, _ = register(person("Tredje"), edition)
        booking.cancel(first)  # the seat is offered to the second
    # The offer runs out; before the tick has passed it on, the seat is actually free.
    clock.move_to(NOW + 49 * HOUR)
    newcomer, _ = register(person("Nykomling"), edition)
    assert newcomer.status == R.WAITLISTED
    run_tick()
    second, third, newcomer = refreshed(second, third, newcomer)
    assert (second.status, third.status, newcomer.status) == (R.CANCELLED, R.OFFERED,
                                                               R.WAITLISTED)


def test_a_session_offer_expires_and_passes_to_the_next(edition, clock, run_tick, on_commit,
                                                        mailoutbox):
    edition.capacity = 10
    edition.save()
    workshop = SessionFactory(edition=edition, title="Verkstad", capacity=1)
    with on_commit():
        first, _ = register(person("Först"), edition, [workshop])
        second, _ = register(person("Andra"), edition, [workshop])
        third, _ = register(person("Tredje"), edition, [workshop])
        booking.change_sessions(first, [])
    offered = SessionBooking.objects.get(registration=second, session=workshop)
    assert offered.status == B.OFFERED
    mailoutbox.clear()
    clock.move_to(NOW + 49 * HOUR)
    run_tick()
    offered.refresh_from_db()
    assert offered.status == B.EXPIRED
    assert SessionBooking.objects.get(registration=third, session=workshop).status == B.OFFERED
    assert subjects_to(mailoutbox, second) == ["Erbjudandet om ”Verkstad” har gått ut"]
    assert "Din anmälan till konferensen gäller som vanligt" in mailoutbox[0].body
    assert subjects_to(mailoutbox, third)[0].startswith("En plats är ledig på ”Verkstad”")
    assert refreshed(second)[0].status == R.CONFIRMED


# --- reminders -----------------------------------------------------------------------------------

def test_reminders_are_sent_once_each(edition, clock, run_tick, on_commit, mailoutbox):
    edition.capacity = 2
    edition.save()
    with on_commit():
        confirmed, _ = register(person("Bekräftad"), edition)
        cancelled, _ = register(person("Avbokad"), edition)
        waiting, _ = register(person("Väntar"), edition)
        booking.cancel(cancelled)
        booking.decline_offer(Registration.objects.get(pk=waiting.pk))
    mailoutbox.clear()

    clock.move_to(STARTS - 7 * DAY - HOUR)
    run_tick()
    assert mailoutbox == []

    clock.move_to(STARTS - 7 * DAY + HOUR)
    output = run_tick()
    run_tick()
    assert [m.subject for m in mailoutbox] == [
        "Påminnelse: Spridningskonferensen 2030 torsdag 11 april 2030"]
    message = mailoutbox[0]
    assert message.to == [confirmed.email]
    assert message.reply_to == [edition.contact_email]
    assert "Snart är det dags för Spridningskonferensen 2030" in message.body
    assert "Avboka senast" in message.body  # the change deadline has not passed
    assert "1 påminnelser" in output

    clock.move_to(STARTS - DAY + HOUR)
    run_tick()
    run_tick()
    assert [m.subject for m in mailoutbox][1:] == ["I morgon: Spridningskonferensen 2030"]
    assert "Meddela oss genom att svara" in mailoutbox[1].body  # past the change deadline
    assert set(ReminderSent.objects.values_list("registration_id", "kind")) == {
        (confirmed.pk, EmailKind.REMINDER_7), (confirmed.pk, EmailKind.REMINDER_1)}

    clock.move_to(STARTS + HOUR)
    run_tick()
    assert len(mailoutbox) == 2


def test_late_confirmations_skip_the_reminder_already_due(edition, clock, run_tick, on_commit,
                                                          mailoutbox):
    clock.move_to(STARTS - 5 * DAY)
    with on_commit():
        late, _ = register(person("Sen"), edition)
    mailoutbox.clear()
    run_tick()
    assert mailoutbox == []  # they just had their confirmation
    clock.move_to(STARTS - DAY + HOUR)
    run_tick()
    assert subjects_to(mailoutbox, late) == ["I morgon: Spridningskonferensen 2030"]


# --- purging needs -------------------------------------------------------------------------------

def test_needs_are_purged_after_the_retention_period_only(edition, clock, run_tick, on_commit):
    workshop = SessionFactory(edition=edition)
    registration, _ = register(
        person("Behov"), edition, [workshop],
        needs={"diet": ["vegansk"], "diet_other": "Allergi mot jordnötter",
               "access": ["rullstol"], "access_other": "Behöver plats nära dörren"})
    booking_ids = list(registration.bookings.values_list("pk", flat=True))

    clock.move_to(ENDS + 30 * DAY - HOUR)
    run_tick()
    needs = AttendeeNeeds.objects.get(registration=registration)
    assert needs.purged_at is None
    assert needs.diet_other == "Allergi mot jordnötter"

    clock.move_to(ENDS + 30 * DAY + HOUR)
    output = run_tick()
    needs.refresh_from_db()
    assert (needs.diet, needs.diet_other, needs.access, needs.access_other) == ([], "", [], "")
    assert needs.purged_at == ENDS + 30 * DAY + HOUR
    registration.refresh_from_db()
    assert registration.status == R.CONFIRMED
    assert list(registration.bookings.values_list("pk", flat=True)) == booking_ids
    assert SessionBooking.objects.get(pk=booking_ids[0]).status == B.CONFIRMED
    assert "behov rensade för 1 deltagare" in output

    clock.move_to(ENDS + 31 * DAY)
    run_tick()
    needs.refresh_from_db()
    assert needs.purged_at == ENDS + 30 * DAY + HOUR  # not purged twice


def test_retention_days_come_from_the_edition(edition, clock, run_tick):
    edition.needs_retention_days = 7
    edition.save()
    registration, _ = register(person("Behov"), edition, needs={"diet": ["halal"]})
    clock.move_to(ENDS + 8 * DAY)
    run_tick()
    assert AttendeeNeeds.objects.get(registration=registration).purged_at is not None


# --- the log -------------------------------------------------------------------------------------

def test_each_run_is_logged_with_counts_only(edition, clock, run_tick, on_commit):
    with on_commit():
        first, _ = register(person("Först"), edition,
                            needs={"diet_other": "Allergi mot jordnötter",
                                   "access_other": "Teckenspråkstolk hela dagen"})
        register(person("Andra"), edition)
        booking.cancel(first)
    clock.move_to(NOW + 49 * HOUR)
    output = run_tick()
    clock.move_to(ENDS + 31 * DAY)
    run_tick()

    runs = list(AuditEvent.objects.filter(action="tick").order_by("created_at"))
    assert len(runs) == 2
    assert runs[0].actor is None
    assert runs[0].details["expired"] == 1
    assert runs[0].details["offered"] == 0  # the only other one had been the offer
    assert runs[0].details["by_year"] == {"2030": {"expired": 1}}
    assert runs[1].details["purged"] == 1
    logged = json.dumps([r.details for r in runs], ensure_ascii=False)
    assert "jordnötter" not in logged and "Teckenspråk" not in logged
    assert output.startswith("conference_tick: 1 konferensår, 1 erbjudanden")


def test_tick_returns_counts_without_editions(db, clock):
    assert tick.run()["editions"] == 0
    assert AuditEvent.objects.get(action="tick").details["reminders"] == 0


def test_ended_editions_get_no_new_offers(edition, clock, run_tick, on_commit, mailoutbox):
    with on_commit():
        first, _ = register(person("Först"), edition)
        second, _ = register(person("Andra"), edition)
        third, _ = register(person("Tredje"), edition)
        booking.cancel(first)
    mailoutbox.clear()
    clock.move_to(ENDS + HOUR)  # the offer to the second has run out, but it is over
    run_tick()
    second, third = refreshed(second, third)
    assert (second.status, third.status) == (R.OFFERED, R.WAITLISTED)
    assert mailoutbox == []
