"""The one code path from a user's query to results, used by the page, the API and
`search_evaluate`: validate filters, apply access, pinned results, call the backend."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.translation import gettext as _

from .access import may_see, viewer_tokens
from .backends import get_backend
from .backends.base import FACET_NAMES, Hit, SearchQuery, SearchResults
from .documents import KIND_LABELS
from .models import PinnedResult, normalise_query

MAX_QUERY_LENGTH = 200     # longer input is cut, not refused (a pasted paragraph still works)
MAX_PAGE = 100
PER_PAGE = 10


class InvalidSearch(ValueError):
    """Bad parameters; the message is Swedish and safe to show."""


@dataclass
class SearchOutcome:
    text: str
    results: SearchResults
    pinned: list[Hit] = field(default_factory=list)
    page: int = 1
    per_page: int = PER_PAGE
    filters: dict[str, list[str]] = field(default_factory=dict)

    @property
    def num_pages(self) -> int:
        return max(1, min(MAX_PAGE, math.ceil(self.results.total / self.per_page)))

    @property
    def hits(self) -> list[Hit]:
        return self.pinned + self.results.hits


def clean_text(text: str | None) -> str:
    text = " ".join((text or "").split())
    return text[:MAX_QUERY_LENGTH]


def _allowed_values() -> dict[str, set[str]]:
    from cms.models import OrganisationUnit, RightsArea

    return {
        "typ": set(KIND_LABELS),
        "omrade": set(RightsArea.objects.values_list("slug", flat=True)),
        "forvaltning": set(OrganisationUnit.objects.values_list("slug", flat=True)),
        "steg": {str(step) for step in range(1, 7)},
    }


def parse_filters(params) -> dict[str, list[str]]:
    """Facet filters from a QueryDict; unknown values raise InvalidSearch."""
    filters: dict[str, list[str]] = {}
    allowed = None
    for name in FACET_NAMES:
        values = [v.strip() for v in params.getlist(name) if v.strip()]
        if not values:
            continue
        if name == "ar":
            bad = [v for v in values if not (v.isdigit() and 1900 <= int(v) <= 2100)]
        else:
            allowed = allowed or _allowed_values()
            bad = [v for v in values if v not in allowed[name]]
        if bad:
            raise InvalidSearch(_("Okänt filtervärde för %(name)s: %(value)s") % {
                "name": name, "value": bad[0][:50]})
        filters[name] = sorted(set(values))
    return filters


def parse_page(value: str | None) -> int:
    if value in (None, ""):
        return 1
    if not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        raise InvalidSearch(_("Ogiltigt sidnummer: ange ett tal mellan 1 och %(max)s.")
                            % {"max": MAX_PAGE})
    return int(value)


def pinned_hits(text: str, tokens) -> list[Hit]:
    """Editor-pinned pages for exactly this query that the viewer may see."""
    from .registry import get_source

    normalised = normalise_query(text)
    if not normalised:
        return []
    hits = []
    for pin in PinnedResult.objects.filter(query=normalised).order_by("sort_order", "pk"):
        document = get_source("page").document(pin.page_id)
        if document is None or not may_see(document.access, tokens):
            continue
        hits.append(Hit(key=document.key, public_id=document.public_id, kind=document.kind,
                        title=document.title, url=document.url, summary=document.summary,
                        snippet=escape(document.summary), score=0.0,
                        organisation_unit=document.organisation_unit or "",
                        rights_areas=document.rights_areas, year=document.year,
                        date=document.date))
    return hits


def run_search(text: str, user=None, filters: dict[str, list[str]] | None = None,
               page: int = 1, per_page: int = PER_PAGE, tokens="from-user",
               backend: str | None = None, facets: bool = True) -> SearchOutcome:
    """Search as `user` (or with explicit access `tokens`; None means everything)."""
    text = clean_text(text)
    filters = filters or {}
    if tokens == "from-user":
        tokens = viewer_tokens(user)
    pinned = pinned_hits(text, tokens) if page == 1 and not filters and text else []
    query = SearchQuery(text=text, access=tokens, filters=filters,
                        offset=(page - 1) * per_page, limit=per_page, facets=facets,
                        exclude_keys=frozenset(hit.key for hit in pinned))
    results = get_backend(backend).search(query) if text else SearchResults(hits=[], total=0)
    return SearchOutcome(text=text, results=results, pinned=pinned, page=page,
                         per_page=per_page, filters=filters)
