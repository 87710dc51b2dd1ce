"""Keeping the index current: one object at a time (live updates) or everything (rebuild)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

from django.db import transaction

from .backends import get_backend
from .documents import SearchDocument
from .registry import get_source, sources

logger = logging.getLogger(__name__)


def index_object(source: str, pk: int) -> str:
    """Re-read one object and index it, or remove it if it must not be found.
    Returns "indexed" or "removed"."""
    document = get_source(source).document(pk)
    backend = get_backend()
    if document is None:
        backend.delete([f"{source}:{pk}"])
        return "removed"
    backend.index([document])
    return "indexed"


def remove_object(source: str, pk: int) -> None:
    get_backend().delete([f"{source}:{pk}"])


def queue_index(source: str, pk: int) -> None:
    """Queue (re)indexing of one object once the current transaction commits."""
    from .tasks import index_object_task

    transaction.on_commit(lambda: index_object_task.enqueue(source, pk))


def queue_remove(source: str, pk: int) -> None:
    from .tasks import remove_object_task

    transaction.on_commit(lambda: remove_object_task.enqueue(source, pk))


def all_documents() -> Iterator[SearchDocument]:
    for source in sources():
        yield from source.documents()


def rebuild(backend_name: str | None = None,
            progress: Callable[[int], None] | None = None) -> int:
    """Rebuild the whole index from every registered source; returns the document count."""
    backend = get_backend(backend_name)
    count = backend.rebuild(all_documents(), progress=progress)
    logger.debug("search index rebuilt", extra={"backend": backend.name, "documents": count})
    return count
