"""Permission matrix for the organiser and review pages: a Medarbetare gets 403 everywhere,
a Konferensarrangör gets in, and the needs list needs conference.view_needs on top."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import MEDARBETARE
from cms.conference.models import AuditEvent
from tests.factories import UserFactory

from .factories import EditionFactory, ProposalFactory, SessionFactory, grant, organiser, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    edition = EditionFactory(proposals_open=True)
    session = SessionFactory(edition=edition)
    register(UserFactory(display_name="Maja Medel"), edition, [session],
             needs={"diet": ["vegansk"], "diet_other": "Ingen koriander"})
    return edition


def organiser_urls(edition):
    year = edition.year
    registration = edition.registrations.first()
    proposal = ProposalFactory(edition=edition)
    return [
        reverse("conference:dashboard", args=[year]),
        reverse("conference:participants", args=[year]),
        reverse("conference:badges", args=[year]),
        reverse("conference:checkin", args=[year]),
        reverse("conference:checkin_one", args=[year, registration.uid]),
        reverse("conference:audit_log", args=[year]),
        reverse("conference:review_list", args=[year]),
        reverse("conference:review", args=[year, proposal.pk]),
        *[reverse("conference:export", args=[year, kind, fmt])
          for kind in ("deltagare", "pass", "kost") for fmt in ("csv", "xlsx")],
    ]


def test_medarbetare_gets_403_on_every_organiser_page_and_export(client, edition):
    client.force_login(UserFactory(roles=[MEDARBETARE]))
    for url in organiser_urls(edition) + [reverse("conference:needs", args=[edition.year])]:
        assert client.get(url).status_code == 403, url
    registration = edition.registrations.first()
    response = client.post(reverse("conference:checkin_one", args=[edition.year, registration.uid]),
                           {"action": "checkin"})
    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.checked_in_at is None
    assert not AuditEvent.objects.exists()


def test_medarbetare_cannot_review_or_decide(client, edition):
    proposal = ProposalFactory(edition=edition)
    client.force_login(UserFactory())
    url = reverse("conference:review", args=[edition.year, proposal.pk])
    assert client.post(url, {"action": "review", "score": "5"}).status_code == 403
    assert client.post(url, {"action": "reject"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "submitted" and not proposal.reviews.exists()


def test_organiser_reaches_every_page(client, edition):
    client.force_login(organiser())
    for url in organiser_urls(edition):
        assert client.get(url).status_code == 200, url


def test_organiser_without_view_needs_gets_403_on_needs(client, edition):
    client.force_login(organiser())
    response = client.get(reverse("conference:needs", args=[edition.year]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action="needs_viewed").exists()


def test_view_needs_shows_the_needs_and_is_audited_with_counts_only(client, edition):
    reader = organiser(view_needs=True)
    client.force_login(reader)
    response = client.get(reverse("conference:needs", args=[edition.year]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Maja Medel" in html and "Vegansk" in html and "Ingen koriander" in html
    event = AuditEvent.objects.get(action="needs_viewed")
    assert event.actor == reader and event.edition_id == edition.pk
    assert event.details == {"registrations": 1}
    assert "koriander" not in str(event.details).lower()


def test_view_needs_alone_is_enough_for_the_needs_list(client, edition):
    """A catering coordinator holding only view_needs, not the organiser role."""
    coordinator = grant(UserFactory(), "view_needs")
    client.force_login(coordinator)
    assert client.get(reverse("conference:needs", args=[edition.year])).status_code == 200
    assert client.get(reverse("conference:dashboard", args=[edition.year])).status_code == 403


def test_unknown_edition_is_404_for_organisers(client, edition):
    client.force_login(organiser())
    assert client.get(reverse("conference:dashboard", args=[1999])).status_code == 404


@pytest.mark.parametrize("kind, fmt", [("okand", "csv"), ("deltagare", "pdf"), ("kost", "xls")])
def test_unknown_export_is_404_and_not_audited(client, edition, kind, fmt):
    client.force_login(organiser())
    assert client.get(reverse("conference:export", args=[edition.year, kind, fmt])).status_code == 404
    assert not AuditEvent.objects.filter(action="export").exists()


def test_unknown_export_is_still_403_for_medarbetare(client, edition):
    client.force_login(UserFactory())
    assert client.get(reverse("conference:export", args=[edition.year, "okand", "csv"])).status_code == 403


@pytest.mark.parametrize("details", [
    {"diet": ["vegansk"]}, {"access_other": "x"}, {"nested": {"diet_other": "x"}},
    {"text": "x" * 101}, {"object": object()},
])
def test_audit_refuses_needs_and_free_text(details):
    from cms.conference import audit

    with pytest.raises(ValueError):
        audit.log(None, None, "export", details)
    assert not AuditEvent.objects.exists()


def test_audit_records_counts():
    from cms.conference import audit

    event = audit.log(None, None, "tick", {"expired": 2, "per_kind": {"kost": 3}, "codes": ["a"]})
    assert event.actor is None and event.details["per_kind"] == {"kost": 3}
