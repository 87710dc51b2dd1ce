"""The anonymous evaluation: no link from Feedback to a person, one answer per person and
target, only while open, only for confirmed attendees and the sessions they attended."""

from __future__ import annotations

import datetime

import pytest
from django.db import models
from django.urls import reverse

from cms.conference import feedback as service
from cms.conference.models import Feedback, FeedbackReceipt
from tests.factories import UserFactory

from .factories import EditionFactory, SessionFactory, TimeSlotFactory, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return EditionFactory(feedback_open=True)


@pytest.fixture
def setup(edition):
    attended = SessionFactory(edition=edition, title="Passet jag gick på")
    other_slot = TimeSlotFactory(edition=edition, starts_at=edition.starts_at + datetime.timedelta(hours=2))
    skipped = SessionFactory(slot=other_slot, title="Passet jag inte gick på")
    plenary = SessionFactory(edition=edition, title="Gemensam inledning", kind="plenary",
                             requires_signup=False)
    user = UserFactory()
    register(user, edition, [attended])
    return {"user": user, "attended": attended, "skipped": skipped, "plenary": plenary}


def url(edition):
    return reverse("conference:feedback", args=[edition.year])


def test_feedback_has_no_link_to_a_person():
    for field in Feedback._meta.get_fields():
        if isinstance(field, models.ForeignKey | models.OneToOneField | models.ManyToManyField):
            assert field.related_model.__name__ in {"EditionPage", "Session"}, field.name
    assert isinstance(Feedback._meta.get_field("created_at"), models.DateField)
    assert not isinstance(Feedback._meta.get_field("created_at"), models.DateTimeField)


def test_survey_offers_the_edition_and_attended_sessions_only(client, edition, setup):
    client.force_login(setup["user"])
    page = client.get(url(edition)).content.decode()
    assert "Konferensen som helhet" in page
    assert "Passet jag gick på" in page and "Gemensam inledning" in page
    assert "Passet jag inte gick på" not in page


def test_answers_are_saved_anonymously_once(client, edition, setup):
    client.force_login(setup["user"])
    attended, skipped = setup["attended"], setup["skipped"]
    data = {"edition_rating": "4", "edition_comment": "Bra dag",
            f"s{attended.pk}_rating": "5", f"s{attended.pk}_comment": "Lärorikt",
            f"s{skipped.pk}_rating": "1"}  # not offered: ignored
    response = client.post(url(edition), data)
    assert response.status_code == 302
    rows = {(f.session_id, f.rating, f.comment) for f in Feedback.objects.all()}
    assert rows == {(None, 4, "Bra dag"), (attended.pk, 5, "Lärorikt")}
    receipts = set(FeedbackReceipt.objects.values_list("user_id", "session_id"))
    assert receipts == {(setup["user"].pk, None), (setup["user"].pk, attended.pk)}
    # Nothing shared that pairs an answer with its receipt: no user column, a date only,
    # and ids that do not follow the receipts' insertion order.
    assert all(f.pk >= service.ID_FLOOR for f in Feedback.objects.all())
    # A second attempt saves nothing new.
    again = client.post(url(edition), data)
    assert Feedback.objects.count() == 2
    assert again.status_code in (302, 400)
    page = client.get(url(edition)).content.decode()
    assert "Passet jag gick på" not in page and "Gemensam inledning" in page


def test_service_skips_already_answered_targets(edition, setup):
    user = setup["user"]
    saved = service.submit(user, edition, [service.Answer(None, 3)])
    again = service.submit(user, edition, [service.Answer(None, 1), service.Answer(setup["plenary"], 2)])
    assert (saved, again) == (1, 1)
    assert sorted(Feedback.objects.values_list("rating", flat=True)) == [2, 3]


def test_all_answered_shows_thanks(client, edition, setup):
    user = setup["user"]
    service.submit(user, edition, [service.Answer(None, 3), service.Answer(setup["attended"], 3),
                                   service.Answer(setup["plenary"], 3)])
    client.force_login(user)
    assert "Du har svarat på allt" in client.get(url(edition)).content.decode()
    assert client.post(url(edition), {"edition_rating": "1"}).status_code == 400
    assert Feedback.objects.count() == 3


def test_comment_without_rating_and_empty_form_are_400(client, edition, setup):
    client.force_login(setup["user"])
    response = client.post(url(edition), {"edition_comment": "Bara text"})
    assert response.status_code == 400
    assert "Välj ett betyg för att kunna lämna en kommentar." in response.content.decode()
    assert "Bara text" in response.content.decode()  # nothing lost
    empty = client.post(url(edition), {})
    assert empty.status_code == 400 and "minst en sak" in empty.content.decode()
    assert client.post(url(edition), {"edition_rating": "9"}).status_code == 400
    assert not Feedback.objects.exists() and not FeedbackReceipt.objects.exists()


def test_closed_survey(client, setup, edition):
    edition.feedback_open = False
    edition.save()
    client.force_login(setup["user"])
    assert "inte öppen" in client.get(url(edition)).content.decode()
    assert client.post(url(edition), {"edition_rating": "5"}).status_code == 400
    assert not Feedback.objects.exists()


def test_only_confirmed_attendees_answer(client, edition, setup):
    client.force_login(UserFactory())
    response = client.get(url(edition))
    assert response.status_code == 403
    assert client.post(url(edition), {"edition_rating": "5"}).status_code == 403
    assert not Feedback.objects.exists()
