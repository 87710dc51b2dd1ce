"""The search page's and the API's parameters (q, filters, sida) and the labels of facet
values. Parsing and validation themselves are search.service's; this module cleans what
the browser sends, builds the URLs that keep a search's parameters, and names things."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.functional import cached_property
from django.utils.translation import gettext, gettext_lazy as _

from .backends.base import FACET_NAMES
from .documents import KIND_LABELS
from .service import MAX_QUERY_LENGTH, InvalidSearch, clean_text, parse_filters, parse_page

# Legends of the facet fieldsets, in the order the page shows them.
FACET_LEGENDS = {
    "typ": _("Typ av innehåll"),
    "omrade": _("Rättighetsområde"),
    "forvaltning": _("Förvaltning, nämnd eller bolag"),
    "steg": _("Steg i MR-trappan"),
    "ar": _("År"),
}
assert tuple(FACET_LEGENDS) == FACET_NAMES  # nosec B101 # import-time invariant between two constants of this module


def strip_control_characters(text: str) -> str:
    """Control characters (NUL from %00, escapes) become spaces; they mean nothing in a
    query and must not reach the page or the backend."""
    return "".join(" " if unicodedata.category(ch) in {"Cc", "Cf", "Cs"} else ch
                   for ch in text)


def error_text(error: InvalidSearch) -> str:
    """The message of an InvalidSearch as plain text (templates and JSON escape for
    themselves); a NUL or other control character from the URL is dropped."""
    return strip_control_characters(str(error))


@dataclass
class SearchParams:
    """A request's search parameters. `error` is set (and filters/page are defaults) when a
    parameter is invalid."""

    text: str = ""
    truncated: bool = False
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: int = 1
    error: str = ""

    def query_string(self, page: int | None = None, filters: dict | None = None) -> str:
        return query_string(self.text, self.filters if filters is None else filters, page)


def parse_params(params) -> SearchParams:
    """q, the facet filters and sida from a QueryDict. Never raises."""
    raw = strip_control_characters(params.get("q", "") or "")
    text = clean_text(raw)
    result = SearchParams(text=text, truncated=len(" ".join(raw.split())) > MAX_QUERY_LENGTH)
    try:
        result.filters = parse_filters(params)
        result.page = parse_page(params.get("sida"))
    except InvalidSearch as error:
        result.filters, result.page, result.error = {}, 1, error_text(error)
    return result


def query_string(text: str, filters: dict[str, list[str]] | None = None,
                 page: int | None = None) -> str:
    """`?q=…&typ=…&sida=…` in a stable order; page 1 is left out."""
    pairs = [("q", text)] if text else []
    for name in FACET_NAMES:
        pairs.extend((name, value) for value in (filters or {}).get(name, []))
    if page and page > 1:
        pairs.append(("sida", str(page)))
    return "?" + urlencode(pairs) if pairs else "?"


class Labels:
    """Display names of facet values and of a hit's unit and areas (a few small queries,
    made at most once per request)."""

    @cached_property
    def areas(self) -> dict[str, str]:
        from cms.models import RightsArea

        return dict(RightsArea.objects.values_list("slug", "name"))

    @cached_property
    def area_order(self) -> dict[str, int]:
        from cms.models import RightsArea

        slugs = RightsArea.objects.order_by("sort_order", "name").values_list("slug", flat=True)
        return {slug: index for index, slug in enumerate(slugs)}

    @cached_property
    def units(self) -> dict[str, str]:
        from cms.models import OrganisationUnit

        return dict(OrganisationUnit.objects.values_list("slug", "name"))

    @cached_property
    def steps(self) -> dict[str, str]:
        from cms.models import StaircaseStep

        return {str(step.number): str(step) for step in StaircaseStep.objects.all()}

    def kind(self, value: str) -> str:
        return KIND_LABELS.get(value, value)

    def label(self, name: str, value: str) -> str:
        if name == "typ":
            return self.kind(value)
        if name == "omrade":
            return self.areas.get(value, value)
        if name == "forvaltning":
            return self.units.get(value, value)
        if name == "steg":
            return self.steps.get(value, gettext("Steg %(number)s") % {"number": value})
        return value

    def area_names(self, slugs) -> list[str]:
        known = sorted((s for s in slugs if s in self.areas),
                       key=lambda s: self.area_order.get(s, 0))
        return [self.areas[s] for s in known]


def sorted_facet_values(name: str, values: list) -> list:
    """Facet values in display order: years newest first, steps in staircase order, the
    rest as the backend ranks them (most hits first)."""
    if name == "ar":
        return sorted(values, key=lambda v: v.value, reverse=True)
    if name == "steg":
        return sorted(values, key=lambda v: (len(v.value), v.value))
    return list(values)
