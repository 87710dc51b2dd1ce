"""The database backend (SQLite FTS5 or PostgreSQL full text, whichever DATABASE_URL names)
on a small hand-written Swedish corpus: one test per query category of the evaluation set,
facets, paging, index maintenance, suggestions, snippets and hostile input.

Every test here runs unchanged on both engines:

    .venv/bin/python -m pytest tests/search/test_database_backend.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mrnavet_searchtest .venv/bin/python -m pytest …
"""

from __future__ import annotations

import datetime

import pytest

from search.backends.base import SearchQuery
from search.documents import ACCESS_ALL, SearchDocument
from search.models import IndexedDocument, IndexedFacet, Synonym

pytestmark = pytest.mark.django_db


def make(key: str, title: str, *, kind: str = "metod", summary: str = "", body: str = "",
         tags=(), meta: str = "", areas=("manskliga-rattigheter",), unit: str | None = None,
         steps=(), year: int | None = 2024, access=(ACCESS_ALL,)) -> SearchDocument:
    return SearchDocument(
        key=f"test:{key}", public_id=key, kind=kind, title=title, url=f"/test/{key}/",
        summary=summary, body=body, tags=list(tags), meta=meta, rights_areas=list(areas),
        organisation_unit=unit, staircase_steps=list(steps), year=year,
        date=datetime.date(year, 3, 1) if year else None, access=list(access),
    )


