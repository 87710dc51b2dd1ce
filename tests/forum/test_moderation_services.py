"""forum.moderation: the moderator actions themselves (permissions are tested with the views)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.roles import MODERATOR
from forum import moderation, services, signals
from forum.models import (
    Category,
    Draft,
    Flag,
    ModerationAction,
    Notification,
    Post,
    Thread,
    ThreadRead,
    Watch,
    WatchLevel,
)

from ..factories import UserFactory
from .factories import CategoryFactory, PostFactory, TagFactory, ThreadFactory

pytestmark = pytest.mark.django_db

Action = ModerationAction.Action


@pytest.fixture
def mod():
    return UserFactory(roles=[MODERATOR])


@pytest.fixture
def changed_threads(django_capture_on_commit_callbacks):
    """Thread ids sent with signals.thread_changed (on-commit callbacks run)."""
    seen: list[int] = []

    def receiver(sender, thread_id, **kwargs):
        seen.append(thread_id)

    signals.thread_changed.connect(receiver, dispatch_uid="test-moderation-changed")
    yield seen
    signals.thread_changed.disconnect(dispatch_uid="test-moderation-changed")


def thread_with_replies(n: int, **kwargs) -> Thread:
    thread = ThreadFactory(**kwargs)
    base = thread.created_at
    for i in range(n):
        PostFactory(thread=thread, now=base + datetime.timedelta(minutes=i + 1))
    thread.refresh_from_db()
    return thread


def numbers(thread) -> list[int]:
    return list(thread.posts.order_by("number").values_list("number", flat=True))


# --- hide / unhide ---------------------------------------------------------------------

def test_hide_post_sets_reason_recounts_notifies_and_logs(mod, django_capture_on_commit_callbacks,
                                                          changed_threads):
    thread = thread_with_replies(2)
    post = thread.posts.get(number=2)
    Flag.objects.create(post=post, reporter=UserFactory(), reason=Flag.Reason.SPAM)
    with django_capture_on_commit_callbacks(execute=True):
        assert moderation.hide_post(mod, post, "  Bryter mot   reglerna  ") is True
    post.refresh_from_db()
    thread.refresh_from_db()
    assert (post.is_hidden, post.hidden_reason, post.hidden_by) == (True, "Bryter mot reglerna", mod)
    assert thread.post_count == 2
    note = Notification.objects.get(user=post.author)
    assert (note.kind, note.message, note.post, note.actor) == (
        Notification.Kind.MODERATION, "Bryter mot reglerna", post, mod)
    entry = ModerationAction.objects.get(action=Action.HIDE)
    assert (entry.moderator, entry.post, entry.reason) == (mod, post, "Bryter mot reglerna")
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    assert thread.pk in changed_threads


def test_hide_needs_a_reason_and_limits_its_length(mod):
    post = ThreadFactory().posts.get()
    with pytest.raises(moderation.ModerationError, match="anledning"):
        moderation.hide_post(mod, post, "   ")
    with pytest.raises(moderation.ModerationError, match="300"):
        moderation.hide_post(mod, post, "x" * 301)
    post.refresh_from_db()
    assert not post.is_hidden
    assert not ModerationAction.objects.exists()


def test_hiding_twice_changes_nothing_and_unhide_restores(mod):
    thread = thread_with_replies(1)
    post = thread.posts.get(number=2)
    moderation.hide_post(mod, post, "Reklam")
    assert moderation.hide_post(mod, post, "Annat") is False
    assert Notification.objects.count() == 1
    assert moderation.unhide_post(mod, post) is True
    assert moderation.unhide_post(mod, post) is False
    post.refresh_from_db()
    thread.refresh_from_db()
    assert (post.is_hidden, post.hidden_reason, post.hidden_by) == (False, "", None)
    assert thread.post_count == 2
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == [
        Action.HIDE, Action.UNHIDE]


def test_moderator_hiding_own_post_gets_no_notification(mod):
    thread = ThreadFactory(author=mod)
    moderation.hide_post(mod, thread.posts.get(), "Fel tråd")
    assert not Notification.objects.exists()


# --- lock / pin / move ------------------------------------------------------------------

def test_lock_and_unlock_are_logged_once(mod):
    thread = ThreadFactory()
    assert moderation.set_locked(mod, thread, True).changed
    assert not moderation.set_locked(mod, thread, True).changed
    thread.refresh_from_db()
    assert thread.is_locked
    with pytest.raises(services.PostingError, match="låst"):
        services.reply(thread.author, thread, "Får jag svara?", check_limits=False)
    assert moderation.set_locked(mod, thread, False).changed
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == [
        Action.LOCK, Action.UNLOCK]


@pytest.mark.parametrize("pin", [Thread.Pin.CATEGORY, Thread.Pin.GLOBAL])
def test_pin_and_unpin(mod, pin):
    thread = ThreadFactory()
    moderation.set_pin(mod, thread, pin)
    thread.refresh_from_db()
    assert thread.pin == pin
    moderation.set_pin(mod, thread, Thread.Pin.NONE)
    thread.refresh_from_db()
    assert thread.pin == ""
    assert list(ModerationAction.objects.order_by("pk").values_list("action", flat=True)) == [
        Action.PIN, Action.UNPIN]


def test_unknown_pin_is_refused(mod):
    with pytest.raises(moderation.ModerationError):
        moderation.set_pin(mod, ThreadFactory(), "överallt")


def test_move_updates_both_categories(mod, django_capture_on_commit_callbacks, changed_threads):
    source, target = CategoryFactory(), CategoryFactory()
    thread = thread_with_replies(2, category=source)
    ThreadFactory(category=source)
    with django_capture_on_commit_callbacks(execute=True):
        moderation.move_thread(mod, thread, target)
    thread.refresh_from_db()
    source.refresh_from_db()
    target.refresh_from_db()
    assert thread.category == target
    assert (source.thread_count, source.post_count) == (1, 1)
    assert (target.thread_count, target.post_count) == (1, 3)
    entry = ModerationAction.objects.get(action=Action.MOVE)
    assert entry.details["from_category_id"] == source.pk
    assert entry.details["to_category_id"] == target.pk
    assert changed_threads == [thread.pk]


def test_move_to_the_same_category_is_refused(mod):
    thread = ThreadFactory()
    with pytest.raises(moderation.ModerationError, match="redan"):
        moderation.move_thread(mod, thread, thread.category)


# --- merge ----------------------------------------------------------------------------

def test_merge_appends_posts_in_order_keeping_dates(mod, django_capture_on_commit_callbacks,
                                                    changed_threads):
    target = thread_with_replies(2)
    source = thread_with_replies(2, category=target.category)
    source_posts = list(source.posts.order_by("number").values_list("pk", "created_at"))
    source_id = source.pk
    with django_capture_on_commit_callbacks(execute=True):
        merged = moderation.merge_threads(mod, source, target)
    assert merged.pk == target.pk
    assert not Thread.objects.filter(pk=source_id).exists()
    moved = list(Post.objects.filter(pk__in=[pk for pk, _ in source_posts]).order_by("number")
                 .values_list("pk", "created_at", "number", "thread_id"))
    assert [(pk, created) for pk, created, _n, _t in moved] == source_posts
    assert [n for _pk, _c, n, _t in moved] == [4, 5, 6]
    assert {t for *_x, t in moved} == {target.pk}
    target.refresh_from_db()
    assert numbers(target) == [1, 2, 3, 4, 5, 6]
    assert (target.post_count, target.last_number) == (6, 6)
    target.category.refresh_from_db()
    assert (target.category.thread_count, target.category.post_count) == (1, 6)
    entry = ModerationAction.objects.get(action=Action.MERGE)
    assert entry.thread == target
    assert entry.details["merged_thread_id"] == source_id
    assert sorted(changed_threads) == sorted([source_id, target.pk])


def test_merge_after_deleted_last_post_does_not_reuse_numbers(mod):
    target = thread_with_replies(2)
    source = ThreadFactory(category=target.category)
    services.delete_post(target.author, target.posts.get(number=3))
    moderation.merge_threads(mod, source, target)
    assert numbers(target) == [1, 2, 3, 4]


def test_merged_thread_redirects_through_the_log(mod):
    a, b, c = ThreadFactory(), ThreadFactory(), ThreadFactory()
    a_id, b_id = a.pk, b.pk
    moderation.merge_threads(mod, a, b)
    assert moderation.merged_into(a_id) == b
    moderation.merge_threads(mod, b, c)
    assert moderation.merged_into(a_id) == c
    assert moderation.merged_into(b_id) == c
    assert moderation.merged_into(c.pk) is None


def test_merge_folds_watchers(mod):
    target, source = ThreadFactory(), ThreadFactory()
    only_source, muted_target, upgraded = UserFactory(), UserFactory(), UserFactory()
    Watch.objects.create(user=only_source, thread=source, level=WatchLevel.TRACKING)
    Watch.objects.create(user=muted_target, thread=source, level=WatchLevel.WATCHING)
    Watch.objects.create(user=muted_target, thread=target, level=WatchLevel.MUTED)
    Watch.objects.create(user=upgraded, thread=source, level=WatchLevel.WATCHING)
    Watch.objects.create(user=upgraded, thread=target, level=WatchLevel.NORMAL)
    moderation.merge_threads(mod, source, target)
    levels = dict(Watch.objects.filter(thread=target).values_list("user_id", "level"))
    assert levels[only_source.pk] == WatchLevel.TRACKING
    assert levels[muted_target.pk] == WatchLevel.MUTED
    assert levels[upgraded.pk] == WatchLevel.WATCHING
    assert levels[source.author_id] == WatchLevel.WATCHING  # the starter of the merged thread


def test_merge_carries_read_marks_only_for_readers_of_all_of_the_target(mod):
    target = thread_with_replies(1)  # posts 1-2
    source = thread_with_replies(2, category=target.category)  # posts 1-3 -> 3-5
    full, partial, source_only = UserFactory(), UserFactory(), UserFactory()
    for user, t, n in [(full, target, 2), (full, source, 2), (partial, target, 1),
                       (partial, source, 3), (source_only, source, 3)]:
        services.mark_read(user, t, n)
    moderation.merge_threads(mod, source, target)
    marks = dict(ThreadRead.objects.filter(thread=target).values_list("user_id", "last_read_number"))
    assert marks[full.pk] == 4  # read all of the target and posts 1-2 of the source (now 3-4)
    assert marks[partial.pk] == 1
    assert source_only.pk not in marks


def test_merge_keeps_drafts_notifications_tags_and_linked_page(mod):
    tag = TagFactory()
    target = ThreadFactory()
    source = ThreadFactory(tags=[tag])
    writer, both = UserFactory(), UserFactory()
    Draft.objects.create(user=writer, thread=source, markdown="Mitt osända svar")
    Draft.objects.create(user=both, thread=source, markdown="Svar till A")
    Draft.objects.create(user=both, thread=target, markdown="Svar till B")
    note = Notification.objects.create(user=writer, kind=Notification.Kind.REPLY, thread=source,
                                       post=source.posts.get())
    moderation.merge_threads(mod, source, target)
    assert Draft.objects.get(user=writer).thread == target
    assert Draft.objects.get(user=both).markdown == "Svar till B\n\nSvar till A"
    note.refresh_from_db()
    assert note.thread == target
    assert list(target.tags.all()) == [tag]


def test_merge_across_categories_recounts_both(mod):
    target = thread_with_replies(1)
    source = thread_with_replies(1)
    moderation.merge_threads(mod, source, target)
    old = Category.objects.get(pk=source.category_id)
    assert (old.thread_count, old.post_count) == (0, 0)
    target.category.refresh_from_db()
    assert target.category.post_count == 4


def test_merging_a_thread_into_itself_is_refused(mod):
    thread = ThreadFactory()
    with pytest.raises(moderation.ModerationError, match="sig själv"):
        moderation.merge_threads(mod, thread, thread)
    assert Thread.objects.filter(pk=thread.pk).exists()


# --- split ----------------------------------------------------------------------------

def test_split_moves_posts_to_a_new_numbered_thread(mod, django_capture_on_commit_callbacks,
                                                    changed_threads):
    thread = thread_with_replies(4)  # 1..5
    chosen = list(thread.posts.filter(number__in=[2, 4, 5]).order_by("number"))
    other = CategoryFactory()
    with django_capture_on_commit_callbacks(execute=True):
        new = moderation.split_thread(mod, thread, [str(p.pk) for p in reversed(chosen)],
                                      "  En egen  fråga ", other)
    assert (new.title, new.category, new.author_id) == ("En egen fråga", other, chosen[0].author_id)
    assert list(new.posts.order_by("number").values_list("pk", "number")) == [
        (chosen[0].pk, 1), (chosen[1].pk, 2), (chosen[2].pk, 3)]
    assert new.created_at == chosen[0].created_at
    thread.refresh_from_db()
    new.refresh_from_db()
    assert numbers(thread) == [1, 3]
    assert (thread.post_count, new.post_count, new.last_number) == (2, 3, 3)
    assert new.last_post_id == chosen[2].pk
    other.refresh_from_db()
    assert (other.thread_count, other.post_count) == (1, 3)
    entry = ModerationAction.objects.get(action=Action.SPLIT)
    assert entry.details["new_thread_id"] == new.pk
    assert sorted(changed_threads) == sorted([thread.pk, new.pk])


def test_split_carries_watchers_and_read_marks(mod):
    thread = thread_with_replies(4)  # 1..5
    reader = UserFactory()
    services.mark_read(reader, thread, 4)
    Watch.objects.create(user=reader, thread=thread, level=WatchLevel.TRACKING)
    chosen = thread.posts.filter(number__in=[3, 4, 5])
    new = moderation.split_thread(mod, thread, [p.pk for p in chosen], "Ny tråd", thread.category)
    assert ThreadRead.objects.get(user=reader, thread=new).last_read_number == 2
    assert Watch.objects.get(user=reader, thread=new).level == WatchLevel.TRACKING
    # The source's read mark is clamped, so the next reply (number 3 again) is unread.
    assert ThreadRead.objects.get(user=reader, thread=thread).last_read_number == 2
    post = PostFactory(thread=thread)
    assert post.number == 3


def test_split_clears_a_moved_accepted_answer(mod):
    thread = thread_with_replies(2)
    answer = thread.posts.get(number=2)
    Thread.objects.filter(pk=thread.pk).update(accepted_post=answer)
    moderation.split_thread(mod, thread, [answer.pk], "Ny", thread.category)
    thread.refresh_from_db()
    assert thread.accepted_post is None


@pytest.mark.parametrize("pick, message", [
    (lambda t, other: [], "minst ett"),
    (lambda t, other: [p.pk for p in t.posts.all()], "alla inlägg"),
    (lambda t, other: [t.posts.get(number=1).pk], "första inlägg"),
    (lambda t, other: [other.posts.get().pk], "finns inte"),
    (lambda t, other: ["abc"], "finns inte"),
    (lambda t, other: ["9" * 40], "finns inte"),
])
def test_split_refuses_bad_selections(mod, pick, message):
    thread = thread_with_replies(2)
    other = ThreadFactory()
    with pytest.raises(moderation.ModerationError, match=message):
        moderation.split_thread(mod, thread, pick(thread, other), "Ny tråd", thread.category)
    assert numbers(thread) == [1, 2, 3]
    assert Thread.objects.count() == 2


def test_split_needs_a_title(mod):
    thread = thread_with_replies(1)
    with pytest.raises(moderation.ModerationError, match="rubrik"):
        moderation.split_thread(mod, thread, [thread.posts.get(number=2).pk], "   ",
                                thread.category)


# --- flags ----------------------------------------------------------------------------

def test_one_open_flag_per_user_and_post():
    post = ThreadFactory().posts.get()
    reporter = UserFactory()
    moderation.create_flag(reporter, post, Flag.Reason.SPAM, "Köp!")
    with pytest.raises(moderation.ModerationError, match="redan flaggat"):
        moderation.create_flag(reporter, post, Flag.Reason.OTHER)
    Flag.objects.update(resolved_at=timezone.now())
    moderation.create_flag(reporter, post, Flag.Reason.OTHER)  # allowed again once handled
    assert Flag.objects.count() == 2


@pytest.mark.parametrize("reason, text", [("", ""), ("skräp", ""), (Flag.Reason.OTHER, "x" * 501)])
def test_bad_flags_are_refused(reason, text):
    with pytest.raises(moderation.ModerationError):
        moderation.create_flag(UserFactory(), ThreadFactory().posts.get(), reason, text)
    assert not Flag.objects.exists()


def test_resolve_flags_dismiss_and_hide(mod):
    thread = thread_with_replies(2)
    first, second = thread.posts.get(number=2), thread.posts.get(number=3)
    for post in (first, second):
        for _ in range(2):
            moderation.create_flag(UserFactory(), post, Flag.Reason.OFFENSIVE)
    assert moderation.resolve_flags(mod, first, "dismiss", "Inget fel") == 2
    first.refresh_from_db()
    assert not first.is_hidden
    assert moderation.resolve_flags(mod, second, "hide", "Kränkande") == 2
    second.refresh_from_db()
    assert (second.is_hidden, second.hidden_reason) == (True, "Kränkande")
    assert not Flag.objects.filter(resolved_at__isnull=True).exists()
    assert Flag.objects.filter(post=first, resolved_by=mod).count() == 2
    assert ModerationAction.objects.filter(action=Action.RESOLVE_FLAG).count() == 2
    with pytest.raises(moderation.ModerationError, match="redan hanterade"):
        moderation.resolve_flags(mod, first, "dismiss")


def test_resolve_flags_refuses_unknown_decisions_and_hiding_without_reason(mod):
    post = ThreadFactory().posts.get()
    moderation.create_flag(UserFactory(), post, Flag.Reason.SPAM)
    with pytest.raises(moderation.ModerationError):
        moderation.resolve_flags(mod, post, "radera")
    with pytest.raises(moderation.ModerationError, match="anledning"):
        moderation.resolve_flags(mod, post, "hide", "")
    assert Flag.objects.filter(resolved_at__isnull=True).count() == 1


# --- flood control (service level) -------------------------------------------------------

def test_sixth_post_within_a_minute_is_refused():
    author = UserFactory()
    thread = ThreadFactory(author=author, now=timezone.now() - datetime.timedelta(hours=2))
    for i in range(5):
        services.reply(author, thread, f"Svar {i}")
    with pytest.raises(services.PostingError, match="Vänta en minut"):
        services.reply(author, thread, "Ett sjätte svar")
    assert thread.posts.count() == 6
