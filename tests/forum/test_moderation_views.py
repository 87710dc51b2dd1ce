"""Moderation views: flagging, the queue, hiding, thread tools, the log; permissions, IDOR,
CSRF and bad input (Swedish message, 4xx, never 500)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import MEDARBETARE, MODERATOR
from forum import moderation
from forum.models import (
    CategoryPermission,
    Flag,
    ModerationAction,
    Notification,
    Post,
    Thread,
)
from forum.permissions import ForumPermissions

from ..factories import UserFactory
from .factories import CategoryFactory, PostFactory, ThreadFactory, closed_category

pytestmark = pytest.mark.django_db

Action = ModerationAction.Action


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


@pytest.fixture
def staff():
    return UserFactory(roles=[MEDARBETARE])


@pytest.fixture
def mod():
    return UserFactory(roles=[MEDARBETARE, MODERATOR])


@pytest.fixture
def mod_client(mod):
    return client_for(mod)


@pytest.fixture
def staff_client(staff):
    return client_for(staff)


@pytest.fixture
def thread():
    thread = ThreadFactory(title="Tillgänglighet i möten")
    PostFactory(thread=thread, text="Ett svar.")
    PostFactory(thread=thread, text="Ett till svar.")
    thread.refresh_from_db()
    return thread


@pytest.fixture
def secret():
    """A closed category for a group the ordinary users are not in; a thread with a reply."""
    group = Group.objects.create(name="Samordnarnätverket")
    category = closed_category(group, name="Samordnare", slug="samordnare")
    thread = ThreadFactory(category=category, author=UserFactory(roles=[MEDARBETARE]))
    thread.author.groups.add(group)
    PostFactory(thread=thread, author=thread.author)
    thread.refresh_from_db()
    thread.group = group
    return thread


def text_of(response) -> str:
    return response.content.decode()


# --- flagging -------------------------------------------------------------------------

def test_flag_form_lists_the_reasons(staff_client, thread):
    post = thread.posts.get(number=2)
    response = staff_client.get(reverse("forum:flag_post", args=[post.pk]))
    assert response.status_code == 200
    for _value, label in Flag.Reason.choices:
        assert str(label) in text_of(response)


def test_flagging_creates_a_flag_and_a_second_one_is_refused(staff_client, staff, thread):
    post = thread.posts.get(number=2)
    url = reverse("forum:flag_post", args=[post.pk])
    response = staff_client.post(url, {"reason": Flag.Reason.SPAM, "text": "Reklam för en kurs"})
    assert response.status_code == 302
    assert response.url == reverse("forum:post", args=[post.pk])
    flag = Flag.objects.get()
    assert (flag.post, flag.reporter, flag.reason, flag.text) == (post, staff, "reklam",
                                                                  "Reklam för en kurs")
    response = staff_client.post(url, {"reason": Flag.Reason.OTHER})
    assert response.status_code == 400
    assert "Du har redan flaggat" in text_of(response)
    assert Flag.objects.count() == 1
    assert "redan flaggat" in text_of(staff_client.get(url))


def test_flag_without_reason_is_a_swedish_error(staff_client, thread):
    post = thread.posts.get(number=2)
    response = staff_client.post(reverse("forum:flag_post", args=[post.pk]), {"reason": "nej"})
    assert response.status_code == 400
    assert "Välj ett giltigt alternativ" in text_of(response)
    assert not Flag.objects.exists()


def test_you_cannot_flag_your_own_post(thread):
    client = client_for(thread.author)
    url = reverse("forum:flag_post", args=[thread.posts.get(number=1).pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": Flag.Reason.SPAM}).status_code == 403
    assert not Flag.objects.exists()


def test_flagging_unreadable_or_missing_posts_is_404(staff_client, secret, mod, thread):
    for pk in (secret.posts.first().pk, 999_999, 10**20):
        url = reverse("forum:flag_post", args=[pk])
        assert staff_client.get(url).status_code == 404
        assert staff_client.post(url, {"reason": Flag.Reason.SPAM}).status_code == 404
    hidden = thread.posts.get(number=3)
    moderation.hide_post(mod, hidden, "Dolt")
    assert staff_client.get(reverse("forum:flag_post", args=[hidden.pk])).status_code == 404
    assert not Flag.objects.exists()


# --- the queue --------------------------------------------------------------------------

def flag(post, n=1, reason=Flag.Reason.OFFENSIVE):
    for _ in range(n):
        Flag.objects.create(post=post, reporter=UserFactory(), reason=reason, text="Se här")


def test_queue_groups_open_flags_per_post(mod_client, thread):
    post = thread.posts.get(number=2)
    flag(post, 2)
    flag(post, 1, Flag.Reason.SPAM)
    reporters = [f.reporter.get_full_name() for f in Flag.objects.all()]
    response = mod_client.get(reverse("forum:moderation_queue"))
    assert response.status_code == 200
    page = text_of(response)
    assert page.count('class="card moderation-item"') == 1
    assert "3 flaggningar" in page
    assert "Reklam eller spam" in page and "Kränkande eller diskriminerande" in page
    assert all(name in page for name in reporters)
    assert "Ett svar." in page


def test_queue_is_403_for_staff(staff_client):
    assert staff_client.get(reverse("forum:moderation_queue")).status_code == 403


def test_queue_shows_only_moderated_categories(mod_client, secret, thread):
    flag(secret.posts.get(number=2))
    flag(thread.posts.get(number=2))
    page = text_of(mod_client.get(reverse("forum:moderation_queue")))
    assert thread.title in page
    assert secret.title not in page


def test_per_category_moderator_sees_their_category_only(thread):
    group = Group.objects.create(name="Barnrättsmoderatorer")
    other = ThreadFactory(title="En tråd någon annanstans")
    CategoryPermission.objects.create(category=thread.category, group=group, can_moderate=True)
    user = UserFactory(roles=[MEDARBETARE])
    user.groups.add(group)
    flag(thread.posts.get(number=2))
    flag(other.posts.get(number=1))
    client = client_for(user)
    page = text_of(client.get(reverse("forum:moderation_queue")))
    assert thread.title in page and other.title not in page
    assert client.get(reverse("forum:thread_tools", args=[thread.pk])).status_code == 200
    assert client.get(reverse("forum:thread_tools", args=[other.pk])).status_code == 403


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_queue_runs_a_constant_number_of_queries(mod_client):
    url = reverse("forum:moderation_queue")
    flag(ThreadFactory().posts.get(), 2)
    small = count_queries(mod_client, url)
    for _ in range(12):
        flag(PostFactory(thread=ThreadFactory()), 3)
    assert count_queries(mod_client, url) == small


def test_resolve_flag_dismiss(mod_client, mod, thread):
    post = thread.posts.get(number=2)
    flag(post, 2)
    first = Flag.objects.first()
    response = mod_client.post(reverse("forum:resolve_flag", args=[first.pk]),
                               {"decision": "dismiss", "reason": "Inget fel"})
    assert response.status_code == 302
    assert response.url == reverse("forum:moderation_queue")
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    assert set(Flag.objects.values_list("resolved_by", flat=True)) == {mod.pk}
    post.refresh_from_db()
    assert not post.is_hidden
    # A double submit is harmless.
    response = mod_client.post(reverse("forum:resolve_flag", args=[first.pk]),
                               {"decision": "dismiss"})
    assert response.status_code == 302


def test_resolve_flag_hide_needs_a_reason(mod_client, thread):
    post = thread.posts.get(number=2)
    flag(post)
    url = reverse("forum:resolve_flag", args=[Flag.objects.get().pk])
    response = mod_client.post(url, {"decision": "hide", "reason": " "})
    assert response.status_code == 400
    assert "Skriv en anledning" in text_of(response)
    response = mod_client.post(url, {"decision": "hide", "reason": "Personuppgifter"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.is_hidden, post.hidden_reason) == (True, "Personuppgifter")
    assert Notification.objects.get(user=post.author).message == "Personuppgifter"


def test_resolve_flag_bad_decision_is_400(mod_client, thread):
    flag(thread.posts.get(number=2))
    response = mod_client.post(reverse("forum:resolve_flag", args=[Flag.objects.get().pk]),
                               {"decision": "radera"})
    assert response.status_code == 400
    assert "Välj om inlägget ska döljas" in text_of(response)


def test_resolve_flag_permissions(staff_client, mod_client, secret, thread):
    flag(thread.posts.get(number=2))
    flag(secret.posts.get(number=2))
    open_flag, secret_flag = Flag.objects.order_by("pk")
    url = reverse("forum:resolve_flag", args=[open_flag.pk])
    assert staff_client.post(url, {"decision": "dismiss"}).status_code == 403
    assert staff_client.get(url).status_code == 405
    secret_url = reverse("forum:resolve_flag", args=[secret_flag.pk])
    assert mod_client.post(secret_url, {"decision": "dismiss"}).status_code == 404
    assert mod_client.post(reverse("forum:resolve_flag", args=[999_999]),
                           {"decision": "dismiss"}).status_code == 404
    assert Flag.objects.filter(resolved_at__isnull=True).count() == 2


# --- hiding -----------------------------------------------------------------------------

def test_moderator_hides_with_reason_and_author_sees_it_but_cannot_undo(mod_client, thread):
    post = thread.posts.get(number=2)
    url = reverse("forum:hide_post", args=[post.pk])
    assert mod_client.get(url).status_code == 200
    response = mod_client.post(url, {"action": "hide", "reason": "Kränkande formulering"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.hidden_reason == "Kränkande formulering"
    note = Notification.objects.get(user=post.author)
    assert (note.kind, note.message) == (Notification.Kind.MODERATION, "Kränkande formulering")

    author = client_for(post.author)
    assert author.post(url, {"action": "unhide"}).status_code == 403
    assert author.post(url, {"action": "hide", "reason": "x"}).status_code == 403
    assert author.get(reverse("forum:edit_post", args=[post.pk])).status_code == 403
    assert author.post(reverse("forum:edit_post", args=[post.pk]),
                       {"text": "Nu ändrar jag"}).status_code == 403
    assert author.post(reverse("forum:delete_post", args=[post.pk])).status_code == 403
    post.refresh_from_db()
    assert post.is_hidden and post.markdown == "Ett svar."
    rf_user_perms = ForumPermissions(post.author)
    assert not rf_user_perms.can_edit_post(post)
    assert not rf_user_perms.can_delete_post(post)


def test_hide_without_reason_is_a_swedish_400(mod_client, thread):
    post = thread.posts.get(number=2)
    response = mod_client.post(reverse("forum:hide_post", args=[post.pk]),
                               {"action": "hide", "reason": ""})
    assert response.status_code == 400
    assert "Skriv en anledning" in text_of(response)
    post.refresh_from_db()
    assert not post.is_hidden


def test_moderator_unhides(mod_client, mod, thread):
    post = thread.posts.get(number=2)
    moderation.hide_post(mod, post, "Reklam")
    url = reverse("forum:hide_post", args=[post.pk])
    assert "Visa inlägget igen" in text_of(mod_client.get(url))
    assert mod_client.post(url, {"action": "unhide"}).status_code == 302
    post.refresh_from_db()
    assert not post.is_hidden
    thread.refresh_from_db()
    assert thread.post_count == 3


def test_hide_post_next_must_be_local(mod_client, thread):
    post = thread.posts.get(number=2)
    response = mod_client.post(reverse("forum:hide_post", args=[post.pk]),
                               {"action": "hide", "reason": "Reklam",
                                "next": "https://evil.example/"})
    assert response.url == reverse("forum:post", args=[post.pk])


def test_hide_permissions_and_idor(staff_client, mod_client, secret, thread):
    post = thread.posts.get(number=2)
    assert staff_client.get(reverse("forum:hide_post", args=[post.pk])).status_code == 403
    assert staff_client.post(reverse("forum:hide_post", args=[post.pk]),
                             {"reason": "x"}).status_code == 403
    secret_post = secret.posts.get(number=2)
    for client in (staff_client, mod_client):
        assert client.post(reverse("forum:hide_post", args=[secret_post.pk]),
                           {"reason": "x"}).status_code == 404
    assert not Post.objects.filter(is_hidden=True).exists()


# --- thread tools: permissions -------------------------------------------------------------

def test_thread_tools_page(mod_client, thread):
    response = mod_client.get(reverse("forum:thread_tools", args=[thread.pk]))
    assert response.status_code == 200
    page = text_of(response)
    assert page.count("<h1") == 1
    for heading in ("Låsa", "Fästa", "Flytta", "Slå ihop", "Dela upp"):
        assert heading in page


def test_staff_get_403_on_readable_and_404_on_unreadable_threads(staff_client, thread, secret):
    for name, args in [("thread_tools", [thread.pk]),
                       ("hide_post", [thread.posts.get(number=2).pk])]:
        assert staff_client.get(reverse(f"forum:{name}", args=args)).status_code == 403
    for name, args in [("thread_tools", [secret.pk]),
                       ("hide_post", [secret.posts.get(number=2).pk])]:
        assert staff_client.get(reverse(f"forum:{name}", args=args)).status_code == 404
    assert staff_client.get(reverse("forum:moderation_log")).status_code == 403
    for action in ("lock", "merge", "split", "move"):
        assert staff_client.post(reverse("forum:thread_tools", args=[thread.pk]),
                                 {"action": action}).status_code == 403
        assert staff_client.post(reverse("forum:thread_tools", args=[secret.pk]),
                                 {"action": action}).status_code == 404


def test_moderator_cannot_moderate_a_closed_category_without_a_row(mod, mod_client, secret):
    url = reverse("forum:thread_tools", args=[secret.pk])
    assert mod_client.get(url).status_code == 404  # cannot even read it
    mod.groups.add(secret.group)  # now reads it through the group's row, no can_moderate
    client = client_for(mod)
    assert client.get(url).status_code == 403
    assert client.post(url, {"action": "lock"}).status_code == 403
    CategoryPermission.objects.filter(category=secret.category).update(can_moderate=True)
    client = client_for(mod)
    assert client.post(url, {"action": "lock"}).status_code == 302
    secret.refresh_from_db()
    assert secret.is_locked


# --- thread tools: actions -----------------------------------------------------------------

def test_lock_and_author_cannot_reply_or_unlock(mod_client, thread):
    url = reverse("forum:thread_tools", args=[thread.pk])
    response = mod_client.post(url, {"action": "lock"})
    assert response.status_code == 302 and response.url == thread.get_absolute_url()
    thread.refresh_from_db()
    assert thread.is_locked
    author = client_for(thread.author)
    assert author.post(url, {"action": "unlock"}).status_code == 403
    response = author.post(reverse("forum:reply", args=[thread.pk]), {"text": "Hallå?"})
    assert response.status_code == 400
    assert "Tråden är låst" in text_of(response)
    thread.refresh_from_db()
    assert thread.is_locked and thread.post_count == 3
    assert not ForumPermissions(thread.author).can_reply(thread)
    assert mod_client.post(url, {"action": "unlock"}).status_code == 302
    thread.refresh_from_db()
    assert not thread.is_locked


@pytest.mark.parametrize("pin", ["category", "global", ""])
def test_pin(mod_client, thread, pin):
    Thread.objects.filter(pk=thread.pk).update(pin="category" if pin == "" else "")
    response = mod_client.post(reverse("forum:thread_tools", args=[thread.pk]),
                               {"action": "pin", "pin": pin})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.pin == pin


def test_bad_pin_and_unknown_action_are_400(mod_client, thread):
    url = reverse("forum:thread_tools", args=[thread.pk])
    response = mod_client.post(url, {"action": "pin", "pin": "himlen"})
    assert response.status_code == 400 and "Välj hur tråden ska fästas" in text_of(response)
    response = mod_client.post(url, {"action": "radera"})
    assert response.status_code == 400 and "Okänd åtgärd" in text_of(response)


def test_move(mod_client, thread):
    target = CategoryFactory(name="Jämställdhet")
    response = mod_client.post(reverse("forum:thread_tools", args=[thread.pk]),
                               {"action": "move", "category": target.pk})
    assert response.status_code == 302
    thread.refresh_from_db()
    assert thread.category == target
    assert ModerationAction.objects.filter(action=Action.MOVE, thread=thread).exists()


@pytest.mark.parametrize("value", ["999999", "abc", "", "9" * 40])
def test_move_to_unknown_category_is_400(mod_client, thread, value):
    response = mod_client.post(reverse("forum:thread_tools", args=[thread.pk]),
                               {"action": "move", "category": value})
    assert response.status_code == 400
    assert "Välj en kategori som du kan moderera" in text_of(response)


def test_move_into_a_category_not_moderated_is_400(mod, mod_client, secret, thread):
    mod.groups.add(secret.group)  # the moderator can read the closed category, not moderate it
    client = client_for(mod)
    response = client.post(reverse("forum:thread_tools", args=[thread.pk]),
                           {"action": "move", "category": secret.category_id})
    assert response.status_code == 400
    thread.refresh_from_db()
    assert thread.category_id != secret.category_id
    assert f'value="{secret.category_id}"' not in text_of(
        client.get(reverse("forum:thread_tools", args=[thread.pk])))


@pytest.mark.parametrize("as_url", [False, True])
def test_merge(mod_client, thread, as_url):
    source = ThreadFactory(category=thread.category)
    moved = source.posts.get()
    target = (f"http://testserver{thread.get_absolute_url()}?sida=1#inlagg-1" if as_url
              else str(thread.pk))
    response = mod_client.post(reverse("forum:thread_tools", args=[source.pk]),
                               {"action": "merge", "target": target})
    assert response.status_code == 302
    assert response.url == thread.get_absolute_url()
    moved.refresh_from_db()
    assert (moved.thread_id, moved.number) == (thread.pk, 4)
    assert not Thread.objects.filter(pk=source.pk).exists()


@pytest.mark.parametrize("target", ["999999", "", "inte en tråd", "/forum/trad/", "9" * 40])
def test_merge_with_unknown_thread_is_400(mod_client, thread, target):
    response = mod_client.post(reverse("forum:thread_tools", args=[thread.pk]),
                               {"action": "merge", "target": target})
    assert response.status_code == 400
    assert "Hittar ingen tråd" in text_of(response)
    assert Thread.objects.filter(pk=thread.pk).exists()


def test_merge_into_itself_is_400(mod_client, thread):
    response = mod_client.post(reverse("forum:thread_tools", args=[thread.pk]),
                               {"action": "merge", "target": str(thread.pk)})
    assert response.status_code == 400
    assert "kan inte slås ihop med sig själv" in text_of(response)


def test_merge_into_unreadable_or_unmoderated_thread_is_400(mod, mod_client, thread, secret):
    url = reverse("forum:thread_tools", args=[thread.pk])
    response = mod_client.post(url, {"action": "merge", "target": str(secret.pk)})
    assert response.status_code == 400
    assert "Hittar ingen tråd" in text_of(response)  # same message as a missing thread
    mod.groups.add(secret.group)
    response = client_for(mod).post(url, {"action": "merge", "target": str(secret.pk)})
    assert response.status_code == 400
    assert "Du kan inte moderera tråden" in text_of(response)
    assert secret.posts.count() == 2 and thread.posts.count() == 3


def test_split(mod_client, thread):
    chosen = list(thread.posts.filter(number__in=[2, 3]))
    response = mod_client.post(reverse("forum:thread_tools", args=[thread.pk]), {
        "action": "split", "title": "Svaren i en egen tråd", "category": thread.category_id,
        "posts": [p.pk for p in chosen]})
    assert response.status_code == 302
    new = Thread.objects.get(title="Svaren i en egen tråd")
    assert response.url == new.get_absolute_url()
    assert list(new.posts.values_list("number", flat=True)) == [1, 2]


@pytest.mark.parametrize("posts, message", [
    ("none", "minst ett"), ("all", "alla inlägg"), ("first", "första inlägg")])
def test_split_bad_selection_is_400(mod_client, thread, posts, message):
    pick = {"none": [], "all": list(thread.posts.values_list("pk", flat=True)),
            "first": [thread.posts.get(number=1).pk]}[posts]
    response = mod_client.post(reverse("forum:thread_tools", args=[thread.pk]), {
        "action": "split", "title": "Ny tråd", "posts": pick})
    assert response.status_code == 400
    assert message in text_of(response)
    assert Thread.objects.count() == 1


def test_split_keeps_the_input_on_error(mod_client, thread):
    second = thread.posts.get(number=2)
    response = mod_client.post(reverse("forum:thread_tools", args=[thread.pk]), {
        "action": "split", "title": " ", "posts": [second.pk]})
    assert response.status_code == 400
    assert "Skriv en rubrik" in text_of(response)
    assert f'value="{second.pk}" checked' in text_of(response)


def test_split_to_unknown_category_is_400(mod_client, thread):
    response = mod_client.post(reverse("forum:thread_tools", args=[thread.pk]), {
        "action": "split", "title": "Ny", "category": "424242",
        "posts": [thread.posts.get(number=2).pk]})
    assert response.status_code == 400
    assert "Välj en kategori" in text_of(response)


def test_thread_tools_idor_by_id(mod_client, secret):
    for action in ("lock", "pin", "move", "merge", "split"):
        response = mod_client.post(reverse("forum:thread_tools", args=[secret.pk]),
                                   {"action": action, "pin": "global"})
        assert response.status_code == 404
    assert mod_client.get(reverse("forum:thread_tools", args=[999_999])).status_code == 404
    secret.refresh_from_db()
    assert not secret.is_locked and secret.pin == ""


# --- the log --------------------------------------------------------------------------

def test_log_lists_actions_for_moderated_categories(mod, mod_client, thread, secret):
    moderation.set_locked(mod, thread, True)
    moderation.set_locked(None, secret, True)
    response = mod_client.get(reverse("forum:moderation_log"))
    assert response.status_code == 200
    page = text_of(response)
    assert "Låste tråd" in page and thread.title in page
    assert secret.title not in page


def test_log_keeps_merged_threads_readable(mod, mod_client, thread):
    source = ThreadFactory(category=thread.category, title="Dubblett om tolkar")
    moderation.set_locked(mod, source, True)
    moderation.merge_threads(mod, source, thread)
    page = text_of(mod_client.get(reverse("forum:moderation_log")))
    assert page.count("Dubblett om tolkar") == 2  # the lock row and the merge summary


def test_log_is_paginated_with_constant_queries(mod, mod_client, thread):
    url = reverse("forum:moderation_log")
    moderation.set_locked(mod, thread, True)
    small = count_queries(mod_client, url)
    for i in range(60):
        moderation.set_pin(mod, thread, ["global", ""][i % 2])
    assert count_queries(mod_client, url) == small
    assert mod_client.get(url, {"sida": 2}).status_code == 200
    assert "Sida 2 av 2" in text_of(mod_client.get(url, {"sida": 2}))


# --- CSRF -----------------------------------------------------------------------------

def test_every_moderation_post_needs_csrf(mod, staff, thread):
    post = thread.posts.get(number=2)
    flag(post)
    csrf_mod = client_for(mod, enforce_csrf_checks=True)
    csrf_staff = client_for(staff, enforce_csrf_checks=True)
    other = ThreadFactory(category=thread.category)
    attempts = [
        (csrf_staff, reverse("forum:flag_post", args=[post.pk]), {"reason": "reklam"}),
        (csrf_mod, reverse("forum:resolve_flag", args=[Flag.objects.get().pk]),
         {"decision": "hide", "reason": "x"}),
        (csrf_mod, reverse("forum:hide_post", args=[post.pk]), {"reason": "x"}),
    ] + [
        (csrf_mod, reverse("forum:thread_tools", args=[thread.pk]), data)
        for data in ({"action": "lock"}, {"action": "pin", "pin": "global"},
                     {"action": "move", "category": CategoryFactory().pk},
                     {"action": "merge", "target": str(other.pk)},
                     {"action": "split", "title": "Ny", "posts": [post.pk]})
    ]
    for client, url, data in attempts:
        assert client.post(url, data).status_code == 403, url
    assert Flag.objects.count() == 1 and not ModerationAction.objects.exists()
    post.refresh_from_db()
    thread.refresh_from_db()
    assert not post.is_hidden and not thread.is_locked and thread.pin == ""


# --- flood control through the reply view ----------------------------------------------

def test_sixth_reply_within_a_minute_is_429_with_a_swedish_message(staff, staff_client):
    thread = ThreadFactory(author=staff, now=timezone.now() - datetime.timedelta(hours=2))
    url = reverse("forum:reply", args=[thread.pk])
    for i in range(5):
        assert staff_client.post(url, {"text": f"Svar nummer {i}"}).status_code == 302
    response = staff_client.post(url, {"text": "Det sjätte svaret"})
    assert response.status_code == 429
    assert "Vänta en minut" in text_of(response)
    assert thread.posts.count() == 6
