"""WCAG 2.2 AA on the knowledge-base pages: axe-core, and reflow at 320 CSS pixels (1.4.10).

The live server needs a transactional database, which is flushed after every test, so the
content is built once and one test walks every page twice, with axe each time: at desktop
size, then 320 px wide, where no page may scroll sideways either. Failures are collected
and reported together, per page, so one broken template does not hide the others.

Add a page: build it in `build_content()` and add a line to the list it returns.
"""

from __future__ import annotations

import datetime
import io
import json
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile

from tests.cms.factories import (
    GoodExamplePageFactory,
    GuidancePageFactory,
    MethodPageFactory,
    StandardPageFactory,
    bulk_create_content_pages,
)

# OVERFLOW_SCRIPT and REFLOW_WIDTH are imported from here by test_search.py too.
from .axe import OVERFLOW_SCRIPT, REFLOW_WIDTH, assert_accessible, overflow  # noqa: F401

@dataclass(frozen=True)
class Target:
    label: str
    url: str
    status: int = 200


def _png(width: int = 40, height: int = 30) -> ImageFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (0, 69, 140)).save(buffer, format="PNG")
    return ImageFile(buffer, name="bild.png")


def _pdf() -> ContentFile:
    from pypdf import PdfWriter

    buffer = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.write(buffer)
    return ContentFile(buffer.getvalue(), name="mall-bka.pdf")


