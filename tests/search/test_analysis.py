"""Swedish text analysis (search.analysis), synonym matching (search.synonyms) and snippet
marking (search.highlight): pure functions, no database."""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest

from search import analysis
from search.analysis import (
    STOP_WORDS,
    analyze_query,
    compound_halves,
    fold,
    folded_terms,
    index_terms,
    query_words,
    split_compound,
    stem,
    tokenize,
    word_terms,
)
from search.highlight import make_matcher, snippet
from search.synonyms import SynonymSet

# --- Stemming --------------------------------------------------------------------------


@pytest.mark.parametrize("forms", [
    ["analys", "analyser", "analysen", "analyserna", "analysens"],
    ["resurs", "resurser", "resursen", "resurserna"],
    ["förskola", "förskolan", "förskolans", "förskolor", "förskolorna"],
    ["konsekvens", "konsekvenser", "konsekvensen"],
    ["plats", "platser", "platsen"],
    ["rättighet", "rättigheter", "rättigheterna", "rättigheten"],
    ["barnkonsekvensanalys", "barnkonsekvensanalyser", "barnkonsekvensanalysen",
     "barnkonsekvensanalyserna"],
])
def test_inflected_forms_share_a_stem(forms):
    assert len({stem(form) for form in forms}) == 1, {form: stem(form) for form in forms}


@pytest.mark.parametrize(("word", "expected"), [
    # Snowball alone gives "analy" for "analys" but "analys" for "analyser": the override
    # keeps the -s that belongs to the word.
    ("analys", "analys"),
    ("analyserna", "analys"),
    ("resurs", "resurs"),
    ("resurser", "resurs"),
    ("barnkonsekvensanalyserna", "barnkonsekvensanalys"),
    ("arbetsplatsen", "arbetsplats"),
    ("kompetensen", "kompetens"),
    ("konferens", "konferens"),
    # Definite singular of an -a noun: Snowball leaves "förskolan" alone.
    ("förskolan", "förskol"),
    ("förskola", "förskol"),
])
def test_stem_overrides(word, expected):
    assert stem(word) == expected


def test_keeps_s_words_are_matched_as_endings():
    # Only words ending in an override keep the -s; an ordinary genitive loses it.
    assert stem("barnens") == stem("barnen") == stem("barn")
    assert stem("stadens") == stem("staden")
    assert "analys" in analysis.STEM_KEEPS_S


# --- Compounds -------------------------------------------------------------------------


@pytest.mark.parametrize(("word", "parts"), [
    ("barnkonsekvensanalys", ("barn", "konsekvensanalys", "konsekvens", "analys")),
    ("jämställdhetsintegrering", ("jämställdhet", "integrering")),
    ("minoritetsspråk", ("minoritet", "språk")),
    ("snöröjningsprioritering", ("snöröjning", "prioritering")),
    ("tillgänglighetsanpassning", ("tillgänglighet", "anpassning")),
    ("miljöförvaltningen", ("miljö", "förvaltningen")),
    ("förskoleförvaltningen", ("förskola", "förvaltningen")),
])
def test_split_compound(word, parts):
    assert split_compound(word) == parts


@pytest.mark.parametrize(("word", "halves"), [
    ("barnkonsekvensanalys", ("barn", "konsekvensanalys")),
    ("snöröjningsprioritering", ("snöröjning", "prioritering")),
    ("jämställdhetsintegrering", ("jämställdhet", "integrering")),
])
def test_compound_halves(word, halves):
    assert compound_halves(word) == halves


@pytest.mark.parametrize("word", [
    "förskola", "förskolan", "förvaltningen", "kontoret", "diskriminering", "integrering",
    "barnkonventionen", "vandring", "analys", "barn",
])
def test_common_and_short_words_are_not_split(word):
    assert split_compound(word) == ()
    assert compound_halves(word) is None


def test_nested_split_only_into_common_parts():
    # Inside "barnkonsekvensanalys" the part "konsekvensanalys" splits further ...
    assert split_compound("konsekvensanalys", nested=True) == ("konsekvens", "analys")
    # ... but on its own it is a word of its own.
    assert split_compound("konsekvensanalys") == ()


def test_word_terms_are_stem_then_part_stems():
    assert word_terms("barnkonsekvensanalyserna") == [
        "barnkonsekvensanalys", "barn", "konsekvensanalys", "konsekvens", "analys"]
    assert word_terms("minoritetsspråket") == ["minoritetsspråk", "minoritet", "språk"]
    assert word_terms("förvaltningen") == ["förvaltning"]
    assert word_terms("miljöförv.") == ["miljöförv"]


# --- Stop words, tokens, folding -------------------------------------------------------


def test_stop_words_are_removed_from_the_index():
    assert {"och", "det", "att", "i", "en", "för", "som", "dom", "nåt"} <= STOP_WORDS
    assert index_terms("Det är en analys och för barnen") == ["analys", "barn"]
    assert index_terms("och det att i en jag") == []


def test_single_letters_are_dropped_but_numbers_kept():
    assert index_terms("x y 5 2030") == ["5", "2030"]


