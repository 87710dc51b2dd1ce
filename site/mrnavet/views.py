"""Site-wide views: health check and error pages."""

from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@login_not_required
@never_cache
@require_safe
def healthz(request):
    """Liveness and database check for load balancers; JSON, no login."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("Health check: database unavailable")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _error_page(request, template: str, status: int):
    return render(request, template, status=status)


@login_not_required
def permission_denied(request, exception=None):
    return _error_page(request, "403.html", 403)


@login_not_required
def page_not_found(request, exception=None):
    return _error_page(request, "404.html", 404)


@login_not_required
def bad_request(request, exception=None):
    return _error_page(request, "400.html", 400)


@login_not_required
def server_error(request):
    # Render without the request context: the failure may lie in what it would load.
    from django.template import loader
    from django.http import HttpResponseServerError

    return HttpResponseServerError(loader.get_template("500.html").render())
