"""The call for good examples: submit, own list, review (once each, editable), accept into a
session in the chosen slot and room, reject; closed call; reviewers' scores stay private."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.conference import proposals as service
from cms.conference.models import AuditEvent, Proposal, Review, Session
from tests.cms.factories import GoodExamplePageFactory
from tests.factories import OrganisationUnitFactory, RightsAreaFactory, UserFactory

from .factories import (EditionFactory, ProposalFactory, RoomFactory, SessionFactory,
                        TimeSlotFactory, organiser)

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return EditionFactory(proposals_open=True,
                          proposals_close_at=timezone.now() + datetime.timedelta(days=7))


@pytest.fixture
def unit():
    return OrganisationUnitFactory(name="Miljöförvaltningen", slug="miljo")


@pytest.fixture
def submitter(unit):
    return UserFactory(display_name="Sara Submitter", organisation_unit=unit)


def form_data(unit, **overrides):
    area = RightsAreaFactory(name="Barns rättigheter", slug="barn")
    data = {"title": "Barnrättsbaserade beslut", "abstract": "Vi gjorde barnkonsekvensanalyser.",
            "format": "workshop", "organisation_unit": unit.pk, "co_presenters": "Per Persson",
            "rights_areas": [area.pk], "good_example": ""}
    data.update(overrides)
    return data


def submit_url(edition):
    return reverse("conference:submit_proposal", args=[edition.year])


def test_submit_form_prefills_the_unit(client, edition, submitter, unit):
    client.force_login(submitter)
    response = client.get(submit_url(edition))
    assert response.status_code == 200
    assert response.context["form"]["organisation_unit"].value() == unit.pk


def test_submit_and_see_own_proposals_only(client, edition, submitter, unit):
    example = GoodExamplePageFactory(title="Delaktighet i förskolan")
    ProposalFactory(edition=edition, title="Någon annans förslag")
    client.force_login(submitter)
    response = client.post(submit_url(edition), form_data(unit, good_example=example.pk))
    assert response.status_code == 302
    proposal = Proposal.objects.get(submitted_by=submitter)
    assert proposal.title == "Barnrättsbaserade beslut" and proposal.format == "workshop"
    assert proposal.good_example_id == example.pk and proposal.rights_areas.count() == 1
    page = client.get(reverse("conference:my_proposals", args=[edition.year])).content.decode()
    assert "Barnrättsbaserade beslut" in page and "Inskickat" in page
    assert "Någon annans förslag" not in page


def test_only_live_good_examples_can_be_linked(client, edition, submitter, unit):
    draft = GoodExamplePageFactory(title="Utkast", live=False)
    client.force_login(submitter)
    response = client.post(submit_url(edition), form_data(unit, good_example=draft.pk))
    assert response.status_code == 400
    assert not Proposal.objects.exists()


def test_missing_fields_are_400_with_swedish_messages(client, edition, submitter, unit):
    client.force_login(submitter)
    response = client.post(submit_url(edition), form_data(unit, title="", rights_areas=[]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Välj minst ett rättighetsområde." in page
    assert "Vi gjorde barnkonsekvensanalyser." in page  # nothing lost
    assert not Proposal.objects.exists()


def test_duplicate_is_refused(client, edition, submitter, unit):
    client.force_login(submitter)
    client.post(submit_url(edition), form_data(unit))
    response = client.post(submit_url(edition), form_data(unit, title="barnrättsbaserade BESLUT "))
    assert response.status_code == 400
    assert "redan skickat in ett förslag" in response.content.decode()
    assert Proposal.objects.count() == 1


@pytest.mark.parametrize("closed", [
    {"proposals_open": False},
    {"proposals_close_at": timezone.now() - datetime.timedelta(minutes=1)},
])
def test_closed_call_is_400_in_swedish(client, submitter, unit, closed):
    edition = EditionFactory(**{"proposals_open": True, **closed})
    client.force_login(submitter)
    assert "är stängd" in client.get(submit_url(edition)).content.decode()
    response = client.post(submit_url(edition), form_data(unit))
    assert response.status_code == 400
    assert "Inlämningen av förslag" in response.content.decode() and "är stängd" in response.content.decode()
    assert not Proposal.objects.exists()


def test_review_once_each_editable_and_listed_with_average(client, edition):
    proposal = ProposalFactory(edition=edition)
    first, second = organiser(), organiser()
    url = reverse("conference:review", args=[edition.year, proposal.pk])
    client.force_login(first)
    assert client.post(url, {"action": "review", "score": "2", "comment": "Oklart syfte"}).status_code == 302
    assert client.post(url, {"action": "review", "score": "3", "comment": "Bättre"}).status_code == 302
    assert Review.objects.get(reviewer=first).score == 3
    client.force_login(second)
    page = client.get(url).content.decode()
    assert "Oklart" not in page and "Bättre" not in page  # others' reviews after one's own
    client.post(url, {"action": "review", "score": "5"})
    assert "Bättre" in client.get(url).content.decode()
    assert Review.objects.filter(proposal=proposal).count() == 2
    listing = client.get(reverse("conference:review_list", args=[edition.year]))
    row = next(p for p in listing.context["proposals"] if p.pk == proposal.pk)
    assert (row.average, row.review_count) == (4, 2)


@pytest.mark.parametrize("score", ["0", "6", "x", ""])
def test_invalid_score_is_400(client, edition, score):
    proposal = ProposalFactory(edition=edition)
    client.force_login(organiser())
    response = client.post(reverse("conference:review", args=[edition.year, proposal.pk]),
                           {"action": "review", "score": score})
    assert response.status_code == 400
    assert not Review.objects.exists()


def test_accept_creates_the_session_in_the_chosen_slot_and_room(client, edition):
    area = RightsAreaFactory(name="Rätt till hälsa", slug="halsa")
    submitter = UserFactory(display_name="Sara Submitter")
    proposal = ProposalFactory(edition=edition, submitted_by=submitter, rights_areas=[area],
                               format="workshop", co_presenters="Per Persson")
    morning = TimeSlotFactory(edition=edition)
    afternoon = TimeSlotFactory(edition=edition, starts_at=edition.starts_at + datetime.timedelta(hours=4))
    room = RoomFactory(name="Sal Öresund", capacity=30)
    user = organiser()
    client.force_login(user)
    url = reverse("conference:review", args=[edition.year, proposal.pk])
    response = client.post(url, {"action": "accept", "slot": afternoon.pk, "room": room.pk,
                                 "kind": "workshop", "requires_signup": "on"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    session = proposal.session
    assert proposal.status == "accepted"
    assert (session.slot, session.room, session.kind) == (afternoon, room, "workshop")
    assert session.edition_id == edition.pk
    assert session.title == proposal.title and session.effective_capacity == 30
    assert session.presenters == "Sara Submitter, Per Persson"
    assert list(session.rights_areas.all()) == [area]
    assert session.slot != morning
    assert AuditEvent.objects.filter(action="proposal_accepted", actor=user).exists()
    # Decided: a second decision or review is refused, nothing changes.
    again = client.post(url, {"action": "accept", "slot": morning.pk, "kind": "parallel"})
    assert again.status_code == 400 and "redan beslutat" in again.content.decode()
    assert client.post(url, {"action": "reject"}).status_code == 400
    assert client.post(url, {"action": "review", "score": "4"}).status_code == 400
    assert Session.objects.filter(edition=edition).count() == 1


def test_accept_refuses_an_occupied_room_and_a_foreign_slot(edition):
    room = RoomFactory()
    taken = SessionFactory(edition=edition, room=room)
    proposal = ProposalFactory(edition=edition)
    user = organiser()
    with pytest.raises(service.ProposalError, match="redan upptagen"):
        service.accept(proposal, user, slot=taken.slot, room=room, kind="parallel")
    foreign = TimeSlotFactory(edition=EditionFactory())
    with pytest.raises(service.ProposalError, match="annat konferensår"):
        service.accept(proposal, user, slot=foreign, room=None, kind="parallel")
    proposal.refresh_from_db()
    assert proposal.status == "submitted" and proposal.session is None


def test_accept_form_offers_only_this_editions_slots(client, edition):
    proposal = ProposalFactory(edition=edition)
    foreign = TimeSlotFactory(edition=EditionFactory())
    client.force_login(organiser())
    response = client.post(reverse("conference:review", args=[edition.year, proposal.pk]),
                           {"action": "accept", "slot": foreign.pk, "kind": "parallel"})
    assert response.status_code == 400
    assert not Session.objects.exists()


def test_reject(client, edition):
    proposal = ProposalFactory(edition=edition)
    client.force_login(organiser())
    url = reverse("conference:review", args=[edition.year, proposal.pk])
    response = client.post(url, {"action": "reject"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "rejected"
    assert AuditEvent.objects.filter(action="proposal_rejected").exists()


def test_submitter_never_sees_scores_or_comments(client, edition, submitter):
    proposal = ProposalFactory(edition=edition, submitted_by=submitter)
    service.review(proposal, organiser(), 1, "Hemlig bedömarkommentar")
    client.force_login(submitter)
    page = client.get(reverse("conference:my_proposals", args=[edition.year])).content.decode()
    assert proposal.title in page and "Hemlig bedömarkommentar" not in page and "Betyg" not in page
    assert client.get(reverse("conference:review", args=[edition.year, proposal.pk])).status_code == 403


def test_proposal_of_another_edition_is_404(client, edition):
    proposal = ProposalFactory(edition=EditionFactory())
    client.force_login(organiser())
    assert client.get(reverse("conference:review", args=[edition.year, proposal.pk])).status_code == 404