CORPUS = [
    make("bka", "Barnkonsekvensanalys inför beslut",
         summary="Så gör förvaltningen en barnkonsekvensanalys innan nämnden fattar beslut.",
         body="Analysen visar hur beslutet påverkar barnen. Barnets bästa ska prövas och barn "
              "ska få komma till tals innan ärendet går vidare.",
         areas=["barnets-rattigheter"], unit="stadskontoret", steps=[3], year=2023,
         meta="Stadskontoret"),
    make("tolk", "Rättighet till tolk vid myndighetskontakter", kind="vagledning",
         summary="Den som inte talar svenska har rätt till tolk när myndigheten kallar till möte.",
         body="Förvaltningslagen säger att myndigheten ska använda tolk vid behov. Beställ tolken "
              "i god tid.",
         areas=["antidiskriminering"], unit="stadskontoret", steps=[2], year=2022,
         meta="Stadskontoret"),
    make("snoprio", "Snöröjningsprioritering i bostadsområden", kind="gott-exempel",
         summary="Gång- och cykelvägar till skolor och förskolor plogas före bilvägarna.",
         body="Fastighets- och gatukontoret gick igenom ordningen för plogning efter synpunkter "
              "från invånare som går, cyklar och åker kollektivt.",
         areas=["jamstalldhet"], unit="fastighets-och-gatukontoret", steps=[5], year=2021,
         meta="Fastighets- och gatukontoret"),
    make("snojamst", "Jämställd vinterväghållning", kind="gott-exempel",
         summary="Prioritering av snöröjningen utifrån hur kvinnor och män reser.",
         body="En kartläggning visade att kvinnor oftare går och åker buss. Därför ändrades "
              "turordningen för vinterns plogning.",
         areas=["jamstalldhet"], unit="fastighets-och-gatukontoret", steps=[3], year=2022,
         meta="Fastighets- och gatukontoret"),
    make("jamstbudget", "Jämställdhetsintegrering av budgetprocessen", kind="metod",
         summary="Könsuppdelad statistik visar hur budgeten fördelas mellan flickor och pojkar.",
         body="Jämställdhet i budgeten kräver att varje nämnd redovisar resurser per kön.",
         areas=["jamstalldhet"], unit="stadskontoret", steps=[5], year=2024,
         meta="Stadskontoret"),
    make("jamstforum", "Fråga om statistik per kön", kind="forumtrad",
         summary="Hur redovisar ni jamstalldhet i verksamhetsberättelsen?",
         body="Vi skriver jamstalldhet utan prickar i vårt gamla system. Svar från "
              "kulturförvaltningen: vi redovisar per kön i varje avsnitt.",
         areas=["jamstalldhet"], unit="kulturforvaltningen", year=2024,
         meta="Allmänt\nKulturförvaltningen"),
    make("minoritet", "Samråd med nationella minoriteter", kind="vagledning",
         summary="Minoritetslagen kräver samråd om minoritetsspråk och kultur.",
         body="Finska, meänkieli, samiska, romani chib och jiddisch har särskilt skydd. "
              "Förvaltningen ska ge barn möjlighet att utveckla sitt språk.",
         areas=["nationella-minoriteter"], unit="kulturforvaltningen", steps=[4], year=2021,
         meta="Kulturförvaltningen"),
    make("diskr", "Aktiva åtgärder mot diskriminering vid rekrytering", kind="metod",
         summary="Arbetsgivaren ska undersöka risker för diskriminering i varje anställning.",
         body="Diskrimineringslagen räknar upp sju diskrimineringsgrunder. Gå igenom "
              "annonsen, urvalet och intervjun.",
         areas=["antidiskriminering"], unit="serviceforvaltningen", steps=[2], year=2023,
         meta="Serviceförvaltningen"),
    make("mr", "Mänskliga rättigheter i stadens styrning", kind="vagledning",
         summary="Policyn för mänskliga rättigheter gäller alla nämnder och bolag.",
         body="Staden följer upp arbetet årligen i en gemensam analys av hur invånarna "
              "får sina rättigheter tillgodosedda.",
         areas=["manskliga-rattigheter"], unit="stadskontoret", steps=[1, 6], year=2024,
         meta="Stadskontoret"),
    make("miljobarn", "Barnrätt i tillsynen", kind="gott-exempel",
         summary="Inspektörerna frågar barn om buller och luft vid skolor.",
         body="Tillsynen av skolgårdar gjordes tillsammans med eleverna.",
         areas=["barnets-rattigheter"], unit="miljoforvaltningen", steps=[4], year=2023,
         meta="Miljöförvaltningen"),
    make("fritidbarn", "Barnrätt på fritidsgårdarna", kind="gott-exempel",
         summary="Ungdomsråd bestämmer över gårdarnas öppettider.",
         body="Fritidsledarna frågar barn och unga om verksamheten varje termin.",
         areas=["barnets-rattigheter"], unit="fritidsforvaltningen", steps=[4], year=2023,
         meta="Fritidsförvaltningen"),
    make("forskola", "Barns delaktighet i förskolan", kind="metod",
         summary="Förskolans pedagoger låter barnen välja aktiviteter.",
         body="Barnen röstar med bilder. Förskolor i hela staden använder metoden.",
         areas=["barnets-rattigheter"], unit="forskoleforvaltningen", steps=[4], year=2025,
         meta="Förskoleförvaltningen"),
    make("webb", "Säker webbpublicering", kind="vagledning",
         summary="Tillgänglighet och säkerhet när du publicerar på webben.",
         body="Klistra aldrig in <script>alert('x')</script> & liknande kod i en sida. "
              "Tillgänglighet kräver rubriker och alternativtexter.",
         areas=["funktionsratt"], unit="serviceforvaltningen", steps=[2], year=2020,
         meta="Serviceförvaltningen"),
    make("hbtqi", "Hbtqi-certifiering av fritidsgårdar", kind="gott-exempel",
         summary="Personalen gick utbildning om normer och bemötande.",
         body="Certifieringen tog ett år och omfattade alla gårdar.",
         areas=["hbtqi"], unit="fritidsforvaltningen", steps=[1], year=2019,
         meta="Fritidsförvaltningen"),
    make("resurs", "Resurser för tillgänglighetsanpassning", kind="vagledning",
         summary="Bidrag till ramper, hörslingor och skyltar.",
         body="Ansök om resursen innan ombyggnaden börjar.",
         areas=["funktionsratt"], unit="stadsbyggnadskontoret", steps=[2], year=2025,
         meta="Stadsbyggnadskontoret"),
]


@pytest.fixture
def backend(database_backend):
    database_backend.index(CORPUS)
    return database_backend


def search(backend, text: str, **kwargs):
    return backend.search(SearchQuery(text=text, access=None, **kwargs))


def keys(results) -> list[str]:
    return [hit.public_id for hit in results.hits]



def facet_counts(results, name: str) -> dict[str, int]:
    return {value.value: value.count for value in results.facets[name]}




# --- Query categories --------------------------------------------------------------------


@pytest.mark.parametrize(("query", "expected"), [
    ("Barnkonsekvensanalys inför beslut", "bka"),
    ("Jämställd vinterväghållning", "snojamst"),
    ("Samråd med nationella minoriteter", "minoritet"),
    ("säker webbpublicering", "webb"),
])
def test_exact_title_comes_first(backend, query, expected):
    assert keys(search(backend, query))[0] == expected


