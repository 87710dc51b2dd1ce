"""The Elasticsearch backend without a cluster: the index definition and request bodies as
snapshots, and the pure pieces (override rules, synonym rules, alias moves, client options).

Snapshots are pretty JSON files in tests/search/snapshots/. After an intended change (to
the mapping, the query builder or search.analysis), regenerate them with

    UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/search -k elasticsearch

and review the diff before committing.
"""

from __future__ import annotations

import datetime
import difflib
import json
import os
import socket
from pathlib import Path

import pytest

from search import analysis
from search.backends import es_query, es_schema, get_backend, reset_backends
from search.backends.base import SearchQuery
from search.backends.elasticsearch import (
    ElasticsearchBackend,
    ElasticsearchUnavailable,
    client_options,
)
from search.documents import SearchDocument, forum_category_token, group_token
from search.synonyms import SynonymSet

SNAPSHOTS = Path(__file__).parent / "snapshots"
SYNONYMS_SET = "mrnavet-synonyms"


def assert_snapshot(name: str, data) -> None:
    """Compare `data` with snapshots/<name>.json; write it when UPDATE_SNAPSHOTS=1."""
    path = SNAPSHOTS / f"{name}.json"
    generated = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("UPDATE_SNAPSHOTS") == "1":
        SNAPSHOTS.mkdir(exist_ok=True)
        path.write_text(generated, encoding="utf-8")
        return
    if not path.exists():
        pytest.fail(f"missing snapshot {path.name}: run with UPDATE_SNAPSHOTS=1 to create it",
                    pytrace=False)
    stored = path.read_text(encoding="utf-8")
    if stored != generated:
        diff = "".join(difflib.unified_diff(
            stored.splitlines(keepends=True), generated.splitlines(keepends=True),
            fromfile=f"snapshots/{path.name}", tofile="generated", n=3))
        pytest.fail(f"{path.name} differs from what the code generates now:\n{diff}\n"
                    "If the change is intended, run with UPDATE_SNAPSHOTS=1 and review.",
                    pytrace=False)


def search_body(text: str, synonyms=None, **options) -> dict:
    query = SearchQuery(text=text, access=options.pop("access", None), **options)
    analysed = analysis.analyze_query(text, synonyms=synonyms)
    return es_query.build_search(query, analysed).to_dict()


def example_document(**overrides) -> SearchDocument:
    values = dict(
        key="page:12", public_id="bka-i-forskolan", kind="metod",
        title="Barnkonsekvensanalyser i förskolan",
        url="/metoder/bka-i-forskolan/",
        summary="Så gör förvaltningen en <b>BKA</b> steg för steg.",
        body="Analysen görs innan beslut. Barnets bästa ska utredas.",
        tags=["BKA", "barnets bästa"], meta="Förskoleförvaltningen Barnets rättigheter",
        rights_areas=["barnets-rattigheter"], organisation_unit="forskoleforvaltningen",
        staircase_steps=[3, 4], year=2023, date=datetime.date(2023, 3, 14),
        access=["alla", group_token(4)],
    )
    values.update(overrides)
    return SearchDocument(**values)


# --- Snapshots: the index --------------------------------------------------------------------


def test_elasticsearch_index_settings_and_mappings_snapshot():
    assert_snapshot("elasticsearch_index", es_schema.index_body(SYNONYMS_SET))


def test_elasticsearch_document_source_snapshot():
    action = es_schema.index_action(example_document(), "mrnavet-documents", SYNONYMS_SET)
    assert_snapshot("elasticsearch_document", action)


# --- Snapshots: requests ---------------------------------------------------------------------


def test_elasticsearch_query_plain_word_snapshot():
    assert_snapshot("elasticsearch_query_plain", search_body("rättigheterna"))


def test_elasticsearch_query_compound_snapshot():
    assert_snapshot("elasticsearch_query_compound", search_body("snöröjningsprioritering"))


@pytest.mark.django_db
def test_elasticsearch_query_synonym_snapshot():
    from search.models import Synonym
    from search.synonyms import current_synonyms, forget_synonyms

    Synonym.objects.all().delete()  # only this row, not the seeded list
    Synonym.objects.create(terms="BKA, barnkonsekvensanalys")
    forget_synonyms()
    try:
        body = search_body("BKA i förskolan", synonyms=current_synonyms())
    finally:
        forget_synonyms()
    assert_snapshot("elasticsearch_query_synonym", body)


def test_elasticsearch_query_abbreviation_snapshot():
    assert_snapshot("elasticsearch_query_abbreviation", search_body("miljöförv. barnrätt"))


