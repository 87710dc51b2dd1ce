"""Thread lists and thread pages run the same number of SQL queries at 5 and at 200 posts
(or threads), with everything a page shows: authors with units, reactions, edits, deleted
and hidden posts, tags, pins, read marks and an accepted answer."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.models import OrganisationUnit
from forum import moderation, services
from forum.models import Reaction, Thread

from ..factories import UserFactory
from .factories import CategoryFactory, PostFactory, TagFactory, ThreadFactory

pytestmark = pytest.mark.django_db


def capture(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in context.captured_queries], response


def fresh_viewer() -> Client:
    client = Client()
    client.force_login(UserFactory())
    return client


def build_thread(n_posts: int, category, moderator) -> Thread:
    unit = OrganisationUnit.objects.first()
    authors = [UserFactory(organisation_unit=unit) for _ in range(3)]
    thread = ThreadFactory(category=category, author=authors[0], tags=[TagFactory(), TagFactory()])
    posts = [PostFactory(thread=thread, author=authors[i % 3]) for i in range(n_posts - 1)]
    services.edit_post(authors[1], posts[0], "Ändrad text")
    services.delete_post(posts[1].author, posts[1])
    moderation.hide_post(moderator, posts[2], "Skäl")
    for post in posts[:4]:
        Reaction.objects.create(post=post, user=authors[0], kind="tack")
    Thread.objects.filter(pk=thread.pk).update(accepted_post=posts[3])
    authors[2].delete()  # an erased account among the authors
    thread.refresh_from_db()
    return thread


def assert_same_queries(small, large, label):
    assert len(large) == len(small), (
        f"{label}: {len(small)} queries small, {len(large)} large.\n"
        + "\n".join(sql[:200] for sql in large if sql not in small))


@pytest.mark.parametrize("as_moderator", [False, True])
def test_thread_page_queries_are_constant(as_moderator):
    moderator = UserFactory(roles=["Moderator"])
    category = CategoryFactory(qa_mode=True)
    small_thread = build_thread(5, category, moderator)
    large_thread = build_thread(200, category, moderator)

    def viewer():
        client = Client()
        client.force_login(UserFactory(roles=["Moderator"]) if as_moderator else UserFactory())
        return client

    capture(viewer(), small_thread.get_absolute_url())  # warm per-process caches
    small, response = capture(viewer(), small_thread.get_absolute_url())
    assert len(response.context["posts"]) == 5
    large, response = capture(viewer(), large_thread.get_absolute_url())
    assert len(response.context["posts"]) == 20
    assert_same_queries(small, large, "thread page 1")
    last, response = capture(viewer(), large_thread.get_absolute_url() + "?sida=10")
    assert len(response.context["posts"]) == 20
    assert_same_queries(small, last, "thread page 10")
    # About half of them are the site chrome (session, user, site and menu pages, the
    # bell's count, the user's permissions, the session save).
    assert len(small) <= 22, "\n".join(small)


def test_thread_lists_queries_are_constant():
    moderator = UserFactory(roles=["Moderator"])
    tag = TagFactory()
    small_category, large_category = CategoryFactory(), CategoryFactory()
    person = UserFactory()
    for category, n in ((small_category, 5), (large_category, 200)):
        for i in range(n):
            thread = ThreadFactory(category=category, tags=[tag, TagFactory()], author=person,
                                   title=f"Samtal {i}")
            PostFactory(thread=thread, author=person)
        first = category.threads.order_by("pk").first()
        Thread.objects.filter(pk=first.pk).update(pin=Thread.Pin.GLOBAL)
        moderation.set_locked(moderator, first, True)

    client = fresh_viewer()
    capture(client, reverse("forum:index"))
    urls_small = [small_category.get_absolute_url(), reverse("forum:index"),
                  reverse("forum:profile", args=[person.pk])]
    small = [capture(client, url)[0] for url in urls_small]
    # Grow the shared lists (index, tag, filter, profile) too: the large category is there.
    large = [capture(client, url)[0] for url in
             [large_category.get_absolute_url(), reverse("forum:index"),
              reverse("forum:profile", args=[person.pk])]]
    for label, s, b in zip(["category", "index", "profile"], small, large):
        assert_same_queries(s, b, label)
    # Budgets, the site chrome's queries included: the forum's own are the permissions
    # (groups, rows, categories), the read state, the count, the rows and their tags, and
    # on the index the unread categories and the pinned and latest rows.
    assert len(small[0]) <= 17, "\n".join(small[0])
    assert len(small[1]) <= 18, "\n".join(small[1])


def test_tag_page_and_filter_queries_are_constant():
    tag = TagFactory()
    category = CategoryFactory()
    client = fresh_viewer()
    for i in range(5):
        ThreadFactory(category=category, tags=[tag], title=f"Samtal om tolkar {i}")
    capture(client, reverse("forum:tag", args=[tag.slug]))
    small_tag, _ = capture(client, reverse("forum:tag", args=[tag.slug]))
    small_filter, _ = capture(client, reverse("forum:index") + "?q=tolkar")
    for i in range(195):
        ThreadFactory(category=category, tags=[tag], title=f"Fler samtal om tolkar {i}")
    large_tag, response = capture(client, reverse("forum:tag", args=[tag.slug]))
    assert len(response.context["threads"]) == 30
    large_filter, response = capture(client, reverse("forum:index") + "?q=tolkar")
    assert response.context["page_obj"].paginator.count == 200
    assert_same_queries(small_tag, large_tag, "tag")
    assert_same_queries(small_filter, large_filter, "filter")
