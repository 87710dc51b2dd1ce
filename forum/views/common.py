"""Helpers shared by the reading and writing views: where a post lives, what a viewer may
see of it, drafts and thread lists."""

from __future__ import annotations

import re
from operator import attrgetter

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
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


class RouteWithPk:
    """A URL pattern with one integer argument, reversed once: each URL after that is a
    string join. A thread page shows about eight links and forms per post, a list about
    four per row, and a reverse() costs about 30 µs (tests/benchmarks/bench_forum.py).
    Make one per request (or list): the result depends on the request's script prefix."""

    STAND_IN = "987654321"

    def __init__(self, name: str):
        self.name = name
        self.parts = reverse(name, args=[self.STAND_IN]).split(self.STAND_IN)

    def __call__(self, value) -> str:
        if len(self.parts) != 2:  # the stand-in also occurs elsewhere: no shortcut
            return reverse(self.name, args=[value])
        return f"{self.parts[0]}{self.clean(value)}{self.parts[1]}"

    @staticmethod
    def clean(value) -> str:
        return str(int(value))


class RouteWithSlug(RouteWithPk):
    """The same for a slug argument (category and tag pages). A slug is [-a-zA-Z0-9_]
    already, so it needs no quoting; anything else goes through reverse()."""

    STAND_IN = "zz987654321zz"

    def __call__(self, value) -> str:
        if len(self.parts) != 2 or not _SLUG.fullmatch(value or ""):
            return reverse(self.name, args=[value])
        return f"{self.parts[0]}{value}{self.parts[1]}"


_SLUG = re.compile(r"[-a-zA-Z0-9_]+")


class PostLinks:
    """Every URL the thread template needs for a post (`post.urls.<name>`), from one reverse()
    per route and page rather than one per post and use."""

    ROUTES = {
        "permalink": "forum:post", "react": "forum:react", "edit": "forum:edit_post",
        "delete": "forum:delete_post", "history": "forum:post_history",
        "flag": "forum:flag_post", "hide": "forum:hide_post",
    }

    def __init__(self):
        self.routes = {key: RouteWithPk(name) for key, name in self.ROUTES.items()}
        self.profile = RouteWithPk("forum:profile")

    def for_post(self, post: Post) -> dict[str, str]:
        urls = {key: route(post.pk) for key, route in self.routes.items()}
        urls["author"] = self.profile(post.author_id) if post.author_id is not None else ""
        return urls


def decorate_post(perms, thread: Thread, post: Post, links: PostLinks | None = None) -> Post:
    """Set what the thread template needs: show_text, placeholder, status notes, the
    actions the viewer may take on the post and their URLs (`post.urls`; pass one PostLinks
    for all the posts of a page)."""
    post.thread = thread  # already loaded; saves a query per permission check
    post.urls = (links or PostLinks()).for_post(post)
    post.show_text = may_see_text(perms, thread, post)
    post.placeholder = ""
    if not post.show_text:
        post.placeholder = (_("Inlägget är borttaget") if post.is_deleted
                            else _("Inlägget är dolt av en moderator"))
    post.author_name = author_label(post.author)
    post.is_own = post.author_id is not None and post.author_id == perms.user.pk
    post.can_edit = post.show_text and perms.can_edit_post(post)
    post.can_delete = post.can_edit and not post.is_deleted
    post.can_see_history = bool(post.edit_count) and post.show_text and perms.can_see_history(post)
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
    kinds = [(kind, str(label)) for kind, label in Reaction.Kind.choices]  # translated once
    for post in posts:
        own = found.get(post.pk, {})
        post.reaction_list = [
            {"kind": kind, "label": label, "count": own.get(kind, (0, False))[0],
             "mine": own.get(kind, (0, False))[1]}
            for kind, label in kinds
        ]
        post.reaction_total = sum(item["count"] for item in post.reaction_list)


# --- drafts ----------------------------------------------------------------------------

def save_draft(user, *, thread: Thread | None = None, category=None, text: str = "",
               title: str = "") -> None:
    """Keep what the user wrote (replies per thread, new threads per category). NUL is
    dropped, as in posts: PostgreSQL cannot store it in text."""
    text = (text or "").replace("\r\n", "\n").replace("\x00", "")
    title = (title or "").replace("\x00", "")
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