def test_elasticsearch_query_filters_and_access_snapshot():
    body = search_body(
        "jämställdhet", access=frozenset({"alla", group_token(3), forum_category_token(5)}),
        filters={"typ": ["vagledning", "metod"], "ar": ["2023"]}, offset=10, limit=10,
        exclude_keys=frozenset({"page:9"}))
    assert_snapshot("elasticsearch_query_filters_access", body)


def test_elasticsearch_query_folded_typo_snapshot():
    # Typed without å/ä/ö and with a letter missing; no facets or highlighting asked.
    body = search_body("jamstaldhet", facets=False, highlight=False)
    assert_snapshot("elasticsearch_query_folded_typo", body)


def test_elasticsearch_suggest_snapshot():
    text = "miljöförv"
    analysed = analysis.analyze_query(text, prefix_last=True)
    body = es_query.build_suggest(text, analysed, frozenset({"alla"}), 8).to_dict()
    assert_snapshot("elasticsearch_suggest", body)


# --- The analysis exported to Elasticsearch --------------------------------------------------


def test_elasticsearch_analyzers_mirror_search_analysis():
    settings = es_schema.analysis_settings(SYNONYMS_SET)
    filters, analyzers = settings["filter"], settings["analyzer"]
    assert filters["sv_stop"]["stopwords"] == sorted(analysis.STOP_WORDS)
    assert filters["sv_stemmer"] == {"type": "stemmer", "language": "swedish"}
    assert filters["sv_stem_override"]["rules"] == es_schema.stem_override_rules()
    assert filters["sv_synonyms"] == {"type": "synonym_graph", "synonyms_set": SYNONYMS_SET,
                                      "updateable": True, "lenient": True}
    # Synonyms at query time only; the override before the stemmer; folding last.
    assert analyzers["sv_index"]["filter"] == ["lowercase", "sv_stop", "sv_stem_override",
                                               "sv_stemmer"]
    assert analyzers["sv_search"]["filter"] == ["lowercase", "sv_synonyms", "sv_stop",
                                                "sv_stem_override", "sv_stemmer"]
    assert analyzers["sv_folded"]["filter"][-1] == "sv_folding"
    assert "sv_synonyms" not in analyzers["sv_folded"]["filter"]


def test_elasticsearch_mapping_uses_search_analyzer_only_for_synonyms():
    properties = es_schema.index_body(SYNONYMS_SET)["mappings"]["properties"]
    for name in ("title", "tags", "summary", "body"):
        assert properties[name]["analyzer"] == "sv_index"
        assert properties[name]["search_analyzer"] == "sv_search"
        assert properties[name]["fields"]["folded"]["analyzer"] == "sv_folded"
    for name in ("title_terms", "tags_terms", "meta_terms", "summary_terms", "body_terms",
                 "folded_terms"):
        assert properties[name] == {"type": "text", "analyzer": "sv_terms"}
    for name in ("kind", "rights_areas", "organisation_unit", "staircase_steps", "year",
                 "access", "key", "public_id"):
        assert properties[name]["type"] == "keyword"
    assert properties["title_suggest"]["type"] == "search_as_you_type"


def test_elasticsearch_stem_override_rule_for_analys():
    rules = es_schema.stem_override_rules()
    assert ("analys, analysar, analysarna, analysarnas, analysars, analysen, analysens, "
            "analyser, analyserna, analysernas, analysers, analyset, analysets => analys") in rules


def test_elasticsearch_stem_override_rules_agree_with_python_stemmer():
    seen = set()
    bases = set()
    for rule in es_schema.stem_override_rules():
        forms, base = rule.split(" => ")
        bases.add(base)
        for form in forms.split(", "):
            assert analysis.stem(form) == base, form
            assert form not in seen, f"{form} appears in two rules"
            seen.add(form)
    assert bases == set(analysis.STEM_KEEPS_S)


def test_elasticsearch_synonym_rules_from_groups():
    groups = [
        ["BKA", "barnkonsekvensanalys"],
        [("mr",), ("mänskliga", "rättigheter")],
        ["hbtq", "hbtq"],                      # one distinct phrase: no rule
        [("förv.",), ("förvaltning",)],        # abbreviation dot dropped
        ["bka", "barnkonsekvensanalys"],       # same rule again: once
    ]
    assert es_schema.synonym_rules(groups) == [
        {"id": "regel-1", "synonyms": "BKA, barnkonsekvensanalys"},
        {"id": "regel-2", "synonyms": "mr, mänskliga rättigheter"},
        {"id": "regel-3", "synonyms": "förv, förvaltning"},
        {"id": "regel-4", "synonyms": "bka, barnkonsekvensanalys"},
    ]


