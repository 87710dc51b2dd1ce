"""Conference emails: sent on commit through the task queue, Swedish, editable, with .ics."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from icalendar import Calendar

from cms.conference import booking, emails, tokens
from cms.conference.email_templates import ConferenceEmailTemplate, EmailKind, default_texts
from cms.conference.ics import registration_uid
from cms.conference.models import Registration
from cms.conference.setup import grant_organiser_permissions
from tests.factories import UserFactory, enable_totp

from .factories import EditionFactory, RoomFactory, SessionFactory, TimeSlotFactory, register

pytestmark = pytest.mark.django_db

TZ = zoneinfo.ZoneInfo("Europe/Stockholm")
NOW = datetime.datetime(2030, 3, 1, 10, 0, tzinfo=TZ)
STARTS = datetime.datetime(2030, 4, 11, 9, 0, tzinfo=TZ)  # a Thursday


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def edition():
    return EditionFactory(
        year=2030, title="Spridningskonferensen 2030", capacity=1,
        starts_at=STARTS, ends_at=STARTS + datetime.timedelta(hours=7),
        registration_opens_at=NOW - datetime.timedelta(days=1),
        registration_closes_at=NOW + datetime.timedelta(days=30),
        change_deadline=NOW + datetime.timedelta(days=20),
        contact_email="spridning@malmo.se")


@pytest.fixture
def workshop(edition):
    slot = TimeSlotFactory(edition=edition, starts_at=STARTS + datetime.timedelta(hours=1),
                           label="Förmiddag")
    return SessionFactory(edition=edition, slot=slot, title="Barnets rättigheter i praktiken",
                          room=RoomFactory(name="Sal Ljus"), capacity=1)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run the block and then its on-commit callbacks, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def attendee(name="Åsa Öberg"):
    return UserFactory(display_name=name)


def calendar_of(message) -> Calendar:
    (filename, content, mimetype), = message.attachments
    assert filename == "mr-navet-konferens-2030-min-anmalan.ics"
    assert mimetype == "text/calendar"
    return Calendar.from_ical(content)


def main_event(calendar: Calendar, registration):
    uid = registration_uid(registration)
    return next(e for e in calendar.walk("VEVENT") if str(e["UID"]) == uid)


# --- only after commit -----------------------------------------------------------------------

def test_nothing_is_sent_before_the_commit(edition, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        register(attendee(), edition)
    assert mailoutbox == []
    assert callbacks
    for callback in callbacks:
        callback()
    assert len(mailoutbox) == 1


def test_a_rolled_back_registration_sends_nothing(edition, mailoutbox, on_commit):
    with on_commit():
        with pytest.raises(RuntimeError), transaction.atomic():
            register(attendee(), edition)
            raise RuntimeError("något gick fel efter anmälan")
    assert mailoutbox == []
    assert not Registration.objects.exists()


def test_a_refused_registration_sends_nothing(edition, mailoutbox, on_commit):
    user = attendee()
    with on_commit():
        register(user, edition)
    mailoutbox.clear()
    with on_commit(), pytest.raises(booking.BookingError):
        register(user, edition)
    assert mailoutbox == []


# --- each email --------------------------------------------------------------------------------

def test_confirmation_is_swedish_with_token_link_headers_and_ics(edition, workshop, mailoutbox,
                                                                 on_commit, settings):
    with on_commit():
        registration, token = register(attendee(), edition, [workshop])
    message, = mailoutbox
    assert message.subject == "Du är anmäld: Spridningskonferensen 2030"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert message.to == [registration.email]
    assert message.reply_to == ["spridning@malmo.se"]
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"
    assert message.content_subtype == "plain"
    body = message.body
    assert "Hej Åsa Öberg!" in body
    assert "Din plats är bekräftad" in body
    assert "torsdag 11 april 2030 kl. 09.00–16.00" in body
    assert "Malmö Live" in body
    assert "- 10.00–11.00 Barnets rättigheter i praktiken (Sal Ljus): Bekräftad" in body
    manage = "http://localhost:8000" + reverse("conference:manage", kwargs={"token": token})
    assert manage in body
    assert "Länken är personlig" in body
    assert "{{" not in body and "{%" not in body

    event = main_event(calendar_of(message), registration)
    assert event["SEQUENCE"] == 0
    assert str(event["SUMMARY"]) == "Spridningskonferensen 2030"


def test_changed_sessions_send_a_new_confirmation_same_uid_higher_sequence(
        edition, workshop, mailoutbox, on_commit):
    with on_commit():
        registration, _token = register(attendee(), edition, [workshop])
    first = main_event(calendar_of(mailoutbox[0]), registration)
    with on_commit():
        booking.change_sessions(registration, [])
    message = mailoutbox[-1]
    assert message.subject == "Ändrad anmälan: Spridningskonferensen 2030"
    assert "Din anmälan till Spridningskonferensen 2030 är ändrad" in message.body
    # No token here: the link is the signed-in page.
    assert "/konferens/2030/min-anmalan/" in message.body
    assert "Länken är personlig" not in message.body
    calendar = calendar_of(message)
    second = main_event(calendar, registration)
    assert second["UID"] == first["UID"]
    assert second["SEQUENCE"] > first["SEQUENCE"]
    dropped = [e for e in calendar.walk("VEVENT") if str(e["STATUS"]) == "CANCELLED"]
    assert [str(e["SUMMARY"]) for e in dropped] == ["Barnets rättigheter i praktiken"]


def test_waitlisted_email_has_the_token_link_and_no_ics(edition, mailoutbox, on_commit):
    with on_commit():
        register(attendee("Först"), edition)
        registration, token = register(attendee("Andra"), edition)
    message = mailoutbox[-1]
    assert registration.status == Registration.Status.WAITLISTED
    assert message.subject == "Du står på väntelistan: Spridningskonferensen 2030"
    assert "du står på väntelistan" in message.body
    assert reverse("conference:manage", kwargs={"token": token}) in message.body
    assert message.attachments == []


def test_offer_email_has_deadline_and_login_link_but_no_token(edition, mailoutbox, on_commit):
    with on_commit():
        first, _ = register(attendee("Först"), edition)
        second, second_token = register(attendee("Andra"), edition)
    mailoutbox.clear()
    with on_commit():
        booking.cancel(first)
    offer = next(m for m in mailoutbox if m.to == [second.email])
    assert offer.subject == ("En plats är ledig på Spridningskonferensen 2030: svara senast "
                             "söndag 3 mars 2030 kl. 10.00")  # 48 hours
    assert "Vi håller platsen åt dig till söndag 3 mars 2030 kl. 10.00" in offer.body
    assert "http://localhost:8000/konferens/2030/min-anmalan/" in offer.body
    assert second_token not in offer.body
    assert "/konferens/anmalan/" not in offer.body
    cancelled = next(m for m in mailoutbox if m.to == [first.email])
    assert cancelled.subject == "Avbokad: Spridningskonferensen 2030"
    assert "Din anmälan till Spridningskonferensen 2030" in cancelled.body
    calendar = calendar_of(cancelled)  # removes it from the calendar
    assert str(calendar["METHOD"]) == "CANCEL"


def test_accepting_an_offer_sends_the_confirmation(edition, mailoutbox, on_commit):
    with on_commit():
        first, _ = register(attendee("Först"), edition)
        second, _ = register(attendee("Andra"), edition)
        booking.cancel(first)
    mailoutbox.clear()
    with on_commit():
        booking.accept_offer(second)
    message, = mailoutbox
    assert message.subject == "Du är anmäld: Spridningskonferensen 2030"
    assert "/konferens/2030/min-anmalan/" in message.body
    assert main_event(calendar_of(message), second)["STATUS"] == "CONFIRMED"


def test_waitlisted_cancellation_has_no_ics(edition, mailoutbox, on_commit):
    with on_commit():
        register(attendee("Först"), edition)
        waiting, _ = register(attendee("Andra"), edition)
        booking.cancel(waiting)
    assert mailoutbox[-1].subject == "Avbokad: Spridningskonferensen 2030"
    assert mailoutbox[-1].attachments == []


def test_session_offer_email(edition, workshop, mailoutbox, on_commit):
    # The edition has room for both, the workshop for one.
    edition.capacity = 5
    edition.save()
    with on_commit():
        first, _ = register(attendee("Först"), edition, [workshop])
        second, _ = register(attendee("Andra"), edition, [workshop])
    mailoutbox.clear()
    with on_commit():
        booking.change_sessions(first, [])
    offer = next(m for m in mailoutbox if m.to == [second.email])
    assert offer.subject == ("En plats är ledig på ”Barnets rättigheter i praktiken”: svara "
                             "senast söndag 3 mars 2030 kl. 10.00")
    assert "passet ”Barnets rättigheter i praktiken” (10.00–11.00, Sal Ljus)" in offer.body
    assert "/konferens/2030/min-anmalan/" in offer.body


def test_reissued_link_email_carries_the_new_token(edition, mailoutbox, on_commit):
    with on_commit():
        registration, old = register(attendee(), edition)
    mailoutbox.clear()
    with on_commit():
        new = tokens.reissue_token(registration)
    message, = mailoutbox
    assert message.subject == "Din nya personliga länk: Spridningskonferensen 2030"
    assert reverse("conference:manage", kwargs={"token": new}) in message.body
    assert old not in message.body
    assert "Den tidigare länken fungerar inte längre" in message.body


def test_a_stale_task_sends_nothing(edition, mailoutbox, on_commit):
    """An offer accepted before the worker ran gets no offer email."""
    with on_commit():
        first, _ = register(attendee("Först"), edition)
        second, _ = register(attendee("Andra"), edition)
    with transaction.atomic():  # callbacks not run: as if the worker were slow
        booking.cancel(first)
    booking.accept_offer(second)
    mailoutbox.clear()
    assert emails.offered(second.pk) is False
    assert emails.cancelled(second.pk) is False
    assert emails.offer_expired(second.pk) is False
    assert emails.offered(10**9) is False
    assert mailoutbox == []


# --- editable templates ------------------------------------------------------------------------

def test_an_edited_template_replaces_the_default(edition, mailoutbox, on_commit):
    ConferenceEmailTemplate.objects.create(
        kind=EmailKind.CONFIRMATION, subject="Välkommen {{ name }} till {{ edition.year }}",
        body="Hej {{ name }}, vi ses {{ edition.when }}.\n{{ manage_url }}")
    with on_commit():
        registration, token = register(attendee(), edition)
    message, = mailoutbox
    assert message.subject == "Välkommen Åsa Öberg till 2030"
    assert message.body.startswith("Hej Åsa Öberg, vi ses torsdag 11 april 2030 kl. 09.00")
    assert token in message.body
    assert len(message.attachments) == 1  # the .ics does not depend on the text


def test_deleting_the_edited_template_restores_the_default(edition, mailoutbox, on_commit):
    template = ConferenceEmailTemplate.objects.create(
        kind=EmailKind.WAITLISTED, subject="Egen", body="Egen text")
    template.delete()
    with on_commit():
        register(attendee("Först"), edition)
        register(attendee("Andra"), edition)
    assert mailoutbox[-1].subject == "Du står på väntelistan: Spridningskonferensen 2030"


def test_saving_an_empty_template_starts_from_the_default():
    template = ConferenceEmailTemplate.objects.create(kind=EmailKind.OFFER)
    subject, body = default_texts(EmailKind.OFFER)
    assert template.subject == subject.strip()
    assert template.body == body.strip()


def test_a_broken_template_is_refused_and_a_stored_one_falls_back(edition, mailoutbox, on_commit):
    template = ConferenceEmailTemplate(kind=EmailKind.CONFIRMATION, subject="Hej",
                                       body="{% if name %}ingen sluttagg")
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "body" in error.value.message_dict
    with pytest.raises(ValidationError):
        ConferenceEmailTemplate(kind=EmailKind.CANCELLED, subject="x",
                                body="{% load static %}{% static 'x' %}").full_clean()
    template.save()  # e.g. written past the form
    ConferenceEmailTemplate.objects.create(  # compiles, but cannot render: nothing to include
        kind=EmailKind.WAITLISTED, subject="x", body='{% include "conference/email/offer.txt" %}')
    with on_commit():
        register(attendee("Först"), edition)
        register(attendee("Andra"), edition)
    assert [m.subject for m in mailoutbox] == ["Du är anmäld: Spridningskonferensen 2030",
                                               "Du står på väntelistan: Spridningskonferensen 2030"]


def test_templates_cannot_reach_other_rows(edition, mailoutbox, on_commit):
    with on_commit():
        register(attendee("Först"), edition)
    ConferenceEmailTemplate.objects.create(
        kind=EmailKind.WAITLISTED, subject="x",
        body="[{% for r in edition.registrations.all %}{{ r.email }}{% endfor %}]"
             "[{{ registration.needs.diet_other }}][{{ edition.contact_email }}]")
    with on_commit():
        register(attendee("Andra"), edition)
    assert mailoutbox[-1].body == "[][][spridning@malmo.se]\n"


def test_every_kind_has_default_texts_that_render():
    registration_context = {"name": "Test", "edition": {"title": "K"}, "sessions": [],
                            "session": {"title": "P"}}
    for kind in EmailKind.values:
        subject, body = default_texts(kind)
        rendered_subject, rendered_body = emails.render_texts(subject, body,
                                                              registration_context)
        assert rendered_subject and "\n" not in rendered_subject
        assert rendered_body.startswith("Hej Test!")


# --- the admin ---------------------------------------------------------------------------------

def test_organisers_edit_email_templates_in_the_admin(client):
    organiser = UserFactory(roles=["Konferensarrangör"])
    grant_organiser_permissions()
    enable_totp(organiser)
    client.force_login(organiser)
    listing = client.get(reverse("wagtailsnippets_conference_conferenceemailtemplate:list"))
    assert listing.status_code == 200
    url = reverse("wagtailsnippets_conference_conferenceemailtemplate:add")
    form = client.get(url).content.decode()
    assert "Påminnelse dagen före" in form and "{{ manage_url }}" in form
    response = client.post(url, {"kind": EmailKind.REMINDER_1, "subject": "",
                                 "body": "Hej {{ name }}!"})
    assert response.status_code == 302
    template = ConferenceEmailTemplate.objects.get(kind=EmailKind.REMINDER_1)
    assert template.subject == default_texts(EmailKind.REMINDER_1)[0].strip()
    assert template.body == "Hej {{ name }}!"
    response = client.post(url, {"kind": EmailKind.OFFER, "subject": "x",
                                 "body": "{% for %}"})
    assert response.status_code == 200
    assert not ConferenceEmailTemplate.objects.filter(kind=EmailKind.OFFER).exists()


def test_other_staff_cannot_open_the_email_templates(client):
    user = UserFactory(roles=["Samordnare"])
    enable_totp(user)
    client.force_login(user)
    response = client.get(reverse("wagtailsnippets_conference_conferenceemailtemplate:list"))
    assert response.status_code in (302, 403)
    assert not ConferenceEmailTemplate.objects.exists()
