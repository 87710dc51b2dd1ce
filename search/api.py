"""The JSON search API (/api/sok/) and the suggestions behind the search boxes
(/api/sok/forslag/). Signed-in users only, like every page (LoginRequiredMiddleware: an
anonymous request is redirected to the sign-in page). Results are limited to what the user
may see, exactly as on the search page: both go through search.service.run_search.
"""

from __future__ import annotations

from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from .access import viewer_tokens
from .backends import get_backend
from .backends.base import FACET_NAMES
from .forms import Labels, parse_params, sorted_facet_values, strip_control_characters
from .service import clean_text, run_search

SUGGEST_MIN_LENGTH = 2
SUGGEST_MAX_LENGTH = 100
SUGGEST_LIMIT = 8


def _json(data: dict, status: int = 200) -> JsonResponse:
    # Swedish letters as they are, not \u escapes; results depend on the user: never shared.
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    patch_cache_control(response, private=True, no_store=True)
    return response


def _absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if url.startswith("/") else url


@require_safe
def search_api(request):
    """`{"query", "total", "page", "num_pages", "results", "facets", "suggestion",
    "corrected", "approximate"}` (approximate: the total and the facet counts are
    estimates, rounded); 400 `{"error": "…"}` for an unknown filter value or a bad page number."""
    params = parse_params(request.GET)
    if params.error:
        return _json({"error": params.error}, status=400)
    outcome = run_search(params.text, user=request.user, filters=params.filters, page=params.page)
    labels = Labels()
    results = outcome.results
    return _json({
        "query": outcome.text,
        "total": results.total + len(outcome.pinned),
        "page": outcome.page,
        "num_pages": outcome.num_pages,
        "results": [{
            "id": hit.public_id,
            "kind": hit.kind,
            "title": hit.title,
            "url": _absolute(request, hit.url),
            "snippet": hit.snippet,
            "score": hit.score,
        } for hit in outcome.hits],
        "facets": {
            name: [{"value": v.value, "label": labels.label(name, v.value), "count": v.count}
                   for v in sorted_facet_values(name, results.facets.get(name, []))]
            for name in FACET_NAMES
        },
        "suggestion": results.suggestion or None,
        "corrected": bool(results.corrected),
        "approximate": bool(results.approximate),
    })


@require_safe
def suggest_api(request):
    """Titles matching what has been typed so far (the last word as a prefix):
    `{"query", "suggestions": [{"title", "url", "kind", "kind_label"}]}`."""
    text = clean_text(strip_control_characters(request.GET.get("q", "") or ""))
    text = text[:SUGGEST_MAX_LENGTH]
    suggestions = []
    if len(text) >= SUGGEST_MIN_LENGTH:
        labels = Labels()
        suggestions = [
            {"title": s.title, "url": _absolute(request, s.url), "kind": s.kind,
             "kind_label": labels.kind(s.kind)}
            for s in get_backend().suggest(text, viewer_tokens(request.user), limit=SUGGEST_LIMIT)
        ]
    return _json({"query": text, "suggestions": suggestions})
