"""Search request bodies for the Elasticsearch backend, and reading their responses.

Queries are built from `search.analysis.analyze_query()` clauses, exactly as the database
backend builds its FTS5/tsquery expressions (search.backends.sql_sqlite):

- any clause may match (bool.should, minimum_should_match 1); scores add up, so documents
  matching more and rarer clauses rank first;
- a clause matches when one of its alternatives does, in one of the main analysed fields
  (title, tags, meta, summary, body; weighted like the database backend's columns) or, at
  a low weight, in the folded terms;
- an alternative is a single term or all of its terms anywhere (`combined_fields`, BM25F
  over the weighted fields, operator and), a phrase (`multi_match` type phrase), or a prefix
  (`prefix`, `match_phrase_prefix` for a phrase).

Only the folded field gets fuzziness (AUTO:4,6, first letter fixed: the thresholds of the
database backend's spelling correction), so typos find documents without synonyms or
stems being fuzzed.

Everything here is pure: `build_search(...).to_dict()` is what the snapshot tests compare.
"""

from __future__ import annotations

import copy
import re

try:
    from elasticsearch import dsl
except ImportError:  # pragma: no cover
    import elasticsearch_dsl as dsl

from .. import highlight as py_highlight
from ..analysis import AnalysedQuery, Alternative, Clause, fold
from .base import FACET_NAMES, SearchQuery
from .spelling import MIN_WORD_LENGTH, best_word, correct_query
from .sql_sqlite import FIELDS as _DB_FIELDS
from .sql_sqlite import WEIGHTS as _DB_WEIGHTS_TUPLE

Q = dsl.Q

# Field -> boost: the database backend's FTS5 column weights, so both backends weigh the
# fields alike (combined_fields needs boosts >= 1; a test checks).
_DB_WEIGHTS = dict(zip(_DB_FIELDS, _DB_WEIGHTS_TUPLE, strict=True))
MAIN_FIELDS = {f"{name}_terms": _DB_WEIGHTS[name]
               for name in ("title", "tags", "meta", "summary", "body")}
FOLDED_FIELD = "folded_terms"
FOLDED_BOOST = _DB_WEIGHTS["folded"]
FUZZINESS = "AUTO:4,6"       # 0 edits below 4 letters, 1 up to 5, 2 from 6
FUZZY_PREFIX_LENGTH = 1
FUZZY_MAX_EXPANSIONS = 50
PHRASE_PREFIX_EXPANSIONS = 100

# Facet name (URL parameter) -> keyword field.
FACET_FIELDS = {
    "typ": "kind",
    "omrade": "rights_areas",
    "forvaltning": "organisation_unit",
    "steg": "staircase_steps",
    "ar": "year",
}
FACET_SIZE = 500
NO_ACCESS_TOKEN = "-"  # no document has it: an empty token set sees nothing  # nosec B105 # not a password: the token no document carries

SORT = ["_score", {"key": {"order": "asc"}}]  # ties in key order: deterministic
HIT_SOURCE = ["key", "public_id", "kind", "title", "url", "summary", "organisation_unit",
              "rights_areas", "year", "date"]

HIGHLIGHT_FIELDS = ("summary", "body", "summary.folded", "body.folded")
HIGHLIGHT_WILDCARD_MIN_LENGTH = 6
MARK_RE = re.compile(r"<mark>(.*?)</mark>", re.DOTALL)

SUGGEST_FIELDS = ["title_suggest", "title_suggest._2gram", "title_suggest._3gram"]
SUGGEST_SOURCE = ["title", "url", "kind"]

SPELLING_KNOWN_AGG = "spelling_known"
SPELLING_SUGGESTERS = {"spelling": "spell", "spelling_folded": "spell.folded"}
ALL_TERM_FIELDS = [*MAIN_FIELDS, FOLDED_FIELD]


def _weighted(fields: dict[str, float]) -> list[str]:
    return [f"{name}^{boost:g}" for name, boost in fields.items()]


# --- Matching -----------------------------------------------------------------------------


