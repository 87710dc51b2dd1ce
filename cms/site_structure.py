"""The fixed skeleton of the page tree: section indexes, rights-area pages, standard pages."""

from __future__ import annotations

from django.utils.text import slugify
from wagtail.models import Page, Site

from .models import (
    GoodExampleIndexPage,
    GuidanceIndexPage,
    HomePage,
    MethodIndexPage,
    RightsArea,
    RightsAreaPage,
)

SECTIONS = [
    (MethodIndexPage, "Metoder", "metoder",
     "<p>Metoder och verktyg för arbetet med mänskliga rättigheter: vad de är till för, "
     "när de används och hur ni gör, steg för steg.</p>"),
    (GuidanceIndexPage, "Vägledning", "vagledning",
     "<p>Stödmaterial, lagar, begrepp och stadens styrdokument, förklarade för den som "
     "ska tillämpa dem i sin verksamhet.</p>"),
    (GoodExampleIndexPage, "Goda exempel", "goda-exempel",
     "<p>Vad andra förvaltningar och bolag har gjort, vad det ledde till och vad de lärde "
     "sig på vägen.</p>"),
]


def get_home() -> HomePage:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="MR-navet", slug="start"))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "MR-navet"},
    )
    return home


CONFERENCE = ("Konferens", "konferens",
              "<p>Stadens spridningskonferens om mänskliga rättigheter: program, anmälan och "
              "dokumentation från tidigare år.</p>")


def ensure_section_indexes() -> dict[type, Page]:
    """Create the three section indexes and the Konferens index under the home page if
    missing (all shown in menus). The conference index comes last in the result."""
    from .conference.models import ConferenceIndexPage

    home = get_home()
    found = {}
    for model, title, slug, intro in SECTIONS:
        page = model.objects.child_of(home).first()
        if page is None:
            page = home.add_child(instance=model(title=title, slug=slug, intro=intro,
                                                 show_in_menus=True))
        found[model] = page
    found[ConferenceIndexPage] = ensure_conference_index(home)
    return found


def ensure_conference_index(home: HomePage | None = None):
    """The single "Konferens" index page (created if missing)."""
    from .conference.models import ConferenceIndexPage

    page = ConferenceIndexPage.objects.first()
    if page is None:
        title, slug, intro = CONFERENCE
        page = (home or get_home()).add_child(instance=ConferenceIndexPage(
            title=title, slug=slug, intro=intro, show_in_menus=True))
        from .conference.setup import grant_organiser_permissions

        grant_organiser_permissions()
    return page


def ensure_rights_area_pages() -> list[RightsAreaPage]:
    home = get_home()
    existing = {page.rights_area_id: page for page in RightsAreaPage.objects.all()}
    pages = []
    for area in RightsArea.objects.all():
        page = existing.get(area.pk)
        if page is None:
            page = home.add_child(instance=RightsAreaPage(
                title=area.name, slug=slugify(area.slug), rights_area=area,
            ))
        pages.append(page)
    return pages
