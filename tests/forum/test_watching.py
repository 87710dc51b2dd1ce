"""Setting a watch level on a thread, a category or a tag (POST views)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.urls import reverse

from forum.models import Watch, WatchLevel

from .factories import CategoryFactory, TagFactory, ThreadFactory, closed_category

pytestmark = pytest.mark.django_db


def level_of(user, **target):
    watch = Watch.objects.filter(user=user, **target).first()
    return watch.level if watch else None


def test_watch_thread(user_client, user):
    thread = ThreadFactory()
    url = reverse("forum:watch_thread", args=[thread.pk])
    response = user_client.post(url, {"level": WatchLevel.MUTED})
    assert response.status_code == 302
    assert response["Location"] == thread.get_absolute_url()
    assert level_of(user, thread=thread) == WatchLevel.MUTED
    [message] = get_messages(response.wsgi_request)
    assert str(message) == f"Aviseringar för tråden ”{thread.title}”: Tystad."
    # NORMAL on a thread is kept: it overrides a watched category.
    user_client.post(url, {"level": WatchLevel.NORMAL})
    assert level_of(user, thread=thread) == WatchLevel.NORMAL


def test_watch_category_and_tag(user_client, user):
    category, tag = CategoryFactory(), TagFactory()
    response = user_client.post(reverse("forum:watch_category", args=[category.slug]),
                                {"level": WatchLevel.WATCHING})
    assert response["Location"] == category.get_absolute_url()
    assert level_of(user, category=category) == WatchLevel.WATCHING
    response = user_client.post(reverse("forum:watch_tag", args=[tag.slug]),
                                {"level": WatchLevel.TRACKING})
    assert response["Location"] == reverse("forum:tag", args=[tag.slug])
    assert level_of(user, tag=tag) == WatchLevel.TRACKING
    # NORMAL is the default for categories and tags: the row goes.
    user_client.post(reverse("forum:watch_tag", args=[tag.slug]), {"level": WatchLevel.NORMAL})
    assert level_of(user, tag=tag) is None


def test_returns_to_a_safe_next_only(user_client):
    thread = ThreadFactory()
    url = reverse("forum:watch_thread", args=[thread.pk])
    response = user_client.post(url, {"level": 3, "next": reverse("forum:settings")})
    assert response["Location"] == reverse("forum:settings")
    response = user_client.post(url, {"level": 3, "next": "https://example.com/"})
    assert response["Location"] == thread.get_absolute_url()


@pytest.mark.parametrize("level", ["", "7", "-1", "bevakar", "3.0"])
def test_invalid_level_is_400_in_swedish(user_client, user, level):
    thread = ThreadFactory()
    response = user_client.post(reverse("forum:watch_thread", args=[thread.pk]), {"level": level})
    assert response.status_code == 400
    assert "Välj en av nivåerna i listan" in response.content.decode()
    assert level_of(user, thread=thread) is None


def test_invalid_level_for_category_and_tag_is_400(user_client):
    category, tag = CategoryFactory(), TagFactory()
    assert user_client.post(reverse("forum:watch_category", args=[category.slug]),
                            {"level": "9"}).status_code == 400
    assert user_client.post(reverse("forum:watch_tag", args=[tag.slug]), {}).status_code == 400


def test_unreadable_thread_and_category_are_404(user_client, user):
    group = Group.objects.create(name="Inte min grupp")
    category = closed_category(group)
    thread = ThreadFactory(category=category)
    assert user_client.post(reverse("forum:watch_thread", args=[thread.pk]),
                            {"level": 3}).status_code == 404
    assert user_client.post(reverse("forum:watch_category", args=[category.slug]),
                            {"level": 3}).status_code == 404
    assert user_client.post(reverse("forum:watch_thread", args=[999999]),
                            {"level": 3}).status_code == 404
    assert user_client.post(reverse("forum:watch_tag", args=["finns-inte"]),
                            {"level": 3}).status_code == 404
    assert not Watch.objects.filter(user=user).exclude(thread__author=user).exists()


@pytest.mark.parametrize("name", ["watch_thread", "watch_category", "watch_tag"])
def test_watching_is_post_only_with_csrf(user, name):
    thread, category, tag = ThreadFactory(), CategoryFactory(), TagFactory()
    arg = {"watch_thread": thread.pk, "watch_category": category.slug, "watch_tag": tag.slug}[name]
    url = reverse(f"forum:{name}", args=[arg])
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get(url).status_code == 405
    assert client.post(url, {"level": 3}).status_code == 403
    assert not Watch.objects.filter(user=user).exists()


def test_watch_controls_include_keeps_its_contract(user):
    request = RequestFactory().get("/forum/trad/5/")
    request.user = user
    html = render_to_string("forum/notifications/watch_controls.html", {
        "watch_url": "/forum/trad/5/bevaka/", "watch_level": WatchLevel.TRACKING,
        "watch_levels": WatchLevel.choices,
    }, request=request)
    assert 'action="/forum/trad/5/bevaka/"' in html
    assert '<option value="2" selected>Följer</option>' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'name="next" value="/forum/trad/5/"' in html
    assert '<label for="watch-level-forumtrad5bevaka">Aviseringar</label>' in html
    assert 'id="watch-level-forumtrad5bevaka"' in html
