"""The search page (/sok/). Works without JavaScript: one GET form for the query, one for
the facet filters, links for pagination. search.js only adds suggestions while typing.

Invalid parameters (an unknown filter value, a bad page number) give HTTP 400 with the
message in the normal page; anything typed into the search box gives a normal page.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from .backends.base import FACET_NAMES, Hit
from .forms import (
    FACET_LEGENDS,
    Labels,
    SearchParams,
    parse_params,
    query_string,
    sorted_facet_values,
)
from .service import MAX_QUERY_LENGTH, SearchOutcome, run_search

PAGE_WINDOW = 2  # pages shown either side of the current one


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool
    input_id: str


@dataclass
class FacetGroup:
    name: str
    legend: str
    options: list[FacetOption]


@dataclass
class PageLink:
    number: int | None  # None: a gap ("…")
    url: str = ""
    current: bool = False


def facet_groups(outcome: SearchOutcome, params: SearchParams, labels: Labels) -> list[FacetGroup]:
    """The facets with labels and counts. A selected value is always listed (count 0 if
    nothing matches it any more), so that it can be unticked."""
    groups = []
    for name in FACET_NAMES:
        values = sorted_facet_values(name, outcome.results.facets.get(name, []))
        selected = set(params.filters.get(name, []))
        options = [FacetOption(v.value, labels.label(name, v.value), v.count, v.value in selected,
                               f"filter-{name}-{index}")
                   for index, v in enumerate(values) if v.count or v.value in selected]
        listed = {option.value for option in options}
        options += [FacetOption(value, labels.label(name, value), 0, True,
                                f"filter-{name}-{len(values) + index}")
                    for index, value in enumerate(sorted(selected - listed))]
        if options:
            groups.append(FacetGroup(name, FACET_LEGENDS[name], options))
    return groups


def page_links(params: SearchParams, current: int, num_pages: int) -> list[PageLink]:
    if num_pages <= 1:
        return []
    shown = {1, num_pages, *range(current - PAGE_WINDOW, current + PAGE_WINDOW + 1)}
    links: list[PageLink] = []
    for number in sorted(n for n in shown if 1 <= n <= num_pages):
        if links and links[-1].number is not None and number - links[-1].number > 1:
            links.append(PageLink(None))
        links.append(PageLink(number, params.query_string(page=number), number == current))
    return links


@dataclass
class ResultItem:
    hit: Hit
    kind_label: str
    unit: str
    areas: list[str]
    pinned: bool


def result_items(outcome: SearchOutcome, labels: Labels) -> list[ResultItem]:
    pinned = {hit.key for hit in outcome.pinned}
    return [ResultItem(hit, labels.kind(hit.kind), labels.units.get(hit.organisation_unit, ""),
                       labels.area_names(hit.rights_areas), hit.key in pinned)
            for hit in outcome.hits]


def forum_question_url(request, text: str, filters: dict[str, list[str]]) -> str:
    """Where to ask the forum about a search that found nothing: a new thread, titled with
    the query, in the category of the filtered rights area (else Allmänt); the forum's
    start page when the user may not start threads there."""
    from cms.models import RightsArea
    from forum.page_links import _discussion_category
    from forum.permissions import forum_permissions

    area_ids = list(RightsArea.objects.filter(slug__in=filters.get("omrade", []))
                    .order_by("sort_order", "name").values_list("pk", flat=True))
    category = _discussion_category(forum_permissions(request), area_ids)
    if category is None:
        return reverse("forum:index")
    return f"{reverse('forum:new_thread', args=[category.slug])}?{urlencode({'titel': text})}"


@require_safe
def search_page(request):
    params = parse_params(request.GET)
    context = {
        "search_query": params.text,
        "params": params,
        "max_query_length": MAX_QUERY_LENGTH,
        "search_url": reverse("search"),
    }
    if params.error:
        context["error"] = params.error
        context["without_filters_url"] = params.query_string(filters={})
        return render(request, "search/search.html", context, status=400)
    if not params.text:
        return render(request, "search/search.html", context)

    outcome = run_search(params.text, user=request.user, filters=params.filters, page=params.page)
    if params.page > outcome.num_pages and outcome.results.total:
        # Past the last page (the hits changed since the link was made): show the last one.
        params.page = outcome.num_pages
        outcome = run_search(params.text, user=request.user, filters=params.filters,
                             page=params.page)

    labels = Labels()
    total = outcome.results.total + len(outcome.pinned)
    results = outcome.results
    context.update({
        "outcome": outcome,
        "total": total,
        "results": result_items(outcome, labels),
        "first_number": (outcome.page - 1) * outcome.per_page + 1,
        "facets": facet_groups(outcome, params, labels) if total or params.filters else [],
        "has_filters": bool(params.filters),
        "clear_filters_url": params.query_string(filters={}),
        "pages": page_links(params, outcome.page, outcome.num_pages),
        "previous_url": params.query_string(page=outcome.page - 1) if outcome.page > 1 else "",
        "next_url": (params.query_string(page=outcome.page + 1)
                     if outcome.page < outcome.num_pages else ""),
        "suggestion": results.suggestion if results.suggestion != params.text else None,
        "suggestion_url": (query_string(results.suggestion, params.filters)
                           if results.suggestion else ""),
        "corrected": results.corrected and bool(results.suggestion),
        "approximate": results.approximate,
    })
    if not total:
        context["forum_url"] = forum_question_url(request, params.text, params.filters)
    return render(request, "search/search.html", context)
