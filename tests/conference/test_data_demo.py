"""The demo conference that `load_demo` adds (fixtures/conference_demo.py)."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from cms.conference import booking
from cms.conference.models import (
    EditionPage,
    Feedback,
    FeedbackReceipt,
    Registration,
    Room,
    Session,
    SessionBooking,
    TimeSlot,
)
from cms.models import GoodExamplePage
from fixtures.conference_demo import ATTENDEE_EMAIL, GENERATED_ATTENDEES
from fixtures.conference_demo_data import PAST_SESSIONS, UPCOMING_SESSIONS
from fixtures.loader import load_demo

pytestmark = pytest.mark.django_db

TODAY = "2026-11-22 10:00:00+01:00"
R, B = Registration.Status, SessionBooking.Status


def snapshot() -> dict:
    return {model.__name__: model.objects.count() for model in (
        EditionPage, Room, TimeSlot, Session, Registration, SessionBooking, Feedback,
        FeedbackReceipt, get_user_model())}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the read-only tests below, rolled back afterwards."""
    report: list[str] = []
    with django_db_blocker.unblock(), override_settings(
            DEMO_MODE=True, MFA_TOTP_INSECURE_BYPASS_CODE=None), transaction.atomic():
        with time_machine.travel(TODAY, tick=False):
            load_demo(report.append)
        yield report
        transaction.set_rollback(True)


@pytest.fixture
def fresh_demo(settings):
    settings.DEMO_MODE = True
    settings.MFA_TOTP_INSECURE_BYPASS_CODE = None
    report: list[str] = []
    with time_machine.travel(TODAY, tick=False):
        load_demo(report.append)
    return report


def test_demo_data_is_well_formed():
    for sessions in (UPCOMING_SESSIONS, PAST_SESSIONS):
        assert len({s.key for s in sessions}) == len(sessions)
        assert all(s.good_example or s.title for s in sessions)
    assert len(UPCOMING_SESSIONS) >= 15
    slugs = [s.good_example for s in (*UPCOMING_SESSIONS, *PAST_SESSIONS) if s.good_example]
    assert len(slugs) == len(set(slugs))


def test_load_demo_twice_adds_the_conference_once(fresh_demo):
    first = snapshot()
    report: list[str] = []
    with time_machine.travel(TODAY, tick=False):
        load_demo(report.append)
    assert snapshot() == first
    assert any(line.startswith("Konferens 2027:") for line in fresh_demo)


def test_outside_demo_mode_only_the_programme_is_loaded(settings):
    settings.DEMO_MODE = False
    report: list[str] = []
    with time_machine.travel(TODAY, tick=False):
        load_demo(report.append)
    assert EditionPage.objects.count() == 2
    assert Session.objects.count() == len(UPCOMING_SESSIONS) + len(PAST_SESSIONS)
    assert not Registration.objects.exists() and not Feedback.objects.exists()
    assert not get_user_model().objects.filter(email__startswith="demodeltagare").exists()
    assert any("bara i demoläge" in line for line in report)


def test_this_years_edition_is_open_with_a_full_programme(demo):
    edition = EditionPage.objects.get(year=2027)
    assert edition.live and edition.slug == "2027"
    assert edition.get_parent().specific.slug == "konferens"
    with time_machine.travel(TODAY, tick=False):
        assert edition.registration_is_open()
    assert timezone.localdate(edition.starts_at).isoformat() == "2027-03-18"
    assert edition.slots.count() == 7
    sessions = list(edition.sessions.select_related("good_example", "organisation_unit"))
    assert len(sessions) == len(UPCOMING_SESSIONS) >= 15
    kinds = {s.kind for s in sessions}
    assert kinds == {Session.Kind.PLENARY, Session.Kind.PARALLEL, Session.Kind.WORKSHOP}
    assert all(not s.requires_signup for s in sessions if s.kind == Session.Kind.PLENARY)
    linked = [s for s in sessions if s.good_example_id]
    assert len(linked) >= 13
    for session in linked:
        page = GoodExamplePage.objects.get(pk=session.good_example_id)
        assert session.organisation_unit_id == page.organisation_unit_id
        assert session.presenters == page.organisation_unit.name
        assert set(session.rights_areas.all()) == set(page.rights_areas.all())
    rooms = Room.objects.all()
    assert rooms.filter(step_free=False).exists() and rooms.filter(hearing_loop=True).exists()


def test_this_years_edition_has_registrations_full_sessions_and_waiting_lists(demo):
    edition = EditionPage.objects.get(year=2027)
    counts = {s: edition.registrations.filter(status=s).count() for s in R.values}
    assert counts[R.CONFIRMED] + counts[R.OFFERED] == edition.capacity
    assert counts[R.WAITLISTED] >= 3
    assert counts[R.OFFERED] == 1 and counts[R.CANCELLED] == 1
    assert edition.registrations.filter(user__email="samordnare@malmo.se").exists()
    assert not edition.registrations.filter(user__email="medarbetare@malmo.se").exists()
    with time_machine.travel(TODAY, tick=False):
        full = [s for s in edition.sessions.filter(requires_signup=True)
                if booking.seats_left(s) == 0]
    assert len(full) >= 3
    workshops = edition.sessions.filter(kind=Session.Kind.WORKSHOP)
    waiting = {s.title for s in workshops if s.bookings.filter(
        status=B.WAITLISTED, registration__status=R.CONFIRMED).exists()}
    assert len(waiting) == 1
    assert workshops.filter(bookings__status=B.OFFERED).count() == 1
    for session in edition.sessions.all():
        taken = session.bookings.filter(status__in=SessionBooking.HOLDING).count()
        assert session.effective_capacity is None or taken <= session.effective_capacity
    assert edition.registrations.filter(needs__isnull=False).count() >= 5


def test_last_years_edition_is_held_with_check_ins_and_anonymous_feedback(demo):
    edition = EditionPage.objects.get(year=2026)
    with time_machine.travel(TODAY, tick=False):
        assert not edition.registration_is_open()
        assert edition.ends_at < timezone.now()
    assert edition.feedback_open and edition.sessions.count() == len(PAST_SESSIONS)
    confirmed = edition.registrations.filter(status=R.CONFIRMED)
    assert confirmed.count() == 28
    assert confirmed.filter(checked_in_at__isnull=False).count() >= 20
    assert not edition.registrations.filter(needs__isnull=False).exists()
    assert Feedback.objects.filter(edition=edition, session=None).count() == 5
    assert Feedback.objects.filter(edition=edition, session__isnull=False).count() == 8
    assert confirmed.filter(user__email="medarbetare@malmo.se").exists()
    assert not FeedbackReceipt.objects.filter(user__email="medarbetare@malmo.se").exists()


def test_generated_attendees_cannot_sign_in(demo):
    attendees = get_user_model().objects.filter(email__startswith="demodeltagare")
    assert attendees.count() == GENERATED_ATTENDEES
    assert attendees.filter(email=ATTENDEE_EMAIL.format(1)).exists()
    assert not any(user.is_active or user.has_usable_password() for user in attendees)
