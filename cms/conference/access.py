"""Who may do what in the conference, and finding the edition a URL names.

Organiser views need conference.manage_conference (the Konferensarrangör role). Reading
attendees' needs needs conference.view_needs, which no group has by default: a superuser
grants it to the named people who must act on the needs (catering, accessibility).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import EditionPage

MANAGE = "conference.manage_conference"
VIEW_NEEDS = "conference.view_needs"


def can_manage(user) -> bool:
    return user.has_perm(MANAGE)


def can_view_needs(user) -> bool:
    return user.has_perm(VIEW_NEEDS)


def require_manage(user) -> None:
    if not can_manage(user):
        raise PermissionDenied


def require_view_needs(user) -> None:
    if not can_view_needs(user):
        raise PermissionDenied


def edition_or_404(year: int, *, live: bool = True) -> EditionPage:
    """The edition for `year`; organisers also reach editions not yet published."""
    editions = EditionPage.objects.filter(year=year)
    if live:
        editions = editions.live()
    edition = editions.first()
    if edition is None:
        raise Http404
    return edition
