"""The section index filters: exactly the matching pages, in the URL, never a server error."""

from __future__ import annotations

import re
from html import unescape

import pytest

from cms.models import (
    MethodIndexPage,
    OrganisationUnit,
    Principle,
    RightsArea,
    StaircaseStep,
    TargetGroup,
)
from cms.site_structure import ensure_section_indexes

from .conftest import shared_data
from .factories import (
    GoodExamplePageFactory,
    GuidancePageFactory,
    MethodPageFactory,
    bulk_create_content_pages,
)

pytestmark = pytest.mark.django_db

TITLE_RE = re.compile(r'<h3 class="result-card__title"><a href="[^"]*">([^<]*)</a></h3>')


def listed_titles(response) -> list[str]:
    return [unescape(t) for t in TITLE_RE.findall(response.content.decode())]


def areas(*slugs):
    return list(RightsArea.objects.filter(slug__in=slugs))


def steps(*numbers):
    return list(StaircaseStep.objects.filter(number__in=numbers))


def principles(*slugs):
    return list(Principle.objects.filter(slug__in=slugs))


def groups(*slugs):
    return list(TargetGroup.objects.filter(slug__in=slugs))


def unit(slug):
    return OrganisationUnit.objects.get(slug=slug)


@pytest.fixture
def index_url(db):
    return ensure_section_indexes()[MethodIndexPage].url


def build_catalogue():
    """Four live methods (A oldest … D newest) plus pages that must never be listed."""
    a = MethodPageFactory(
        title="Metod A", rights_areas=areas("jamstalldhet"), organisation_unit=unit("stadskontoret"),
        staircase_steps=steps(3), principles=principles("malmobon-i-centrum"),
        target_groups=groups("barn-och-unga"),
    )
    b = MethodPageFactory(
        title="Metod B", rights_areas=areas("jamstalldhet", "antirasism"),
        organisation_unit=unit("fritidsforvaltningen"), staircase_steps=steps(1, 3),
        principles=principles("delaktighet-och-inflytande"), target_groups=groups("aldre"),
    )
    c = MethodPageFactory(
        title="Metod C", rights_areas=areas("antirasism"), organisation_unit=unit("stadskontoret"),
        staircase_steps=steps(2),
        principles=principles("malmobon-i-centrum", "delaktighet-och-inflytande"),
        target_groups=groups("barn-och-unga", "aldre"),
    )
    d = MethodPageFactory(title="Metod D", rights_areas=areas("hbtqi"))
    # Never listed on the method index: a draft and other kinds with matching taxonomy.
    MethodPageFactory(
        title="Metod utkast", live=False, rights_areas=areas("jamstalldhet"),
        organisation_unit=unit("stadskontoret"), staircase_steps=steps(3),
    )
    GuidancePageFactory(title="Vägledning J", rights_areas=areas("jamstalldhet"),
                        organisation_unit=unit("stadskontoret"), staircase_steps=steps(3))
    GoodExamplePageFactory(title="Exempel J", rights_areas=areas("jamstalldhet"),
                           organisation_unit=unit("stadskontoret"), staircase_steps=steps(3))
    return a, b, c, d


ALL = ["Metod D", "Metod C", "Metod B", "Metod A"]
FILTER_CASES = [
    ("omrade=jamstalldhet", ["Metod B", "Metod A"]),
    ("omrade=antirasism", ["Metod C", "Metod B"]),
    ("omrade=hbtqi", ["Metod D"]),
    ("omrade=funktionsratt", []),
    # OR within one filter; B has both areas and is listed once
    ("omrade=jamstalldhet&omrade=antirasism", ["Metod C", "Metod B", "Metod A"]),
    ("omrade=jamstalldhet&omrade=hbtqi", ["Metod D", "Metod B", "Metod A"]),
    ("steg=3", ["Metod B", "Metod A"]),
    ("steg=2", ["Metod C"]),
    ("steg=1&steg=3", ["Metod B", "Metod A"]),
    ("steg=6", []),
    ("princip=delaktighet-och-inflytande", ["Metod C", "Metod B"]),
    ("princip=malmobon-i-centrum&princip=delaktighet-och-inflytande",
     ["Metod C", "Metod B", "Metod A"]),
    ("malgrupp=barn-och-unga", ["Metod C", "Metod A"]),
    ("malgrupp=barn-och-unga&malgrupp=aldre", ["Metod C", "Metod B", "Metod A"]),
    # AND across filters
    ("omrade=antirasism&steg=3", ["Metod B"]),
    ("omrade=jamstalldhet&omrade=antirasism&steg=1&steg=2&steg=3"
     "&princip=malmobon-i-centrum&princip=delaktighet-och-inflytande"
     "&malgrupp=barn-och-unga&malgrupp=aldre", ["Metod C", "Metod B", "Metod A"]),
    ("steg=3&malgrupp=aldre", ["Metod B"]),
    ("omrade=hbtqi&steg=3", []),
    # What the form sends with nothing chosen: the empty "Alla" option of the select.
    ("forvaltning=", ALL),
    ("sida=1", ALL),
]
FORVALTNING_CASES = [
    ("forvaltning=stadskontoret", ["Metod C", "Metod A"]),
    ("forvaltning=fritidsforvaltningen", ["Metod B"]),
    ("omrade=jamstalldhet&forvaltning=stadskontoret", ["Metod A"]),
    ("omrade=jamstalldhet&omrade=antirasism&forvaltning=stadskontoret", ["Metod C", "Metod A"]),
]


