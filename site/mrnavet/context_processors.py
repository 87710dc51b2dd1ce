"""Template context shared by every page: navigation and site name."""

from __future__ import annotations

from django.conf import settings

from .navigation import main_navigation


def site_chrome(request):
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "main_navigation": main_navigation(request),
        "demo_mode": settings.DEMO_MODE,
    }
