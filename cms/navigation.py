"""Section pages (Metoder, Vägledning, Goda exempel …) in the main navigation."""

from __future__ import annotations

from wagtail.models import Page, Site

from mrnavet.navigation import NavItem, register_nav_provider


def section_pages(request) -> list[NavItem]:
    """Live children of the site root that editors marked "Visa i menyer"."""
    site = Site.find_for_request(request)
    if site is None:
        return []
    pages = Page.objects.child_of(site.root_page).live().in_menu().order_by("path")
    return [NavItem(page.title, page.get_url(request)) for page in pages]


register_nav_provider(10, section_pages)
