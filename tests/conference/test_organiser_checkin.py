"""Check-in: the list with QR codes (absolute URL of checkin_one), search, the single-person
page (never needs), idempotent check-in, undo, CSRF."""

from __future__ import annotations

import html as html_lib

import pytest
from django.test import Client
from django.urls import reverse

from cms.conference import checkin
from cms.conference.models import AuditEvent, Registration
from tests.factories import UserFactory

from .factories import EditionFactory, SessionFactory, organiser, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return EditionFactory(capacity=2)


@pytest.fixture
def people(edition):
    session = SessionFactory(edition=edition)
    names = ["Ada Ahlström", "Bertil Berg", "Cissi Ceder"]  # the third waits for a place
    return [register(UserFactory(display_name=name), edition, [session],
                     needs={"diet": ["halal"], "access_other": "Behöver hörslinga"})[0]
            for name in names]


@pytest.fixture
def organiser_client(client):
    client.force_login(organiser())
    return client


def one_url(registration):
    return reverse("conference:checkin_one", args=[registration.edition.year, registration.uid])


def test_list_has_a_qr_code_per_confirmed_registration(organiser_client, edition, people):
    response = organiser_client.get(reverse("conference:checkin", args=[edition.year]))
    page = response.content.decode()
    ada, bertil, cissi = people
    assert "Ada Ahlström" in page and "Bertil Berg" in page
    assert "Cissi Ceder" not in page  # waitlisted: not on the check-in list
    expected = checkin.qr_data_uri("http://testserver" + one_url(ada))
    assert html_lib.escape(expected) in page or expected in page
    assert page.count('class="checkin-card__qr"') == 2
    assert "Halal" not in page and "hörslinga" not in page


def test_search_by_name(organiser_client, edition, people):
    url = reverse("conference:checkin", args=[edition.year])
    page = organiser_client.get(url, {"q": "bert"}).content.decode()
    assert "Bertil Berg" in page and "Ada Ahlström" not in page


def test_checkin_one_shows_the_person_without_needs(organiser_client, people):
    page = organiser_client.get(one_url(people[0])).content.decode()
    assert "Ada Ahlström" in page and "Bekräftad" in page and "Checka in" in page
    assert "Halal" not in page and "halal" not in page and "hörslinga" not in page


def test_check_in_is_idempotent_and_audited(organiser_client, people):
    ada = people[0]
    response = organiser_client.post(one_url(ada), {"action": "checkin"})
    assert response.status_code == 302 and response.url == one_url(ada)
    ada.refresh_from_db()
    first = ada.checked_in_at
    assert first is not None
    assert organiser_client.post(one_url(ada), {"action": "checkin"}).status_code == 302
    ada.refresh_from_db()
    assert ada.checked_in_at == first
    assert AuditEvent.objects.filter(action="checkin").count() == 1
    page = organiser_client.get(one_url(ada)).content.decode()
    assert "Ångra incheckningen" in page


def test_undo(organiser_client, people):
    ada = people[0]
    organiser_client.post(one_url(ada), {"action": "checkin"})
    organiser_client.post(one_url(ada), {"action": "undo"})
    ada.refresh_from_db()
    assert ada.checked_in_at is None
    assert AuditEvent.objects.filter(action="checkin_undone").count() == 1


def test_check_in_from_the_list_returns_to_it(organiser_client, edition, people):
    back = reverse("conference:checkin", args=[edition.year]) + "?q=ada"
    response = organiser_client.post(one_url(people[0]), {"action": "checkin", "next": back})
    assert response.url == back
    evil = organiser_client.post(one_url(people[1]), {"action": "checkin", "next": "https://evil.example/"})
    assert evil.url == one_url(people[1])


def test_waitlisted_cannot_be_checked_in(organiser_client, people):
    cissi = people[2]
    assert cissi.status == Registration.Status.WAITLISTED
    response = organiser_client.post(one_url(cissi), {"action": "checkin"})
    assert response.status_code == 400
    assert "ingen bekräftad plats" in response.content.decode()
    cissi.refresh_from_db()
    assert cissi.checked_in_at is None


def test_unknown_action_is_400(organiser_client, people):
    assert organiser_client.post(one_url(people[0]), {"action": "radera"}).status_code == 400


def test_registration_of_another_edition_is_404(organiser_client, people):
    other = EditionFactory()
    url = reverse("conference:checkin_one", args=[other.year, people[0].uid])
    assert organiser_client.get(url).status_code == 404


def test_csrf_is_required():
    edition = EditionFactory()
    registration = register(UserFactory(), edition)[0]
    client = Client(enforce_csrf_checks=True)
    client.force_login(organiser())
    assert client.post(one_url(registration), {"action": "checkin"}).status_code == 403
    registration.refresh_from_db()
    assert registration.checked_in_at is None
