"""Every page type can be created in the real tree and renders for signed-in users only."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from cms.models import (
    GoodExampleIndexPage,
    GoodExamplePage,
    GuidanceIndexPage,
    GuidancePage,
    MethodIndexPage,
    MethodPage,
    RelatedPage,
    RightsArea,
    RightsAreaPage,
    StandardPage,
)
from cms.site_structure import ensure_section_indexes, get_home

from .factories import (
    GoodExampleIndexPageFactory,
    GoodExamplePageFactory,
    GuidanceIndexPageFactory,
    GuidancePageFactory,
    MethodIndexPageFactory,
    MethodPageFactory,
    RightsAreaPageFactory,
    StandardPageFactory,
)

pytestmark = pytest.mark.django_db

FACTORIES = {
    MethodPage: MethodPageFactory,
    GuidancePage: GuidancePageFactory,
    GoodExamplePage: GoodExamplePageFactory,
    RightsAreaPage: RightsAreaPageFactory,
    MethodIndexPage: MethodIndexPageFactory,
    GuidanceIndexPage: GuidanceIndexPageFactory,
    GoodExampleIndexPage: GoodExampleIndexPageFactory,
    StandardPage: StandardPageFactory,
}
PARENT_TYPES = {
    MethodPage: MethodIndexPage,
    GuidancePage: GuidanceIndexPage,
    GoodExamplePage: GoodExampleIndexPage,
}


@pytest.mark.parametrize("model", FACTORIES, ids=lambda m: m.__name__)
def test_page_type_is_created_in_the_right_place(model):
    page = FACTORIES[model]()
    page.refresh_from_db()
    assert type(page.specific) is model
    assert page.live
    parent = page.get_parent().specific
    expected_parent = PARENT_TYPES.get(model)
    if expected_parent:
        assert type(parent) is expected_parent
        assert parent.get_parent().pk == get_home().pk
    else:
        assert parent.pk == get_home().pk


@pytest.mark.parametrize("model", FACTORIES, ids=lambda m: m.__name__)
def test_page_renders_for_signed_in_user(signed_in_client, model):
    page = FACTORIES[model]()
    response = signed_in_client.get(page.url)
    assert response.status_code == 200, page.url
    assert page.title in response.content.decode()


@pytest.mark.parametrize("model", FACTORIES, ids=lambda m: m.__name__)
def test_page_redirects_anonymous_visitor_to_login(client, model):
    page = FACTORIES[model]()
    response = client.get(page.url)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_login") == "/konto/login/"
    assert f"next={page.url}" in response["Location"].replace("%2F", "/")


def test_section_index_factory_reuses_the_existing_index():
    indexes = ensure_section_indexes()
    assert MethodIndexPageFactory().pk == indexes[MethodIndexPage].pk
    assert GuidanceIndexPageFactory().pk == indexes[GuidanceIndexPage].pk
    assert GoodExampleIndexPageFactory().pk == indexes[GoodExampleIndexPage].pk
    assert MethodIndexPage.objects.count() == 1


def test_content_page_shows_its_taxonomy_and_related_pages(signed_in_client):
    area = RightsArea.objects.get(slug="jamstalldhet")
    other = GuidancePageFactory(title="Relaterad vägledning")
    page = MethodPageFactory(title="Jämställdhetsanalys", rights_areas=[area])
    RelatedPage.objects.create(source=page, page=other)
    response = signed_in_client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Relaterad vägledning" in html
    assert other.url in html
    assert area.name in html


def test_home_page_renders_with_content(signed_in_client):
    MethodPageFactory(title="Nyaste metoden")
    RightsAreaPageFactory()
    response = signed_in_client.get("/")
    assert response.status_code == 200
    assert "Nyaste metoden" in response.content.decode()


def test_rights_area_page_lists_newest_live_pages_per_kind(signed_in_client):
    jam = RightsArea.objects.get(slug="jamstalldhet")
    other = RightsArea.objects.get(slug="antirasism")
    area_page = RightsAreaPageFactory(rights_area=jam)
    methods = [MethodPageFactory(title=f"Metod {n}", rights_areas=[jam]) for n in range(7)]
    MethodPageFactory(title="Metod utkast", rights_areas=[jam], live=False)
    MethodPageFactory(title="Metod annat område", rights_areas=[other])
    GuidancePageFactory(title="Vägledning båda", rights_areas=[jam, other])

    response = signed_in_client.get(area_page.url)
    assert response.status_code == 200
    sections = {s["kind"]: s for s in response.context["sections"]}
    assert sections["methodpage"]["count"] == 7
    assert [p.title for p in sections["methodpage"]["pages"]] == [
        m.title for m in reversed(methods[-5:])]
    assert sections["guidancepage"]["count"] == 1
    assert sections["goodexamplepage"]["count"] == 0
    html = response.content.decode()
    assert "Metod utkast" not in html and "Metod annat område" not in html
    assert "/metoder/?omrade=jamstalldhet" in html  # "Alla 7 metoder inom området"


def test_home_page_counts_live_pages_per_rights_area(signed_in_client):
    jam = RightsArea.objects.get(slug="jamstalldhet")
    other = RightsArea.objects.get(slug="antirasism")
    MethodPageFactory(rights_areas=[jam])
    MethodPageFactory(rights_areas=[jam])
    GuidancePageFactory(rights_areas=[jam, other])
    MethodPageFactory(rights_areas=[jam], live=False)
    response = signed_in_client.get("/")
    counts = {entry["area"].slug: entry["count"] for entry in response.context["rights_areas"]}
    assert counts["jamstalldhet"] == 3
    assert counts["antirasism"] == 1
    assert counts["hbtqi"] == 0
