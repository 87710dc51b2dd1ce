"""axe (WCAG 2.2 AA) and 320 px reflow on the conference pages: attendee and organiser."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from .axe import assert_accessible


@pytest.fixture
def conference(site_tree, e2e_user):
    from django.contrib.auth.models import Permission

    from accounts.roles import ensure_roles
    from cms.conference.models import Feedback
    from cms.models import OrganisationUnit, Principle, RightsArea, StaircaseStep, TargetGroup
    from cms.taxonomy_data import load_taxonomy
    from tests.conference.factories import (
        EditionFactory,
        ProposalFactory,
        RoomFactory,
        SessionFactory,
        TimeSlotFactory,
        register,
    )
    from tests.factories import UserFactory

    ensure_roles()
    load_taxonomy(RightsArea, OrganisationUnit, Principle, StaircaseStep, TargetGroup)
    units = list(OrganisationUnit.objects.all()[:3])
    e2e_user.organisation_unit = units[0]
    e2e_user.save()
    e2e_user.user_permissions.add(*Permission.objects.filter(content_type__app_label="conference"))
    now = timezone.now()
    edition = EditionFactory(capacity=8, proposals_open=True, feedback_open=True,
                             registration_opens_at=now - datetime.timedelta(days=5))
    morning = TimeSlotFactory(edition=edition)
    full = SessionFactory(edition=edition, slot=morning, room=RoomFactory(capacity=3),
                          title="Barnkonventionen i vardagen")
    SessionFactory(edition=edition, slot=morning, room=RoomFactory(capacity=30),
                   title="Relaxed performance på scen")
    for i in range(10):
        register(UserFactory(display_name=f"Person {i}", organisation_unit=units[i % 3]),
                 edition, [full], needs={"diet": ["vegansk"], "access_other": "Hörslinga"})
    proposal = ProposalFactory(edition=edition, rights_areas=list(RightsArea.objects.all()[:2]))
    Feedback.objects.create(edition=edition, rating=4, comment="Bra dag")
    return edition, proposal


def test_conference_pages_are_accessible_and_reflow(signed_in_page, live_server, conference):
    edition, proposal = conference
    page = signed_in_page
    year = edition.year
    attendee_pages = [edition.url, f"/konferens/{year}/anmalan/", f"/konferens/{year}/forslag/"]
    organiser_pages = [
        f"/konferens/{year}/arrangor/", f"/konferens/{year}/arrangor/deltagare/",
        f"/konferens/{year}/arrangor/behov/", f"/konferens/{year}/arrangor/incheckning/",
        f"/konferens/{year}/arrangor/forslag/", f"/konferens/{year}/arrangor/forslag/{proposal.pk}/",
        f"/konferens/{year}/arrangor/logg/",
    ]
    problems = []
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 900})
        for url in attendee_pages + organiser_pages:
            response = page.goto(live_server.url + url)
            assert response.status == 200, (url, response.status)
            try:
                assert_accessible(page)
            except AssertionError as error:
                problems.append(f"{width}px {url}: {error}")
            scroll = page.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                problems.append(f"{width}px {url}: scrollWidth {scroll}")
    assert not problems, "\n".join(problems)
