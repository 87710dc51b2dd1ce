"""The forum on knowledge-base pages: a page's linked threads, the "Diskutera på forumet"
button, and a rights area's latest threads. Called from the cms pages' get_context; only
threads the visitor may read are shown."""

from __future__ import annotations

from django.urls import reverse

from .defaults import GENERAL_SLUG
from .models import Category, Thread
from .permissions import forum_permissions
from .views.common import prepare_rows, thread_list

PAGE_THREADS = 5
AREA_THREADS = 5


def _discussion_category(perms, rights_area_ids: list[int]) -> Category | None:
    """The category of the page's first rights area, else Allmänt; one the visitor may
    start threads in."""
    candidates = list(Category.objects.filter(rights_area_id__in=rights_area_ids)) + list(
        Category.objects.filter(slug=GENERAL_SLUG))
    by_area = {c.rights_area_id: c for c in reversed(candidates) if c.rights_area_id}
    ordered = [by_area[a] for a in rights_area_ids if a in by_area]
    ordered += [c for c in candidates if c.slug == GENERAL_SLUG]
    return next((c for c in ordered if perms.category(c.pk).can_start), None)


def page_discussion(request, page) -> dict:
    """Context for a content page: `forum_threads` linked to it, `forum_discuss_url`."""
    perms = forum_permissions(request)
    threads = prepare_rows(
        perms, thread_list(perms, Thread.objects.filter(linked_page_id=page.pk))[:PAGE_THREADS])
    # .all() and sorting in Python also work on a preview's unsaved (modelcluster) relation.
    areas = sorted(page.rights_areas.all(), key=lambda area: (area.sort_order, area.name))
    area_ids = [area.pk for area in areas]
    category = _discussion_category(perms, area_ids)
    url = (f"{reverse('forum:new_thread', args=[category.slug])}?sida={page.pk}"
           if category else None)
    return {"forum_threads": threads, "forum_discuss_url": url}


def rights_area_threads(request, rights_area_id: int) -> dict:
    """Context for a rights-area page: the latest readable threads in its categories."""
    perms = forum_permissions(request)
    threads = prepare_rows(perms, thread_list(perms, Thread.objects.filter(
        category__rights_area_id=rights_area_id))[:AREA_THREADS])
    category = next((c for c in Category.objects.filter(rights_area_id=rights_area_id)
                     if perms.category(c.pk).can_see), None)
    return {"forum_threads": threads, "forum_category": category}
