"""The Konferens index and the edition page: programme, registration box, links, and a
constant number of queries however big the programme is."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.conference.models import Session
from tests.cms.factories import GoodExamplePageFactory
from tests.conference.factories import (
    EditionFactory,
    RoomFactory,
    SessionFactory,
    TimeSlotFactory,
    build_programme,
    register,
)
from tests.factories import OrganisationUnitFactory, RightsAreaFactory, UserFactory

pytestmark = pytest.mark.django_db


def _get(client, edition):
    response = client.get(edition.url)
    assert response.status_code == 200
    return response.content.decode()


def test_index_lists_editions_newest_first(user_client):
    old = EditionFactory(year=2024, title="Konferensen 2024")
    new = EditionFactory(year=2026, title="Konferensen 2026")
    html = user_client.get(old.get_parent().url).content.decode()
    assert html.index("Konferensen 2026") < html.index("Konferensen 2024")
    assert new.url in html and old.url in html
    assert "Malmö Live" in html


def test_edition_page_shows_programme_grouped_by_slot(user_client):
    edition = EditionFactory()
    unit = OrganisationUnitFactory(name="Stadsbyggnadsförvaltningen")
    area = RightsAreaFactory(name="Barnets rättigheter")
    example = GoodExamplePageFactory(title="Lyssna på barnen")
    room = RoomFactory(name="Stora salen", hearing_loop=True, step_free=False)
    slot = TimeSlotFactory(edition=edition, label="Förmiddag")
    SessionFactory(slot=slot, title="Barnrätt i planeringen", organisation_unit=unit,
                   rights_areas=[area], good_example=example, room=room, capacity=10,
                   kind=Session.Kind.WORKSHOP, presenters="Cecilia Ceder")
    SessionFactory(slot=slot, title="Parallellt samtal")
    SessionFactory(edition=edition, title="Gemensam inledning", requires_signup=False,
                   kind=Session.Kind.PLENARY)
    html = _get(user_client, edition)
    assert "Förmiddag" in html
    assert "programme__sessions--parallel" in html  # two sessions in one slot
    for text in ("Barnrätt i planeringen", "Workshop", "Cecilia Ceder",
                 "Stadsbyggnadsförvaltningen", "Barnets rättigheter", "Stora salen",
                 "Inte stegfritt", "Hörslinga", "10 platser kvar", "Ingen anmälan till passet behövs", "Lyssna på barnen"):
        assert text in html, text
    assert example.url in html
    assert f"/konferens/{edition.year}/program.ics" in html
    assert "Ladda ner programmet (.ics)" in html
    assert "Vi behandlar dina uppgifter" in html  # privacy notice
    assert "mailto:konferens@malmo.se" in html


def test_registration_box_open_with_seats(user_client):
    edition = EditionFactory(capacity=10)
    register(UserFactory(), edition)
    html = _get(user_client, edition)
    assert "9 av 10" in html
    assert "Anmäl dig" in html and f"/konferens/{edition.year}/anmalan/" in html
    assert "Fullt – du hamnar på väntelistan" not in html


def test_registration_box_full(user_client):
    edition = EditionFactory(capacity=1)
    register(UserFactory(), edition)
    html = _get(user_client, edition)
    assert "0 av 1" in html
    assert "Fullt – du hamnar på väntelistan" in html
    assert "Anmäl dig" in html  # they can still join the waiting list


def test_registration_box_full_while_people_wait_even_with_a_free_seat(user_client):
    edition = EditionFactory(capacity=1)
    register(UserFactory(), edition)
    register(UserFactory(), edition)  # waitlisted
    edition.capacity = 2
    edition.save()
    html = _get(user_client, edition)
    assert "1 av 2" in html
    assert "Fullt – du hamnar på väntelistan" in html


def test_registration_box_shows_own_status(client, user):
    edition = EditionFactory()
    register(user, edition)
    client.force_login(user)
    html = _get(client, edition)
    assert "Du är anmäld" in html and "Bekräftad" in html
    assert f"/konferens/{edition.year}/min-anmalan/" in html
    assert "Anmäl dig</a>" not in html


def test_registration_box_closed_and_not_yet_open(user_client):
    now = timezone.now()
    closed = EditionFactory(registration_opens_at=now - datetime.timedelta(days=10),
                            registration_closes_at=now - datetime.timedelta(days=1))
    assert "Anmälan är stängd." in _get(user_client, closed)
    assert "Anmäl dig</a>" not in _get(user_client, closed)
    later = EditionFactory(registration_opens_at=now + datetime.timedelta(days=2))
    assert "Anmälan öppnar" in _get(user_client, later)
    assert "Anmäl dig</a>" not in _get(user_client, later)


def test_full_session_shows_waiting_list(user_client):
    edition = EditionFactory()
    session = SessionFactory(edition=edition, capacity=1)
    register(UserFactory(), edition, sessions=[session])
    assert "Fullt – väntelista" in _get(user_client, edition)


def test_proposal_and_feedback_links_only_when_open(user_client):
    edition = EditionFactory()
    html = _get(user_client, edition)
    assert "/forslag/" not in html and "/utvardering/" not in html
    edition.proposals_open = edition.feedback_open = True
    edition.save()
    html = _get(user_client, edition)
    assert f"/konferens/{edition.year}/forslag/" in html
    assert f"/konferens/{edition.year}/utvardering/" in html


def test_no_other_attendee_is_named_on_the_edition_page(user_client):
    edition = EditionFactory()
    other = UserFactory(display_name="Hemlig Deltagare")
    register(other, edition, needs={"diet": ["vegansk"], "diet_other": "Nötallergi"})
    html = _get(user_client, edition)
    assert "Hemlig Deltagare" not in html and "Nötallergi" not in html


def _programme_with_bookings(sessions_per_slot: int, slots: int):
    edition = EditionFactory(capacity=500)
    area, unit = RightsAreaFactory(), OrganisationUnitFactory()
    example = GoodExamplePageFactory()
    programme = build_programme(edition, slots=slots, per_slot=sessions_per_slot,
                                rights_areas=[area], organisation_unit=unit, good_example=example,
                                capacity=3)
    for session in [row[0] for row in programme]:
        register(UserFactory(), edition, sessions=[session])
    return edition


def _count_queries(client, edition) -> int:
    client.get(edition.url)  # warm caches (site root paths) as a live site has them
    with CaptureQueriesContext(connection) as queries:
        response = client.get(edition.url)
    assert response.status_code == 200
    return len(queries)


def test_edition_page_query_count_does_not_grow_with_the_programme(user_client):
    small = _programme_with_bookings(sessions_per_slot=1, slots=5)    # 5 sessions
    large = _programme_with_bookings(sessions_per_slot=5, slots=10)   # 50 sessions
    assert _count_queries(user_client, small) == _count_queries(user_client, large)


def test_unknown_edition_is_404(user_client):
    assert user_client.get("/konferens/1999/").status_code == 404
    assert user_client.get("/konferens/1999/anmalan/").status_code == 404
    assert user_client.get("/konferens/99999999999999999999/anmalan/").status_code == 404


def test_pages_need_sign_in(client):
    edition = EditionFactory()
    for url in (edition.url, f"/konferens/{edition.year}/anmalan/",
                f"/konferens/{edition.year}/program.ics"):
        response = client.get(url)
        assert response.status_code == 302
        assert "next=" in response["Location"]


def test_programme_tag_copes_with_an_unsaved_edition(rf, user):
    """The admin previews a new edition before it is saved."""
    from cms.conference.models import EditionPage
    from cms.conference.templatetags.conference_attendee import edition_context

    request = rf.get("/")
    request.user = user
    edition = EditionPage(title="Ny", year=2199, capacity=80)
    context = edition_context({"request": request}, edition)
    assert context["days"] == [] and context["status"].seats_left == 80