def main_queries(alternative: Alternative) -> list[Q]:
    """An alternative in the main (unfolded) analysed fields."""
    terms = alternative.terms
    text = " ".join(terms)
    if alternative.prefix:
        if len(terms) == 1:
            return [Q("prefix", **{name: {"value": terms[0], "boost": boost}})
                    for name, boost in MAIN_FIELDS.items()]
        return [Q("multi_match", query=text, type="phrase_prefix", fields=_weighted(MAIN_FIELDS),
                  tie_breaker=1.0, max_expansions=PHRASE_PREFIX_EXPANSIONS)]
    if alternative.phrase and len(terms) > 1:
        return [Q("multi_match", query=text, type="phrase", fields=_weighted(MAIN_FIELDS),
                  tie_breaker=1.0)]
    return [Q("combined_fields", query=text, fields=_weighted(MAIN_FIELDS), operator="and")]


def folded_query(alternative: Alternative) -> Q:
    """An alternative in the folded terms, at low weight; fuzzy unless a phrase or prefix."""
    terms = alternative.folded
    text = " ".join(terms)
    if alternative.prefix:
        if len(terms) == 1:
            return Q("prefix", **{FOLDED_FIELD: {"value": terms[0], "boost": FOLDED_BOOST}})
        return Q("match_phrase_prefix", **{FOLDED_FIELD: {
            "query": text, "max_expansions": PHRASE_PREFIX_EXPANSIONS, "boost": FOLDED_BOOST}})
    if alternative.phrase and len(terms) > 1:
        return Q("match_phrase", **{FOLDED_FIELD: {"query": text, "boost": FOLDED_BOOST}})
    return Q("match", **{FOLDED_FIELD: {
        "query": text, "operator": "and", "fuzziness": FUZZINESS,
        "prefix_length": FUZZY_PREFIX_LENGTH, "max_expansions": FUZZY_MAX_EXPANSIONS,
        "boost": FOLDED_BOOST}})


def clause_query(clause: Clause) -> Q:
    should: list[Q] = []
    for alternative in clause.alternatives:
        should.extend(main_queries(alternative))
    seen = set()
    for alternative in clause.alternatives:  # folded forms often coincide: once each
        query = folded_query(alternative)
        key = repr(query.to_dict())
        if key not in seen:
            seen.add(key)
            should.append(query)
    return Q("bool", should=should, minimum_should_match=1)


# --- Restrictions and facets ----------------------------------------------------------------


def access_filter(access: frozenset[str] | None) -> list[Q]:
    if access is None:
        return []
    return [Q("terms", access=sorted(access) or [NO_ACCESS_TOKEN])]


def facet_filters(filters: dict[str, list[str]], without: str | None = None) -> list[Q]:
    result = []
    for name in FACET_NAMES:
        values = filters.get(name)
        if values and name != without:
            result.append(Q("terms", **{FACET_FIELDS[name]: sorted(set(values))}))
    unknown = sorted(set(filters) - set(FACET_NAMES))
    if unknown:
        raise ValueError(f"unknown facet {unknown[0]!r}")
    return result


def _add_facets(search: dsl.Search, filters: dict[str, list[str]]) -> dsl.Search:
    """Counts per facet value among the matches. Facet filters are a post_filter, and each
    facet is counted under the other facets' filters only, so the values of a facet with a
    selected value stay visible (multi-select), as in the database backend."""
    for name in FACET_NAMES:
        search.aggs.bucket(name, "filter", Q("bool", filter=facet_filters(filters, without=name))) \
            .bucket("values", "terms", field=FACET_FIELDS[name], size=FACET_SIZE,
                    order=[{"_count": "desc"}, {"_key": "asc"}])
    return search


# --- Highlighting ----------------------------------------------------------------------------


def _inner_stem(term: str) -> str:
    """A term as it appears inside the raw fields' tokens. Elasticsearch's stemmer override
    matches whole tokens only, so inside a compound Snowball's habit of dropping a final -s
    returns ("barnkonsekvensanalys" is indexed as "barnkonsekvensanaly"): match without it."""
    return term[:-1] if term.endswith("s") else term


