"""Writing to the forum: threads, replies, edits, deletes, read marks.

Every write goes through here so that counters, post numbers, revisions, flood control and
the events in signals.py stay consistent whichever view (or import) made the change.
"""

from __future__ import annotations

import datetime

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from . import signals
from .markup import MAX_MENTIONS, SANITIZER_VERSION, count_mentions, render_markdown
from .mentions import resolve_mention_links
from .models import Category, Post, PostRevision, Tag, Thread, ThreadRead, Watch, WatchLevel

MAX_POST_LENGTH = 20_000
MAX_TITLE_LENGTH = 200
FLOOD_WINDOW = datetime.timedelta(minutes=1)
FLOOD_LIMIT = 5  # posts per minute per user
HOURLY_LIMIT = 60  # posts per hour per user


class PostingError(Exception):
    """A Swedish message for the user; nothing was saved."""


def clean_markdown(markdown: str) -> str:
    text = (markdown or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if not text:
        raise PostingError(_("Skriv något i inlägget innan du skickar det."))
    if len(text) > MAX_POST_LENGTH:
        raise PostingError(
            _("Inlägget är för långt (%(n)s tecken). Högst %(max)s tecken får plats.")
            % {"n": len(text), "max": MAX_POST_LENGTH}
        )
    if count_mentions(text) > MAX_MENTIONS:
        raise PostingError(_("Du kan nämna högst %(max)s personer i ett inlägg.")
                           % {"max": MAX_MENTIONS})
    return text


def clean_title(title: str) -> str:
    text = " ".join((title or "").split())
    if not text:
        raise PostingError(_("Skriv en rubrik för tråden."))
    if len(text) > MAX_TITLE_LENGTH:
        raise PostingError(_("Rubriken får vara högst %(max)s tecken.") % {"max": MAX_TITLE_LENGTH})
    return text


def check_rate_limits(user, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    recent = Post.objects.filter(author=user, created_at__gte=now - datetime.timedelta(hours=1))
    if recent.filter(created_at__gte=now - FLOOD_WINDOW).count() >= FLOOD_LIMIT:
        raise PostingError(_("Du har skrivit många inlägg på kort tid. Vänta en minut och "
                             "försök igen – ditt utkast är sparat."))
    if recent.count() >= HOURLY_LIMIT:
        raise PostingError(_("Du har nått gränsen på %(max)s inlägg i timmen. Försök igen "
                             "senare – ditt utkast är sparat.") % {"max": HOURLY_LIMIT})


def render(markdown: str):
    return render_markdown(markdown, resolve_mention_links)


def _notify_changed(thread_id: int) -> None:
    transaction.on_commit(lambda: signals.thread_changed.send(sender=Thread, thread_id=thread_id))


def _announce(post: Post, thread_created: bool) -> None:
    quiet = signals.posting_is_quiet()
    transaction.on_commit(lambda: signals.post_created.send(
        sender=Post, post=post, thread_created=thread_created, quiet=quiet))


def _add_post(thread: Thread, author, markdown: str, now) -> Post:
    rendered = render(markdown)
    thread.last_number += 1
    post = Post.objects.create(
        thread=thread, number=thread.last_number, author=author, markdown=markdown,
        html=rendered.html, sanitizer_version=SANITIZER_VERSION, created_at=now,
    )
    thread.post_count += 1
    thread.last_post = post
    thread.last_post_at = now
    thread.save(update_fields=["last_number", "post_count", "last_post", "last_post_at"])
    Category.objects.filter(pk=thread.category_id).update(last_post_at=now)
    return post


def _watch(user, thread: Thread) -> None:
    """Starting or replying makes you watch the thread (unless you muted it)."""
    watch, created = Watch.objects.get_or_create(user=user, thread=thread,
                                                 defaults={"level": WatchLevel.WATCHING})
    if not created and watch.level == WatchLevel.NORMAL:
        watch.level = WatchLevel.WATCHING
        watch.save(update_fields=["level"])


def refresh_category_counts(*category_ids: int) -> None:
    for category_id in set(category_ids):
        threads = Thread.objects.filter(category_id=category_id, is_hidden=False)
        Category.objects.filter(pk=category_id).update(
            thread_count=threads.count(),
            post_count=Post.objects.filter(thread__in=threads, is_deleted=False,
                                           is_hidden=False).count(),
        )


@transaction.atomic
def create_thread(user, category: Category, title: str, markdown: str, tags=(), linked_page=None,
                  now=None, check_limits: bool = True) -> Thread:
    title, markdown = clean_title(title), clean_markdown(markdown)
    if check_limits:
        check_rate_limits(user)
    now = now or timezone.now()
    thread = Thread.objects.create(category=category, title=title, author=user, created_at=now,
                                   last_post_at=now, linked_page=linked_page)
    if tags:
        thread.tags.set(tags)
    post = _add_post(thread, user, markdown, now)
    refresh_category_counts(category.pk)
    if user is not None:
        _watch(user, thread)
        mark_read(user, thread, post.number)
    _announce(post, thread_created=True)
    _notify_changed(thread.pk)
    return thread


@transaction.atomic
def reply(user, thread: Thread, markdown: str, now=None, check_limits: bool = True,
          allow_locked: bool = False) -> Post:
    """Add a reply. `allow_locked` is for moderators, who may still reply to locked threads."""
    markdown = clean_markdown(markdown)
    # Lock the thread row so that post numbers stay unique under concurrent replies.
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    if thread.is_locked and not allow_locked:
        raise PostingError(_("Tråden är låst och går inte att svara i."))
    if check_limits:
        check_rate_limits(user)
    post = _add_post(thread, user, markdown, now or timezone.now())
    refresh_category_counts(thread.category_id)
    if user is not None:
        _watch(user, thread)
        mark_read(user, thread, post.number)
    _announce(post, thread_created=False)
    _notify_changed(thread.pk)
    return post


@transaction.atomic
def edit_post(user, post: Post, markdown: str, title: str | None = None) -> Post:
    """Save the previous text as a revision, then the new one."""
    markdown = clean_markdown(markdown)
    if title is not None and post.number == 1:
        new_title = clean_title(title)
        if new_title != post.thread.title:
            Thread.objects.filter(pk=post.thread_id).update(title=new_title)
            post.thread.title = new_title
            _notify_changed(post.thread_id)  # a title-only edit must reach search too
    if markdown == post.markdown:
        return post
    PostRevision.objects.create(post=post, markdown=post.markdown, edited_by=user)
    rendered = render(markdown)
    post.markdown, post.html = markdown, rendered.html
    post.sanitizer_version = SANITIZER_VERSION
    post.edited_at = timezone.now()
    post.edit_count += 1
    post.save(update_fields=["markdown", "html", "sanitizer_version", "edited_at", "edit_count"])
    _notify_changed(post.thread_id)
    return post


@transaction.atomic
def delete_post(user, post: Post) -> None:
    """Soft delete by the author (or a moderator): the text stays for moderators."""
    post.is_deleted = True
    post.deleted_at = timezone.now()
    post.save(update_fields=["is_deleted", "deleted_at"])
    recount_thread(post.thread)
    _notify_changed(post.thread_id)


def recount_thread(thread: Thread) -> None:
    """Recompute a thread's denormalised fields from its posts (after delete/hide/move)."""
    visible = thread.posts.filter(is_deleted=False, is_hidden=False)
    # Newest by time, not by number: merged-in posts may be older than the thread's replies.
    last = visible.order_by("-created_at", "-number").first()
    thread.post_count = visible.count()
    thread.last_post = last
    thread.last_post_at = last.created_at if last else thread.created_at
    thread.last_number = thread.posts.aggregate(m=Max("number"))["m"] or 0
    thread.save(update_fields=["post_count", "last_post", "last_post_at", "last_number"])
    refresh_category_counts(thread.category_id)


def rerender_stale(posts) -> None:
    """Re-render posts stored under an older sanitiser version (lazily, on display)."""
    for post in posts:
        if post.sanitizer_version != SANITIZER_VERSION:
            post.html = render(post.markdown).html
            post.sanitizer_version = SANITIZER_VERSION
            Post.objects.filter(pk=post.pk).update(html=post.html,
                                                   sanitizer_version=SANITIZER_VERSION)


def mark_read(user, thread: Thread, number: int) -> None:
    """Upsert the user's read mark; it only moves forward.

    One statement, INSERT … ON CONFLICT DO UPDATE … WHERE (SQLite 3.24+ and PostgreSQL):
    a first visit writes its mark without a lookup and a transaction of its own, and two
    tabs of the same user cannot race each other into an IntegrityError."""
    if not user.is_authenticated:
        return
    meta = ThreadRead._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    user_col, thread_col, number_col, time_col = (
        quote(meta.get_field(name).column)
        for name in ("user", "thread", "last_read_number", "updated_at"))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({user_col}, {thread_col}, {number_col}, {time_col}) "  # nosec B608 # identifiers and weights are code constants; every value is a parameter
            f"VALUES (%s, %s, %s, %s) ON CONFLICT ({user_col}, {thread_col}) DO UPDATE SET "
            f"{number_col} = excluded.{number_col}, {time_col} = excluded.{time_col} "
            f"WHERE {table}.{number_col} < excluded.{number_col}",
            [user.pk, thread.pk, number, now])


def get_or_create_tags(names) -> list[Tag]:
    from django.utils.text import slugify

    tags = []
    for name in names:
        clean = " ".join(name.split())[:60]
        slug = slugify(clean)
        if clean and slug:
            tag, _ = Tag.objects.get_or_create(slug=slug, defaults={"name": clean})
            tags.append(tag)
    return tags


@transaction.atomic
def accept_answer(user, thread: Thread, post: Post, as_moderator: bool = False) -> bool:
    """Toggle `post` as the accepted answer; returns True when it is now accepted.
    The answer's author is notified; a moderator's decision is logged."""
    from .models import ModerationAction, Notification
    from .notify import notify_user

    accepting = thread.accepted_post_id != post.pk
    Thread.objects.filter(pk=thread.pk).update(accepted_post=post if accepting else None)
    thread.accepted_post = post if accepting else None
    if as_moderator:
        ModerationAction.objects.create(moderator=user, action=ModerationAction.Action.ACCEPT,
                                        thread=thread, post=post, details={"accepted": accepting})
    if accepting and post.author is not None:
        transaction.on_commit(lambda: notify_user(
            post.author, Notification.Kind.ACCEPTED, thread=thread, post=post, actor=user))
    return accepting