@pytest.mark.parametrize(("query", "expected"), [
    ("rättigheterna", "tolk"),                    # document: "Rättighet"
    ("resurserna", "resurs"),                     # "Resurser", "resursen"
    ("förskolans", "forskola"),                   # "förskolan"
    ("barnkonsekvensanalyserna", "bka"),          # "barnkonsekvensanalys"
    ("diskrimineringen", "diskr"),                # "diskriminering"
])
def test_other_inflections_find_the_document(backend, query, expected):
    assert expected in keys(search(backend, query))


def test_inflected_query_ranks_the_document_first(backend):
    assert keys(search(backend, "resurserna"))[0] == "resurs"
    assert keys(search(backend, "förskolans"))[0] == "forskola"


def test_part_of_a_compound_finds_the_compound(backend):
    # "konsekvensanalys" appears only inside "barnkonsekvensanalys".
    assert keys(search(backend, "konsekvensanalys")) == ["bka"]
    assert keys(search(backend, "minoritetsspråket"))[0] == "minoritet"


def test_separate_words_find_the_compound(backend):
    # The document writes "Snöröjningsprioritering"; the query keeps the words apart.
    assert keys(search(backend, "snöröjning prioritering"))[0] == "snoprio"


def test_compound_finds_the_words_kept_apart(backend):
    # "snojamst" says "Prioritering av snöröjningen", never the compound.
    found = keys(search(backend, "snöröjningsprioritering"))
    assert found[0] == "snoprio"
    assert "snojamst" in found


def test_abbreviation_follows_the_synonym_rows(backend):
    Synonym.objects.all().delete()
    assert search(backend, "BKA").total == 0
    Synonym.objects.create(terms="BKA, barnkonsekvensanalys")
    assert keys(search(backend, "BKA")) == ["bka"]
    assert keys(search(backend, "bka."))[0] == "bka"


def test_multi_word_synonym_both_ways(backend):
    Synonym.objects.all().delete()
    assert search(backend, "mr").total == 0
    Synonym.objects.create(terms="mr, mänskliga rättigheter")
    assert keys(search(backend, "MR"))[0] == "mr"
    Synonym.objects.all().delete()
    Synonym.objects.create(terms="stadsstyrning, mänskliga rättigheter")
    # The expansion is a phrase of stems: it finds "mänskliga rättigheter" in the text.
    assert keys(search(backend, "stadsstyrning"))[0] == "mr"


def test_inflected_synonym_phrase_expands_to_the_abbreviation(backend):
    backend.index([make("mrkort", "Kort om MR-arbetet", summary="MR i vardagen på jobbet.")])
    Synonym.objects.all().delete()
    assert "mrkort" not in keys(search(backend, "mänskliga rättigheterna"))
    Synonym.objects.create(terms="mr, mänskliga rättigheter")
    assert "mrkort" in keys(search(backend, "mänskliga rättigheterna"))


def test_synonym_deleted_stops_working(backend):
    Synonym.objects.all().delete()
    synonym = Synonym.objects.create(terms="bka, barnkonsekvensanalys")
    assert search(backend, "bka").total == 1
    synonym.delete()
    assert search(backend, "bka").total == 0


@pytest.mark.parametrize(("typo", "expected", "suggestion"), [
    ("barnkonsekvensanlys", "bka", "barnkonsekvensanalys"),
    ("diskrimmering", "diskr", "diskriminering"),
])
def test_typo_finds_the_document_and_suggests_the_word(backend, typo, expected, suggestion):
    results = search(backend, typo)
    assert keys(results)[0] == expected
    assert results.suggestion == suggestion


def test_typo_is_replaced_within_the_whole_query(backend):
    results = search(backend, "Aktiva åtgärder diskrimmering")
    assert results.suggestion == "Aktiva åtgärder diskriminering"
    assert keys(results)[0] == "diskr"
    # Other words were found as typed, so the hits are not only for the suggestion.
    assert not results.corrected


def test_hits_only_for_the_correction_are_marked_corrected(backend):
    assert search(backend, "diskrimmering").corrected
    assert not search(backend, "diskriminering").corrected


def test_correctly_spelt_query_has_no_suggestion(backend):
    results = search(backend, "diskriminering")
    assert results.suggestion is None
    assert keys(results)[0] == "diskr"


