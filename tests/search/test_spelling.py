"""Typo tolerance and "Menade du …?" (search.backends.spelling): the word choice as pure
functions with a stand-in engine, and the engine's word lookups on the real database."""

from __future__ import annotations

import pytest

from search.analysis import analyze_query, fold
from search.backends.spelling import best_word, correct_query, max_edits
from search.documents import SearchDocument
from search.models import SearchWord


class FakeEngine:
    """known_terms / similar_words over a fixed vocabulary, recording the lookups."""

    def __init__(self, known: set[str], words: dict[str, int]):
        self.known = known
        self.words = words
        self.looked_up: list[str] = []

    def known_terms(self, terms: set[str]) -> set[str]:
        return terms & self.known

    def similar_words(self, word: str) -> list[tuple[str, int]]:
        self.looked_up.append(word)
        return list(self.words.items())


def test_max_edits_grow_with_word_length():
    assert [max_edits(w) for w in ("barn", "skola", "skolan", "diskriminering")] == [1, 1, 2, 2]


@pytest.mark.parametrize(("word", "candidates", "expected"), [
    ("diskrimmering", {"diskriminering": 3, "diskret": 9}, "diskriminering"),
    # A transposition is one edit (OSA), so a five-letter word may have one.
    ("bran", {"barn": 5}, "barn"),
    ("skloa", {"skola": 5}, "skola"),
    # Two edits are too many for a short word ...
    ("brna", {"barn": 5, "bara": 1}, None),
    # ... but fine for a long one.
    ("barnkonsekvensanlys", {"barnkonsekvensanalys": 1}, "barnkonsekvensanalys"),
    # Distance is compared on folded forms: a missing ring is no edit at all.
    ("atgard", {"åtgärd": 1, "utgård": 50}, "åtgärd"),
    # The word itself is never a suggestion.
    ("barn", {"barn": 10}, None),
    ("barn", {}, None),
])
def test_best_word(word, candidates, expected):
    assert best_word(word, list(candidates.items())) == expected


def test_best_word_prefers_fewer_edits_then_frequency_then_alphabet():
    assert best_word("kartlägning", [("kartläggning", 1), ("kartlägger", 500)]) == "kartläggning"
    assert best_word("skoal", [("skola", 2), ("skoat", 7)]) == "skoat"
    assert best_word("skoal", [("skolb", 4), ("skola", 4)]) == "skola"


def test_correct_query_adds_the_word_as_an_alternative():
    engine = FakeEngine(known={"barn"}, words={"diskriminering": 4})
    query = analyze_query("barn diskrimmering")
    suggestion, only_corrections = correct_query(engine, query)
    assert suggestion == "barn diskriminering"
    assert not only_corrections  # "barn" is found as typed
    added = query.clauses[1].alternatives[-1]
    assert added.terms == ("diskriminering",) and added.synonym
    # "barn" is known: not looked up, not changed.
    assert engine.looked_up == ["diskrimmering"]
    assert len(query.clauses[0].alternatives) == 1


def test_corrected_compound_brings_its_parts():
    engine = FakeEngine(known=set(), words={"barnkonsekvensanalys": 1})
    query = analyze_query("barnkonsekvensanlys")
    # Every word of the query was corrected: hits can only come from the correction.
    assert correct_query(engine, query) == ("barnkonsekvensanalys", True)
    terms = [a.terms for a in query.clauses[0].alternatives]
    assert ("barnkonsekvensanalys",) in terms
    assert ("barn", "konsekvensanalys", "konsekvens", "analys") in terms


def test_suggestion_keeps_the_rest_of_the_query_as_typed():
    engine = FakeEngine(known={"aktiv", "åtgärd"}, words={"diskriminering": 1})
    query = analyze_query("Aktiva åtgärder mot Diskrimmering?")
    assert correct_query(engine, query) == ("Aktiva åtgärder mot diskriminering?", False)


def test_known_words_give_no_suggestion():
    engine = FakeEngine(known={"diskriminering"}, words={"diskriminering": 1})
    assert correct_query(engine, analyze_query("diskriminering")) == (None, False)
    assert engine.looked_up == []


