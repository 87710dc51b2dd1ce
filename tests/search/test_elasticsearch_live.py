"""The Elasticsearch backend against a real cluster: the behaviour the database backend has
(inflections, compounds, synonyms, words without å/ä/ö, typos, facets, access, deletes) and
the index versions behind the alias.

Skipped unless ELASTICSEARCH_URL points at a cluster (Elasticsearch 8.10 or later, for the
synonyms API), e.g.

    ELASTICSEARCH_URL=http://elastic:changeme@localhost:9200 \\
        .venv/bin/python -m pytest tests/search -k elasticsearch_live

Every test uses its own index prefix (`mrnavet-test-<random>`) and deletes its indices and
synonyms set afterwards; nothing of an existing `mrnavet-*` index is touched.
"""

from __future__ import annotations

import datetime
import os
import uuid

import pytest

from search.backends.base import SearchQuery
from search.backends.elasticsearch import ElasticsearchBackend
from search.documents import SearchDocument, forum_category_token, group_token

ES_URL = os.environ.get("ELASTICSEARCH_URL", "")

pytestmark = [
    pytest.mark.skipif(not ES_URL, reason="no Elasticsearch server here: "
                       "set ELASTICSEARCH_URL to run against a real cluster"),
    pytest.mark.django_db,
]

PUBLIC = frozenset({"alla"})


def document(key: str, title: str, **values) -> SearchDocument:
    values.setdefault("kind", "metod")
    values.setdefault("year", 2024)
    return SearchDocument(key=key, public_id=key.replace(":", "-"), title=title,
                          url=f"/{key.replace(':', '/')}/", **values)


DOCUMENTS = [
    document("page:1", "Barnkonsekvensanalyser i förskolan",
             summary="Så gör förvaltningen en barnkonsekvensanalys steg för steg.",
             body="Analyserna görs innan beslut fattas i Malmö stad. Barnets bästa utreds.",
             tags=["barnets bästa"], rights_areas=["barnets-rattigheter"],
             organisation_unit="forskoleforvaltningen", staircase_steps=[3], year=2023,
             date=datetime.date(2023, 3, 14)),
    document("page:2", "Mänskliga rättigheter i kommunen", kind="vagledning",
             summary="Vägledning om rättigheterna som gäller alla i Malmö stad.",
             body="Kommunen ska respektera, skydda och främja de mänskliga rättigheterna.",
             rights_areas=["mr-generellt"], organisation_unit="stadskontoret",
             staircase_steps=[1, 2]),
    document("page:3", "Jämställdhetsintegrering på miljöförvaltningen", kind="gott-exempel",
             summary="Hur miljöförvaltningen arbetar med jämställdhet i Malmö stad.",
             body="Ett gott exempel på systematiskt arbete med jämställdhet.",
             rights_areas=["jamstalldhet"], organisation_unit="miljoforvaltningen"),
    document("forum:7", "Hbtq-frågor i skolan", kind="forumtrad",
             summary="Diskussion i en stängd kategori i Malmö stad.",
             body="Hur bemöter vi elever som är hbtq-personer?",
             access=[forum_category_token(5)], year=2025),
    document("page:5", "Prioritering av snöröjningen", kind="vagledning",
             summary="Vilka gator plogas först i Malmö stad?",
             body="Trottoarer och cykelbanor prioriteras <script>alert(1)</script> först.",
             organisation_unit="gatukontoret"),
    document("page:6", "Tillgänglighet för alla", kind="metod",
             summary="Tillgänglighet i Malmö stad.", body="Samma text.",
             access=[group_token(9)]),
]


@pytest.fixture
def es():
    from search.models import Synonym
    from search.synonyms import forget_synonyms

    Synonym.objects.all().delete()  # the seeded list; tests add the rows they need
    forget_synonyms()
    backend = ElasticsearchBackend(url=ES_URL, prefix=f"mrnavet-test-{uuid.uuid4().hex[:12]}")
    backend.ping()
    try:
        yield backend
    finally:
        backend.drop()
        forget_synonyms()


@pytest.fixture
def built(es):
    assert es.rebuild(DOCUMENTS) == len(DOCUMENTS)
    return es