def test_unknown_word_without_a_close_match_gives_nothing(backend):
    results = search(backend, "xylofonorkester")
    assert results.total == 0 and results.hits == [] and results.suggestion is None


@pytest.mark.parametrize(("query", "expected"), [
    ("jamstalldhetsintegrering", "jamstbudget"),
    ("tillganglighetsanpassning", "resurs"),
    ("Samrad med nationella minoriteter", "minoritet"),
])
def test_missing_diacritics_still_find_the_document(backend, query, expected):
    assert keys(search(backend, query))[0] == expected


@pytest.mark.parametrize("query", ["forskolan", "forskolans"])
def test_missing_diacritics_in_inflected_forms(backend, query):
    assert "forskola" in keys(search(backend, query))


def test_exact_diacritics_rank_above_folded_only_matches(backend):
    # "jamstforum" writes "jamstalldhet" without dots: found, but after the real word.
    found = keys(search(backend, "jämställdhet"))
    assert set(found) == {"jamstbudget", "snojamst", "jamstforum"}
    assert found[-1] == "jamstforum"
    # And the other way round: typed without dots, the literal match comes first but the
    # documents with the real word are still found.
    found = keys(search(backend, "jamstalldhet"))
    assert found[0] == "jamstforum"
    assert {"jamstbudget", "snojamst"} <= set(found)


@pytest.mark.parametrize(("query", "expected"), [
    ("hur gör man en barnkonsekvensanalys inför ett beslut?", "bka"),
    ("vilka språk har särskilt skydd som minoritetsspråk?", "minoritet"),
    ("hur redovisar man resurser per kön i budgeten?", "jamstbudget"),
    ("Vad ska jag göra för att undvika diskriminering när vi anställer?", "diskr"),
])
def test_natural_question(backend, query, expected):
    assert keys(search(backend, query))[0] == expected


@pytest.mark.parametrize(("query", "expected", "other"), [
    ("miljöförv. barnrätt", "miljobarn", "fritidbarn"),
    ("miljöförvaltningen barnrätt", "miljobarn", "fritidbarn"),
    ("fritidsförvaltningen barnrätt", "fritidbarn", "miljobarn"),
    ("fritidsförv. barnrätt", "fritidbarn", "miljobarn"),
])
def test_department_in_the_query_ranks_its_own_document_first(backend, query, expected, other):
    found = keys(search(backend, query))
    assert found[:2] == [expected, other]


def test_abbreviation_with_full_stop_adds_to_the_score(backend):
    results = search(backend, "fritidsförv.")
    assert set(keys(results)) == {"fritidbarn", "hbtqi"}
    assert all(hit.score > 0 for hit in results.hits)


# --- Facets, paging, exclusions ----------------------------------------------------------


def test_facet_counts_of_the_matches(backend):
    results = search(backend, "jämställdhet")
    assert results.total == 3
    assert facet_counts(results, "typ") == {"metod": 1, "gott-exempel": 1, "forumtrad": 1}
    assert facet_counts(results, "omrade") == {"jamstalldhet": 3}
    assert facet_counts(results, "forvaltning") == {
        "stadskontoret": 1, "fastighets-och-gatukontoret": 1, "kulturforvaltningen": 1}
    assert facet_counts(results, "steg") == {"5": 1, "3": 1}
    assert facet_counts(results, "ar") == {"2024": 2, "2022": 1}
    # Sorted by count, then value.
    assert [v.value for v in results.facets["ar"]] == ["2024", "2022"]


def test_filter_values_of_one_facet_are_or_ed(backend):
    results = search(backend, "jämställdhet", filters={"typ": ["metod", "forumtrad"]})
    assert sorted(keys(results)) == ["jamstbudget", "jamstforum"]
    assert results.total == 2


def test_filtered_facet_keeps_its_other_values(backend):
    results = search(backend, "jämställdhet", filters={"typ": ["metod"]})
    assert keys(results) == ["jamstbudget"]
    # Multi-select: the typ facet is counted without its own filter ...
    assert facet_counts(results, "typ") == {"metod": 1, "gott-exempel": 1, "forumtrad": 1}
    # ... the others within it.
    assert facet_counts(results, "ar") == {"2024": 1}
    assert facet_counts(results, "forvaltning") == {"stadskontoret": 1}


