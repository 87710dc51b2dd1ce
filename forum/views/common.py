"""Helpers shared by the reading and writing views: where a post lives, what a viewer may
see of it, drafts and thread lists."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Prefetch, Q, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import services, unread
from ..authors import author_label
from ..models import POSTS_PER_PAGE, Draft, Post, Reaction, Tag, Thread, Watch, WatchLevel

THREADS_PER_PAGE = 30


# --- where a post is ------------------------------------------------------------------

def post_page_number(post: Post) -> int:
    """The page of its thread a post is on. Counts by position, not by number, because a
    split leaves gaps in the numbering."""
    position = Post.objects.filter(thread_id=post.thread_id, number__lt=post.number).count()
    return position // POSTS_PER_PAGE + 1


def thread_page_url(thread_id: int, page: int = 1) -> str:
    url = reverse("forum:thread", args=[thread_id])
    return f"{url}?sida={page}" if page > 1 else url


def post_url(post: Post) -> str:
    """The thread page a post is on, with its anchor."""
    return f"{thread_page_url(post.thread_id, post_page_number(post))}#{post.anchor}"


# --- what a viewer sees of a post ------------------------------------------------------

def may_see_text(perms, thread: Thread, post: Post) -> bool:
    """Mirrors ForumPermissions.visible_posts for one post already loaded."""
    if perms.can_moderate(thread):
        return True
    own = post.author_id is not None and post.author_id == perms.user.pk
    return (not post.is_hidden or own) and (not post.is_deleted or own)


def decorate_post(perms, thread: Thread, post: Post) -> Post:
    """Set what the thread template needs: show_text, placeholder, status notes and the
    actions the viewer may take on the post."""
    post.thread = thread  # already loaded; saves a query per permission check
    post.show_text = may_see_text(perms, thread, post)
    post.placeholder = ""
    if not post.show_text:
        post.placeholder = (_("Inlägget är borttaget") if post.is_deleted
                            else _("Inlägget är dolt av en moderator"))
    post.author_name = author_label(post.author)
    post.is_own = post.author_id is not None and post.author_id == perms.user.pk
    post.can_edit = post.show_text and perms.can_edit_post(post)
    post.can_delete = post.can_edit and not post.is_deleted
    post.can_react = post.is_visible and not post.is_own
    post.can_quote = post.is_visible
    post.can_flag = post.is_visible and not post.is_own
    return post


def get_post_or_404(perms, pk: int, *, need_text: bool = True) -> Post:
    """A post in a thread the user may read; with `need_text`, also one whose text the user
    may see (deleted and hidden posts only for their author and moderators)."""
    post = (Post.objects.select_related("thread__category", "author")
            .filter(pk=pk).first())
    if post is None or not perms.can_read_thread(post.thread):
        raise Http404
    if need_text and not may_see_text(perms, post.thread, post):
        raise Http404
    return post


def attach_reactions(posts: list[Post], user) -> None:
    """Reaction counts per kind and the viewer's own reactions, in one query."""
    rows = (Reaction.objects.filter(post__in=[p.pk for p in posts])
            .values("post_id", "kind")
            .annotate(n=Count("pk"), mine=Count("pk", filter=Q(user_id=user.pk))))
    found: dict[int, dict[str, tuple[int, bool]]] = {}
    for row in rows:
        found.setdefault(row["post_id"], {})[row["kind"]] = (row["n"], bool(row["mine"]))
    for post in posts:
        own = found.get(post.pk, {})
        post.reaction_list = [
            {"kind": kind, "label": label, "count": own.get(kind, (0, False))[0],
             "mine": own.get(kind, (0, False))[1]}
            for kind, label in Reaction.Kind.choices
        ]
        post.reaction_total = sum(item["count"] for item in post.reaction_list)


# --- drafts ----------------------------------------------------------------------------

def save_draft(user, *, thread: Thread | None = None, category=None, text: str = "",
               title: str = "") -> None:
    """Keep what the user wrote (replies per thread, new threads per category)."""
    text = (text or "").replace("\r\n", "\n")
    if not text.strip() and not (title or "").strip():
        delete_draft(user, thread=thread, category=category)
        return
    if thread is not None:
        Draft.objects.update_or_create(user=user, thread=thread,
                                       defaults={"markdown": text, "title": ""})
    else:
        Draft.objects.update_or_create(user=user, category=category, thread=None,
                                       defaults={"markdown": text, "title": (title or "")[:200]})


def delete_draft(user, *, thread: Thread | None = None, category=None) -> None:
    if thread is not None:
        Draft.objects.filter(user=user, thread=thread).delete()
    else:
        Draft.objects.filter(user=user, category=category, thread__isnull=True).delete()


def get_draft(user, *, thread: Thread | None = None, category=None) -> Draft | None:
    if thread is not None:
        return Draft.objects.filter(user=user, thread=thread).first()
    return Draft.objects.filter(user=user, category=category, thread__isnull=True).first()


# --- thread lists ----------------------------------------------------------------------

def thread_list(perms, queryset=None, *, pinned_first: bool = False):
    """Readable threads with everything a list row shows, in a fixed number of queries:
    one for the rows (with the unread join) and one for their tags."""
    threads = perms.readable_threads(queryset)
    threads = unread.annotate_unread(threads, perms.user)
    threads = threads.select_related("category", "author", "last_post__author").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("name")))
    if pinned_first:
        threads = threads.annotate(pin_rank=Case(
            When(pin__in=[Thread.Pin.CATEGORY, Thread.Pin.GLOBAL], then=Value(0)),
            default=Value(1), output_field=IntegerField(),
        )).order_by("pin_rank", "-last_post_at", "-pk")
    else:
        threads = threads.order_by("-last_post_at", "-pk")
    return threads


def watch_level(user, **target) -> int:
    """The user's watch level on a thread, category or tag (NORMAL when none is set)."""
    level = Watch.objects.filter(user=user, **target).values_list("level", flat=True).first()
    return WatchLevel.NORMAL if level is None else level


def preview_html(text: str) -> str:
    """A post's text rendered exactly as it will be stored (the one sanitising path)."""
    return services.render(text).html if (text or "").strip() else ""


def wants_fragment(request) -> bool:
    """A fetch() from forum.js (it sends this header) rather than a form submit."""
    return request.headers.get("X-Requested-With") == "fetch"


# --- quoting ---------------------------------------------------------------------------

_MARKDOWN_SPECIAL = str.maketrans({c: f"\\{c}" for c in "\\`*_[]()<>#!|~"})


def quote_markdown(post: Post) -> str:
    """"> " lines of a post's text under a linked attribution, ready for a reply."""
    name = author_label(post.author).translate(_MARKDOWN_SPECIAL)
    attribution = _("%(name)s skrev") % {"name": name}
    link = reverse("forum:post", args=[post.pk])
    lines = [f"> [{attribution}]({link}):", ">"]
    lines += [f"> {line}" if line.strip() else ">" for line in post.markdown.splitlines()]
    return "\n".join(lines) + "\n\n"


def quoted_post(thread: Thread, value) -> Post | None:
    """The post a `?citera=<pk>` asks for: a visible post of this thread, else None."""
    try:
        pk = int(value or "")
    except ValueError:
        return None
    post = thread.posts.select_related("author").filter(pk=pk).first()
    return post if post is not None and post.is_visible else None


def text_with_quote(draft_text: str, post: Post | None) -> str:
    """The reply box: the saved draft, then the quote asked for (if any)."""
    if post is None:
        return draft_text
    quote = quote_markdown(post)
    return f"{draft_text.rstrip()}\n\n{quote}" if draft_text.strip() else quote
