"""Moderator actions: flags, hiding posts, lock, pin, move, merge and split.

Every action writes one ModerationAction row. Actions that change what readers (or search)
see recount the affected threads with services.recount_thread and send
signals.thread_changed on commit. Permission checks are the views' job; these functions
validate the input and keep the data consistent.

Merging thread A into B moves A's posts to the end of B (numbered after B's last number, in
A's order, created_at kept), folds A's watchers, read marks, drafts, notifications and tags
into B and then deletes A. Old links to A keep working: `merged_into(A)` finds B through
the MERGE log row, and the thread view redirects there. Post links (`/inlagg/<pk>/`) never
change.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from . import services, signals
from .models import (
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

MAX_REASON_LENGTH = 300
MAX_FLAG_TEXT_LENGTH = 500

Action = ModerationAction.Action


class ModerationError(Exception):
    """A Swedish message for the moderator (or reporter); nothing was changed."""


@dataclass(frozen=True)
class Outcome:
    """What an action did: `changed` is False when the thread already was in that state."""

    changed: bool
    thread: Thread | None = None


# --- helpers ---------------------------------------------------------------------------

def clean_reason(reason: str, *, required: bool = True) -> str:
    text = " ".join((reason or "").split())
    if required and not text:
        raise ModerationError(_("Skriv en anledning. Den visas för den som skrev inlägget."))
    if len(text) > MAX_REASON_LENGTH:
        raise ModerationError(_("Anledningen får vara högst %(max)s tecken.")
                              % {"max": MAX_REASON_LENGTH})
    return text


def _changed(*thread_ids: int) -> None:
    """Tell search (and anyone else listening) once the transaction has committed."""
    for thread_id in thread_ids:
        transaction.on_commit(
            lambda thread_id=thread_id: signals.thread_changed.send(sender=Thread,
                                                                    thread_id=thread_id))


def _log(moderator, action: str, thread: Thread | None = None, post: Post | None = None,
         reason: str = "", **details) -> ModerationAction:
    # Title and category are kept in the details so the log stays readable (and can be
    # limited to the categories a moderator moderates) after a thread is merged away.
    if thread is not None:
        details.setdefault("thread_title", thread.title)
        details.setdefault("category_id", thread.category_id)
    return ModerationAction.objects.create(moderator=moderator, action=action, thread=thread,
                                           post=post, reason=reason, details=details)


def _lock_threads(*thread_ids: int) -> dict[int, Thread]:
    """Row-lock threads in id order (no deadlocks between concurrent merges)."""
    rows = Thread.objects.select_for_update().filter(pk__in=thread_ids).order_by("pk")
    return {thread.pk: thread for thread in rows}


def _refresh_categories(*category_ids: int) -> None:
    services.refresh_category_counts(*category_ids)


# --- flags ---------------------------------------------------------------------------

def has_open_flag(user, post: Post) -> bool:
    return Flag.objects.filter(post=post, reporter=user, resolved_at__isnull=True).exists()


def create_flag(user, post: Post, reason: str, text: str = "") -> Flag:
    """One open flag per user and post; a second one is refused with a message."""
    if reason not in Flag.Reason.values:
        raise ModerationError(_("Välj varför du flaggar inlägget."))
    text = (text or "").strip()
    if len(text) > MAX_FLAG_TEXT_LENGTH:
        raise ModerationError(_("Beskrivningen får vara högst %(max)s tecken.")
                              % {"max": MAX_FLAG_TEXT_LENGTH})
    if not post.is_visible:
        raise ModerationError(_("Inlägget är redan dolt eller borttaget."))
    already = _("Du har redan flaggat det här inlägget. En moderator tittar på det.")
    if has_open_flag(user, post):
        raise ModerationError(already)
    try:
        with transaction.atomic():
            return Flag.objects.create(post=post, reporter=user, reason=reason, text=text)
    except IntegrityError:  # a double submit that raced past the check above
        raise ModerationError(already) from None


def _close_flags(moderator, post: Post, resolution: str) -> int:
    return Flag.objects.filter(post=post, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolved_by=moderator, resolution=resolution[:300])


@transaction.atomic
def resolve_flags(moderator, post: Post, decision: str, reason: str = "") -> int:
    """Dismiss all open flags of a post, or hide the post (which resolves them too).
    Returns the number of flags resolved."""
    if decision == "hide":
        reason = clean_reason(reason)
        count = Flag.objects.filter(post=post, resolved_at__isnull=True).count()
        if not count:
            raise ModerationError(_("Flaggningarna av inlägget är redan hanterade."))
        if not hide_post(moderator, post, reason):  # hidden meanwhile: just close the flags
            _close_flags(moderator, post, _("Inlägget doldes: %(reason)s") % {"reason": reason})
        _log(moderator, Action.RESOLVE_FLAG, post.thread, post, reason, decision="hide",
             flags=count)
        return count
    if decision != "dismiss":
        raise ModerationError(_("Välj om inlägget ska döljas eller om flaggningen ska avfärdas."))
    reason = clean_reason(reason, required=False)
    count = _close_flags(moderator, post, _("Avfärdad") + (f": {reason}" if reason else ""))
    if not count:
        raise ModerationError(_("Flaggningarna av inlägget är redan hanterade."))
    _log(moderator, Action.RESOLVE_FLAG, post.thread, post, reason, decision="dismiss",
         flags=count)
    return count


# --- posts ---------------------------------------------------------------------------

@transaction.atomic
def hide_post(moderator, post: Post, reason: str) -> bool:
    """Hide a post with a reason the author sees; the author gets an in-app notification.
    Open flags on the post are resolved. Returns False if it already was hidden."""
    reason = clean_reason(reason)
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    if post.is_hidden:
        return False
    post.is_hidden, post.hidden_reason, post.hidden_by = True, reason, moderator
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by"])
    _close_flags(moderator, post, _("Inlägget doldes: %(reason)s") % {"reason": reason})
    services.recount_thread(post.thread)
    if post.author_id and post.author_id != getattr(moderator, "pk", None):
        Notification.objects.create(user_id=post.author_id, kind=Notification.Kind.MODERATION,
                                    thread=post.thread, post=post, actor=moderator,
                                    message=reason)
    _log(moderator, Action.HIDE, post.thread, post, reason)
    _changed(post.thread_id)
    return True


@transaction.atomic
def unhide_post(moderator, post: Post) -> bool:
    post = Post.objects.select_for_update().select_related("thread").get(pk=post.pk)
    if not post.is_hidden:
        return False
    previous = post.hidden_reason
    post.is_hidden, post.hidden_reason, post.hidden_by = False, "", None
    post.save(update_fields=["is_hidden", "hidden_reason", "hidden_by"])
    services.recount_thread(post.thread)
    _log(moderator, Action.UNHIDE, post.thread, post, previous_reason=previous)
    _changed(post.thread_id)
    return True


# --- threads: lock, pin, move -----------------------------------------------------------

@transaction.atomic
def set_locked(moderator, thread: Thread, locked: bool) -> Outcome:
    thread = _lock_threads(thread.pk)[thread.pk]
    if thread.is_locked == locked:
        return Outcome(False, thread)
    thread.is_locked = locked
    thread.save(update_fields=["is_locked"])
    _log(moderator, Action.LOCK if locked else Action.UNLOCK, thread)
    return Outcome(True, thread)


@transaction.atomic
def set_pin(moderator, thread: Thread, pin: str) -> Outcome:
    if pin not in Thread.Pin.values:
        raise ModerationError(_("Välj hur tråden ska fästas."))
    thread = _lock_threads(thread.pk)[thread.pk]
    if thread.pin == pin:
        return Outcome(False, thread)
    previous, thread.pin = thread.pin, pin
    thread.save(update_fields=["pin"])
    _log(moderator, Action.PIN if pin else Action.UNPIN, thread, pin=pin, previous=previous)
    return Outcome(True, thread)


@transaction.atomic
def move_thread(moderator, thread: Thread, category: Category) -> Outcome:
    thread = _lock_threads(thread.pk)[thread.pk]
    if thread.category_id == category.pk:
        raise ModerationError(_("Tråden finns redan i kategorin %(name)s.") % {"name": category.name})
    source_id = thread.category_id
    thread.category = category
    thread.save(update_fields=["category"])
    services.recount_thread(thread)
    _refresh_categories(source_id)
    _log(moderator, Action.MOVE, thread, from_category_id=source_id, to_category_id=category.pk)
    _changed(thread.pk)
    return Outcome(True, thread)


# --- merge -------------------------------------------------------------------------

def merged_into(thread_id: int) -> Thread | None:
    """The thread a merged-away thread now lives on in, following chains of merges
    (A into B, later B into C); None if the thread was never merged."""
    seen: set[int] = set()
    while thread_id not in seen:
        seen.add(thread_id)
        entry = (ModerationAction.objects.filter(action=Action.MERGE,
                                                 details__merged_thread_id=thread_id)
                 .order_by("-created_at", "-pk").first())
        if entry is None:
            return None
        thread_id = entry.details.get("into_thread_id")
        target = Thread.objects.select_related("category").filter(pk=thread_id).first()
        if target is not None:
            return target
    return None


def _merge_watches(source: Thread, target: Thread) -> None:
    """Watch rows of A move to B; where a user has both, B's level wins unless A's is
    higher and B is not muted (muting is an explicit choice)."""
    existing = {w.user_id: w for w in Watch.objects.filter(thread=target)}
    for watch in Watch.objects.filter(thread=source):
        mine = existing.get(watch.user_id)
        if mine is None:
            Watch.objects.filter(pk=watch.pk).update(thread=target)
        elif mine.level != WatchLevel.MUTED and watch.level > mine.level:
            Watch.objects.filter(pk=mine.pk).update(level=watch.level)


def _merge_reads(source: Thread, target_last_number: int, renumbered: dict[int, int],
                 target: Thread) -> None:
    """A reader who had read all of B and part of A has read B up to A's mapped post;
    other read marks on A are dropped (A's posts then count as new in B)."""
    mapped = sorted(renumbered.items())
    for read in ThreadRead.objects.filter(thread=source):
        upto = 0
        for old, new in mapped:
            if old <= read.last_read_number:
                upto = new
        if upto:
            ThreadRead.objects.filter(user_id=read.user_id, thread=target,
                                      last_read_number__gte=target_last_number,
                                      last_read_number__lt=upto).update(last_read_number=upto)


def _merge_drafts(source: Thread, target: Thread) -> None:
    """Unsent replies to A are kept: moved to B, or appended to the user's draft for B."""
    existing = {d.user_id: d for d in Draft.objects.filter(thread=target)}
    for draft in Draft.objects.filter(thread=source):
        mine = existing.get(draft.user_id)
        if mine is None:
            Draft.objects.filter(pk=draft.pk).update(thread=target)
        elif draft.markdown.strip():
            mine.markdown = f"{mine.markdown.rstrip()}\n\n{draft.markdown.strip()}".strip()
            mine.save(update_fields=["markdown", "updated_at"])


@transaction.atomic
def merge_threads(moderator, source: Thread, target: Thread) -> Thread:
    """Move every post of `source` to the end of `target`, then delete `source`."""
    if source.pk == target.pk:
        raise ModerationError(_("En tråd kan inte slås ihop med sig själv."))
    locked = _lock_threads(source.pk, target.pk)
    if len(locked) != 2:
        raise ModerationError(_("Hittar ingen tråd med det numret eller den adressen."))
    source, target = locked[source.pk], locked[target.pk]
    start = max(target.last_number,
                target.posts.aggregate(m=Max("number"))["m"] or 0)
    posts = list(source.posts.order_by("number"))
    renumbered: dict[int, int] = {}
    for offset, post in enumerate(posts, start=1):
        renumbered[post.number] = start + offset
        post.thread, post.number = target, start + offset
    Post.objects.bulk_update(posts, ["thread", "number"])

    _merge_watches(source, target)
    _merge_reads(source, start, renumbered, target)
    _merge_drafts(source, target)
    Notification.objects.filter(thread=source).update(thread=target)
    target.tags.add(*source.tags.all())
    if target.linked_page_id is None and source.linked_page_id is not None:
        target.linked_page_id = source.linked_page_id
        target.save(update_fields=["linked_page"])

    _log(moderator, Action.MERGE, target, merged_thread_id=source.pk, into_thread_id=target.pk,
         merged_title=source.title, merged_category_id=source.category_id,
         posts=len(posts), first_number=start + 1)
    source_id, source_category = source.pk, source.category_id
    source.delete()
    services.recount_thread(target)
    _refresh_categories(source_category)
    _changed(source_id, target.pk)
    return target


# --- split -------------------------------------------------------------------------

@transaction.atomic
def split_thread(moderator, thread: Thread, post_ids, title: str, category: Category) -> Thread:
    """Move the chosen posts (in their order) to a new thread, numbered 1..n."""
    try:
        title = services.clean_title(title)
    except services.PostingError as error:
        raise ModerationError(str(error)) from None
    thread = _lock_threads(thread.pk)[thread.pk]
    values = [str(pk).strip() for pk in post_ids]
    if not all(value.isdigit() and len(value) <= 18 for value in values):
        raise ModerationError(_("Några av de valda inläggen finns inte i tråden."))
    wanted = {int(value) for value in values}
    if not wanted:
        raise ModerationError(_("Välj minst ett inlägg som ska flyttas till den nya tråden."))
    posts = list(thread.posts.filter(pk__in=wanted).order_by("number"))
    if len(posts) != len(wanted):
        raise ModerationError(_("Några av de valda inläggen finns inte i tråden."))
    if len(posts) == thread.posts.count():
        raise ModerationError(_("Du kan inte flytta alla inlägg. Flytta hela tråden i stället."))
    if any(post.number == 1 for post in posts):
        raise ModerationError(_("Trådens första inlägg kan inte flyttas till en ny tråd."))

    first = posts[0]
    new = Thread.objects.create(category=category, title=title, author_id=first.author_id,
                                created_at=first.created_at, last_post_at=first.created_at)
    old_numbers = [post.number for post in posts]
    for number, post in enumerate(posts, start=1):
        post.thread, post.number = new, number
    Post.objects.bulk_update(posts, ["thread", "number"])
    Notification.objects.filter(post__in=posts).update(thread=new)
    new.tags.set(thread.tags.all())
    if thread.accepted_post_id in {post.pk for post in posts}:
        thread.accepted_post = None
        thread.save(update_fields=["accepted_post"])

    # Followers of the conversation follow both halves; read marks carry over.
    Watch.objects.bulk_create([Watch(user_id=w.user_id, thread=new, level=w.level)
                               for w in Watch.objects.filter(thread=thread)])
    reads = []
    for read in ThreadRead.objects.filter(thread=thread):
        upto = sum(1 for number in old_numbers if number <= read.last_read_number)
        if upto:
            reads.append(ThreadRead(user_id=read.user_id, thread=new, last_read_number=upto,
                                    updated_at=read.updated_at))
    ThreadRead.objects.bulk_create(reads)

    services.recount_thread(thread)
    services.recount_thread(new)
    # recount_thread lowers last_number when the highest posts left; read marks above it
    # would otherwise swallow the next replies.
    ThreadRead.objects.filter(thread=thread, last_read_number__gt=thread.last_number).update(
        last_read_number=thread.last_number)
    _log(moderator, Action.SPLIT, thread, new_thread_id=new.pk, new_title=new.title,
         new_category_id=category.pk, post_ids=[post.pk for post in posts],
         numbers=old_numbers)
    _changed(thread.pk, new.pk)
    return new