def search(backend, text: str, access=PUBLIC, **options):
    return backend.search(SearchQuery(text=text, access=access, **options))


def keys(results) -> list[str]:
    return [hit.key for hit in results.hits]


# --- Matching --------------------------------------------------------------------------------


def test_elasticsearch_live_inflections(built):
    assert keys(search(built, "rättigheterna"))[0] == "page:2"
    assert "page:1" in keys(search(built, "analys"))           # "Analyserna", "-analyser"


def test_elasticsearch_live_compound_part_finds_compound(built):
    assert keys(search(built, "konsekvensanalys"))[0] == "page:1"


def test_elasticsearch_live_compound_query_finds_its_parts(built):
    assert keys(search(built, "snöröjningsprioritering"))[0] == "page:5"


def test_elasticsearch_live_synonyms_from_the_synonym_model(built):
    from search.models import Synonym
    from search.synonyms import forget_synonyms

    assert "page:1" not in keys(search(built, "bka"))   # the fixture removed the seeded list
    Synonym.objects.create(terms="BKA, barnkonsekvensanalys")
    forget_synonyms()
    assert keys(search(built, "BKA"))[0] == "page:1"
    # the synonyms set follows the model, and the analyzer uses it for highlighting
    assert built.sync_synonyms() >= 1
    rules = built.client.synonyms.get_synonym(id=built.synonyms_set)["synonyms_set"]
    assert any(rule["synonyms"] == "bka, barnkonsekvensanalys" for rule in rules)


def test_elasticsearch_live_words_without_diacritics(built):
    assert keys(search(built, "jamstalldhetsintegrering"))[0] == "page:3"
    assert "page:3" in keys(search(built, "miljoforvaltningen"))


def test_elasticsearch_live_abbreviation_prefix(built):
    assert keys(search(built, "miljöförv."))[0] == "page:3"


def test_elasticsearch_live_typo_found_and_suggested(built):
    results = search(built, "jämställdhetsintegrerng")
    assert keys(results)[0] == "page:3"
    assert results.suggestion == "jämställdhetsintegrering"
    assert results.corrected is False


def test_elasticsearch_live_misspelling_corrected_when_nothing_found(built):
    results = search(built, "rättigheer")
    assert results.corrected is True
    assert results.suggestion == "rättigheter"
    assert "page:2" in keys(results)


def test_elasticsearch_live_no_suggestion_for_known_words(built):
    assert search(built, "analyserna").suggestion is None


def test_elasticsearch_live_highlight_marks_and_escapes(built):
    hit = search(built, "konsekvensanalys").hits[0]
    assert "<mark>" in hit.snippet and "barnkonsekvensanalys" in hit.snippet.lower()
    snippet = search(built, "trottoarer").hits[0].snippet
    assert "<mark>Trottoarer</mark>" in snippet
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet
    assert search(built, "trottoarer", highlight=False).hits[0].snippet == ""


def test_elasticsearch_live_hit_fields(built):
    hit = search(built, "barnkonsekvensanalyser").hits[0]
    assert (hit.key, hit.public_id, hit.kind, hit.url) == ("page:1", "page-1", "metod", "/page/1/")
    assert hit.organisation_unit == "forskoleforvaltningen"
    assert hit.rights_areas == ["barnets-rattigheter"]
    assert (hit.year, hit.date) == (2023, datetime.date(2023, 3, 14))
    assert hit.score > 0


# --- Facets, filters, access -----------------------------------------------------------------


def facet_counts(results, name: str) -> dict[str, int]:
    return {value.value: value.count for value in results.facets[name]}


def test_elasticsearch_live_facets(built):
    results = search(built, "malmö")
    assert results.total == 4
    assert facet_counts(results, "typ") == {"vagledning": 2, "gott-exempel": 1, "metod": 1}
    assert [v.value for v in results.facets["typ"]] == ["vagledning", "gott-exempel", "metod"]
    assert facet_counts(results, "ar") == {"2024": 3, "2023": 1}
    assert facet_counts(results, "steg") == {"1": 1, "2": 1, "3": 1}