def test_index_terms_keep_order_and_compound_parts():
    assert index_terms("Barnkonsekvensanalyserna visar att barnen i förskolan har rätt till lek.") \
        == ["barnkonsekvensanalys", "barn", "konsekvensanalys", "konsekvens", "analys", "vis",
            "barn", "förskol", "rätt", "lek"]


@pytest.mark.parametrize(("text", "expected"), [
    ("jämställdhet", "jamstalldhet"),
    ("Jämställdhet", "Jamstalldhet"),
    ("Översättning ÅÄÖ éü", "Oversattning AAO eu"),
    ("barn", "barn"),
])
def test_fold(text, expected):
    assert fold(text) == expected


def test_folded_terms():
    assert folded_terms(index_terms("Jämställdhetsintegrering i förskolan")) == [
        "jamstalldhetsintegrering", "jamstalld", "integrering", "forskol"]


def test_tokenize_lowercases_and_keeps_an_abbreviation_dot():
    assert tokenize("Miljöförv. ska ta fram en BKA, i år 2024!") == [
        "miljöförv.", "ska", "ta", "fram", "en", "bka", "i", "år", "2024"]
    assert tokenize("slut.") == ["slut."]


def test_tokenize_splits_on_inner_dots_hyphens_and_underscores():
    assert tokenize("a.b") == ["a", "b"]
    assert tokenize("hbtqi-certifiering") == ["hbtqi", "certifiering"]
    assert tokenize("ordet_med_understreck") == ["ordet", "med", "understreck"]
    assert tokenize('"*():^-') == []


def test_tokenize_decomposed_text():
    assert tokenize(unicodedata.normalize("NFD", "Barnets bästa")) == ["barnets", "bästa"]


# --- Queries ---------------------------------------------------------------------------


def test_query_words_drop_stop_words_unless_nothing_is_left():
    assert query_words("hur gör man en barnkonsekvensanalys?") == ["barnkonsekvensanalys"]
    assert query_words("Vad säger lagen?") == ["säger", "lagen"]
    assert query_words("och det att") == ["och", "det", "att"]
    assert query_words("x och y") == ["och"]


def test_plain_word_is_one_clause_with_its_stem():
    query = analyze_query("analyserna")
    assert [c.text for c in query.clauses] == ["analyserna"]
    assert [a.terms for a in query.clauses[0].alternatives] == [("analys",)]
    assert query.words == ["analyserna"]
    assert not query.is_empty


def test_compound_word_gets_a_parts_anywhere_alternative():
    clause = analyze_query("snöröjningsprioritering").clauses[0]
    literal, parts = clause.alternatives
    assert literal.terms == ("snöröjningsprioritering",) and literal.phrase
    assert parts.terms == ("snöröjning", "prioritering")
    assert not parts.phrase and not parts.synonym and not parts.prefix


def test_abbreviation_dot_makes_a_prefix():
    clause = analyze_query("miljöförv. barnrätt").clauses[0]
    assert clause.text == "miljöförv"
    assert clause.alternatives[0].terms == ("miljöförv",) and clause.alternatives[0].prefix
    # Its stem is the same text, so no exact alternative (PostgreSQL would rank that one).
    assert len(clause.alternatives) == 1
    inflected = analyze_query("förvaltningen.").clauses[0]
    assert [(a.terms, a.prefix) for a in inflected.alternatives] == [
        (("förvaltningen",), True), (("förvaltning",), False)]
    # Short words with a full stop ("i.", "år.") are just the end of a sentence.
    assert not any(a.prefix for a in analyze_query("år.").clauses[0].alternatives)


def test_prefix_last_for_as_you_type():
    query = analyze_query("barnrätt fri", prefix_last=True)
    assert not any(a.prefix for a in query.clauses[0].alternatives)
    assert query.clauses[1].alternatives[0] == analysis.Alternative(("fri",), prefix=True)


def test_empty_and_punctuation_queries():
    for text in ("", "   ", "?!", '"*():^-', "x"):
        assert analyze_query(text).is_empty


SYNONYMS = SynonymSet([
    ["bka", "barnkonsekvensanalys"],
    ["mr", "mänskliga rättigheter"],
    ["dagis", "förskola"],
])


def test_abbreviation_expands_to_the_word_and_its_parts():
    clause = analyze_query("BKA", synonyms=SYNONYMS).clauses[0]
    assert clause.text == "bka"
    assert [(a.terms, a.synonym, a.phrase) for a in clause.alternatives] == [
        (("bka",), False, True),
        (("barnkonsekvensanalys",), True, True),
        (("barn", "konsekvensanalys"), True, False),
    ]


def test_word_expands_to_the_abbreviation():
    clause = analyze_query("barnkonsekvensanalys", synonyms=SYNONYMS).clauses[0]
    assert [a.terms for a in clause.alternatives if a.synonym] == [("bka",)]


