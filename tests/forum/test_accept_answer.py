"""Accepting an answer: toggles, notifies the answer's author, logs moderators' decisions."""

import pytest
from django.urls import reverse

from forum.models import ModerationAction, Notification, Thread

from ..factories import UserFactory
from .factories import CategoryFactory, PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def test_starter_accepts_and_the_answer_author_is_notified(client, django_capture_on_commit_callbacks):
    starter, helper = UserFactory(), UserFactory()
    thread = ThreadFactory(category=CategoryFactory(qa_mode=True), author=starter)
    answer = PostFactory(thread=thread, author=helper)
    client.force_login(starter)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("forum:accept_answer", args=[thread.pk]), {"post": answer.pk})
    assert response.status_code == 302
    assert Thread.objects.get(pk=thread.pk).accepted_post_id == answer.pk
    assert Notification.objects.filter(user=helper, kind=Notification.Kind.ACCEPTED,
                                       post=answer).count() == 1
    assert not ModerationAction.objects.exists()  # the starter is not a moderator

    client.post(reverse("forum:accept_answer", args=[thread.pk]), {"post": answer.pk})
    assert Thread.objects.get(pk=thread.pk).accepted_post_id is None


def test_others_cannot_accept(client):
    thread = ThreadFactory(category=CategoryFactory(qa_mode=True))
    answer = PostFactory(thread=thread)
    client.force_login(UserFactory())
    response = client.post(reverse("forum:accept_answer", args=[thread.pk]), {"post": answer.pk})
    assert response.status_code == 403
    assert Thread.objects.get(pk=thread.pk).accepted_post_id is None


def test_moderator_acceptance_is_logged(client):
    thread = ThreadFactory(category=CategoryFactory(qa_mode=True))
    answer = PostFactory(thread=thread)
    client.force_login(UserFactory(roles=["Moderator"]))
    client.post(reverse("forum:accept_answer", args=[thread.pk]), {"post": answer.pk})
    assert ModerationAction.objects.filter(action=ModerationAction.Action.ACCEPT,
                                           post=answer).exists()
