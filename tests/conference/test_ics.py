"""Calendar files: the programme, and the attendee's own calendar with stable UIDs, a rising
SEQUENCE and METHOD:CANCEL once cancelled."""

from __future__ import annotations

import datetime

import pytest
from icalendar import Calendar

from cms.conference import booking, ics
from tests.conference.factories import (
    EditionFactory,
    RoomFactory,
    SessionFactory,
    build_programme,
    register,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def whole(value: datetime.datetime) -> datetime.datetime:
    return value.replace(microsecond=0)


def parse(content: bytes) -> Calendar:
    return Calendar.from_ical(content)


def events(calendar: Calendar) -> dict[str, dict]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_programme_ics_view(user_client):
    edition = EditionFactory()
    room = RoomFactory(name="Stora salen")
    sessions = [SessionFactory(edition=edition, room=room, title="Barnrätt"),
                SessionFactory(edition=edition, requires_signup=False, title="Inledning")]
    response = user_client.get(f"/konferens/{edition.year}/program.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="mr-navet-konferens-{edition.year}.ics"')
    calendar = parse(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    found = events(calendar)
    assert set(found) == {f"{s.uid}@mr-navet.malmo.se" for s in sessions}
    barnratt = found[f"{sessions[0].uid}@mr-navet.malmo.se"]
    assert barnratt["SUMMARY"] == "Barnrätt"
    assert barnratt["SEQUENCE"] == 0
    assert barnratt["LOCATION"] == "Stora salen, Malmö Live, Dag Hammarskjölds torg 4, Malmö"
    assert barnratt.decoded("DTSTART") == whole(sessions[0].slot.starts_at)
    assert barnratt.decoded("DTSTART").utcoffset() == datetime.timedelta(0)
    assert barnratt.decoded("DTEND") == whole(sessions[0].slot.ends_at)
    assert "Anna Andersson" in str(barnratt["DESCRIPTION"])
    assert b"DTSTART:" in response.content and b"Z\r\n" in response.content  # UTC


def test_programme_ics_of_unknown_year_is_404(user_client):
    assert user_client.get("/konferens/1800/program.ics").status_code == 404


def test_personal_ics(user_client, user):
    edition = EditionFactory()
    session = SessionFactory(edition=edition)
    registration, token = register(user, edition, sessions=[session])
    response = user_client.get(f"/konferens/anmalan/{token}/kalender.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    calendar = parse(response.content)
    assert calendar["METHOD"] == "PUBLISH"
    found = events(calendar)
    conference = found[f"{registration.uid}@mr-navet.malmo.se"]
    assert conference["SUMMARY"] == edition.title
    assert conference.decoded("DTSTART") == whole(edition.starts_at)
    assert conference["STATUS"] == "CONFIRMED"
    own = found[f"{registration.uid}-{session.uid}@mr-navet.malmo.se"]
    assert own["STATUS"] == "CONFIRMED" and own.decoded("DTSTART") == whole(session.slot.starts_at)
    assert {event["SEQUENCE"] for event in found.values()} == {0}
    assert user_client.get("/konferens/anmalan/fel/kalender.ics").status_code == 404


def test_registration_ics_for_the_email_is_the_personal_calendar():
    edition = EditionFactory()
    registration, _ = register(UserFactory(), edition)
    content = ics.registration_ics(registration)
    assert isinstance(content, bytes)
    assert set(events(parse(content))) == {f"{registration.uid}@mr-navet.malmo.se"}


def test_waitlisted_sessions_are_not_in_the_personal_calendar():
    edition = EditionFactory()
    session = SessionFactory(edition=edition, capacity=1)
    register(UserFactory(), edition, sessions=[session])
    registration, _ = register(UserFactory(), edition, sessions=[session])
    assert list(events(parse(ics.personal_ics(registration)))) == [
        f"{registration.uid}@mr-navet.malmo.se"]


def test_waitlisted_registration_is_tentative():
    edition = EditionFactory(capacity=1)
    register(UserFactory(), edition)
    registration, _ = register(UserFactory(), edition)
    event, = parse(ics.personal_ics(registration)).walk("VEVENT")
    assert event["STATUS"] == "TENTATIVE"


def test_uids_stable_and_sequence_rises_after_change_and_cancel():
    edition = EditionFactory()
    (first, second), = build_programme(edition, slots=1, per_slot=2)
    registration, _ = register(UserFactory(), edition, sessions=[first])
    before = events(parse(ics.personal_ics(registration)))
    conference_uid = f"{registration.uid}@mr-navet.malmo.se"
    first_uid = f"{registration.uid}-{first.uid}@mr-navet.malmo.se"
    second_uid = f"{registration.uid}-{second.uid}@mr-navet.malmo.se"
    assert set(before) == {conference_uid, first_uid}

    booking.change_sessions(registration, [second.pk])
    registration.refresh_from_db()
    after = events(parse(ics.personal_ics(registration)))
    # Same UIDs, a higher SEQUENCE; the session given up is sent as cancelled so calendars
    # that imported it remove it.
    assert set(after) == {conference_uid, first_uid, second_uid}
    assert {event["SEQUENCE"] for event in after.values()} == {1}
    assert after[second_uid]["STATUS"] == "CONFIRMED"
    assert after[first_uid]["STATUS"] == "CANCELLED"
    assert after[conference_uid]["STATUS"] == "CONFIRMED"

    booking.cancel(registration)
    registration.refresh_from_db()
    calendar = parse(ics.personal_ics(registration))
    cancelled = events(calendar)
    assert calendar["METHOD"] == "CANCEL"
    assert set(cancelled) == {conference_uid, first_uid, second_uid}
    assert {event["STATUS"] for event in cancelled.values()} == {"CANCELLED"}
    assert {event["SEQUENCE"] for event in cancelled.values()} == {2}
    assert all("mailto:" in str(event["ORGANIZER"]) for event in cancelled.values())


def test_personal_ics_is_private(user_client, user):
    edition = EditionFactory()
    _, token = register(user, edition)
    response = user_client.get(f"/konferens/anmalan/{token}/kalender.ics")
    assert "no-store" in response["Cache-Control"]