@pytest.fixture(scope="class")
def catalogue(django_db_setup, django_db_blocker):
    with shared_data(django_db_blocker):
        yield build_catalogue()


@pytest.fixture(scope="class")
def twenty_five_methods(django_db_setup, django_db_blocker):
    """25 methods, newest "Sida 24": the second page of 20 holds the 5 oldest."""
    with shared_data(django_db_blocker):
        jam, hbtqi = areas("jamstalldhet"), areas("hbtqi")
        for n in range(25):
            bulk_create_content_pages(MethodPageFactory, 1, title=f"Sida {n:02d}",
                                      rights_areas=jam if n % 2 else hbtqi)
        yield


@pytest.mark.usefixtures("catalogue")
class TestFilters:
    def test_taxonomy_is_stored_on_the_pages(self, catalogue):
        b = catalogue[1]
        b.refresh_from_db()
        assert sorted(b.rights_areas.values_list("slug", flat=True)) == ["antirasism", "jamstalldhet"]
        assert sorted(b.staircase_steps.values_list("number", flat=True)) == [1, 3]
        assert b.organisation_unit.slug == "fritidsforvaltningen"

    def test_unfiltered_lists_every_live_method_newest_first(self, user_client, index_url):
        response = user_client.get(index_url)
        assert response.status_code == 200
        assert listed_titles(response) == ALL
        assert response.context["page_obj"].paginator.count == 4
        assert response.context["filterset"].active_count == 0

    @pytest.mark.parametrize(("query", "expected"), [
        *FILTER_CASES,
        *FORVALTNING_CASES,
        # A unit without pages lists nothing either way.
        ("forvaltning=miljoforvaltningen", []),
    ])
    def test_filters_list_exactly_the_matching_pages(self, user_client, index_url, query,
                                                     expected):
        response = user_client.get(f"{index_url}?{query}")
        assert response.status_code == 200
        titles = listed_titles(response)
        assert titles == expected
        assert len(titles) == len(set(titles)), "a page is listed twice"
        assert response.context["page_obj"].paginator.count == len(expected)

    @pytest.mark.parametrize("query", [
        "omrade=finns-inte",
        "omrade=jamstalldhet&omrade=finns-inte",
        "forvaltning=finns-inte",
        "steg=99",
        "steg=abc",
        "steg=3&steg=99",
        "princip=finns-inte",
        "malgrupp=finns-inte",
        "omrade=%00",
        "steg=%C3%A5",
    ])
    def test_unknown_filter_values_give_400_with_a_swedish_message(self, user_client, index_url,
                                                                  query):
        response = user_client.get(f"{index_url}?{query}")
        assert response.status_code == 400
        html = response.content.decode()
        assert "Något filter har ett värde som inte finns" in html
        assert listed_titles(response) == []
        # The listing page itself still renders, with the form to correct the choice.
        assert 'class="filters"' in html
        assert "Inga sidor matchar filtren" in html

    def test_active_filters_are_kept_checked(self, user_client, index_url):
        response = user_client.get(f"{index_url}?omrade=jamstalldhet&steg=3")
        assert response.context["filterset"].active_count == 2
        html = response.content.decode()
        assert re.search(r'<input[^>]*value="jamstalldhet"[^>]*checked', html)
        assert re.search(r'<input[^>]*value="3"[^>]*checked', html)
        assert "Rensa filter" in html


@pytest.mark.usefixtures("twenty_five_methods")
class TestPagination:
    def test_first_and_second_page(self, user_client, index_url):
        first = user_client.get(index_url)
        assert listed_titles(first) == [f"Sida {n:02d}" for n in range(24, 4, -1)]
        assert 'href="?sida=2" rel="next"' in first.content.decode()
        response = user_client.get(f"{index_url}?sida=2")
        assert response.status_code == 200
        assert listed_titles(response) == [f"Sida {n:02d}" for n in range(4, -1, -1)]
        assert 'href="?sida=1" rel="prev"' in response.content.decode()
        assert "Sida 2 av 2" in response.content.decode()

    @pytest.mark.parametrize("sida", ["abc", "", "1.5", "%00"])
    def test_non_number_shows_first_page(self, user_client, index_url, sida):
        response = user_client.get(f"{index_url}?sida={sida}")
        assert response.status_code == 200
        assert response.context["page_obj"].number == 1
        assert listed_titles(response)[0] == "Sida 24"

    @pytest.mark.parametrize("sida", ["99", "0", "-1", "99999999999999999999999"])
    def test_out_of_range_shows_last_page(self, user_client, index_url, sida):
        response = user_client.get(f"{index_url}?sida={sida}")
        assert response.status_code == 200
        assert response.context["page_obj"].number == 2

    def test_links_keep_the_filters(self, user_client, index_url):
        # 12 odd-numbered pages are in jamstalldhet; 10 more make two pages of results.
        bulk_create_content_pages(MethodPageFactory, 10, rights_areas=areas("jamstalldhet"))
        response = user_client.get(f"{index_url}?omrade=jamstalldhet&sida=2")
        assert response.status_code == 200
        assert response.context["page_obj"].paginator.count == 22
        assert len(listed_titles(response)) == 2
        assert 'href="?omrade=jamstalldhet&amp;sida=1" rel="prev"' in response.content.decode()
