"""The programme in the Wagtail admin (cms/conference/wagtail_hooks.py)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.roles import KONFERENSARRANGOR, SAMORDNARE
from cms.conference.models import Room, Session, TimeSlot
from tests.factories import SuperuserFactory, UserFactory, enable_totp

from .factories import EditionFactory, RoomFactory, SessionFactory, TimeSlotFactory, register

pytestmark = pytest.mark.django_db

SNIPPETS = "/admin/snippets/conference/"
LISTS = [f"{SNIPPETS}session/", f"{SNIPPETS}timeslot/", f"{SNIPPETS}room/"]


def _admin_client(client, user):
    enable_totp(user)  # the admin requires MFA
    client.force_login(user)
    return client


@pytest.fixture
def organiser(client):
    return _admin_client(client, UserFactory(roles=[KONFERENSARRANGOR]))


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def session_data(session_or_none=None, **fields) -> dict:
    data = {"kind": "parallel", "title": "Ett pass", "description": "", "presenters": "",
            "capacity": "", "requires_signup": "on"}
    if session_or_none is not None:
        s = session_or_none
        data.update({"edition": s.edition_id, "slot": s.slot_id, "kind": s.kind,
                     "title": s.title, "room": s.room_id or "",
                     "capacity": "" if s.capacity is None else s.capacity})
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def test_the_organiser_sees_the_programme_lists_filtered_by_edition(organiser):
    session = SessionFactory(title="Barnrätt i praktiken")
    other = SessionFactory(title="Ett pass i ett annat år")
    for url in LISTS:
        assert organiser.get(url).status_code == 200, url
    html = organiser.get(LISTS[0], {"edition": session.edition_id}).content.decode()
    assert "Barnrätt i praktiken" in html and other.title not in html
    slots = organiser.get(LISTS[1], {"edition": other.edition_id}).content.decode()
    assert other.slot.label in slots and session.slot.label not in slots
    menu = organiser.get("/admin/").content.decode()
    assert "Konferens" in menu and "Programpunkter" in menu


@pytest.mark.parametrize("role", [SAMORDNARE, None])
def test_admin_access_alone_does_not_open_the_programme(client, role):
    user = UserFactory(roles=[role] if role else [])
    staff = _admin_client(client, user)
    for url in LISTS:
        assert staff.get(url).status_code in (302, 403), url
    assert staff.post(f"{SNIPPETS}room/add/", {"name": "X", "capacity": 5}).status_code in (
        302, 403)
    assert not Room.objects.filter(name="X").exists()


def test_the_group_editor_offers_both_conference_permissions(client):
    admin = _admin_client(client, SuperuserFactory())
    html = admin.get("/admin/groups/new/").content.decode()
    assert "Kan administrera konferensen" in html
    assert "Kan se deltagares behov" in html


def test_a_session_is_created_in_a_slot_of_its_edition(organiser):
    slot = TimeSlotFactory()
    room = RoomFactory(capacity=30)
    response = organiser.post(f"{SNIPPETS}session/add/", session_data(
        edition=slot.edition_id, slot=slot.pk, room=room.pk, title="Nytt pass"))
    assert response.status_code == 302, response.content.decode()[:3000]
    session = Session.objects.get(title="Nytt pass")
    assert session.effective_capacity == 30


def test_a_slot_from_another_edition_is_refused(organiser):
    slot = TimeSlotFactory()
    response = organiser.post(f"{SNIPPETS}session/add/", session_data(
        edition=EditionFactory().pk, slot=slot.pk, title="Fel år"))
    assert response.status_code == 200
    assert "Tidpasset hör till ett annat konferensår." in response.content.decode()
    assert not Session.objects.filter(title="Fel år").exists()


@pytest.mark.parametrize("change", ["capacity", "room"])
def test_fewer_places_than_taken_are_refused(organiser, change):
    session = SessionFactory(room=RoomFactory(capacity=10), capacity=None)
    for _ in range(3):
        register(UserFactory(), session.edition, [session])
    small = RoomFactory(capacity=2)
    fields = {"capacity": 2} if change == "capacity" else {"room": small.pk}
    response = organiser.post(f"{SNIPPETS}session/edit/{session.pk}/",
                              session_data(session, **fields))
    assert response.status_code == 200
    assert "3 deltagare har redan plats på passet" in response.content.decode()
    session.refresh_from_db()
    assert session.capacity is None and session.room.capacity == 10
    response = organiser.post(f"{SNIPPETS}session/edit/{session.pk}/",
                              session_data(session, capacity=3))
    assert response.status_code == 302


def test_a_booked_session_cannot_move_to_another_slot(organiser):
    session = SessionFactory()
    register(UserFactory(), session.edition, [session])
    later = TimeSlotFactory(edition=session.edition,
                            starts_at=session.slot.starts_at + datetime.timedelta(hours=2))
    response = organiser.post(f"{SNIPPETS}session/edit/{session.pk}/",
                              session_data(session, slot=later.pk))
    assert response.status_code == 200
    assert "kan inte flyttas" in response.content.decode()
    session.refresh_from_db()
    assert session.slot_id != later.pk


def test_a_time_slot_must_end_after_it_starts(organiser):
    edition = EditionFactory()
    start = edition.starts_at
    response = organiser.post(f"{SNIPPETS}timeslot/add/", {
        "edition": edition.pk, "starts_at": _local(start),
        "ends_at": _local(start - datetime.timedelta(hours=1)), "label": "Bakvänt"})
    assert response.status_code == 200
    assert "Tidpasset måste sluta efter att det börjar." in response.content.decode()
    response = organiser.post(f"{SNIPPETS}timeslot/add/", {
        "edition": edition.pk, "starts_at": _local(start),
        "ends_at": _local(start + datetime.timedelta(hours=1)), "label": "Rätt"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert TimeSlot.objects.filter(label="Rätt", edition=edition).exists()