def test_elasticsearch_live_filters_keep_other_values_of_their_own_facet(built):
    results = search(built, "malmö", filters={"typ": ["vagledning"]})
    assert sorted(keys(results)) == ["page:2", "page:5"]
    assert results.total == 2
    # multi-select: the typ facet still counts the other kinds, the rest only vägledning
    assert facet_counts(results, "typ") == {"vagledning": 2, "gott-exempel": 1, "metod": 1}
    assert facet_counts(results, "forvaltning") == {"gatukontoret": 1, "stadskontoret": 1}
    both = search(built, "malmö", filters={"typ": ["vagledning"], "ar": ["2023"]})
    assert both.total == 0


def test_elasticsearch_live_access(built):
    assert "forum:7" not in keys(search(built, "hbtq"))
    assert keys(search(built, "hbtq", access=PUBLIC | {forum_category_token(5)})) == ["forum:7"]
    assert keys(search(built, "tillgänglighet", access=frozenset({group_token(9)}))) == ["page:6"]
    assert search(built, "malmö", access=frozenset()).total == 0
    assert search(built, "malmö", access=None).total == 6


def test_elasticsearch_live_exclude_keys(built):
    results = search(built, "malmö", exclude_keys=frozenset({"page:2"}))
    assert "page:2" not in keys(results) and results.total == 3


def test_elasticsearch_live_paging_and_deterministic_order(es):
    twins = [document(f"page:{n}", "Samma rubrik", summary="Samma text.") for n in (30, 10, 20)]
    es.rebuild(twins)
    first = keys(search(es, "rubrik", limit=2))
    second = keys(search(es, "rubrik", offset=2, limit=2))
    assert first + second == ["page:10", "page:20", "page:30"]


def test_elasticsearch_live_suggest_as_you_type(built):
    titles = [s.title for s in built.suggest("miljöförv", PUBLIC)]
    assert titles == ["Jämställdhetsintegrering på miljöförvaltningen"]
    assert [s.title for s in built.suggest("jamst", PUBLIC)] == titles
    assert built.suggest("hbtq", PUBLIC) == []
    assert [s.url for s in built.suggest("hbtq", frozenset({forum_category_token(5)}))] == \
        ["/forum/7/"]


def test_elasticsearch_live_empty_query(built):
    results = search(built, "!!!")
    assert results.hits == [] and results.total == 0


# --- Writing and the alias -------------------------------------------------------------------


def test_elasticsearch_live_index_replaces_by_key_and_delete(built):
    changed = document("page:5", "Vinterväghållning", summary="Sand och salt.")
    assert built.index([changed]) == 1
    assert built.count() == len(DOCUMENTS)
    assert keys(search(built, "vinterväghållning")) == ["page:5"]
    assert "page:5" not in keys(search(built, "snöröjningsprioritering"))
    built.delete(["page:5", "page:404"])
    assert built.count() == len(DOCUMENTS) - 1
    assert search(built, "vinterväghållning").total == 0


def test_elasticsearch_live_first_write_creates_index_behind_alias(es):
    assert es.count() == 0
    assert search(es, "malmö").total == 0     # no index yet: empty, not an error
    assert es.index(DOCUMENTS[:2]) == 2
    assert es.current_index() is not None and es.current_index().startswith(es.alias + "-")
    assert es.count() == 2


def test_elasticsearch_live_rebuild_swaps_alias_and_deletes_old_version(built):
    old = built.current_index()
    seen = []
    assert built.rebuild(DOCUMENTS[:3], progress=seen.append) == 3
    new = built.current_index()
    assert new != old and new > old
    assert seen[-1] == 3
    assert not built.client.indices.exists(index=old)
    assert sorted(built.client.indices.get_alias(name=built.alias).body) == [new]
    assert built.count() == 3
    assert search(built, "snöröjningsprioritering").total == 0


def test_elasticsearch_live_failed_rebuild_keeps_old_version(built):
    old = built.current_index()

    def broken():
        yield DOCUMENTS[0]
        raise RuntimeError("source failed")

    with pytest.raises(RuntimeError, match="source failed"):
        built.rebuild(broken())
    assert built.current_index() == old
    assert built.count() == len(DOCUMENTS)
    versions = built.client.indices.get(index=f"{built.alias}-*").body
    assert sorted(versions) == [old]
