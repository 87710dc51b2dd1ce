"""Who hears about a new post: watch levels, mentions, quotes, and the in-app notifications.

Levels follow Discourse: WATCHING is told of every new post; TRACKING and NORMAL only of
mentions and of quotes of their own posts; MUTED of nothing (not even mentions). A thread's
own level wins; without one, the highest of its category's and its tags' levels applies;
without any, NORMAL.

Replies to watched threads notify once per unread run (Misago): nothing new is created while
the recipient still has an unread reply notification for the thread, or has not read up to
the post before this one. Every recipient is checked again for read access, here and again
before any email goes out (emails.py): a watch or a mention never widens who may read what.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone

from . import signals, unread
from .markup import MAX_MENTIONS, render_markdown
from .mentions import users_for_handles
from .models import CategoryRead, Notification, Post, Thread, ThreadRead, Watch, WatchLevel
from .permissions import ForumPermissions

# --- watch levels ---------------------------------------------------------------------


def levels_for_thread(thread: Thread, user_ids=None) -> dict[int, int]:
    """Effective level per user who has any watch touching the thread (others: NORMAL)."""
    tag_ids = list(thread.tags.values_list("id", flat=True))
    touching = Q(thread_id=thread.pk) | Q(category_id=thread.category_id)
    if tag_ids:
        touching |= Q(tag_id__in=tag_ids)
    watches = Watch.objects.filter(touching)
    if user_ids is not None:
        watches = watches.filter(user_id__in=list(user_ids))
    own: dict[int, int] = {}
    inherited: dict[int, int] = {}
    for user_id, thread_id, level in watches.values_list("user_id", "thread_id", "level"):
        if thread_id is not None:
            own[user_id] = level
        else:
            inherited[user_id] = max(inherited.get(user_id, WatchLevel.MUTED), level)
    return {**inherited, **own}


def effective_level(user, thread: Thread) -> int:
    return levels_for_thread(thread, [user.pk]).get(user.pk, WatchLevel.NORMAL)


def set_level(user, level: int, *, thread=None, category=None, tag=None) -> None:
    """Store a user's level on one target. NORMAL on a category or tag is the default, so
    the row goes; on a thread it is kept, as it overrides the category's and tags' levels."""
    target = {"thread": thread, "category": category, "tag": tag}
    lookup = {name: value for name, value in target.items() if value is not None}
    if level == WatchLevel.NORMAL and thread is None:
        Watch.objects.filter(user=user, **lookup).delete()
        return
    Watch.objects.update_or_create(user=user, **lookup, defaults={"level": level})


# --- read access ----------------------------------------------------------------------


def may_read_post(perms: ForumPermissions, post: Post) -> bool:
    """The same rule as ForumPermissions.visible_posts, for one post already loaded."""
    thread = post.thread
    if not perms.can_read_thread(thread):
        return False
    return post.is_visible or post.author_id == perms.user.pk or perms.can_moderate(thread)


# --- who is addressed directly ------------------------------------------------------------


def mentioned_users(post: Post) -> list:
    """Active users the post @mentions (at most MAX_MENTIONS, in order of appearance)."""
    handles = render_markdown(post.markdown).mentions[:MAX_MENTIONS]
    by_handle = users_for_handles(handles)
    return [by_handle[handle] for handle in handles if handle in by_handle]


def _quote_pattern() -> re.Pattern:
    path = reverse("forum:post", args=[0])
    prefix, suffix = path.rsplit("0", 1)
    return re.compile(re.escape(prefix) + r"(\d+)" + re.escape(suffix))


_NESTED_QUOTE = re.compile(r"\s*>\s*>")


def quoted_author_ids(post: Post) -> set[int]:
    """Authors of earlier posts in the same thread that this post quotes or links to (the
    quote button writes "> [Namn skrev](/forum/inlagg/<pk>/):"). Links inside a quote of a
    quote are the quoted post's business, not this one's."""
    pattern = _quote_pattern()
    ids = {int(pk) for line in post.markdown.splitlines() if not _NESTED_QUOTE.match(line)
           for pk in pattern.findall(line)}
    if not ids:
        return set()
    return set(
        Post.objects.filter(pk__in=ids, thread_id=post.thread_id, number__lt=post.number,
                            author__isnull=False).values_list("author_id", flat=True)
    )


# --- once per unread run ------------------------------------------------------------------


def _runs_still_open(thread: Thread, post: Post, users: list) -> set[int]:
    """Users who are in an unread run already, so this reply adds nothing to tell them:
    they have an unread reply notification for a post past their read mark, or they have
    not read up to the visible post before this one. Posts older than a user's unread
    cutoff, or than their "marked read" time for the category, count as read."""
    if not users:
        return set()
    user_ids = [user.pk for user in users]
    read = dict(ThreadRead.objects.filter(thread=thread, user_id__in=user_ids)
                .values_list("user_id", "last_read_number"))
    open_runs = {
        user_id
        for user_id, number in Notification.objects.filter(
            thread=thread, user_id__in=user_ids, kind=Notification.Kind.REPLY,
            read_at__isnull=True,
        ).values_list("user_id", "post__number")
        # Reading the thread past the notified post ends the run, even if the
        # notification itself was never opened.
        if number is None or number > read.get(user_id, 0)
    }
    previous = (thread.posts.filter(number__lt=post.number, is_deleted=False, is_hidden=False)
                .order_by("-number").values_list("number", "created_at").first())
    if previous is None:
        return open_runs
    number, created_at = previous
    marked = dict(CategoryRead.objects.filter(category_id=thread.category_id, user_id__in=user_ids)
                  .values_list("user_id", "marked_at"))
    behind = {
        user.pk for user in users
        if read.get(user.pk, 0) < number
        and created_at >= unread.cutoff_for(user)
        and not (user.pk in marked and marked[user.pk] >= created_at)
    }
    return open_runs | behind


# --- creating notifications ------------------------------------------------------------------


@transaction.atomic
def create_post_notifications(post_id: int, thread_created: bool) -> list[int]:
    """Create the notifications a new post causes; queue their emails on commit. Returns
    the new notifications' ids. Safe to run twice: nobody is notified twice of one post."""
    post = Post.objects.select_related("thread__category").filter(pk=post_id).first()
    if post is None or not post.is_visible:
        return []
    thread = post.thread
    levels = levels_for_thread(thread)
    watcher_kind = Notification.Kind.NEW_THREAD if thread_created else Notification.Kind.REPLY

    # Direct address first: a mention beats a quote, which beats watching.
    kinds: dict[int, str] = {}
    for user in mentioned_users(post):
        kinds.setdefault(user.pk, Notification.Kind.MENTION)
    for user_id in quoted_author_ids(post):
        kinds.setdefault(user_id, Notification.Kind.REPLY)
    direct = set(kinds)
    for user_id, level in levels.items():
        if level == WatchLevel.WATCHING:
            kinds.setdefault(user_id, watcher_kind)

    kinds.pop(post.author_id, None)
    for user_id in [uid for uid in kinds if levels.get(uid, WatchLevel.NORMAL) == WatchLevel.MUTED]:
        del kinds[user_id]
    already = set(Notification.objects.filter(post=post, user_id__in=list(kinds))
                  .values_list("user_id", flat=True))
    users = [user for user in get_user_model().objects.filter(pk__in=list(kinds), is_active=True)
             if user.pk not in already]
    if not thread_created:
        run_watchers = [user for user in users if user.pk not in direct]
        skip = _runs_still_open(thread, post, run_watchers)
        users = [user for user in users if user.pk not in skip]

    now = timezone.now()
    created = [
        Notification(user=user, kind=kinds[user.pk], thread=thread, post=post,
                     actor_id=post.author_id, created_at=now)
        for user in users
        if may_read_post(ForumPermissions(user), post)
    ]
    ids = [n.pk for n in Notification.objects.bulk_create(created)]
    _queue_emails(ids)
    return ids


