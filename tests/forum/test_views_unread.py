"""Unread tracking in lists: new-post counts from read marks, the cutoff (30 days or the
join date) and "Markera alla som lästa"."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from forum import services, unread
from forum.models import Thread

from ..factories import UserFactory
from .factories import CategoryFactory, PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def veteran(client):
    """A user who joined long ago (the 30-day cutoff applies, not the join date)."""
    user = UserFactory()
    user.date_joined = timezone.now() - 400 * DAY
    user.save()
    client.force_login(user)
    client.user = user
    return client


def thread_with_posts(category, n_posts: int, when) -> Thread:
    thread = ThreadFactory(category=category, now=when)
    for _ in range(n_posts - 1):
        PostFactory(thread=thread, now=when)
    thread.refresh_from_db()
    return thread


def counts(user, category):
    threads = unread.annotate_unread(Thread.objects.filter(category=category), user)
    return {t.pk: t.new_count for t in threads}


def test_never_read_recent_thread_counts_all_posts(veteran):
    category = CategoryFactory()
    thread = thread_with_posts(category, 4, timezone.now() - DAY)
    assert counts(veteran.user, category) == {thread.pk: 4}


def test_read_mark_leaves_the_rest_new(veteran):
    category = CategoryFactory()
    thread = thread_with_posts(category, 5, timezone.now() - DAY)
    services.mark_read(veteran.user, thread, 3)
    assert counts(veteran.user, category) == {thread.pk: 2}
    services.mark_read(veteran.user, thread, 5)
    assert counts(veteran.user, category) == {thread.pk: 0}


def test_threads_older_than_30_days_count_as_read(veteran):
    category = CategoryFactory()
    old = thread_with_posts(category, 3, timezone.now() - 31 * DAY)
    recent = thread_with_posts(category, 3, timezone.now() - 29 * DAY)
    assert counts(veteran.user, category) == {old.pk: 0, recent.pk: 3}


def test_everything_before_joining_counts_as_read(client):
    category = CategoryFactory()
    before = thread_with_posts(category, 3, timezone.now() - 5 * DAY)
    user = UserFactory()
    user.date_joined = timezone.now() - 2 * DAY
    user.save()
    after = thread_with_posts(category, 2, timezone.now() - DAY)
    assert counts(user, category) == {before.pk: 0, after.pk: 2}


def test_category_marked_read_counts_until_the_next_post(veteran):
    category = CategoryFactory()
    thread = thread_with_posts(category, 3, timezone.now() - 2 * DAY)
    veteran.post(reverse("forum:mark_category_read", args=[category.slug]))
    assert counts(veteran.user, category) == {thread.pk: 0}
    PostFactory(thread=thread)
    assert counts(veteran.user, category)[thread.pk] > 0


def test_list_shows_new_counts_with_a_link_to_the_first_unread(veteran):
    category = CategoryFactory()
    thread = thread_with_posts(category, 4, timezone.now() - DAY)
    services.mark_read(veteran.user, thread, 1)
    html = veteran.get(category.get_absolute_url()).content.decode()
    assert f'href="/forum/trad/{thread.pk}/?olast=1">3 nya' in html
    assert "thread-row--unread" in html


def test_index_marks_categories_with_unread_threads(veteran):
    fresh, seen = CategoryFactory(name="Färsk"), CategoryFactory(name="Läst")
    thread_with_posts(fresh, 2, timezone.now() - DAY)
    read = thread_with_posts(seen, 2, timezone.now() - DAY)
    services.mark_read(veteran.user, read, 2)
    response = veteran.get(reverse("forum:index"))
    marked = {c.slug: c.has_unread for c in response.context["categories"]}
    assert marked[fresh.slug] is True and marked[seen.slug] is False


def test_own_posts_are_read(veteran):
    category = CategoryFactory()
    thread = ThreadFactory(category=category, author=veteran.user)
    PostFactory(thread=thread, author=veteran.user)
    assert counts(veteran.user, category) == {thread.pk: 0}


def test_viewing_the_thread_clears_its_count(veteran):
    category = CategoryFactory()
    thread = thread_with_posts(category, 3, timezone.now() - DAY)
    veteran.get(thread.get_absolute_url())
    assert counts(veteran.user, category) == {thread.pk: 0}


def test_muted_thread_and_muted_category_do_not_count_as_unread():
    from forum.models import Watch, WatchLevel
    from forum.unread import annotate_unread

    from .factories import CategoryFactory, PostFactory, ThreadFactory

    author, reader = UserFactory(), UserFactory()
    muted_category = CategoryFactory()
    in_muted_category = ThreadFactory(category=muted_category, author=author)
    own_level_in_muted_category = ThreadFactory(category=muted_category, author=author)
    muted_thread = ThreadFactory(author=author)
    normal = ThreadFactory(author=author)
    for thread in (in_muted_category, own_level_in_muted_category, muted_thread, normal):
        PostFactory(thread=thread, author=author)
    Watch.objects.create(user=reader, category=muted_category, level=WatchLevel.MUTED)
    Watch.objects.create(user=reader, thread=muted_thread, level=WatchLevel.MUTED)
    Watch.objects.create(user=reader, thread=own_level_in_muted_category, level=WatchLevel.TRACKING)
    counts = dict(annotate_unread(Thread.objects.all(), reader).values_list("pk", "new_count"))
    assert counts[in_muted_category.pk] == 0
    assert counts[muted_thread.pk] == 0
    assert counts[own_level_in_muted_category.pk] == 2
    assert counts[normal.pk] == 2


def test_a_category_watch_other_than_muted_leaves_threads_unread_and_shows_on_the_page(veteran):
    from forum.models import Watch, WatchLevel

    tracked, muted = CategoryFactory(), CategoryFactory()
    in_tracked = thread_with_posts(tracked, 2, timezone.now() - DAY)
    thread_with_posts(muted, 2, timezone.now() - DAY)
    Watch.objects.create(user=veteran.user, category=tracked, level=WatchLevel.TRACKING)
    Watch.objects.create(user=veteran.user, category=muted, level=WatchLevel.MUTED)

    assert counts(veteran.user, tracked) == {in_tracked.pk: 2}
    marked = {c.slug: c.has_unread
              for c in veteran.get(reverse("forum:index")).context["categories"]}
    assert marked[tracked.slug] is True and marked[muted.slug] is False
    assert veteran.get(tracked.get_absolute_url()).context["watch_level"] == WatchLevel.TRACKING
    assert veteran.get(muted.get_absolute_url()).context["watch_level"] == WatchLevel.MUTED
    other = CategoryFactory()
    assert veteran.get(other.get_absolute_url()).context["watch_level"] == WatchLevel.NORMAL


def test_first_unread_number_from_the_thread_query_matches_the_separate_queries(
        veteran, django_assert_num_queries):
    user = veteran.user
    category, marked_category = CategoryFactory(), CategoryFactory()
    never = thread_with_posts(category, 5, timezone.now() - DAY)
    partly = thread_with_posts(category, 5, timezone.now() - DAY)
    services.mark_read(user, partly, 2)
    done = thread_with_posts(category, 5, timezone.now() - DAY)
    services.mark_read(user, done, 5)
    before_mark = thread_with_posts(marked_category, 3, timezone.now() - 2 * DAY)
    unread.mark_category_read(user, marked_category)
    after_mark = thread_with_posts(marked_category, 1, timezone.now() - 2 * DAY)
    PostFactory(thread=after_mark)  # a reply after the category was marked read
    old = thread_with_posts(category, 3, timezone.now() - 40 * DAY)
    expected = {never: 1, partly: 3, done: None, before_mark: None, after_mark: 1, old: None}

    for thread, number in expected.items():
        loaded = unread.with_read_state(Thread.objects.filter(pk=thread.pk), user).get()
        with django_assert_num_queries(0):
            assert unread.first_unread_number(user, loaded) == number, thread.title
        assert unread.first_unread_number(user, Thread.objects.get(pk=thread.pk)) == number


def test_mark_read_is_one_upsert_that_only_moves_forward(veteran, django_assert_num_queries):
    from forum.models import ThreadRead

    thread = thread_with_posts(CategoryFactory(), 5, timezone.now() - DAY)
    with django_assert_num_queries(1):
        services.mark_read(veteran.user, thread, 3)
    first = ThreadRead.objects.get(user=veteran.user, thread=thread)
    assert first.last_read_number == 3
    with django_assert_num_queries(1):
        services.mark_read(veteran.user, thread, 2)
    again = ThreadRead.objects.get(user=veteran.user, thread=thread)
    assert (again.pk, again.last_read_number, again.updated_at) == (first.pk, 3, first.updated_at)
    services.mark_read(veteran.user, thread, 5)
    assert ThreadRead.objects.get(user=veteran.user, thread=thread).last_read_number == 5
    assert ThreadRead.objects.filter(user=veteran.user, thread=thread).count() == 1