def test_filters_of_different_facets_are_and_ed(backend):
    assert keys(search(backend, "jämställdhet", filters={"ar": ["2024"], "typ": ["metod"]})) \
        == ["jamstbudget"]
    results = search(backend, "jämställdhet", filters={"ar": ["2022"], "typ": ["metod"]})
    assert results.total == 0 and results.hits == []
    # Each filtered facet still offers the values that would give hits.
    assert facet_counts(results, "typ") == {"gott-exempel": 1}
    assert facet_counts(results, "ar") == {"2024": 1}


@pytest.mark.parametrize(("filters", "expected"), [
    ({"omrade": ["barnets-rattigheter"]}, {"bka", "miljobarn", "fritidbarn", "forskola"}),
    ({"forvaltning": ["fritidsforvaltningen"]}, {"fritidbarn"}),
    ({"steg": ["3"]}, {"bka"}),
    ({"ar": ["2025"]}, {"forskola"}),
    ({"typ": ["vagledning"]}, {"minoritet"}),
])
def test_each_facet_filters(backend, filters, expected):
    assert set(keys(search(backend, "barn", filters=filters, limit=20))) == expected


def test_paging(backend):
    everything = search(backend, "barn", limit=20)
    assert everything.total == 5 and len(everything.hits) == 5
    pages = [search(backend, "barn", offset=offset, limit=2) for offset in (0, 2, 4)]
    assert [len(page.hits) for page in pages] == [2, 2, 1]
    assert all(page.total == 5 for page in pages)
    assert [key for page in pages for key in keys(page)] == keys(everything)


def test_page_beyond_the_last_keeps_the_total(backend):
    results = search(backend, "barn", offset=40, limit=10)
    assert results.hits == [] and results.total == 5


def test_excluded_keys_are_left_out_of_hits_total_and_facets(backend):
    results = search(backend, "jämställdhet", exclude_keys=frozenset({"test:jamstbudget"}))
    assert set(keys(results)) == {"snojamst", "jamstforum"}
    assert results.total == 2
    assert "metod" not in facet_counts(results, "typ")


def test_facets_and_highlight_can_be_turned_off(backend):
    results = search(backend, "jämställdhet", facets=False, highlight=False)
    assert results.facets == {}
    assert all(hit.snippet == "" for hit in results.hits)


def test_hit_fields(backend):
    hit = search(backend, "Barnkonsekvensanalys inför beslut").hits[0]
    assert (hit.key, hit.public_id, hit.kind, hit.url) == ("test:bka", "bka", "metod", "/test/bka/")
    assert hit.title == "Barnkonsekvensanalys inför beslut"
    assert hit.organisation_unit == "stadskontoret"
    assert hit.rights_areas == ["barnets-rattigheter"]
    assert hit.year == 2023 and hit.date == datetime.date(2023, 3, 1)
    assert hit.score > 0


# --- Keeping the index current -----------------------------------------------------------


def test_index_counts_and_stores_facets(backend):
    assert backend.count() == len(CORPUS)
    document = IndexedDocument.objects.get(key="test:bka")
    # Single-valued facets are columns; a public document has no access rows.
    assert (document.kind, document.organisation_unit, document.year, document.public) == (
        "metod", "stadskontoret", 2023, True)
    assert set(IndexedFacet.objects.filter(document=document)
               .values_list("name", "value")) == {("omrade", "barnets-rattigheter"), ("steg", "3")}


def test_restricted_documents_store_their_access_tokens(backend):
    backend.index([make("hemlig", "Hemlig tråd", kind="forumtrad", access=["forumkategori-3"])])
    document = IndexedDocument.objects.get(key="test:hemlig")
    assert document.public is False
    assert set(IndexedFacet.objects.filter(document=document, name="access")
               .values_list("value", flat=True)) == {"forumkategori-3"}


def test_delete(backend):
    backend.delete(["test:diskr", "test:does-not-exist"])
    assert backend.count() == len(CORPUS) - 1
    assert search(backend, "diskriminering").total == 0
    assert not IndexedFacet.objects.filter(document__key="test:diskr").exists()
    # Facets of other queries no longer count it.
    assert "serviceforvaltningen" not in facet_counts(search(backend, "rekrytering"),
                                                      "forvaltning")