@transaction.atomic
def notify_user(user, kind: str, *, thread: Thread, post: Post | None = None, actor=None,
                message: str = "", respect_mute: bool = True) -> Notification | None:
    """One notification for other parts of the forum (an accepted answer, a moderator's
    decision), emailed like the rest. Nothing when the user may not read it or muted it."""
    if actor is not None and actor.pk == user.pk:
        return None
    if not user.is_active:
        return None
    perms = ForumPermissions(user)
    if post is not None:
        if not may_read_post(perms, post):
            return None
    elif not perms.can_read_thread(thread):
        return None
    if respect_mute and effective_level(user, thread) == WatchLevel.MUTED:
        return None
    notification = Notification.objects.create(user=user, kind=kind, thread=thread, post=post,
                                               actor=actor, message=message[:300])
    _queue_emails([notification.pk])
    return notification


def _queue_emails(ids: list[int]) -> None:
    if not ids:
        return
    from .tasks import send_notification_emails_task

    transaction.on_commit(lambda: send_notification_emails_task.enqueue(ids))


# --- reading notifications ------------------------------------------------------------------


def mark_thread_notifications_read(user, thread: Thread, up_to_number: int) -> int:
    """Viewing a thread reads the notifications for the posts shown (for the thread view)."""
    if not user.is_authenticated:
        return 0
    return Notification.objects.filter(
        Q(post__isnull=True) | Q(post__number__lte=up_to_number),
        user=user, thread=thread, read_at__isnull=True,
    ).update(read_at=timezone.now())


@receiver(signals.post_created, dispatch_uid="forum.notify.post_created")
def on_post_created(sender, post, thread_created=False, **kwargs) -> None:
    """Sent on commit; the work (permission checks per recipient) runs as a task so that
    posting stays fast however many people watch the category."""
    from .tasks import notify_post_task
    from .unread import CUTOFF

    if kwargs.get("quiet"):
        return
    # Imported or back-dated posts older than the unread cutoff already count as read:
    # nobody should be notified of them (an import of old threads must not flood inboxes).
    if post.created_at < timezone.now() - CUTOFF:
        return
    notify_post_task.enqueue(post.pk, bool(thread_created))