@pytest.mark.django_db
def test_elasticsearch_synonym_rules_from_synonym_rows():
    from search.models import Synonym
    from search.synonyms import current_synonyms, forget_synonyms

    Synonym.objects.all().delete()  # not the seeded list
    Synonym.objects.create(terms="BKA, barnkonsekvensanalys")
    Synonym.objects.create(terms="hbtq, HBTQIA+, hbt")
    forget_synonyms()
    try:
        rules = es_schema.synonym_rules(current_synonyms().groups)
    finally:
        forget_synonyms()
    assert rules == [
        {"id": "regel-1", "synonyms": "bka, barnkonsekvensanalys"},
        {"id": "regel-2", "synonyms": "hbtq, hbtqia, hbt"},
    ]
    assert es_schema.synonym_rules(SynonymSet([]).groups) == []


# --- Documents -------------------------------------------------------------------------------


def test_elasticsearch_document_terms_match_database_backend():
    from search.analysis import document_terms

    document = example_document()
    source = es_schema.document_source(document)
    for name, terms in document_terms(document).items():
        assert source[f"{name}_terms"] == terms, name


def test_elasticsearch_document_facet_values_are_strings():
    source = es_schema.document_source(example_document(organisation_unit=None, year=None,
                                                        date=None))
    assert source["staircase_steps"] == ["3", "4"]
    assert source["year"] is None and source["organisation_unit"] is None
    assert source["access"] == ["alla", "grupp-4"]


def test_elasticsearch_weights_match_database_backend():
    from search.backends.sql_sqlite import FIELDS, WEIGHTS

    weights = dict(zip(FIELDS, WEIGHTS, strict=True))
    assert es_query.MAIN_FIELDS == {f"{name}_terms": weights[name]
                                    for name in FIELDS if name != "folded"}
    assert es_query.FOLDED_BOOST == weights["folded"]
    # title > tags > meta > summary > body > folded; combined_fields refuses boosts < 1
    ordered = [*es_query.MAIN_FIELDS.values(), es_query.FOLDED_BOOST]
    assert ordered == sorted(ordered, reverse=True)
    assert min(es_query.MAIN_FIELDS.values()) >= 1.0


# --- Queries ---------------------------------------------------------------------------------


def test_elasticsearch_empty_access_matches_nothing():
    assert es_query.access_filter(None) == []
    assert es_query.access_filter(frozenset())[0].to_dict() == {"terms": {"access": ["-"]}}


def test_elasticsearch_unknown_facet_is_refused():
    with pytest.raises(ValueError, match="unknown facet"):
        es_query.facet_filters({"farg": ["rod"]})


def test_elasticsearch_fuzziness_only_on_folded_field():
    body = json.dumps(search_body("rättigheter jämställdhet barnkonsekvensanalys"))
    for query in json.loads(body)["query"]["bool"]["should"]:
        for part in query["bool"]["should"]:
            if "fuzziness" in json.dumps(part):
                assert list(part) == ["match"] and list(part["match"]) == ["folded_terms"]


def test_elasticsearch_pick_snippet_prefers_most_marked_words():
    highlights = {
        "summary": ["En <mark>analys</mark> av läget."],
        "body": ["<mark>Barnkonsekvensanalyser</mark> i <mark>förskolan</mark>."],
        "body.folded": ["<mark>Barnkonsekvensanalyser</mark> i <mark>förskolan</mark>."],
    }
    assert es_query.pick_snippet(highlights) == highlights["body"][0]
    # folded (fuzzy) marks only when the fields as written have none
    folded_only = {"summary": ["Ingen träff här."],
                   "body.folded": ["Om <mark>jämställdhet</mark>."]}
    assert es_query.pick_snippet(folded_only) == "Om <mark>jämställdhet</mark>."
    assert es_query.pick_snippet({"summary": ["Inget markerat."]}) == ""
    assert es_query.pick_snippet({}) == ""


def test_elasticsearch_spelling_prefers_words_as_written():
    data = es_query.SpellingData(
        known={"barn"},
        options={"rättigheer": [("rättigheter", 3), ("rättighet", 9)]},
        folded_options={"rattigheer": [("rattigheter", 5)]},
    )
    analysed = analysis.analyze_query("rättigheer barn")
    assert es_query.spelling_suggestion(analysed, data) == "rättigheter barn"
    # the analysed query itself is left alone
    assert [len(c.alternatives) for c in analysed.clauses] == \
        [len(c.alternatives) for c in analysis.analyze_query("rättigheer barn").clauses]


def test_elasticsearch_spelling_falls_back_to_folded_words():
    data = es_query.SpellingData(
        known=set(), options={}, folded_options={"jamstaldhet": [("jamstalldhet", 4)]})
    analysed = analysis.analyze_query("jamstaldhet")
    assert es_query.spelling_suggestion(analysed, data) == "jamstalldhet"


