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
