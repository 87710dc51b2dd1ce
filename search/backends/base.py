"""The interface every search backend implements, and the plain result types."""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ..documents import SearchDocument

FACET_NAMES = ("typ", "omrade", "forvaltning", "steg", "ar")


@dataclass
class SearchQuery:
    """What to search for. `access` is the viewer's access tokens; None means no limit
    (superusers). `filters` maps facet names (FACET_NAMES) to allowed values; values of
    one facet are OR-ed, facets are AND-ed."""

    text: str
    access: frozenset[str] | None
    filters: dict[str, list[str]] = field(default_factory=dict)
    offset: int = 0
    limit: int = 10
    facets: bool = True
    highlight: bool = True
    exclude_keys: frozenset[str] = frozenset()  # pinned results, shown separately


@dataclass
class Hit:
    key: str
    public_id: str
    kind: str
    title: str
    url: str
    summary: str
    snippet: str          # HTML: escaped text with <mark> around matches
    score: float
    organisation_unit: str = ""
    rights_areas: list[str] = field(default_factory=list)
    year: int | None = None
    date: datetime.date | None = None


@dataclass
class FacetValue:
    value: str
    count: int


@dataclass
class SearchResults:
    hits: list[Hit]
    total: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    # "Menade du …?": the query with misspelt words replaced; `corrected` means the hits
    # are already for the suggestion because the query as typed found nothing.
    suggestion: str | None = None
    corrected: bool = False
    # The total and the facet counts are estimates (counted on a sample of a very large
    # set of matches); pages show them as "ca".
    approximate: bool = False


@dataclass
class Suggestion:
    title: str
    url: str
    kind: str


class SearchBackend(ABC):
    """What the rest of the site may ask of a search engine (see search.service)."""

    name = "base"

    @abstractmethod
    def index(self, documents: Iterable[SearchDocument]) -> int:
        """Add or replace documents (by key); returns how many were written."""

    @abstractmethod
    def delete(self, keys: Iterable[str]) -> None:
        """Remove documents by key; unknown keys are ignored."""

    @abstractmethod
    def rebuild(self, documents: Iterable[SearchDocument],
                progress: Callable[[int], None] | None = None) -> int:
        """Replace the whole index with `documents`."""

    @abstractmethod
    def count(self) -> int:
        """How many documents the index holds."""

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResults:
        """Ranked hits for `query`, with facet counts and a spelling suggestion."""

    @abstractmethod
    def suggest(self, text: str, access: frozenset[str] | None, limit: int = 8) -> list[Suggestion]:
        """Titles for as-you-type suggestions."""
