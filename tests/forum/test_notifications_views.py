"""The notification pages: the bell, the list, marking read, email settings, and the read
mark pruning command."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forum.emails import preference_for
from forum.models import CategoryRead, EmailPreference, Notification, ThreadRead, Watch, WatchLevel

from ..factories import UserFactory
from .factories import CategoryFactory, PostFactory, TagFactory, ThreadFactory, closed_category

pytestmark = pytest.mark.django_db


def make_notifications(user, count, **kwargs):
    thread = ThreadFactory()
    notifications = []
    for _ in range(count):
        post = PostFactory(thread=thread)
        notifications.append(Notification.objects.create(
            user=user, kind=Notification.Kind.REPLY, thread=thread, post=post,
            actor=post.author, **kwargs))
    return notifications


@pytest.fixture
def csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


# --- the bell ---------------------------------------------------------------------------------


def test_bell_shows_the_unread_count_accessibly(user_client, user):
    page = user_client.get(reverse("forum:notifications")).content.decode()
    assert 'href="/forum/aviseringar/"' in page
    assert 'class="badge"' not in page
    make_notifications(user, 3)
    page = user_client.get(reverse("forum:notifications")).content.decode()
    assert 'aria-label="Aviseringar, 3 olästa"' in page
    assert '<span class="badge" aria-hidden="true">3</span>' in page
    Notification.objects.filter(pk=Notification.objects.first().pk).update(read_at=timezone.now())
    Notification.objects.filter(pk=Notification.objects.last().pk).update(read_at=timezone.now())
    assert 'aria-label="Aviseringar, 1 oläst"' in user_client.get(
        reverse("forum:notifications")).content.decode()


# --- the list ---------------------------------------------------------------------------------


def test_list_highlights_unread_and_viewing_reads_nothing(user_client, user):
    unread, read = make_notifications(user, 2)
    read.read_at = timezone.now()
    read.save()
    response = user_client.get(reverse("forum:notifications"))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<h1>") == 1
    assert page.count("notification--unread") == 1
    assert f'href="{reverse("forum:post", args=[unread.post_id])}"' in page
    assert reverse("forum:open_notification", args=[unread.pk]) in page
    assert reverse("forum:open_notification", args=[read.pk]) not in page
    assert "Markera alla som lästa" in page
    unread.refresh_from_db()
    assert unread.read_at is None


def test_list_hides_notifications_about_threads_one_may_no_longer_read(user_client, user):
    group = Group.objects.create(name="Tidigare grupp")
    thread = ThreadFactory(category=closed_category(group), title="Hemlig tråd")
    Notification.objects.create(user=user, kind=Notification.Kind.REPLY, thread=thread,
                                post=thread.posts.first())
    page = user_client.get(reverse("forum:notifications")).content.decode()
    assert "Hemlig tråd" not in page
    assert "Du har inga aviseringar" in page


def test_list_shows_only_ones_own_notifications(user_client, user):
    other = UserFactory()
    [theirs] = make_notifications(other, 1)
    page = user_client.get(reverse("forum:notifications")).content.decode()
    assert reverse("forum:post", args=[theirs.post_id]) not in page


def test_list_is_paginated(user_client, user):
    make_notifications(user, 30)
    page = user_client.get(reverse("forum:notifications")).content.decode()
    assert page.count('class="notification ') == 25
    assert "sida=2" in page
    page = user_client.get(reverse("forum:notifications") + "?sida=2").content.decode()
    assert page.count('class="notification ') == 5


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_list_runs_a_constant_number_of_queries(user_client, user):
    url = reverse("forum:notifications")
    make_notifications(user, 2)
    few = _queries(user_client, url)
    for _ in range(3):  # different threads, actors and kinds
        thread = ThreadFactory()
        Notification.objects.create(user=user, kind=Notification.Kind.NEW_THREAD, thread=thread,
                                    post=thread.posts.first(), actor=thread.author)
    make_notifications(user, 20)
    assert _queries(user_client, url) == few


def test_mark_all_read(user_client, user):
    make_notifications(user, 3)
    other = UserFactory()
    make_notifications(other, 1)
    response = user_client.post(reverse("forum:notifications_mark_read"))
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:notifications")
    assert not Notification.objects.filter(user=user, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=other, read_at__isnull=True).count() == 1


def test_open_notification_marks_it_read_and_goes_to_the_post(user_client, user):
    [notification] = make_notifications(user, 1)
    response = user_client.post(reverse("forum:open_notification", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("forum:post", args=[notification.post_id])
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_someone_elses_notification_is_404(user_client):
    [notification] = make_notifications(UserFactory(), 1)
    response = user_client.post(reverse("forum:open_notification", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("name", ["notifications_mark_read", "open_notification"])
def test_marking_read_is_post_only(user_client, user, name):
    [notification] = make_notifications(user, 1)
    args = [notification.pk] if name == "open_notification" else []
    assert user_client.get(reverse(f"forum:{name}", args=args)).status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("name", ["notifications_mark_read", "open_notification"])
def test_marking_read_needs_a_csrf_token(csrf_client, user, name):
    [notification] = make_notifications(user, 1)
    args = [notification.pk] if name == "open_notification" else []
    assert csrf_client.post(reverse(f"forum:{name}", args=args)).status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


# --- settings ---------------------------------------------------------------------------------


def test_settings_page_lists_levels_and_saves_the_frequency(user_client, user):
    category, tag = CategoryFactory(name="Antirasism i praktiken"), TagFactory(name="barnrätt")
    thread = ThreadFactory(title="Tolkning vid samråd")
    quiet = ThreadFactory(title="Tyst tråd")
    normal = ThreadFactory(title="Normal tråd")
    Watch.objects.create(user=user, thread=thread, level=WatchLevel.WATCHING)
    Watch.objects.create(user=user, thread=quiet, level=WatchLevel.MUTED)
    Watch.objects.create(user=user, thread=normal, level=WatchLevel.NORMAL)
    Watch.objects.create(user=user, category=category, level=WatchLevel.TRACKING)
    Watch.objects.create(user=user, tag=tag, level=WatchLevel.WATCHING)

    response = user_client.get(reverse("forum:settings"))
    assert response.status_code == 200
    page = response.content.decode()
    assert not EmailPreference.objects.filter(user=user).exists()  # GET writes nothing
    for name in ("Tolkning vid samråd", "Tyst tråd", "Antirasism i praktiken", "barnrätt"):
        assert name in page
    assert "Normal tråd" not in page
    assert reverse("forum:watch_thread", args=[thread.pk]) in page
    assert reverse("forum:watch_category", args=[category.slug]) in page
    assert reverse("forum:watch_tag", args=[tag.slug]) in page
    assert 'for="watch-level-forumtrad' in page  # one label per select, unique ids
    assert f'name="next" value="{reverse("forum:settings")}"' in page

    response = user_client.post(reverse("forum:settings"), {"frequency": "weekly"})
    assert response.status_code == 302
    assert preference_for(user).frequency == EmailPreference.Frequency.WEEKLY


def test_settings_rejects_an_unknown_frequency(user_client, user):
    response = user_client.post(reverse("forum:settings"), {"frequency": "varje-sekund"})
    assert response.status_code == 400
    assert "Välj hur ofta du vill få e-post." in response.content.decode()
    assert preference_for(user).frequency == EmailPreference.Frequency.IMMEDIATE


def test_settings_do_not_show_threads_one_may_no_longer_read(user_client, user):
    group = Group.objects.create(name="Lämnad grupp")
    category = closed_category(group, name="Hemlig kategori")
    thread = ThreadFactory(category=category, title="Hemlig bevakad tråd")
    Watch.objects.create(user=user, thread=thread, level=WatchLevel.WATCHING)
    Watch.objects.create(user=user, category=category, level=WatchLevel.WATCHING)
    page = user_client.get(reverse("forum:settings")).content.decode()
    assert "Hemlig bevakad tråd" not in page
    assert "Hemlig kategori" not in page


# --- pruning read marks -----------------------------------------------------------------------


def test_prune_read_marks(user):
    thread, other_thread = ThreadFactory(), ThreadFactory()
    category, other_category = CategoryFactory(), CategoryFactory()
    now = timezone.now()
    old = ThreadRead.objects.create(user=user, thread=thread, last_read_number=1,
                                    updated_at=now - datetime.timedelta(days=31))
    fresh = ThreadRead.objects.create(user=user, thread=other_thread, last_read_number=1,
                                      updated_at=now - datetime.timedelta(days=29))
    CategoryRead.objects.create(user=user, category=category,
                                marked_at=now - datetime.timedelta(days=40))
    CategoryRead.objects.create(user=user, category=other_category, marked_at=now)
    before = ThreadRead.objects.count()

    from io import StringIO

    out = StringIO()
    call_command("forum_prune_read_marks", stdout=out)
    assert not ThreadRead.objects.filter(pk=old.pk).exists()
    assert ThreadRead.objects.filter(pk=fresh.pk).exists()
    assert CategoryRead.objects.filter(user=user).count() == 1
    removed = before - ThreadRead.objects.count()
    assert f"Tog bort {removed} lässtatus för trådar och 1 för kategorier" in out.getvalue()

    call_command("forum_prune_read_marks", "--days", "7", stdout=StringIO())
    assert not ThreadRead.objects.filter(pk=fresh.pk).exists()
