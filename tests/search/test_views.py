"""The search page (/sok/) against the real database backend with indexed documents."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from search.backends import get_backend
from search.documents import group_token

from .ui_helpers import doc, index, standard_set

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def main_html(response) -> str:
    content = html(response)
    return content[content.index("<main"):content.index("</main>")]


def result_titles(response) -> list[str]:
    section = main_html(response)
    if 'id="search-results"' not in section:
        return []
    section = section[section.index('id="search-results"'):]
    section = section[:section.index("</ol>")]
    pattern = r'<h3 class="result-card__title"><a href="[^"]*">([^<]*)</a>'
    return [unescape(title) for title in re.findall(pattern, section)]


def links(response, text: str) -> list[str]:
    """hrefs of links whose text contains `text`."""
    return [unescape(href) for href, inner in
            re.findall(r'<a[^>]*href="([^"]*)"[^>]*>(.*?)</a>', main_html(response), re.S)
            if text in re.sub(r"<[^>]+>", "", inner)]


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# --- results ------------------------------------------------------------------------------

def test_results_show_kind_title_link_snippet_and_meta(user_client):
    standard_set()
    response = user_client.get("/sok/", {"q": "barnkonsekvensanalys"})
    assert response.status_code == 200
    content = main_html(response)
    titles = result_titles(response)
    assert set(titles) == {"Barnkonsekvensanalys steg för steg", "Barnkonsekvensanalys i förskolan",
                           "Vägledning om barnets bästa"}
    assert titles[0].startswith("Barnkonsekvensanalys")  # the title match ranks first
    assert "3 träffar för ”barnkonsekvensanalys”" in content
    assert '<p class="kind-label">Gott exempel' in content
    assert re.search(r'<a href="/test/dokument-\d+/">Barnkonsekvensanalys steg för steg</a>',
                     content)
    assert "<mark>barnkonsekvensanalys</mark>" in content.lower()
    # Unit and area names, not slugs; the year.
    assert "Förskoleförvaltningen" in content and "Barnets rättigheter" in content
    assert "forskoleforvaltningen</span>" not in content
    assert '<time datetime="2023-03-01">2023</time>' in content
    # A results region with a heading, the query in <title> and in both search boxes.
    assert 'aria-labelledby="results-heading"' in content
    assert "<title>Sökresultat för ”barnkonsekvensanalys” – MR-navet</title>" in html(response)
    assert html(response).count('value="barnkonsekvensanalys"') >= 2


def test_titles_and_snippets_are_escaped(user_client):
    index(doc("<script>alert(1)</script> Barnrätt", summary="<b>fet</b> barnrätt & annat"))
    content = main_html(user_client.get("/sok/", {"q": "barnrätt"}))
    assert "<script>alert(1)</script>" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Barnrätt" in content
    assert "<b>fet</b>" not in content


def test_results_respect_access(user_client):
    index(doc("Öppen rutin för tolkning"),
          doc("Hemlig rutin för tolkning", access=[group_token(999_999)]))
    response = user_client.get("/sok/", {"q": "tolkning"})
    assert result_titles(response) == ["Öppen rutin för tolkning"]
    assert "1 träff för ”tolkning”" in main_html(response)


def test_facets_are_fieldsets_with_legends_labels_and_counts(user_client):
    standard_set()
    content = main_html(user_client.get("/sok/", {"q": "barnets bästa barnkonsekvensanalys"}))
    for legend in ("Typ av innehåll", "Rättighetsområde", "Förvaltning, nämnd eller bolag",
                   "Steg i MR-trappan", "År"):
        assert f"<legend>{legend}</legend>" in content
    assert re.search(r'name="typ" value="metod"> <span>Metod <span class="count">\(1\)</span>',
                     content)
    assert re.search(r'name="forvaltning" value="forskoleforvaltningen"> <span>'
                     r'Förskoleförvaltningen <span class="count">\(1\)', content)
    assert re.search(r'name="steg" value="3"> <span>3\. [^<]+ <span class="count">\(2\)', content)
    assert 'name="q" value="barnets bästa barnkonsekvensanalys"' in content  # kept on filtering
    assert "Rensa filter" not in content


def test_filter_is_applied_kept_checked_and_clearable(user_client):
    standard_set()
    response = user_client.get("/sok/", {"q": "barnkonsekvensanalys", "typ": "gott-exempel"})
    assert response.status_code == 200
    assert result_titles(response) == ["Barnkonsekvensanalys i förskolan"]
    content = main_html(response)
    assert 'name="typ" value="gott-exempel" checked>' in content
    # The other kinds stay listed (counted without the kind filter), unticked.
    assert re.search(r'name="typ" value="metod">', content)
    clear = links(response, "Rensa filter")
    assert clear and query_of(clear[0]) == {"q": ["barnkonsekvensanalys"]}


def test_filters_combine_or_within_a_facet_and_across_facets(user_client):
    standard_set()
    response = user_client.get("/sok/?q=barnkonsekvensanalys&typ=metod&typ=gott-exempel"
                               "&forvaltning=forskoleforvaltningen")
    assert result_titles(response) == ["Barnkonsekvensanalys i förskolan"]
    response = user_client.get("/sok/?q=barnkonsekvensanalys&ar=2024&ar=2022")
    assert set(result_titles(response)) == {"Barnkonsekvensanalys steg för steg",
                                            "Vägledning om barnets bästa"}


def test_selected_filter_without_hits_can_still_be_unticked(user_client):
    standard_set()
    response = user_client.get("/sok/", {"q": "barnkonsekvensanalys", "omrade": "hbtqi"})
    assert response.status_code == 200
    content = main_html(response)
    assert result_titles(response) == []
    assert 'name="omrade" value="hbtqi" checked>' in content
    assert "Inga träffar med de filter du har valt." in content
    assert links(response, "Rensa filter")


def test_pagination_keeps_query_and_filters(user_client):
    index(*[doc(f"Tillgänglighet i lokaler {n}", summary="Om tillgänglighet.", year=2020)
            for n in range(25)])
    index(doc("Tillgänglighet i annat år", year=2019))
    response = user_client.get("/sok/", {"q": "tillgänglighet", "ar": "2020"})
    assert len(result_titles(response)) == 10
    content = main_html(response)
    assert "25 träffar för ”tillgänglighet”" in content
    assert '<nav class="pagination search-pagination"' in content
    current = re.findall(r'<a href="([^"]*)" aria-current="page">', content)
    assert len(current) == 1 and "sida" not in query_of(unescape(current[0]))
    next_url = links(response, "Nästa")[0]
    assert query_of(next_url) == {"q": ["tillgänglighet"], "ar": ["2020"], "sida": ["2"]}
    page_three = [url for url in links(response, "3") if query_of(url).get("sida") == ["3"]]
    assert page_three and query_of(page_three[0])["ar"] == ["2020"]

    response = user_client.get("/sok/" + next_url)
    content = main_html(response)
    assert 'start="11"' in content and len(result_titles(response)) == 10
    assert re.search(r'aria-current="page"><span class="visually-hidden">Sida </span>2</a>',
                     content)
    assert query_of(links(response, "Föregående")[0]) == {"q": ["tillgänglighet"], "ar": ["2020"]}
    assert "(sida 2)" in html(response).split("</title>")[0]

    last = user_client.get("/sok/", {"q": "tillgänglighet", "ar": "2020", "sida": "3"})
    assert len(result_titles(last)) == 5 and not links(last, "Nästa")


def test_page_past_the_last_shows_the_last_page(user_client):
    index(*[doc(f"Rutin för samråd {n}") for n in range(12)])
    response = user_client.get("/sok/", {"q": "samråd", "sida": "7"})
    assert response.status_code == 200
    assert len(result_titles(response)) == 2
    assert re.search(r'aria-current="page"><span class="visually-hidden">Sida </span>2</a>',
                     main_html(response))


def test_pinned_page_comes_first(user_client):
    from search.models import PinnedResult
    from tests.cms.factories import MethodPageFactory

    pinned_page = MethodPageFactory(title="Mall för analys", summary="En mall att utgå från.")
    index(doc("Barnkonsekvensanalys steg för steg", summary="Om BKA och barnkonsekvensanalys."),
          doc("BKA i skolan", summary="BKA BKA BKA."))
    PinnedResult.objects.create(query="BKA", page=pinned_page)
    response = user_client.get("/sok/", {"q": "bka"})
    titles = result_titles(response)
    assert titles[0] == "Mall för analys"
    assert "BKA i skolan" in titles
    content = main_html(response)
    assert "Rekommenderad" in content.split("BKA i skolan")[0]
    assert "3 träffar för ”bka”" in content
    # Only on the first page of an unfiltered search.
    filtered = user_client.get("/sok/", {"q": "bka", "typ": "metod"})
    assert "Rekommenderad" not in main_html(filtered)


def test_did_you_mean_links_to_the_suggestion(user_client):
    """One word of two misspelt: the hits come from both, and the correction is offered."""
    standard_set()
    response = user_client.get("/sok/", {"q": "barnkonsekvensanalis steg", "typ": "metod"})
    assert response.status_code == 200
    content = main_html(response)
    assert "Menade du" in content
    link = links(response, "barnkonsekvensanalys steg")
    assert link and query_of(link[0]) == {"q": ["barnkonsekvensanalys steg"], "typ": ["metod"]}


def test_fully_misspelt_query_shows_results_for_the_correction(user_client):
    standard_set()
    response = user_client.get("/sok/", {"q": "barnkonsekvensanalis"})
    content = main_html(response)
    assert "Barnkonsekvensanalys steg för steg" in result_titles(response)
    assert "i stället för" in content and "Menade du" not in content


def test_corrected_query_says_what_was_searched(user_client, monkeypatch):
    """A backend that searched for its correction (corrected=True) instead of the query."""
    standard_set()
    backend = get_backend()
    original = backend.search

    def search_corrected(query):
        results = original(query)
        results.corrected = bool(results.suggestion)
        return results

    monkeypatch.setattr(backend, "search", search_corrected)
    content = main_html(user_client.get("/sok/", {"q": "barnkonsekvensanalis"}))
    assert ("Visar resultat för <strong>barnkonsekvensanalys</strong> i stället för "
            "<em>barnkonsekvensanalis</em>.") in content
    assert "Menade du" not in content


def test_zero_results_offer_the_forum_with_the_query_as_title(user_client):
    standard_set()
    response = user_client.get("/sok/", {"q": "qwzxvbnm"})
    assert response.status_code == 200
    content = main_html(response)
    assert "0 träffar för ”qwzxvbnm”" in content
    assert "kontrollera stavningen" in content
    url = links(response, "Fråga i forumet")[0]
    assert urlsplit(url).path == "/forum/kategori/allmant/ny-trad/"
    assert query_of(url) == {"titel": ["qwzxvbnm"]}
    form = user_client.get(url)
    assert form.status_code == 200
    assert re.search(r'name="title"[^>]*value="qwzxvbnm"', form.content.decode())


def test_zero_results_in_a_rights_area_ask_in_its_category(user_client):
    standard_set()
    response = user_client.get("/sok/", {"q": "qwzxvbnm", "omrade": "jamstalldhet"})
    url = links(response, "Fråga i forumet")[0]
    assert urlsplit(url).path == "/forum/kategori/jamstalldhet/ny-trad/"


def test_empty_query_shows_the_form_and_help(user_client):
    response = user_client.get("/sok/")
    assert response.status_code == 200
    content = main_html(response)
    assert '<label for="search-page-q">' in content and "<button" in content
    assert "Skriv ett eller flera ord" in content
    assert "results-heading" not in content
    assert "<title>Sök – MR-navet</title>" in html(response)
    assert user_client.get("/sok/", {"q": "   "}).status_code == 200


def test_unknown_filter_is_a_400_in_the_normal_page(user_client):
    response = user_client.get("/sok/", {"q": "barn", "typ": "<okänd>"})
    assert response.status_code == 400
    content = main_html(response)
    assert "Okänt filtervärde för typ: &lt;okänd&gt;" in content  # escaped once, not twice
    assert 'role="search"' in content  # the normal page, with its form
    assert query_of(links(response, "Sök utan filter")[0]) == {"q": ["barn"]}


def test_long_query_is_cut_with_a_notice(user_client):
    response = user_client.get("/sok/", {"q": "barn " * 400})
    assert response.status_code == 200
    assert "Sökfrågan var längre än 200 tecken" in main_html(response)


def test_search_page_requires_login(client):
    response = client.get("/sok/", {"q": "barn"})
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_only_get_and_head(user_client):
    assert user_client.post("/sok/", {"q": "barn"}).status_code == 405


def test_page_has_no_inline_script_and_loads_the_suggestions(user_client):
    from django.urls import reverse

    assert reverse("search_suggest") == "/api/sok/forslag/"  # the URL search.js uses
    content = html(user_client.get("/sok/", {"q": "barn"}))
    for tag in re.findall(r"<script[^>]*>", content):
        assert "src=" in tag, tag
    assert 'src="/static/mrnavet/js/search.js"' in content
    assert "forslag" not in content  # search.js knows the URL (tests elsewhere look for /forslag/)
    assert content.count("data-search-suggest") == 2  # header box and the page's box
    assert " style=" not in content


# --- admin (search/wagtail_hooks.py) ------------------------------------------------------

def _admin(client):
    from tests.factories import SuperuserFactory, enable_totp

    user = SuperuserFactory()
    enable_totp(user)  # the admin requires MFA
    client.force_login(user)
    return client


def test_admin_lists_and_searches_synonyms(client):
    from search.models import Synonym

    Synonym.objects.create(terms="hbtqi, hbtq, hbt")
    admin = _admin(client)
    response = admin.get("/admin/snippets/search/synonym/", {"q": "hbtq"})
    assert response.status_code == 200
    assert "hbtqi, hbtq, hbt" in response.content.decode()
    menu = admin.get("/admin/").content.decode()
    assert "/admin/snippets/search/synonym/" in menu
    assert "/admin/snippets/search/pinnedresult/" in menu
    assert "Synonymer" in menu and "F\\u00e4sta s\\u00f6ktr\\u00e4ffar" in menu  # menu JSON


def test_admin_pins_a_page_that_the_search_then_shows_first(client):
    from search.models import PinnedResult
    from tests.cms.factories import MethodPageFactory

    page = MethodPageFactory(title="Mall för analys")
    index(doc("Barnkonsekvensanalys steg för steg", summary="Om BKA."))
    admin = _admin(client)
    response = admin.post("/admin/snippets/search/pinnedresult/add/",
                          {"query": "  BKA ", "page": page.pk, "sort_order": 0})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert PinnedResult.objects.get().query == "bka"
    listing = admin.get("/admin/snippets/search/pinnedresult/", {"q": "analys"})
    assert listing.status_code == 200 and "bka" in listing.content.decode()
    assert result_titles(admin.get("/sok/", {"q": "BKA"}))[0] == "Mall för analys"
