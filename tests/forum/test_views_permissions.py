"""Who may do what through the views: 404 for what one may not read, 403 for what one may
read but not change; CSRF on every state change; GET changes nothing but read marks."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from forum.models import (
    CategoryRead,
    Draft,
    ModerationAction,
    Post,
    PostRevision,
    Reaction,
    Thread,
)

from ..factories import UserFactory
from .factories import CategoryFactory, PostFactory, ThreadFactory, closed_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_thread():
    group, _ = Group.objects.get_or_create(name="Samordnare")
    category = closed_category(group, slug="samordnare-test", qa_mode=True)
    thread = ThreadFactory(category=category, text="Hemlig text i öppningsinlägget")
    reply = PostFactory(thread=thread, text="Hemligt svar")
    return thread, reply


def outsider_client():
    client = Client()
    client.force_login(UserFactory())
    return client


def test_outsiders_get_404_for_everything_in_a_closed_category(closed_thread):
    thread, reply = closed_thread
    client = outsider_client()
    get_urls = [
        thread.category.get_absolute_url(),
        reverse("forum:new_thread", args=[thread.category.slug]),
        thread.get_absolute_url(),
        reverse("forum:reply", args=[thread.pk]),
        reverse("forum:post", args=[reply.pk]),
        reverse("forum:edit_post", args=[reply.pk]),
        reverse("forum:delete_post", args=[reply.pk]),
        reverse("forum:post_history", args=[reply.pk]),
    ]
    for url in get_urls:
        assert client.get(url).status_code == 404, url
    post_urls = [
        (reverse("forum:reply", args=[thread.pk]), {"text": "Inbrott"}),
        (reverse("forum:save_draft", args=[thread.pk]), {"text": "Inbrott"}),
        (reverse("forum:accept_answer", args=[thread.pk]), {"post": reply.pk}),
        (reverse("forum:edit_post", args=[reply.pk]), {"text": "Inbrott"}),
        (reverse("forum:delete_post", args=[reply.pk]), {}),
        (reverse("forum:react", args=[reply.pk]), {"kind": "tack"}),
        (reverse("forum:mark_category_read", args=[thread.category.slug]), {}),
        (reverse("forum:new_thread", args=[thread.category.slug]), {"title": "T", "text": "x"}),
    ]
    for url, data in post_urls:
        assert client.post(url, data).status_code == 404, url
    assert Post.objects.filter(thread=thread).count() == 2
    assert not Reaction.objects.exists() and not Draft.objects.exists()
    assert not CategoryRead.objects.exists()
    reply.refresh_from_db()
    assert reply.markdown == "Hemligt svar" and not reply.is_deleted


def test_closed_category_posts_never_leak_into_lists_profiles_or_the_filter(closed_thread):
    thread, reply = closed_thread
    client = outsider_client()
    pages = [
        client.get(reverse("forum:index")),
        client.get(reverse("forum:index"), {"q": "hemlig"}),
        client.get(reverse("forum:profile", args=[reply.author.pk])),
        client.get(reverse("forum:profile", args=[thread.author.pk])),
    ]
    for response in pages:
        html = response.content.decode()
        assert response.status_code == 200
        assert thread.title not in html
        assert "Hemligt svar" not in html and "Hemlig text" not in html
    assert list(pages[1].context["threads"]) == []


def test_hidden_thread_is_404_except_for_moderators(client):
    thread = ThreadFactory(title="Dold tråd")
    Thread.objects.filter(pk=thread.pk).update(is_hidden=True)
    client.force_login(UserFactory())
    assert client.get(thread.get_absolute_url()).status_code == 404
    client.force_login(UserFactory(roles=["Moderator"]))
    assert client.get(thread.get_absolute_url()).status_code == 200


def test_editing_or_deleting_someone_elses_post_is_403(client):
    post = PostFactory(text="Originalet")
    client.force_login(UserFactory())
    for name in ("forum:edit_post", "forum:delete_post"):
        url = reverse(name, args=[post.pk])
        assert client.get(url).status_code == 403
        assert client.post(url, {"text": "Ändrat"}).status_code == 403
    post.refresh_from_db()
    assert post.markdown == "Originalet" and not post.is_deleted
    assert not PostRevision.objects.exists()


def test_deleted_or_hidden_posts_of_others_are_404_for_history_and_edit(client):
    from forum import moderation, services

    deleted = PostFactory()
    services.delete_post(deleted.author, deleted)
    hidden = PostFactory()
    moderation.hide_post(UserFactory(roles=["Moderator"]), hidden, "Skäl")
    client.force_login(UserFactory())
    for post in (deleted, hidden):
        assert client.get(reverse("forum:post_history", args=[post.pk])).status_code == 404
        assert client.get(reverse("forum:edit_post", args=[post.pk])).status_code == 404
        assert client.post(reverse("forum:react", args=[post.pk]), {"kind": "tack"}).status_code == 404
        # The permalink still works: the thread shows a placeholder at the post.
        assert client.get(reverse("forum:post", args=[post.pk])).status_code == 302


def test_author_cannot_edit_a_post_a_moderator_hid(client):
    from forum import moderation

    post = PostFactory()
    moderation.hide_post(UserFactory(roles=["Moderator"]), post, "Skäl")
    client.force_login(post.author)
    assert client.get(reverse("forum:edit_post", args=[post.pk])).status_code == 403
    assert client.post(reverse("forum:delete_post", args=[post.pk])).status_code == 403


def test_moderator_may_edit_and_delete_others_posts(client):
    post = PostFactory(text="Före")
    client.force_login(UserFactory(roles=["Moderator"]))
    assert client.post(reverse("forum:edit_post", args=[post.pk]), {"text": "Efter"}).status_code == 302
    assert client.post(reverse("forum:delete_post", args=[post.pk])).status_code == 302
    post.refresh_from_db()
    assert post.markdown == "Efter" and post.is_deleted


def test_category_without_reply_right_is_403_for_reply(client):
    group, _ = Group.objects.get_or_create(name="Läsare")
    category = CategoryFactory()
    category.permissions.create(group=group, can_see=True, can_read=True, can_start=False,
                                can_reply=False)
    thread = ThreadFactory(category=category)
    user = UserFactory()
    user.groups.add(group)
    client.force_login(user)
    assert client.post(reverse("forum:reply", args=[thread.pk]), {"text": "x"}).status_code == 403
    html = client.get(thread.get_absolute_url()).content.decode()
    assert "Du kan läsa tråden men inte svara i den." in html


def test_every_state_change_needs_csrf():
    thread = ThreadFactory(category=CategoryFactory(qa_mode=True))
    user = thread.author
    own = PostFactory(thread=thread, author=user)
    others = PostFactory(thread=thread)
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    requests = [
        (reverse("forum:new_thread", args=[thread.category.slug]), {"title": "T", "text": "x"}),
        (reverse("forum:mark_category_read", args=[thread.category.slug]), {}),
        (reverse("forum:reply", args=[thread.pk]), {"text": "x"}),
        (reverse("forum:save_draft", args=[thread.pk]), {"text": "x"}),
        (reverse("forum:accept_answer", args=[thread.pk]), {"post": others.pk}),
        (reverse("forum:edit_post", args=[own.pk]), {"text": "ändrat"}),
        (reverse("forum:delete_post", args=[own.pk]), {}),
        (reverse("forum:react", args=[others.pk]), {"kind": "tack"}),
        (reverse("forum:preview"), {"text": "x"}),
    ]
    counts = _counts()
    for url, data in requests:
        assert client.post(url, data).status_code == 403, url
    assert _counts() == counts
    thread.refresh_from_db()
    assert thread.accepted_post_id is None


def _counts():
    return (Thread.objects.count(), Post.objects.count(), Reaction.objects.count(),
            Draft.objects.count(), CategoryRead.objects.count(), PostRevision.objects.count(),
            ModerationAction.objects.count(), Post.objects.filter(is_deleted=True).count())


def test_get_never_changes_state(client):
    thread = ThreadFactory(category=CategoryFactory(qa_mode=True))
    user = thread.author
    own = PostFactory(thread=thread, author=user)
    others = PostFactory(thread=thread)
    client.force_login(user)
    urls = [
        reverse("forum:index"),
        reverse("forum:index") + "?q=x",
        thread.category.get_absolute_url(),
        reverse("forum:new_thread", args=[thread.category.slug]) + "?title=T&text=x",
        reverse("forum:mark_category_read", args=[thread.category.slug]),
        reverse("forum:reply", args=[thread.pk]) + "?text=x",
        reverse("forum:save_draft", args=[thread.pk]) + "?text=x",
        reverse("forum:accept_answer", args=[thread.pk]) + f"?post={others.pk}",
        reverse("forum:edit_post", args=[own.pk]) + "?text=x",
        reverse("forum:delete_post", args=[own.pk]),
        reverse("forum:post_history", args=[own.pk]),
        reverse("forum:react", args=[others.pk]) + "?kind=tack",
        reverse("forum:preview") + "?text=x",
        reverse("forum:post", args=[others.pk]),
        reverse("forum:profile", args=[user.pk]),
        thread.get_absolute_url() + f"?citera={others.pk}",
    ]
    counts = _counts()
    for url in urls:
        assert client.get(url).status_code in {200, 302, 405}, url
    assert _counts() == counts
    thread.refresh_from_db()
    assert thread.accepted_post_id is None


def test_state_changing_urls_refuse_get(client):
    thread = ThreadFactory()
    post = PostFactory(thread=thread)
    client.force_login(UserFactory())
    for url in (reverse("forum:mark_category_read", args=[thread.category.slug]),
                reverse("forum:save_draft", args=[thread.pk]),
                reverse("forum:accept_answer", args=[thread.pk]),
                reverse("forum:react", args=[post.pk]),
                reverse("forum:preview")):
        assert client.get(url).status_code == 405, url


def test_forum_needs_login(client):
    thread = ThreadFactory()
    login = reverse("account_login")
    for url in (reverse("forum:index"), thread.get_absolute_url(), reverse("forum:preview")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(login), url