def test_elasticsearch_spelling_leaves_known_words():
    analysed = analysis.analyze_query("analyserna")
    terms = es_query.spelling_check_terms(es_query.spelling_words(analysed))
    data = es_query.SpellingData(known=set(terms), options={"analyserna": [("analyserade", 1)]},
                                 folded_options={})
    assert es_query.spelling_suggestion(analysed, data) is None


# --- Index versions and the alias ------------------------------------------------------------


def test_elasticsearch_version_names_sort_by_time():
    early = es_schema.version_name("mrnavet", datetime.datetime(2025, 1, 2, 3, 4, 5, 6,
                                                                tzinfo=datetime.UTC))
    later = es_schema.version_name("mrnavet", datetime.datetime(2025, 1, 2, 4, 0, 0,
                                                                tzinfo=datetime.UTC))
    assert early == "mrnavet-documents-20250102030405000006"
    assert early < later
    assert es_schema.is_version_of(early, "mrnavet")
    assert not es_schema.is_version_of(early, "mrnavet-documents")
    assert not es_schema.is_version_of("mrnavet-documents", "mrnavet")


def test_elasticsearch_alias_actions_first_build():
    assert es_schema.alias_actions("p-documents", "p-documents-1", []) == [
        {"add": {"index": "p-documents-1", "alias": "p-documents"}}]


def test_elasticsearch_alias_actions_swap_atomically():
    actions = es_schema.alias_actions("p-documents", "p-documents-3",
                                      ["p-documents-2", "p-documents-1"])
    assert actions == [
        {"remove": {"index": "p-documents-1", "alias": "p-documents"}},
        {"remove": {"index": "p-documents-2", "alias": "p-documents"}},
        {"add": {"index": "p-documents-3", "alias": "p-documents"}},
    ]


def test_elasticsearch_alias_actions_replace_plain_index_with_alias_name():
    actions = es_schema.alias_actions("p-documents", "p-documents-3", [], alias_is_index=True)
    assert actions == [{"remove_index": {"index": "p-documents"}},
                       {"add": {"index": "p-documents-3", "alias": "p-documents"}}]


def test_elasticsearch_older_versions_only():
    names = ["mrnavet-documents-20250101000000000000", "mrnavet-documents-20250201000000000000",
             "mrnavet-documents-20250301000000000000",
             "mrnavet-test-documents-20240101000000000000",
             "mrnavet-documents", "other-documents-20240101000000000000"]
    assert es_schema.older_versions(names, "mrnavet", keep=names[1]) == [names[0]]


# --- Client ----------------------------------------------------------------------------------


def test_elasticsearch_client_options_from_url():
    options, shown = client_options("https://mrnavet:hemligt%40ord@search.example/")
    assert options["hosts"] == ["https://search.example:443"]
    assert options["basic_auth"] == ("mrnavet", "hemligt@ord")
    assert options["verify_certs"] is True
    assert shown == "https://mrnavet@search.example:443"
    assert "hemligt" not in shown

    options, shown = client_options("http://localhost:9200", timeout=3, verify_certs=False)
    assert options["hosts"] == ["http://localhost:9200"]
    assert "basic_auth" not in options and "verify_certs" not in options
    assert options["request_timeout"] == 3

    options, _ = client_options("https://es.example:9243/proxy/", ca_certs="/etc/ca.pem")
    assert options["hosts"] == ["https://es.example:9243/proxy"]
    assert options["ca_certs"] == "/etc/ca.pem"

    with pytest.raises(ValueError):
        client_options("ftp://es.example")


def test_elasticsearch_backend_chosen_when_url_set(settings):
    settings.ELASTICSEARCH_URL = "https://user:secret@search.example:9200"
    settings.ELASTICSEARCH_INDEX_PREFIX = "MRnavet-Stage"
    reset_backends()
    try:
        backend = get_backend()
        assert isinstance(backend, ElasticsearchBackend)
        assert backend.alias == "mrnavet-stage-documents"
        assert backend.synonyms_set == "mrnavet-stage-synonyms"
        assert backend._client is None  # created lazily, no connection yet
    finally:
        reset_backends()


def test_elasticsearch_index_prefix_must_be_a_valid_index_name():
    with pytest.raises(ValueError, match="ELASTICSEARCH_INDEX_PREFIX"):
        ElasticsearchBackend(url="http://localhost:9200", prefix="mr navet/*")


def test_elasticsearch_unreachable_cluster_gives_clear_error():
    with socket.socket() as probe:  # a local port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    backend = ElasticsearchBackend(url=f"http://user:hemligt@127.0.0.1:{port}",
                                   prefix="mrnavet-unreachable", timeout=2, max_retries=0)
    with pytest.raises(ElasticsearchUnavailable) as error:
        backend.count()
    message = str(error.value)
    assert f"127.0.0.1:{port}" in message and "unreachable" in message
    assert "hemligt" not in message