LATEST_FIRST = ("-last_post_at", "-pk")
# A category's list: globally pinned threads, then the category's own pins, then the rest,
# each by latest activity. The Pin values sort that way, so the order is plain columns and
# the index forum_thread_cat_pin_activity serves it (no sort of the whole category).
PINNED_FIRST = ("-pin", "-last_post_at", "-pk")


def thread_list(perms, queryset=None, *, order=LATEST_FIRST, tags: bool = True):
    """Readable threads with everything a list row shows, in a fixed number of queries:
    one for the rows (with the unread join) and one for their tags (`tags=False` leaves
    them to the caller, who may fetch them for several lists at once: prefetch_tags).
    Give the loaded rows to prepare_rows for the template (forum/_thread_row.html).

    The category is not joined: prepare_rows takes it from the ones ForumPermissions has
    loaded. That also leaves SQLite one table to start from, so it walks the activity
    index to the first rows even with ANALYZE statistics (with the category joined it
    started from the categories and sorted every thread: 80 ms for the index page)."""
    threads = perms.readable_threads(queryset)
    threads = unread.annotate_unread(threads, perms.user, state=perms.unread_state)
    threads = threads.select_related("author", "last_post__author").defer(
        "last_post__markdown", "last_post__html")  # a row shows who wrote it, not what
    if tags:
        threads = threads.prefetch_related(TAGS_BY_NAME)
    return threads.order_by(*order)


TAGS_BY_NAME = Prefetch("tags", queryset=Tag.objects.order_by("name"))


def prefetch_tags(*thread_lists) -> None:
    """The tags of the threads of several loaded lists in one query."""
    prefetch_related_objects([t for threads in thread_lists for t in threads], TAGS_BY_NAME)


def in_order(rows: list, order) -> list:
    """Rows sorted here as `order_by(*order)` would have."""
    for field in reversed(order):  # stable sorts, last key first
        rows.sort(key=attrgetter(field.lstrip("-")), reverse=field.startswith("-"))
    return rows


def prepare_rows(perms, threads) -> list:
    """Loaded thread_list() rows made ready for forum/_thread_row.html: each thread's
    category (from ForumPermissions, no query), its authors' names, and its links
    (`thread.urls`, `tag.url` for its tags) from one reverse() per route and list rather
    than three to five per row."""
    threads = list(threads)
    thread_url, category_url, tag_url = (RouteWithPk("forum:thread"),
                                         RouteWithSlug("forum:category"),
                                         RouteWithSlug("forum:tag"))
    for thread in threads:
        category = perms.loaded_category(thread.category_id)
        if category is not None:
            thread.category = category
        thread.author_name = author_label(thread.author)
        thread.last_author_name = (author_label(thread.last_post.author)
                                   if thread.last_post is not None else "")
        url = thread_url(thread.pk)
        thread.urls = {"thread": url, "unread": f"{url}?olast=1",
                       "category": category_url(thread.category.slug)}
        for tag in thread.tags.all():
            tag.url = tag_url(tag.slug)
    return threads


class ThreadPaginator(Paginator):
    """Pages of the readable threads of `queryset` in `order`. The paginator counts and
    slices the threads alone (`object_list`: no unread join, nothing related), and a
    page's rows are thread_list() rows fetched by the ids of that slice (LIMIT/OFFSET in a
    subquery) and put in order here: a deep page skips its offset in the index instead of
    joining every skipped row, and the rows are 30 primary-key lookups, still one query.
    A page's object_list is a list, ready for forum/_thread_row.html."""

    def __init__(self, perms, queryset, per_page, order=LATEST_FIRST):
        super().__init__(perms.readable_threads(queryset).order_by(*order), per_page)
        self.perms = perms
        self.order = order
        self.rows = thread_list(perms, queryset, order=())

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.object_list.values("pk")[bottom:top]
        rows = in_order(list(self.rows.filter(pk__in=ids)), self.order)
        return self._get_page(prepare_rows(self.perms, rows), number, self)


def thread_page(request, perms, queryset, order=LATEST_FIRST):
    """The page of a thread list that `?sida=` asks for."""
    return ThreadPaginator(perms, queryset, THREADS_PER_PAGE, order).get_page(
        request.GET.get("sida"))


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