def highlight_query(analysed: AnalysedQuery) -> Q:
    """What the highlighter marks in the raw summary and body: the query text through the
    Swedish search analyzer (stems, synonyms), its folded form (fuzzy, for words typed
    without å/ä/ö or misspelt), prefixes, and longer query terms inside compounds
    ("konsekvensanalys" in "barnkonsekvensanalyser")."""
    should: list[Q] = []
    prefixes: list[str] = []
    inner: list[str] = []
    for clause in analysed.clauses:
        for alternative in clause.alternatives:
            if alternative.prefix:
                prefixes.append(alternative.terms[-1])
            else:
                inner.extend(t for t in alternative.terms
                             if len(t) >= HIGHLIGHT_WILDCARD_MIN_LENGTH and t.isalnum())
    for name in ("summary", "body"):
        should.append(Q("match", **{name: {"query": analysed.text}}))
        should.append(Q("match", **{f"{name}.folded": {
            "query": analysed.text, "fuzziness": FUZZINESS,
            "prefix_length": FUZZY_PREFIX_LENGTH}}))
        for prefix in dict.fromkeys(prefixes):
            should.append(Q("prefix", **{name: prefix}))
            should.append(Q("prefix", **{f"{name}.folded": fold(prefix)}))
        for term in dict.fromkeys(inner):
            should.append(Q("wildcard", **{name: {"value": f"*{_inner_stem(term)}*"}}))
    return Q("bool", should=should)


def _add_highlight(search: dsl.Search, analysed: AnalysedQuery) -> dsl.Search:
    search = search.highlight_options(
        type="unified", encoder="html", pre_tags=["<mark>"], post_tags=["</mark>"],
        fragment_size=py_highlight.FRAGMENT_LENGTH, number_of_fragments=1, no_match_size=0,
        boundary_scanner="sentence", boundary_scanner_locale="sv-SE",
        max_analyzed_offset=1_000_000, highlight_query=highlight_query(analysed).to_dict())
    return search.highlight(*HIGHLIGHT_FIELDS)


def pick_snippet(highlights: dict[str, list[str]]) -> str:
    """The highlighted fragment with the most distinct marked words, from the summary or
    body as analysed (ties: summary first); only when neither has a mark, from their folded
    subfields (fuzzy marks there are less certain). "" when nothing was marked."""
    for group in (HIGHLIGHT_FIELDS[:2], HIGHLIGHT_FIELDS[2:]):
        best, best_count = "", 0
        for name in group:
            for fragment in highlights.get(name, [])[:1]:
                count = len({m.lower() for m in MARK_RE.findall(fragment)})
                if count > best_count:
                    best, best_count = fragment.strip(), count
        if best:
            return best
    return ""


# --- "Menade du …?" --------------------------------------------------------------------------


def spelling_words(analysed: AnalysedQuery) -> list[Clause]:
    """Clauses that spelling correction may replace (a superset of those
    search.backends.spelling.correct_query considers)."""
    return [c for c in analysed.clauses
            if " " not in c.text and len(c.text) >= MIN_WORD_LENGTH and not c.text.isdigit()
            and not c.literal.prefix]


def spelling_check_terms(clauses: list[Clause]) -> list[str]:
    terms: set[str] = set()
    for clause in clauses:
        for alternative in clause.alternatives:
            terms.update(alternative.terms)
            terms.update(alternative.folded)
    return sorted(terms)


def _add_spelling(search: dsl.Search, clauses: list[Clause]) -> dsl.Search:
    """Ask, in the same request, which query terms the index knows (a global filters
    aggregation over the analysed fields: the whole index, like the database backend's
    vocabulary) and for similar surface words (term suggesters on the `spell` field, as
    written and folded)."""
    search.aggs.bucket(SPELLING_KNOWN_AGG, "global").bucket(
        "terms", "filters", filters={
            term: Q("multi_match", query=term, fields=ALL_TERM_FIELDS)
            for term in spelling_check_terms(clauses)})
    text = " ".join(dict.fromkeys(c.text for c in clauses))
    for name, field in SPELLING_SUGGESTERS.items():
        search = search.suggest(name, text, term={
            "field": field, "suggest_mode": "missing", "size": 10, "max_edits": 2,
            "prefix_length": 1, "min_word_length": MIN_WORD_LENGTH,
            "string_distance": "damerau_levenshtein"})
    return search


