"""Interim site search over published pages with Wagtail's built-in search backend.

The search issue replaces this with the Swedish-aware search (`search/`); until then the
header search box works through this view.
"""

from __future__ import annotations

import re

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.models import Page

from .models.indexes import paginate

MAX_QUERY_LENGTH = 200


@require_safe
def search(request):
    query = (request.GET.get("q") or "").strip()
    error = None
    results = Page.objects.none()
    if len(query) > MAX_QUERY_LENGTH:
        error = _("Sökfrågan är för lång. Använd högst %(n)s tecken.") % {"n": MAX_QUERY_LENGTH}
    elif query:
        # Only word tokens reach the backend: FTS operators ("*():^-) are not syntax here.
        terms = " ".join(re.findall(r"\w+", query))
        if terms:
            results = Page.objects.live().filter(depth__gt=2).specific().search(terms)
    page_obj = paginate(request, results)
    return render(request, "cms/search.html", {
        "search_query": query, "page_obj": page_obj, "error": error,
        "filter_query": f"q={query}" if query else "",
    }, status=400 if error else 200)
