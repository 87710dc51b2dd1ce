"""The "forum" search source: visible threads, from forum.indexing's plain documents.

Keys are "forum:<thread pk>"; the public id is the corpus id of imported threads, else
"forum-<pk>". Access is the thread's category token: search.access gives every viewer the
tokens of the categories forum.permissions lets them read, so closed categories (and
permission edits made later in the admin) are respected without reindexing any thread.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils import timezone

from search.documents import SearchDocument, forum_category_token
from search.registry import SearchSource, register

from .indexing import iter_thread_documents, thread_document
from .models import Category

SOURCE = "forum"


def _names() -> tuple[dict[str, str], dict[str, str]]:
    """Category and organisation unit names by slug (a few rows each)."""
    from cms.models import OrganisationUnit

    return (dict(Category.objects.values_list("slug", "name")),
            dict(OrganisationUnit.objects.values_list("slug", "name")))


def adapt(data: dict, categories: dict[str, str], units: dict[str, str]) -> SearchDocument:
    """A forum.indexing document as a SearchDocument."""
    unit = data["organisation_unit"]
    meta = [categories.get(data["category"], ""), units.get(unit, "") if unit else ""]
    return SearchDocument(
        key=f"{SOURCE}:{data['thread_id']}",
        public_id=data["external_id"] or data["id"],
        kind=data["kind"],
        title=data["title"],
        url=data["url"],
        summary=data["summary"],
        body=data["body"],
        tags=list(data["tags"]),
        meta="\n".join(part for part in meta if part),
        rights_areas=list(data["rights_areas"]),
        organisation_unit=unit,
        year=data["year"],
        date=timezone.localdate(data["created"]),
        access=[forum_category_token(data["permission_scope"]["category_id"])],
    )


def forum_document(pk: int) -> SearchDocument | None:
    data = thread_document(pk)
    if data is None:
        return None
    return adapt(data, *_names())


def forum_documents() -> Iterator[SearchDocument]:
    categories, units = _names()
    for data in iter_thread_documents():
        yield adapt(data, categories, units)


def register_source() -> None:
    register(SearchSource(name=SOURCE, documents=forum_documents, document=forum_document,
                          label="Forum"))
