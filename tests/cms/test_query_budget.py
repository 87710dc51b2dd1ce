"""Listings run a fixed number of SQL queries, however many pages there are."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.models import MethodIndexPage, OrganisationUnit, RightsArea, StaircaseStep
from cms.site_structure import ensure_section_indexes

from .factories import (
    GoodExamplePageFactory,
    GuidancePageFactory,
    MethodPageFactory,
    RightsAreaPageFactory,
    bulk_create_content_pages,
)

pytestmark = pytest.mark.django_db


def create_pages(methods: int, guidance: int, examples: int, areas, unit, steps):
    taxonomy = {"rights_areas": areas, "organisation_unit": unit, "staircase_steps": steps}
    bulk_create_content_pages(MethodPageFactory, methods, **taxonomy)
    bulk_create_content_pages(GuidancePageFactory, guidance, **taxonomy)
    bulk_create_content_pages(GoodExamplePageFactory, examples, **taxonomy)


def capture(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in context.captured_queries], response


def test_listings_run_the_same_queries_with_10_and_200_pages(user_client):
    areas = list(RightsArea.objects.filter(slug__in=["jamstalldhet", "antirasism"]))
    unit = OrganisationUnit.objects.get(slug="stadskontoret")
    steps = list(StaircaseStep.objects.filter(number__in=[2, 3]))
    jamstalldhet = next(a for a in areas if a.slug == "jamstalldhet")
    area_page = RightsAreaPageFactory(rights_area=jamstalldhet)
    index_url = ensure_section_indexes()[MethodIndexPage].url
    urls = [
        index_url,
        f"{index_url}?omrade=jamstalldhet&omrade=antirasism&forvaltning=stadskontoret&steg=3",
        area_page.url,
        "/",
    ]

    # 10 pages: 6 methods, 2 guidance, 2 good examples; one ordinary page built the slow way.
    MethodPageFactory(rights_areas=areas, organisation_unit=unit, staircase_steps=steps)
    create_pages(5, 2, 2, areas, unit, steps)
    for url in urls:  # warm the per-process caches (content types, site root paths)
        capture(user_client, url)
    small = {url: capture(user_client, url) for url in urls}
    assert len(small[index_url][1].context["results"]) == 6
    assert [len(s["pages"]) for s in small[area_page.url][1].context["sections"]] == [5, 2, 2]

    # 200 pages
    create_pages(164, 18, 18, areas, unit, steps)
    large = {url: capture(user_client, url) for url in urls}
    assert large[index_url][1].context["page_obj"].paginator.count == 170
    assert len(large[index_url][1].context["results"]) == 20
    sections = large[area_page.url][1].context["sections"]
    assert [(s["count"], len(s["pages"])) for s in sections] == [(170, 5), (20, 5), (20, 5)]

    for url in urls:
        before, after = small[url][0], large[url][0]
        assert len(after) == len(before), (
            f"{url}: {len(before)} queries with 10 pages, {len(after)} with 200.\n"
            + "\n".join(sql[:200] for sql in after if sql not in before)
        )


def test_method_index_query_count_is_small(user_client, django_assert_max_num_queries):
    """An absolute ceiling as well, so a constant but wasteful listing is noticed."""
    areas = list(RightsArea.objects.filter(slug="jamstalldhet"))
    create_pages(30, 0, 0, areas, None, [])
    url = ensure_section_indexes()[MethodIndexPage].url
    user_client.get(url)
    with django_assert_max_num_queries(25):
        assert user_client.get(url).status_code == 200
