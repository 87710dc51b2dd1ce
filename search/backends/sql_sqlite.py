"""SQLite FTS5 statements of the database backend.

The FTS5 table `search_fts` (migration 0002) has one column per analysed field plus the
folded terms; its rowid is IndexedDocument.id. Ranking is FTS5's BM25 with column weights.
"""

from __future__ import annotations

from contextlib import nullcontext

from django.db import connection

from ..analysis import AnalysedQuery, Alternative, fold
from .database import facet_count_sql, read_search, search_sql

FIELDS = ("title", "tags", "meta", "summary", "body", "folded")
# BM25 weight per column, in FIELDS order; folded terms only rescue words typed without
# å/ä/ö, so they weigh least.
WEIGHTS = (10.0, 6.0, 5.0, 3.0, 1.0, 0.1)
MAIN_COLUMNS = "{title tags meta summary body}"


def _phrase(terms: tuple[str, ...], prefix: bool) -> str:
    quoted = '"' + " ".join(terms) + '"'
    return quoted + " *" if prefix else quoted


def _alternative(alternative: Alternative, folded: bool) -> str:
    terms = alternative.folded if folded else alternative.terms
    if alternative.phrase or len(terms) == 1:
        return _phrase(terms, alternative.prefix)
    return "(" + " AND ".join(_phrase((t,), False) for t in terms) + ")"


def clause_expression(clause) -> str:
    main = " OR ".join(_alternative(a, folded=False) for a in clause.alternatives)
    folded = " OR ".join(dict.fromkeys(_alternative(a, folded=True) for a in clause.alternatives))
    return f"({MAIN_COLUMNS} : ({main}) OR folded : ({folded}))"


def match_expression(query: AnalysedQuery) -> str:
    """Every clause of one of the query's clause groups matches (a single clause each when
    relaxed); BM25 ranks documents matching more and rarer clauses first."""
    expressions = {id(c): clause_expression(c) for c in query.clauses}
    return " OR ".join("(" + " AND ".join(expressions[id(c)] for c in group) + ")"
                       for group in query.clause_groups())


def title_expression(query: AnalysedQuery) -> str:
    """Every clause in the title (AND), for suggestions."""
    parts = []
    for clause in query.clauses:
        alternatives = " OR ".join(_alternative(a, folded=False) for a in clause.alternatives)
        parts.append(f"({alternatives})")
    return "title : (" + " AND ".join(parts) + ")" if parts else ""


class SQLiteEngine:
    def reading(self):
        """Context for the statements of one search (nothing special on SQLite)."""
        return nullcontext()

    def insert(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        marks = ", ".join(["%s"] * (len(FIELDS) + 1))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO search_fts (rowid, {', '.join(FIELDS)}) VALUES ({marks})",  # nosec B608 # constant identifiers; values are parameters
                [(pk, *(terms[f] for f in FIELDS)) for pk, terms in rows])

    def delete(self, ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_fts WHERE rowid = %s", [(i,) for i in ids])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")

    def optimise(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")

    @staticmethod
    def _matches_sql(scored: bool) -> str:
        # bm25() must be computed in the statement that does the MATCH, and is negative
        # (lower is better). The matches are materialised first (search_sql): otherwise
        # SQLite pushes the restrictions into the FTS5 table and runs the MATCH once per
        # allowed id, 30x slower.
        weights = ", ".join(str(w) for w in WEIGHTS)
        score = f"-bm25(search_fts, {weights})" if scored else "0"
        return f"SELECT rowid AS id, {score} AS score FROM search_fts WHERE search_fts MATCH %s"  # nosec B608 # constant identifiers; values are parameters

    def search(self, query: AnalysedQuery, restrictions, offset: int, limit: int, facet_names):
        """(ranked (id, score) pairs, total, facet counts) in one statement."""
        sql, params = search_sql(self._matches_sql(True), restrictions, facet_names, offset, limit)
        with connection.cursor() as cursor:
            cursor.execute(sql, [match_expression(query), *params])
            return read_search(cursor.fetchall())

    def facet_counts(self, query: AnalysedQuery, restrictions, names) -> dict[str, dict[str, int]]:
        sql, params = facet_count_sql(self._matches_sql(False), restrictions, names)
        with connection.cursor() as cursor:
            cursor.execute(sql, [match_expression(query), *params])
            return read_search(cursor.fetchall())[2]

    def title_matches(self, query: AnalysedQuery, restrictions, limit: int) -> list[int]:
        where, params = restrictions.sql()
        sql = (f"WITH m AS MATERIALIZED (SELECT rowid AS id, bm25(search_fts) AS score "  # nosec B608 # constant identifiers; values are parameters
               f"FROM search_fts WHERE search_fts MATCH %s) "
               f"SELECT m.id FROM m JOIN search_indexeddocument d ON d.id = m.id "
               f"WHERE {where} ORDER BY m.score, m.id LIMIT %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [title_expression(query), *params, limit])
            return [row[0] for row in cursor.fetchall()]

    def document_frequencies(self, terms: set[str]) -> dict[str, int]:
        """Documents per indexed term (terms not in the index are left out)."""
        terms = sorted(terms)
        if not terms:
            return {}
        # fts5vocab answers "term = ?" from the index; "term IN (…)" would scan it.
        union = " UNION ALL ".join(
            ["SELECT term, doc FROM search_fts_vocab WHERE term = %s"] * len(terms))
        with connection.cursor() as cursor:
            cursor.execute(union, terms)
            return dict(cursor.fetchall())

    def document_count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_indexeddocument")
            return cursor.fetchone()[0]

    def known_terms(self, terms: set[str]) -> set[str]:
        return set(self.document_frequencies(terms))

    def similar_words(self, word: str) -> list[tuple[str, int]]:
        folded = fold(word)
        low, high = folded[0], chr(ord(folded[0]) + 1)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, frequency FROM search_searchword WHERE folded >= %s AND folded < %s "
                "AND length(folded) BETWEEN %s AND %s",
                [low, high, len(folded) - 2, len(folded) + 2])
            return cursor.fetchall()