class SpellingData:
    """What a search response says about the query's words, in the shape
    search.backends.spelling.correct_query() asks an engine for."""

    def __init__(self, known: set[str], options: dict[str, list[tuple[str, int]]],
                 folded_options: dict[str, list[tuple[str, int]]]):
        self.known = known
        self.options = options                # word as written -> (word, doc freq)
        self.folded_options = folded_options  # folded word -> (folded word, doc freq)

    @classmethod
    def from_response(cls, response: dict) -> SpellingData:
        buckets = (response.get("aggregations", {}).get(SPELLING_KNOWN_AGG, {})
                   .get("terms", {}).get("buckets", {}))
        known = {term for term, bucket in buckets.items() if bucket.get("doc_count")}
        suggest = response.get("suggest", {})

        def options(name):
            result: dict[str, list[tuple[str, int]]] = {}
            for entry in suggest.get(name, []):
                result.setdefault(entry["text"], []).extend(
                    (option["text"], option.get("freq", 0)) for option in entry["options"])
            return result

        return cls(known, options("spelling"), options("spelling_folded"))

    # The engine interface of correct_query():
    def known_terms(self, terms: set[str]) -> set[str]:
        return {t for t in terms if t in self.known}

    def similar_words(self, word: str) -> list[tuple[str, int]]:
        """Words as written when one is close enough; else folded ones (a query typed
        without å/ä/ö is corrected without them)."""
        written = self.options.get(word, [])
        if best_word(word, written) is not None:
            return written
        return self.folded_options.get(fold(word), [])


def spelling_suggestion(analysed: AnalysedQuery, data: SpellingData) -> str | None:
    """The query with misspelt words replaced, by the database backend's rules."""
    return correct_query(data, copy.deepcopy(analysed))[0]


# --- Whole requests --------------------------------------------------------------------------


def build_search(query: SearchQuery, analysed: AnalysedQuery, spelling: bool = True) -> dsl.Search:
    """The search request for `query` (analysed with synonyms)."""
    search = dsl.Search().query(Q(
        "bool", should=[clause_query(c) for c in analysed.clauses], minimum_should_match=1,
        filter=access_filter(query.access),
        must_not=[Q("terms", key=sorted(query.exclude_keys))] if query.exclude_keys else []))
    post = facet_filters(query.filters)
    if post:
        search = search.post_filter(Q("bool", filter=post))
    search = search.sort(*SORT).extra(track_total_hits=True, track_scores=True)
    search = search.source(HIT_SOURCE + (["body"] if query.highlight else []))
    search = search[query.offset:query.offset + query.limit]
    if query.facets:
        search = _add_facets(search, query.filters)
    if query.highlight:
        search = _add_highlight(search, analysed)
    clauses = spelling_words(analysed) if spelling else []
    if clauses:
        search = _add_spelling(search, clauses)
    return search


def title_clause_query(clause: Clause) -> Q:
    """A clause in the title terms only (as-you-type), like the database backend's
    title expression."""
    should = []
    for alternative in clause.alternatives:
        text = " ".join(alternative.terms)
        if alternative.prefix and len(alternative.terms) == 1:
            should.append(Q("prefix", title_terms=alternative.terms[0]))
        elif alternative.prefix:
            should.append(Q("match_phrase_prefix", title_terms={
                "query": text, "max_expansions": PHRASE_PREFIX_EXPANSIONS}))
        elif alternative.phrase or len(alternative.terms) == 1:
            should.append(Q("match_phrase", title_terms=text))
        else:
            should.append(Q("match", title_terms={"query": text, "operator": "and"}))
    return Q("bool", should=should, minimum_should_match=1)


def build_suggest(text: str, analysed: AnalysedQuery, access: frozenset[str] | None,
                  limit: int) -> dsl.Search:
    """Titles as you type: search_as_you_type (bool_prefix, every word, folded) or every
    clause of the analysed query (prefix last) in the title terms."""
    should = [Q("multi_match", query=text, type="bool_prefix", operator="and",
                fields=SUGGEST_FIELDS)]
    if not analysed.is_empty:
        should.append(Q("bool", must=[title_clause_query(c) for c in analysed.clauses]))
    search = dsl.Search().query(Q("bool", should=should, minimum_should_match=1,
                                  filter=access_filter(access)))
    return search.sort(*SORT).source(SUGGEST_SOURCE).extra(track_scores=True)[:limit]