def test_reindexing_a_key_replaces_the_document(backend):
    changed = make("diskr", "Rutin för likabehandling i skolan", kind="vagledning",
                   summary="Skolans arbete mot kränkande behandling.", year=2026)
    assert backend.index([changed]) == 1
    assert backend.count() == len(CORPUS)
    assert search(backend, "rekrytering").total == 0
    results = search(backend, "kränkande behandling")
    assert keys(results) == ["diskr"]
    assert results.hits[0].title == "Rutin för likabehandling i skolan"
    assert facet_counts(results, "ar") == {"2026": 1}
    assert facet_counts(results, "typ") == {"vagledning": 1}


def test_last_document_of_a_key_wins_within_one_call(database_backend):
    first = make("dubblett", "Första versionen om cykelvägar")
    second = make("dubblett", "Andra versionen om gångvägar")
    database_backend.index([first, second])
    assert database_backend.count() == 1
    assert search(database_backend, "cykelvägar").total == 0
    assert keys(search(database_backend, "gångvägar")) == ["dubblett"]


def test_rebuild_replaces_everything(backend):
    progress = []
    kept = [d for d in CORPUS if d.public_id in {"bka", "mr"}]
    assert backend.rebuild(kept, progress=progress.append) == 2
    assert progress == [2]
    assert backend.count() == 2
    assert search(backend, "diskriminering").total == 0
    assert keys(search(backend, "barnkonsekvensanalys")) == ["bka"]
    # The words of removed documents are forgotten for "Menade du …?" as well.
    assert search(backend, "diskrimmering").suggestion is None


def test_rebuild_with_nothing_empties_the_index(backend):
    assert backend.rebuild([]) == 0
    assert backend.count() == 0
    assert search(backend, "barn").total == 0


# --- Suggestions (as you type) -----------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("barnk", ["Barnkonsekvensanalys inför beslut"]),
    ("Barnkonsekvensanalys inf", ["Barnkonsekvensanalys inför beslut"]),
    ("barnrätt fri", ["Barnrätt på fritidsgårdarna"]),
    ("mänskliga rättigheter", ["Mänskliga rättigheter i stadens styrning"]),
    ("resurserna", ["Resurser för tillgänglighetsanpassning"]),
])
def test_suggest_titles(backend, text, expected):
    assert [s.title for s in backend.suggest(text, None)] == expected


def test_suggest_prefix_matches_several_titles(backend):
    suggestions = backend.suggest("snö", None)
    assert {s.title for s in suggestions} == {"Snöröjningsprioritering i bostadsområden"}
    assert suggestions[0].url == "/test/snoprio/" and suggestions[0].kind == "gott-exempel"
    assert {s.title for s in backend.suggest("jämst", None)} == {
        "Jämställdhetsintegrering av budgetprocessen", "Jämställd vinterväghållning"}


def test_suggest_limit_and_no_match(backend):
    assert len(backend.suggest("barnr", None, limit=1)) == 1
    assert backend.suggest("xylofon", None) == []
    assert backend.suggest("", None) == []
    # Words only in the body are not suggested: "plogning" is not in any title.
    assert backend.suggest("plogning", None) == []


def test_suggest_compound_query_finds_title_with_the_words_apart(database_backend):
    database_backend.index([make("rev", "Prioritering av snöröjningen i vinter")])
    assert [s.title for s in database_backend.suggest("snöröjningsprioritering vint", None)] \
        == ["Prioritering av snöröjningen i vinter"]


# --- Snippets ----------------------------------------------------------------------------


def test_snippet_marks_matches_and_escapes_html(backend):
    hit = search(backend, "script alert").hits[0]
    assert hit.public_id == "webb"
    assert "<mark>script</mark>" in hit.snippet and "<mark>alert</mark>" in hit.snippet
    assert "&lt;" in hit.snippet and "&amp;" in hit.snippet
    without_marks = hit.snippet.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in without_marks and ">" not in without_marks


def test_snippet_marks_inflected_and_compound_words(backend):
    snippet = search(backend, "analys").hits
    by_key = {hit.public_id: hit.snippet for hit in snippet}
    # "barnkonsekvensanalys" contains the query word as a compound part; "Analysen" inflects it.
    assert "<mark>barnkonsekvensanalys</mark>" in by_key["bka"] \
        or "<mark>Analysen</mark>" in by_key["bka"]
    snippet = search(backend, "förskolans").hits[0].snippet
    assert "<mark>Förskolans</mark>" in snippet


# --- Whatever is typed -------------------------------------------------------------------