def test_folded_match_counts_as_known():
    # "jamstalld" (typed without dots) is known through the folded terms.
    engine = FakeEngine(known={"jamstalld"}, words={"jämställdhet": 1})
    assert correct_query(engine, analyze_query("jamstalldhet")) == (None, False)


@pytest.mark.parametrize("text", ["bka", "2024", "miljöförv.", "a b", "och det"])
def test_short_words_numbers_and_prefixes_are_not_corrected(text):
    engine = FakeEngine(known=set(), words={"bkb": 1, "2025": 1, "miljöförvaltning": 1,
                                            "och": 1, "det": 1})
    assert correct_query(engine, analyze_query(text)) == (None, False)
    assert engine.looked_up == []


def test_synonym_clauses_are_not_corrected():
    from search.synonyms import SynonymSet

    engine = FakeEngine(known=set(), words={"mänskliga": 1})
    query = analyze_query("mänskliga rättigheter", synonyms=SynonymSet([["mr", "mänskliga rättigheter"]]))
    assert correct_query(engine, query) == (None, False)


def test_no_close_word_no_suggestion():
    engine = FakeEngine(known=set(), words={"förskola": 3})
    query = analyze_query("xylofonorkester")
    assert correct_query(engine, query) == (None, False)
    assert len(query.clauses[0].alternatives) == 1


# --- On the database ---------------------------------------------------------------------


@pytest.fixture
def indexed(database_backend):
    database_backend.index([
        SearchDocument(key="test:1", public_id="ett", kind="metod", title="Diskriminering",
                       url="/1/", body="Diskriminering och diskrimineringsgrunder i arbetet. "
                                       "Åtgärder mot diskriminering i skolan"),
        SearchDocument(key="test:2", public_id="tva", kind="metod", title="Diskret stöd",
                       url="/2/", body="Diskret stöd till barn i skolan"),
    ])
    return database_backend


def test_indexing_counts_surface_words(indexed):
    words = dict(SearchWord.objects.values_list("word", "frequency"))
    assert words["diskriminering"] == 3
    assert words["diskret"] == 2 and words["skolan"] == 2
    assert words["åtgärder"] == 1 and words["diskrimineringsgrunder"] == 1
    assert "och" in words and "till" in words  # surface words, stop words included
    assert not SearchWord.objects.filter(word__in=["i", "på"]).exists()
    assert SearchWord.objects.get(word="åtgärder").folded == fold("åtgärder") == "atgarder"




def test_sentence_final_words_are_counted(indexed):
    assert SearchWord.objects.filter(word="arbetet").exists()


def test_typo_of_a_sentence_final_word_is_corrected(database_backend):
    from search.backends.base import SearchQuery

    database_backend.index([SearchDocument(
        key="test:k", public_id="kart", kind="metod", title="Inför beslut",
        url="/k/", body="Först gör vi en kartläggning.")])
    results = database_backend.search(SearchQuery(text="kartlägning", access=None))
    assert results.suggestion == "kartläggning"
    assert [hit.public_id for hit in results.hits] == ["kart"]


def test_reindexing_adds_to_the_frequencies(indexed):
    indexed.index([SearchDocument(key="test:3", public_id="tre", kind="metod",
                                  title="Diskriminering igen", url="/3/")])
    assert SearchWord.objects.get(word="diskriminering").frequency == 4
    assert SearchWord.objects.get(word="igen").frequency == 1


def test_engine_similar_words_find_the_close_word(indexed):
    similar = dict(indexed.engine.similar_words("diskrimmering"))
    assert similar.get("diskriminering") == 3
    assert best_word("diskrimmering", list(similar.items())) == "diskriminering"


def test_engine_similar_words_ignore_diacritics(indexed):
    similar = dict(indexed.engine.similar_words("atgarder"))
    assert "åtgärder" in similar
    assert best_word("atgarder", list(similar.items())) == "åtgärder"


def test_engine_known_terms(indexed):
    assert indexed.engine.known_terms({"diskriminering", "diskret", "xylofon"}) == {
        "diskriminering", "diskret"}
    assert indexed.engine.known_terms(set()) == set()