def _rich(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _body(document, image, linked_page) -> str:
    """A body with every block type, as StreamField raw data."""
    return json.dumps([
        {"type": "paragraph", "value": _rich(
            "En barnkonsekvensanalys görs <strong>innan</strong> beslutet fattas, så att "
            "barnets bästa kan vägas in. Läs också <a href=\"https://www.barnombudsmannen.se/\">"
            "Barnombudsmannens stöd</a>."
        ) + "<ul><li>Barn i förskolan</li><li>Barn och unga i skolan</li></ul>"},
        {"type": "heading", "value": {"text": "Innan ni börjar", "level": "h2"}},
        {"type": "paragraph", "value": _rich(
            "Jämställdhetsintegreringsarbetet och barnrättsarbetet går ofta hand i hand: "
            "Funktionsstödsförvaltningen och Gymnasie- och vuxenutbildningsförvaltningen "
            "har gjort gemensamma analyser."
        )},
        {"type": "heading", "value": {"text": "Underlag att samla", "level": "h3"}},
        {"type": "steps", "value": {"title": "Så förbereder ni analysen", "steps": [
            {"title": "Bjud in rätt personer",
             "text": _rich("Verksamhet, barnrättsombud och analytiker.")},
            {"title": "Boka tid med barnen", "text": _rich("Minst tre veckor före beslutet.")},
        ]}},
        {"type": "checklist", "value": {"title": "Checklista före beslut", "items": [
            "Barn som berörs är identifierade",
            "Barnen har fått uttrycka sina åsikter",
            "Avvägningen mot andra intressen är dokumenterad",
        ]}},
        {"type": "fact_box", "value": {"title": "Barnkonventionen är lag", "text": _rich(
            "Sedan den 1 januari 2020 gäller FN:s konvention om barnets rättigheter "
            "som svensk lag."
        )}},
        {"type": "quote", "value": {
            "quote": "Vi fick syn på saker vi aldrig hade tänkt på.\n"
                     "Barnen visste precis var det var otryggt.",
            "attribution": "Enhetschef, Fritidsförvaltningen",
        }},
        {"type": "document", "value": {
            "document": document.pk, "title": "", "description": "Mall att fylla i.",
        }},
        {"type": "image", "value": {
            "image": image.pk, "alt_text": "Barn som ritar en karta över skolgården",
            "decorative": False, "caption": "Gåtur med elever i årskurs 4.",
        }},
        {"type": "image", "value": {
            "image": image.pk, "alt_text": "", "decorative": True, "caption": "",
        }},
        {"type": "related_links", "value": {"title": "Läs mer", "links": [
            {"page": linked_page.pk, "url": "", "title": ""},
            {"page": None, "url": "https://www.regeringen.se/barnkonventionen",
             "title": "Regeringens sida om barnkonventionen"},
        ]}},
    ])


def build_content() -> list[Target]:
    """Taxonomy, the page-tree skeleton and one or more pages of every kind."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    from cms.models import (
        Attachment,
        MethodIndexPage,
        OrganisationUnit,
        Principle,
        RelatedPage,
        RightsArea,
        StaircaseStep,
        TargetGroup,
    )
    from cms.site_structure import ensure_rights_area_pages, ensure_section_indexes
    from cms.taxonomy_data import load_taxonomy

    load_taxonomy(RightsArea, OrganisationUnit, Principle, StaircaseStep, TargetGroup)
    indexes = ensure_section_indexes()
    area_pages = {page.rights_area.slug: page for page in ensure_rights_area_pages()}
    children = RightsArea.objects.get(slug="barnets-rattigheter")
    equality = RightsArea.objects.get(slug="jamstalldhet")
    # The longest unit name: a good test of reflow in the header, cards and fact lists.
    unit = OrganisationUnit.objects.get(slug="gymnasie-och-vuxenutbildningsforvaltningen")
    steps = list(StaircaseStep.objects.filter(number__in=[3, 4]))
    taxonomy = {
        "rights_areas": [children, equality],
        "organisation_unit": unit,
        "staircase_steps": steps,
        "principles": list(Principle.objects.all()[:2]),
        "target_groups": list(TargetGroup.objects.filter(slug__in=["barn-och-unga", "aldre"])),
    }

    # Documents and images live in a collection; the flush removed the migrations' root.
    if not Collection.get_first_root_node():
        Collection.add_root(name="Root")
    document = get_document_model().objects.create(
        title="Mall för barnkonsekvensanalys",
        file=_pdf(),
    )
    image = get_image_model().objects.create(title="Gåtur", file=_png())

    guidance = GuidancePageFactory(
        title="Barnkonventionen som lag – vad innebär det för Malmö stad?",
        summary="Vad inkorporeringen betyder i praktiken för nämnder och bolag.",
        contact_email="barnrattsombud@malmo.se", **taxonomy,
    )
    method = MethodPageFactory(
        title="Barnkonsekvensanalys (BKA) – stadens grundmodell i fem steg",
        summary="En gemensam arbetsgång för barnkonsekvensanalys inför beslut som påverkar barn.",
        purpose="Att ta reda på hur barn påverkas innan ett beslut fattas.",
        when_to_use="Inför beslut som direkt eller indirekt påverkar barn.\n"
                    "Även vid budget och taxor.",
        time_needed="En halv dag till två veckor",
        participants="Handläggare, barnrättsombud och, när det går, barnen själva.",
        steps=json.dumps([
            {"type": "step", "value": {"title": title, "text": _rich(text)}}
            for title, text in [
                ("Avgör om barn berörs", "Tänk brett: även indirekt påverkan räknas."),
                ("Samla kunskap", "Statistik, forskning och verksamhetens erfarenheter."),
                ("Hör barnen", "Välj en form som passar åldern."),
                ("Analysera och väg", "Beskriv konsekvenser för olika grupper av barn."),
                ("Dokumentera och följ upp", "Skriv in analysen i beslutsunderlaget."),
            ]
        ]),
        body=_body(document, image, guidance),
        contact_email="barnrattsombud@malmo.se",
        last_reviewed=datetime.date(2025, 3, 1),
        **taxonomy,
    )
    method.tags.add("barnkonventionen", "barnets bästa", "delaktighet")
    method.save()
    Attachment.objects.create(page=method, document=document, description="Word-mall för analysen.")
    RelatedPage.objects.create(source=method, page=guidance)

    example = GoodExamplePageFactory(
        title="Barnrättsbaserad budget i Fritidsförvaltningen",
        summary="Hur en förvaltning började pröva barnets bästa i budgetarbetet.",
        year=2023,
        background=_rich("Barn och unga är fritidsverksamhetens största målgrupp."),
        what_was_done=_rich("Vi gjorde en barnkonsekvensanalys av hela budgetförslaget.")
        + "<ol><li>Kartläggning</li><li>Dialog med unga</li></ol>",
        results=_rich("Fler aktiviteter flyttades till områden med få fritidsalternativ."),
        lessons=_rich("Börja tidigt, och involvera ekonomerna från start."),
        body=json.dumps([
            {"type": "paragraph", "value": _rich("Kontakta oss om ni vill veta mer.")},
        ]),
        **taxonomy,
    )

    # Enough methods for three result pages under the filter ?omrade=…&steg=3 (20 per page),
    # and a few in other areas so that the filter has something to leave out.
    bulk_create_content_pages(MethodPageFactory, 45, **taxonomy)
    bulk_create_content_pages(MethodPageFactory, 5, rights_areas=[equality])
    bulk_create_content_pages(GuidancePageFactory, 6, rights_areas=[children])

    standard = StandardPageFactory(
        title="Om MR-navet", slug="om-mr-navet",
        summary="MR-navet är Malmö stads gemensamma plats för kunskap om mänskliga rättigheter.",
        body=json.dumps([
            {"type": "heading", "value": {"text": "Vem står bakom?", "level": "h2"}},
            {"type": "paragraph", "value": _rich("Stadskontoret ansvarar för plattformen.")},
            {"type": "fact_box", "value": {"title": "Kontakt", "text": _rich("mr-navet@malmo.se")}},
        ]),
    )

    method_index = indexes[MethodIndexPage].url
    return [
        Target("metod", method.url),
        Target("vägledning", guidance.url),
        Target("gott exempel", example.url),
        Target("metodlista, filter och sida 2",
               f"{method_index}?omrade=barnets-rattigheter&steg=3&sida=2"),
        Target("metodlista, ogiltigt filter",
               f"{method_index}?omrade=finns-inte&steg=99", status=400),
        Target("rättighetsområde", area_pages["barnets-rattigheter"].url),
        Target("startsida", "/"),
        Target("standardsida", standard.url),
        Target("sök, träffar", "/sok/?q=barnkonsekvensanalys"),
        Target("sök, inga träffar", "/sok/?q=qwzxvbnm"),
        Target("404", "/finns-inte-alls/", status=404),
    ]


def test_cms_pages_are_accessible_and_reflow_at_320px(signed_in_page):
    page = signed_in_page
    targets = build_content()
    failures: list[str] = []

    for width in (1280, REFLOW_WIDTH):
        page.set_viewport_size({"width": width, "height": 900})
        for target in targets:
            where = f"{target.label} at {width} px ({target.url})"
            response = page.goto(target.url)
            status = response.status if response else None
            if status != target.status:
                failures.append(f"{where}: HTTP {status}, expected {target.status}")
                continue
            if page.get_by_role("heading", level=1).count() != 1:
                failures.append(f"{where}: expected exactly one h1")
            try:
                assert_accessible(page)
            except AssertionError as error:
                failures.append(f"{where}: {error}")
            if width == REFLOW_WIDTH and (problem := overflow(page)):
                failures.append(f"{where}: {problem}")

    assert not failures, f"{len(failures)} problem(s):\n\n" + "\n\n".join(failures)