def test_multi_word_synonym_is_one_clause_both_ways():
    query = analyze_query("mänskliga rättigheter i skolan", synonyms=SYNONYMS)
    assert [c.text for c in query.clauses] == ["mänskliga rättigheter", "skolan"]
    assert [(a.terms, a.synonym) for a in query.clauses[0].alternatives] == [
        (("mänsk", "rätt"), False), (("mr",), True)]
    clause = analyze_query("MR arbete", synonyms=SYNONYMS).clauses[0]
    assert [(a.terms, a.synonym, a.phrase) for a in clause.alternatives] == [
        (("mr",), False, True), (("mänsk", "rätt"), True, True)]


def test_inflected_synonym_matches():
    query = analyze_query("mänskliga rättigheterna", synonyms=SYNONYMS)
    assert len(query.clauses) == 1
    assert ("mr",) in [a.terms for a in query.clauses[0].alternatives]
    clause = analyze_query("förskolan", synonyms=SYNONYMS).clauses[0]
    assert ("dagis",) in [a.terms for a in clause.alternatives]


def test_synonym_set_longest_phrase_wins():
    synonyms = SynonymSet([["lss", "lagen om stöd och service"], ["lag", "författning"]])
    # Phrases are stored as query words: the stop words "om" and "och" are left out.
    assert synonyms.groups[0] == [("lss",), ("lagen", "stöd", "service")]
    words = query_words("lagen om stöd och service för barn")
    assert words == ["lagen", "stöd", "service", "barn"]
    length, expansions = synonyms.match(words, 0)
    assert length == 3  # the whole phrase, not just "lagen" (a synonym of its own here)
    assert expansions == [("lss",)]
    assert synonyms.match(["lag"], 0) == (1, [("författning",)])
    assert synonyms.match(words, len(words) - 1) is None
    assert len(synonyms) == 2


def test_without_synonyms_nothing_is_expanded():
    clause = analyze_query("BKA").clauses[0]
    assert [a.terms for a in clause.alternatives] == [("bka",)]


# --- Snippet marking -------------------------------------------------------------------


def test_snippet_marks_inflections_compound_parts_and_folded_words():
    query = analyze_query("analys jamstalldhet")
    # The body's fragment has two distinct query words, the summary's one: the body wins.
    marked = snippet(query, "Barnkonsekvensanalyserna gjordes.",
                     "Analysen handlar om jämställdhet och annat.")
    assert marked == "<mark>Analysen</mark> handlar om <mark>jämställdhet</mark> och annat."
    # On a tie the summary wins; the compound containing the word is marked.
    marked = snippet(query, "Barnkonsekvensanalyserna gjordes.", "Analysen gjordes också.")
    assert marked == "<mark>Barnkonsekvensanalyserna</mark> gjordes."


def test_snippet_escapes_html_and_prefers_the_best_fragment():
    query = analyze_query("script")
    body = ("Inledning utan träff. " * 12) + "Skriv aldrig <script>alert('x')</script> & sånt."
    marked = snippet(query, "", body)
    assert "Skriv aldrig &lt;<mark>script</mark>&gt;alert(&#x27;x&#x27;)&lt;/<mark>script" \
        "</mark>&gt; &amp; sånt." in marked
    assert marked.count("Inledning") < 12  # the fragment with the match, not the first one
    assert "<script" not in marked


def test_snippet_prefix_marks_words_starting_with_it():
    matcher = make_matcher(analyze_query("miljöförv."))
    assert matcher.mark("Miljöförvaltningen och Miljöpartiet") == \
        "<mark>Miljöförvaltningen</mark> och Miljöpartiet"


def test_snippet_without_text_is_empty():
    assert snippet(analyze_query("barn"), "", "") == ""


def test_compound_parts_bring_their_synonyms():
    synonyms = SynonymSet([["hbtq", "hbtqi", "hbtqia"]])
    clause = analyze_query("hbtqkompetens", synonyms=synonyms).clauses[0]
    parts = [(a.terms, a.phrase, a.synonym) for a in clause.alternatives[1:]]
    assert parts == [(("hbtq", "kompetens"), False, False),
                     (("hbtqi", "kompetens"), False, True),
                     (("hbtqia", "kompetens"), False, True)]
    # Without synonyms only the parts themselves.
    plain = analyze_query("hbtqkompetens").clauses[0]
    assert [a.terms for a in plain.alternatives] == [("hbtqkompetens",), ("hbtq", "kompetens")]


@pytest.mark.parametrize(("clauses", "needed"), [(1, 1), (2, 2), (3, 2), (4, 3), (6, 5)])
def test_minimum_should_match(clauses, needed):
    assert analysis.minimum_should_match(clauses) == needed


def test_clause_groups_are_every_combination_of_the_minimum():
    query = analysis.analyze_query("barnkonsekvensanalys förskola budget")
    assert [len(g) for g in query.clause_groups()] == [1, 1, 1]  # relaxed: any clause
    strict = dataclasses.replace(query, minimum_match=2)
    groups = [tuple(c.text for c in group) for group in strict.clause_groups()]
    assert groups == [("barnkonsekvensanalys", "förskola"), ("barnkonsekvensanalys", "budget"),
                      ("förskola", "budget")]
    assert strict.relaxed().minimum_match == 1
