"""The demo forum that `load_demo` adds (fixtures/forum_demo.py)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model

from fixtures.forum_demo import load_forum_demo
from fixtures.forum_demo_data import EXTRA_STAFF, THREADS
from fixtures.loader import load_demo
from forum.authors import is_import_user
from forum.models import Category, Post, Reaction, Thread
from forum.permissions import ForumPermissions

pytestmark = pytest.mark.django_db


def snapshot() -> dict:
    return {"threads": Thread.objects.count(), "posts": Post.objects.count(),
            "reactions": Reaction.objects.count(), "users": get_user_model().objects.count()}


def test_demo_data_is_well_formed():
    assert len(THREADS) >= 40
    assert len({t.key for t in THREADS}) == len(THREADS)
    assert all(1 <= len(t.replies) <= 6 for t in THREADS)
    assert len(EXTRA_STAFF) >= 10
    assert all(s.handle.count(".") == 1 for s in EXTRA_STAFF)
    for thread in THREADS:
        if thread.accepted:
            assert 1 <= thread.accepted <= len(thread.replies), thread.key


def test_load_demo_twice_adds_the_forum_once(settings):
    settings.DEMO_MODE = True
    settings.MFA_TOTP_INSECURE_BYPASS_CODE = None
    report: list[str] = []
    load_demo(report.append)
    first = snapshot()
    second_report: list[str] = []
    load_demo(second_report.append)
    assert snapshot() == first
    assert first["threads"] == len(THREADS) >= 40
    assert any(line.startswith("Forum:") and "(0 nya)" in line for line in second_report)

    # Every category has threads, the closed network too.
    for category in Category.objects.all():
        assert Thread.objects.filter(category=category).count() >= 3, category.slug
    # 1–6 replies per thread, Swedish text rendered through the one sanitising path.
    for thread in Thread.objects.all():
        assert 2 <= thread.post_count <= 7, thread.title
        assert thread.external_id.startswith("demo:")
    post = Post.objects.filter(thread__external_id="demo:valkommen", number=1).get()
    assert "<li>" in post.html and "personuppgifter" in post.html

    # Q&A: accepted answers only in Q&A categories, and at least some.
    accepted = Thread.objects.filter(accepted_post__isnull=False)
    assert accepted.count() >= 10
    assert all(t.category.qa_mode and t.accepted_post.thread_id == t.pk for t in accepted)
    # Reactions, tags, linked knowledge-base pages, pins and a lock.
    assert Reaction.objects.count() >= 20
    assert Thread.objects.filter(tags__isnull=False).distinct().count() >= 40
    assert Thread.objects.filter(linked_page__isnull=False).count() == sum(
        1 for spec in THREADS if spec.page) >= 20
    assert Thread.objects.filter(pin="global").count() == 1
    assert Thread.objects.filter(is_locked=True).count() == 1
    # Mentions of demo staff are links to their profiles.
    assert Post.objects.filter(html__contains='href="/forum/person/').exists()

    # Authors are people in demo mode; the closed category is written by its members only.
    users = get_user_model()
    assert not Post.objects.filter(author__email__endswith=".invalid").exists()
    network = Category.objects.get(slug="samordnarnatverket")
    for post in Post.objects.filter(thread__category=network).select_related("author", "thread"):
        assert ForumPermissions(post.author).can_read_thread(post.thread), post.author.email
    medarbetare = users.objects.get(email="medarbetare@malmo.se")
    perms = ForumPermissions(medarbetare)
    assert network.pk not in perms.visible_category_ids()
    staff = users.objects.get(email="karin.lundgren@malmo.se")
    assert staff.is_active and not staff.has_usable_password()
    assert staff.organisation_unit.slug == "halsa-vard-och-omsorgsforvaltningen"
    assert staff.groups.filter(name="Samordnare").exists()


def test_outside_demo_mode_organisation_accounts_write_the_demo(settings):
    settings.DEMO_MODE = False
    assert load_forum_demo(lambda line: None) == len(THREADS)
    authors = get_user_model().objects.filter(forum_posts__isnull=False).distinct()
    assert authors.exists() and all(is_import_user(u) and not u.is_active for u in authors)
    assert not get_user_model().objects.filter(email__endswith="@malmo.se").exists()
    assert Reaction.objects.count() == 0
    assert load_forum_demo(lambda line: None) == 0


def test_demo_and_import_posts_notify_nobody(settings, django_capture_on_commit_callbacks):
    from django.core import mail
    from django.core.management import call_command

    from forum.models import Notification

    settings.DEMO_MODE = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=StringIO())
    assert Thread.objects.count() >= 40
    assert Notification.objects.count() == 0
    assert mail.outbox == []
