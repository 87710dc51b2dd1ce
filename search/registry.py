"""Sources of searchable documents. Each app registers one source in its AppConfig.ready():

    from search.registry import SearchSource, register
    register(SearchSource(name="forum", documents=iter_docs, document=doc_for_pk))

`documents()` yields every indexable SearchDocument (for rebuilds); `document(pk)` returns
the current document of one object, or None when it must not be in the index (deleted,
unpublished, hidden). Keys are "<name>:<pk>". Adding a source touches nothing in search.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .documents import SearchDocument


@dataclass(frozen=True)
class SearchSource:
    name: str
    documents: Callable[[], Iterable[SearchDocument]]
    document: Callable[[int], SearchDocument | None]
    label: str = ""


_sources: dict[str, SearchSource] = {}


def register(source: SearchSource) -> None:
    if ":" in source.name:
        raise ValueError("source names cannot contain ':'")
    _sources[source.name] = source


def sources() -> list[SearchSource]:
    return list(_sources.values())


def get_source(name: str) -> SearchSource:
    try:
        return _sources[name]
    except KeyError:
        raise LookupError(f"no search source named {name!r}") from None


def split_key(key: str) -> tuple[str, int]:
    name, _, pk = key.partition(":")
    return name, int(pk)
