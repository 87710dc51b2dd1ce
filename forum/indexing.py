"""What search needs to know about a forum thread, as plain data.

`thread_document(thread_id)` is the one function search calls; it returns a dict (or None
when the thread must not be in the index: missing or hidden by a moderator).
`iter_thread_documents()` yields the same documents for every indexable thread (rebuilds).

Keeping the index current — search subscribes to `forum.signals.thread_changed`, which the
forum sends on commit whenever anything a document contains may have changed (new thread,
reply, edit, delete, hide, move, merge, split, tags):

    from django.dispatch import receiver
    from forum.indexing import document_id, thread_document
    from forum.signals import thread_changed

    @receiver(thread_changed, dispatch_uid="search_forum_thread")
    def reindex_forum_thread(sender, thread_id, **kwargs):
        document = thread_document(thread_id)
        if document is None:
            index.delete(document_id(thread_id))
        else:
            index.upsert(document)

Who may read a hit: `permission_scope` says which category the thread is in, whether the
category is closed and which groups have a read row there. Permissions are edited in the
admin without touching threads, so the authoritative check belongs at query time: keep a hit
only if `permission_scope["category_id"]` is in
`forum.permissions.forum_permissions(request).readable_category_ids()` (that also covers
superusers, moderators and open categories where a group's row denies reading). `group_ids`
is a snapshot for pre-filtering in the index.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import unescape
from html.parser import HTMLParser

from django.db.models import Prefetch
from django.utils import timezone

from .models import CategoryPermission, Post, Thread

KIND = "forumtrad"
SUMMARY_LENGTH = 300
BLOCK_TAGS = {"p", "br", "li", "h3", "h4", "pre", "tr", "hr", "table", "ul", "ol"}


def document_id(thread_id: int) -> str:
    return f"forum-{thread_id}"


class _TextExtractor(HTMLParser):
    """Text of sanitised post HTML, one line per block. Quotes are left out: the quoted
    post is indexed on its own, and repeating it would inflate its terms."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.quote_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag == "blockquote":
            self.quote_depth += 1
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag == "blockquote":
            self.quote_depth = max(0, self.quote_depth - 1)
        elif tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.quote_depth:
            self.parts.append(data)


def plain_text(html: str) -> str:
    """Plain text of a post's stored (sanitised) HTML; whitespace collapsed per line."""
    parser = _TextExtractor()
    parser.feed(html or "")
    parser.close()
    lines = (" ".join(line.split()) for line in unescape("".join(parser.parts)).split("\n"))
    return "\n".join(line for line in lines if line)


def excerpt(text: str, length: int = SUMMARY_LENGTH) -> str:
    text = " ".join(text.split())
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:–-") + "…"


def _visible_posts():
    return (Post.objects.filter(is_deleted=False, is_hidden=False)
            .only("id", "thread_id", "number", "html", "created_at", "edited_at")
            .order_by("number"))


def _threads():
    return (Thread.objects.filter(is_hidden=False)
            .select_related("category__rights_area", "author__organisation_unit")
            .prefetch_related("tags", Prefetch("posts", queryset=_visible_posts(),
                                               to_attr="visible_posts")))


def _read_groups(category_ids) -> dict[int, list[int]]:
    groups: dict[int, list[int]] = {}
    rows = CategoryPermission.objects.filter(category_id__in=set(category_ids), can_read=True)
    for category_id, group_id in rows.order_by("group_id").values_list("category_id", "group_id"):
        groups.setdefault(category_id, []).append(group_id)
    return groups


def _document(thread: Thread, read_groups: dict[int, list[int]]) -> dict:
    posts = thread.visible_posts
    texts = [plain_text(post.html) for post in posts]
    category = thread.category
    author = thread.author
    unit = getattr(author, "organisation_unit", None)
    updated = max([thread.created_at, *(p.created_at for p in posts),
                   *(p.edited_at for p in posts if p.edited_at)])
    return {
        "id": document_id(thread.pk),
        "kind": KIND,
        "thread_id": thread.pk,
        "external_id": thread.external_id or None,  # corpus line id of imported threads
        "title": thread.title,
        "summary": excerpt(texts[0]) if texts else "",
        "body": "\n\n".join([thread.title, *(t for t in texts if t)]),
        "category": category.slug,
        "tags": sorted(tag.name for tag in thread.tags.all()),
        "rights_areas": [category.rights_area.slug] if category.rights_area else [],
        "organisation_unit": unit.slug if unit else None,
        "year": timezone.localtime(thread.created_at).year,
        "url": thread.get_absolute_url(),
        "created": thread.created_at,
        "updated": updated,
        "permission_scope": {
            "category_id": category.pk,
            "closed": category.is_closed,
            "group_ids": read_groups.get(category.pk, []),
        },
    }


def thread_document(thread_id: int) -> dict | None:
    """The indexable document of one thread; None if it is missing or hidden."""
    thread = _threads().filter(pk=thread_id).first()
    if thread is None:
        return None
    return _document(thread, _read_groups([thread.category_id]))


def iter_thread_documents(batch_size: int = 200) -> Iterator[dict]:
    """Every indexable thread's document, in id order, a batch of threads at a time."""
    read_groups = _read_groups(Thread.objects.values_list("category_id", flat=True).distinct())
    last_pk = 0
    while True:
        batch = list(_threads().filter(pk__gt=last_pk).order_by("pk")[:batch_size])
        if not batch:
            return
        for thread in batch:
            yield _document(thread, read_groups)
        last_pk = batch[-1].pk
