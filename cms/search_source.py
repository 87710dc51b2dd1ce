"""The "page" search source: live methods, guidance and good examples.

Documents are read from the page rows, which hold the published content only (Wagtail keeps
drafts in revisions), and only for live pages, so a draft can never reach the index. Keys
are "page:<page pk>"; the public id is the slug.

Access follows Wagtail's view restrictions on the page and its ancestors: none or "signed
in" -> ACCESS_ALL; group restrictions -> the groups' tokens (with several nested group
restrictions, the groups allowed by all of them); a password restriction keeps the page out
of the index altogether.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import strip_tags
from wagtail.models import Page, PageViewRestriction

from search.documents import ACCESS_ALL, SearchDocument, group_token
from search.registry import SearchSource, register

from .models import Attachment, ContentPage, GoodExamplePage, GuidancePage, MethodPage
from .text import stream_text

SOURCE = "page"
KINDS: dict[type[ContentPage], str] = {
    MethodPage: "metod",
    GuidancePage: "vagledning",
    GoodExamplePage: "gott-exempel",
}
# Type-specific text fields, in reading order (rich text ones hold HTML).
TEXT_FIELDS = ("purpose", "when_to_use", "time_needed", "participants",
               "background", "what_was_done", "results", "lessons")
STREAM_FIELDS = ("steps", "body")
BATCH_SIZE = 200

_BLOCK_END = re.compile(r"(<br\s*/?>|</(p|li|h[1-6]|div|blockquote|tr|ul|ol|pre)>)", re.I)


def html_text(value: str) -> str:
    """Plain text of rich text: block ends become line breaks so words never run together."""
    if not value:
        return ""
    text = html.unescape(strip_tags(_BLOCK_END.sub("\n", value)))
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


# --- access -----------------------------------------------------------------------------

class Restrictions:
    """Every view restriction in the tree, loaded once (there are few), matched by path."""

    def __init__(self, restrictions: Iterable[PageViewRestriction] | None = None):
        if restrictions is None:
            restrictions = (PageViewRestriction.objects.select_related("page")
                            .prefetch_related("groups").order_by("page__path"))
        self.rows = [(r.page.path, r.restriction_type, frozenset(g.pk for g in r.groups.all()))
                     for r in restrictions]

    def access(self, path: str) -> list[str] | None:
        """Access tokens of the page at `path`; None when it must not be indexed."""
        groups: frozenset[int] | None = None
        for restricted_path, kind, group_ids in self.rows:
            if not path.startswith(restricted_path):
                continue
            if kind == PageViewRestriction.PASSWORD:
                return None
            if kind == PageViewRestriction.GROUPS:
                groups = group_ids if groups is None else groups & group_ids
            # LOGIN: every viewer with tokens is signed in, so ACCESS_ALL already says it.
        if groups is None:
            return [ACCESS_ALL]
        return [group_token(pk) for pk in sorted(groups)]


def page_access(page: Page) -> list[str] | None:
    """Access tokens of one page (its own and its ancestors' restrictions); None = not
    indexable. Used by other sources whose objects live below a page (conference)."""
    restrictions = (PageViewRestriction.objects
                    .filter(page__in=Page.objects.ancestor_of(page, inclusive=True))
                    .select_related("page").prefetch_related("groups"))
    return Restrictions(restrictions).access(page.path)


# --- documents --------------------------------------------------------------------------

def _queryset(model):
    return (model.objects.live().filter(alias_of__isnull=True)
            .select_related("organisation_unit")
            .prefetch_related(
                "rights_areas", "principles", "staircase_steps", "target_groups", "tags",
                Prefetch("attachments", to_attr="search_attachments",
                         queryset=Attachment.objects.select_related("document")
                         .order_by("sort_order", "pk")),
            ))


def _body(page: ContentPage) -> str:
    parts = []
    for name in TEXT_FIELDS:
        value = getattr(page, name, "")
        if value:
            parts.append(html_text(value))
    for name in STREAM_FIELDS:
        value = getattr(page, name, None)
        if value:
            parts.append(html_text(stream_text(value)))
    for attachment in page.search_attachments:
        document = attachment.document
        parts.extend([document.title, attachment.description, document.extracted_text])
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def _document(page: ContentPage, access: list[str] | None) -> SearchDocument | None:
    if access is None:
        return None
    url = page.get_url()
    if not url:  # outside every site: nowhere to send a reader
        return None
    unit = page.organisation_unit
    rights_areas = list(page.rights_areas.all())
    principles = list(page.principles.all())
    target_groups = list(page.target_groups.all())
    steps = sorted(page.staircase_steps.all(), key=lambda step: step.number)
    published = timezone.localtime(page.first_published_at) if page.first_published_at else None
    year = getattr(page, "year", None) or (published.year if published else None)
    meta = [unit.name if unit else "",
            *(area.name for area in rights_areas),
            *(principle.name for principle in principles),
            *(group.name for group in target_groups),
            *(step.name for step in steps)]
    return SearchDocument(
        key=f"{SOURCE}:{page.pk}",
        public_id=page.slug,
        kind=KINDS[type(page)],
        title=page.title,
        url=url,
        summary=page.summary or "",
        body=_body(page),
        tags=sorted(tag.name for tag in page.tags.all()),
        meta="\n".join(part for part in meta if part),
        rights_areas=sorted(area.slug for area in rights_areas),
        organisation_unit=unit.slug if unit else None,
        staircase_steps=[step.number for step in steps],
        year=year,
        date=published.date() if published else None,
        access=access,
    )


def page_document(pk: int) -> SearchDocument | None:
    """The current document of one page; None for drafts, unpublished, deleted and
    password-protected pages, aliases and pages of other types."""
    row = Page.objects.filter(pk=pk).values_list("content_type__app_label",
                                                 "content_type__model").first()
    if row is None:
        return None
    model = next((m for m in KINDS if (m._meta.app_label, m._meta.model_name) == row), None)
    if model is None:
        return None
    page = _queryset(model).filter(pk=pk).first()
    if page is None:
        return None
    return _document(page, page_access(page))


def page_documents(batch_size: int = BATCH_SIZE) -> Iterator[SearchDocument]:
    """Every indexable page, a batch at a time: a constant number of queries per batch."""
    restrictions = Restrictions()
    for model in KINDS:
        last_pk = 0
        while True:
            batch = list(_queryset(model).filter(pk__gt=last_pk).order_by("pk")[:batch_size])
            if not batch:
                break
            for page in batch:
                document = _document(page, restrictions.access(page.path))
                if document is not None:
                    yield document
            last_pk = batch[-1].pk


def register_source() -> None:
    register(SearchSource(name=SOURCE, documents=page_documents, document=page_document,
                          label="Sidor"))
