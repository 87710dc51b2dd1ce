"""SQLite FTS5 statements of the database backend.

The FTS5 table `search_fts` (migration 0002) has one column per analysed field plus the
folded terms; its rowid is IndexedDocument.id. Ranking is FTS5's BM25 with column weights.
"""

from __future__ import annotations

from contextlib import nullcontext

from django.db import connection

from ..analysis import AnalysedQuery, Alternative, fold

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
    """Any clause matches (OR); BM25 ranks documents matching more and rarer clauses first."""
    return " OR ".join(clause_expression(c) for c in query.clauses)


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
                f"INSERT INTO search_fts (rowid, {', '.join(FIELDS)}) VALUES ({marks})",  # nosec B608 # identifiers and weights are code constants; every value is a parameter
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

    def ranked(self, query: AnalysedQuery, restrictions, offset: int, limit: int):
        where, params = restrictions.sql("m.id")
        weights = ", ".join(str(w) for w in WEIGHTS)
        # bm25() must be computed in the query that does the MATCH. The matches are
        # materialised first: otherwise SQLite pushes "id IN (…)" into the FTS5 table and
        # runs the MATCH once per id, 30x slower.
        matches = (f"WITH m AS MATERIALIZED (SELECT rowid AS id, bm25(search_fts, {weights}) "  # nosec B608 # identifiers and weights are code constants; every value is a parameter
                   f"AS score FROM search_fts WHERE search_fts MATCH %s) ")
        sql = (f"{matches}SELECT m.id, m.score, count(*) OVER () FROM m WHERE {where} "  # nosec B608 # identifiers and weights are code constants; every value is a parameter
               f"ORDER BY m.score, m.id LIMIT %s OFFSET %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [match_expression(query), *params, limit, offset])
            rows = cursor.fetchall()
            if rows:
                total = rows[0][2]
            else:
                cursor.execute(f"{matches}SELECT count(*) FROM m WHERE {where}",  # nosec B608 # identifiers and weights are code constants; every value is a parameter
                               [match_expression(query), *params])
                total = cursor.fetchone()[0]
        return [(pk, -score) for pk, score, _ in rows], total

    def facet_counts(self, query: AnalysedQuery, restrictions, names) -> dict[str, dict[str, int]]:
        where, params = restrictions.sql("f.document_id")
        marks = ", ".join(["%s"] * len(names))
        sql = (f"SELECT f.name, f.value, count(*) FROM search_indexedfacet f "  # nosec B608 # identifiers and weights are code constants; every value is a parameter
               f"WHERE f.name IN ({marks}) AND f.document_id IN "
               f"(SELECT rowid FROM search_fts WHERE search_fts MATCH %s) AND {where} "
               f"GROUP BY f.name, f.value")
        counts: dict[str, dict[str, int]] = {}
        with connection.cursor() as cursor:
            cursor.execute(sql, [*names, match_expression(query), *params])
            for name, value, count in cursor.fetchall():
                counts.setdefault(name, {})[value] = count
        return counts

    def title_matches(self, query: AnalysedQuery, restrictions, limit: int) -> list[int]:
        where, params = restrictions.sql("m.id")
        sql = (f"WITH m AS MATERIALIZED (SELECT rowid AS id, bm25(search_fts) AS score "  # nosec B608 # identifiers and weights are code constants; every value is a parameter
               f"FROM search_fts WHERE search_fts MATCH %s) "
               f"SELECT m.id FROM m WHERE {where} ORDER BY m.score, m.id LIMIT %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [title_expression(query), *params, limit])
            return [row[0] for row in cursor.fetchall()]

    def known_terms(self, terms: set[str]) -> set[str]:
        terms = sorted(terms)
        if not terms:
            return set()
        union = " UNION ALL ".join(["SELECT term FROM search_fts_vocab WHERE term = %s"] * len(terms))
        with connection.cursor() as cursor:
            cursor.execute(union, terms)
            return {row[0] for row in cursor.fetchall()}

    def similar_words(self, word: str) -> list[tuple[str, int]]:
        folded = fold(word)
        low, high = folded[0], chr(ord(folded[0]) + 1)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, frequency FROM search_searchword WHERE folded >= %s AND folded < %s "
                "AND length(folded) BETWEEN %s AND %s",
                [low, high, len(folded) - 2, len(folded) + 2])
            return cursor.fetchall()
