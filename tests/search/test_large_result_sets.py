"""What the database backend does when a search matches a large part of the index
(search.backends.statement): counts estimated from a sample, the title-and-tag tier scored
first, one statement per search, and the per-term document counts both engines keep.

The thresholds are lowered here so that a corpus of a dozen documents counts as large.
Every test runs on SQLite and on PostgreSQL (DATABASE_URL), except where marked.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from search.analysis import stem
from search.backends import statement
from search.backends.base import SearchQuery
from search.backends.database import approximately
from search.models import IndexedTerm

from .test_database_backend import CORPUS, make

pytestmark = pytest.mark.django_db

# Documents about children: "barn" in the title of three, only in the text of the others.
CHILDREN = [
    make("titel1", "Barn och unga i planeringen", body="Planeringen frågar unga."),
    make("titel2", "Barn ska höras före beslut", summary="Beslut ska pröva det.",
         unit="stadskontoret"),
    make("titel3", "Barnkonventionen som lag", tags=["barnrätt"], year=2023),
    make("text1", "Trygga skolvägar", body="Skolvägen ska vara trygg för barn som går.",
         unit="stadskontoret", year=2023),
    make("text2", "Lekplatser i parker", summary="Barn leker mer där det finns skugga."),
    make("text3", "Bibliotekets öppettider", body="Barn och föräldrar vill ha öppet på helgen."),
    make("text4", "Simskola på sommaren", body="Alla barn ska få lära sig simma.",
         unit="fritidsforvaltningen", year=2022),
]
IN_TITLE = {"titel1", "titel2", "titel3"}


@pytest.fixture
def backend(database_backend):
    database_backend.index(CHILDREN)
    return database_backend


def search(backend, text: str, **kwargs):
    return backend.search(SearchQuery(text=text, access=None, **kwargs))


def keys(results) -> list[str]:
    return [hit.public_id for hit in results.hits]


def counts(results, name: str) -> dict[str, int]:
    return {v.value: v.count for v in results.facets[name]}


# --- Estimated counts --------------------------------------------------------------------


def test_counts_are_exact_below_the_sample_size(backend):
    results = search(backend, "barn")
    assert results.approximate is False
    assert results.total == len(CHILDREN)
    assert counts(results, "ar") == {"2024": 4, "2023": 2, "2022": 1}


def test_counts_above_the_sample_size_are_estimates_from_every_step_th_match(backend,
                                                                             monkeypatch):
    exact = search(backend, "barn", limit=20)
    monkeypatch.setattr(statement, "SAMPLE_ROWS", 3)  # step = 7 // 3 + 1 = 3
    rows = backend.engine.search(
        _analysed("barn"), backend._restrictions(SearchQuery("barn", access=None)), 0, 20,
        ("typ", "ar"))
    assert rows.step == 3 and rows.approximate
    assert rows.matches == len(CHILDREN)
    sampled = [pk for pk in _ids() if pk % 3 == 0]
    assert rows.total == 3 * len(sampled)
    assert sum(rows.facets["typ"].values()) == rows.total  # each document has one kind
    # The ranking is not sampled: every match is still on the pages.
    results = search(backend, "barn", limit=20)
    assert results.approximate is True
    assert sorted(keys(results)) == sorted(keys(exact)) == sorted(d.public_id for d in CHILDREN)


def test_estimates_are_rounded_to_two_significant_digits():
    assert [approximately(n) for n in (7, 42, 100, 123, 4_871, 66_327)] == [
        7, 42, 100, 120, 4_900, 66_000]


def test_estimated_counts_never_include_documents_the_viewer_may_not_open(database_backend,
                                                                          monkeypatch):
    monkeypatch.setattr(statement, "SAMPLE_ROWS", 2)  # step 4: one of six ids in a row at least
    hidden = [make(f"dold{i}", f"Barn {i}", access=["forumkategori-9"]) for i in range(6)]
    database_backend.index(hidden)
    results = database_backend.search(
        SearchQuery("barn", access=frozenset({"alla"}), limit=10))
    assert results.hits == [] and results.total == 0
    assert all(not values for values in results.facets.values())


def test_pages_and_api_say_ca_for_estimates(user_client, database_backend, monkeypatch):
    from search.backends import get_backend

    get_backend().index(CHILDREN)
    page = user_client.get("/sok/", {"q": "barn"})
    assert "ca " not in page.content.decode()
    monkeypatch.setattr(statement, "SAMPLE_ROWS", 2)
    page = user_client.get("/sok/", {"q": "barn"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "ca " in html and "träffar för" in html
    assert "(ca " in html  # the facet counts too
    data = user_client.get("/api/sok/", {"q": "barn"}).json()
    assert data["approximate"] is True


# --- The title and tag tier ----------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "sqlite",
                    reason="the title tier is SQLite's; PostgreSQL scores every match")
def test_broad_searches_rank_title_and_tag_matches_first(backend, monkeypatch):
    monkeypatch.setattr(statement, "TIERED_FROM", 0)
    results = search(backend, "barn", limit=20)
    assert set(keys(results)[:3]) == IN_TITLE
    assert set(keys(results)[3:]) == {d.public_id for d in CHILDREN} - IN_TITLE
    # A page past the tier ranks the rest after it, so the pages agree.
    pages = [keys(search(backend, "barn", offset=offset, limit=2)) for offset in range(0, 8, 2)]
    assert [key for page in pages for key in page] == keys(results)


@pytest.mark.skipif(connection.vendor != "sqlite",
                    reason="the title tier is SQLite's; PostgreSQL scores every match")
def test_a_tier_smaller_than_the_page_is_followed_by_the_rest(backend, monkeypatch):
    monkeypatch.setattr(statement, "TIERED_FROM", 0)
    results = search(backend, "barnkonventionen barn", limit=10)  # one title has both
    assert keys(results)[0] == "titel3"
    assert len(results.hits) == results.total


@pytest.mark.skipif(connection.vendor != "sqlite",
                    reason="the title tier is SQLite's; PostgreSQL scores every match")
def test_a_broad_long_query_ranks_most_words_in_the_title_first(database_backend, monkeypatch):
    monkeypatch.setattr("search.backends.database.BROAD_QUERY_MATCHES", 0)  # all but one word
    monkeypatch.setattr(statement, "TIERED_FROM", 0)
    database_backend.index([
        make("alla", "Trygghet och belysning i parker"),
        make("en1", "Belysning på gångvägar", body="Trygghet i parker kräver ljus."),
        make("en2", "Parker för alla", body="Belysning på kvällen."),
        make("ingen", "Kvällsöppet", summary="Trygghet, belysning och parker.",
             body="Trygghet och belysning i parken. Mer belysning ger trygghet i parkerna."),
    ])
    text = "trygghet park belysning"
    assert keys(search(database_backend, text, limit=1)) == ["alla"]
    ranked = keys(search(database_backend, text, limit=10))
    assert ranked[0] == "alla" and set(ranked[1:3]) == {"en1", "en2"} and ranked[3] == "ingen"
    pages = [keys(search(database_backend, text, offset=offset, limit=1)) for offset in range(4)]
    assert [key for page in pages for key in page] == ranked
    # Scored alike, the document with every word three times in its text would come second.
    monkeypatch.setattr(statement, "TIERED_FROM", 10_000)
    assert keys(search(database_backend, text, limit=10))[1] == "ingen"


# --- One statement --------------------------------------------------------------------------


def test_a_filtered_search_counts_its_own_facet_in_the_same_statement(backend):
    def statements(**filters):
        with CaptureQueriesContext(connection) as queries:
            search(backend, "barn", filters=filters)
        return len(queries.captured_queries)

    search(backend, "barn")  # loads the synonyms once
    assert statements() == statements(ar=["2023"]) == statements(ar=["2023"], typ=["metod"])
    results = search(backend, "barn", filters={"ar": ["2023"]})
    assert results.total == 2
    # The year facet keeps its other values (multi-select); the others follow the filter.
    assert counts(results, "ar") == {"2024": 4, "2023": 2, "2022": 1}
    assert counts(results, "forvaltning") == {"stadskontoret": 1}


# --- Per-term document counts (both engines) ------------------------------------------------


def documents(term: str) -> int | None:
    return IndexedTerm.objects.filter(term=term).values_list("documents", flat=True).first()


def test_term_counts_follow_writes_updates_and_deletes(database_backend):
    database_backend.index(CORPUS)
    term = stem("diskriminering")
    assert documents("") == len(CORPUS)
    before = documents(term)
    assert before >= 1
    assert database_backend.engine.document_frequencies({term, "finnsinte"}) == {term: before}
    assert database_backend.engine.known_terms({term, "finnsinte"}) == {term}
    # Writing a document again (an edit) does not count it twice.
    database_backend.index([d for d in CORPUS if d.public_id == "diskr"])
    assert (documents(""), documents(term)) == (len(CORPUS), before)
    database_backend.delete(["test:diskr"])
    assert documents("") == len(CORPUS) - 1
    assert documents(term) == before - 1
    assert database_backend.engine.document_count() == len(CORPUS) - 1


def test_a_rebuild_counts_afresh(database_backend):
    database_backend.index(CORPUS)
    database_backend.rebuild(CHILDREN)
    assert documents("") == len(CHILDREN)
    assert documents(stem("barn")) == len(CHILDREN)
    assert documents(stem("diskriminering")) in (None, 0)


# --- Helpers ----------------------------------------------------------------------------------


def _analysed(text: str):
    from search import analysis

    return analysis.analyze_query(text)


def _ids() -> list[int]:
    from search.models import IndexedDocument

    return list(IndexedDocument.objects.values_list("pk", flat=True))