HOSTILE = [
    '"', "*", "(", ")", ":", "^", "-", '"*():^-', '"barn*', "(barn) OR ^jäm-", "-barn",
    "NEAR", "NEAR(barn analys)", "barn NEAR/2 analys", "AND", "OR", "NOT", "AND OR NOT",
    "barn AND OR NOT analys", "title:barn", "{title summary}: barn", "barn:*", "'a':*",
    "a & b", "a | !b", "<->", "'", "''", "\\", "%", "_", "\x00", "barn\x00analys",
    "' OR 1=1 --", "'; DROP TABLE search_indexeddocument; --",
    "1' UNION SELECT password FROM accounts_user --", "<script>alert(1)</script>",
    "x" * 2000, "barn " * 400, "å" * 2000, "1" * 300, "²", "½", "中文", "\u200b", "🙂",
    "och det att", "miljöförv.", "a.", "..", "...", "12.",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_never_raises(backend, text):
    results = search(backend, text)
    assert results.total >= 0 and len(results.hits) <= 10
    assert {hit.public_id for hit in results.hits} <= {d.public_id for d in CORPUS}
    assert isinstance(backend.suggest(text, None), list)
    assert isinstance(backend.suggest(text, frozenset({ACCESS_ALL})), list)
    assert backend.count() == len(CORPUS)


@pytest.mark.parametrize("text", [
    '"barnkonsekvensanalys*', "(barnkonsekvensanalys)", "^barnkonsekvensanalys-",
    "NEAR(barnkonsekvensanalys beslut)", "barnkonsekvensanalys AND OR NOT",
    "title:barnkonsekvensanalys", "barnkonsekvensanalys:*",
    "'; DROP TABLE search_indexeddocument; -- barnkonsekvensanalys",
    "barnkonsekvensanalys " + "x" * 1980,
    ("barnkonsekvensanalys " * 100)[:2000],
])
def test_operator_characters_are_plain_text(backend, text):
    assert keys(search(backend, text))[0] == "bka"


@pytest.mark.parametrize("text", [
    "' OR 1=1 --", "1' UNION SELECT password FROM accounts_user --", "x" * 2000,
])
def test_sql_looking_text_matches_nothing(backend, text):
    results = search(backend, text)
    assert results.total == 0 and results.hits == []


def test_only_stop_words(backend):
    results = search(backend, "och det att")
    assert results.total == 0 and results.hits == [] and results.suggestion is None


def test_empty_query(backend):
    for text in ("", "   ", "-", "?!"):
        results = search(backend, text)
        assert results.hits == [] and results.total == 0
        assert backend.suggest(text, None) == []


# --- Long queries: all words but one ------------------------------------------------------


def test_broad_long_queries_need_all_words_but_one_when_that_fills_a_page(backend, monkeypatch):
    monkeypatch.setattr("search.backends.database.BROAD_QUERY_MATCHES", 0)  # all are broad
    text = "snöröjning kvinnor budget"
    # One hit per page: documents with two of the three words fill it, so only they count.
    strict = search(backend, text, limit=1)
    assert strict.total == 1  # snojamst: snöröjningen + kvinnor; nothing else has two
    assert keys(strict) == ["snojamst"]
    # A page of ten is not filled that way, so every document with any word is ranked.
    relaxed = search(backend, text, limit=10)
    assert relaxed.total > strict.total
    assert {"snojamst", "snoprio", "jamstbudget"} <= set(keys(relaxed))


def test_narrow_long_queries_match_any_word(backend):
    # This index is far below BROAD_QUERY_MATCHES, so any word is enough.
    assert search(backend, "snöröjning kvinnor budget", limit=1).total >= 3


def test_broad_two_word_queries_need_both_words_unless_too_few_have_them(backend, monkeypatch):
    monkeypatch.setattr("search.backends.database.BROAD_QUERY_MATCHES", 0)
    both = search(backend, "snöröjning kvinnor", limit=1)
    assert (both.total, keys(both)) == (1, ["snojamst"])
    # No document has both words: every document with either is ranked.
    assert search(backend, "snöröjning budget", limit=1).total >= 3


def test_one_word_queries_are_never_narrowed(backend, monkeypatch):
    monkeypatch.setattr("search.backends.database.BROAD_QUERY_MATCHES", 0)
    assert search(backend, "snöröjning", limit=1).total >= 2
