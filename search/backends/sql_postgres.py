"""PostgreSQL full-text statements of the database backend.

Each document has one tsvector (table search_vector, GIN-indexed) built from the analysed
terms with the 'simple' configuration, weighted A = title and tags, B = unit/area names and
summary, C = body, D = folded terms. ts_rank has no inverse document frequency, so a
document's score is the sum over query clauses of idf(clause) x ts_rank(clause): a BM25-like
weighting where rare words count more, with all document frequencies fetched in one query.
"""

from __future__ import annotations

import math

from contextlib import contextmanager

from django.db import connection, transaction

from ..analysis import AnalysedQuery, Alternative

RANK_WEIGHTS = "{0.1, 0.4, 0.6, 1.0}"  # D, C, B, A
RANK_NORMALISATION = 1                   # divide by 1 + log(document length)
MAX_TERMS_PER_FIELD = 20_000             # tsvector positions stop at 16 383 anyway


def _lexeme(term: str, labels: str, prefix: bool = False) -> str:
    return f"'{term}':{'*' if prefix else ''}{labels}"


def _alternative(alternative: Alternative, folded: bool) -> str:
    terms = alternative.folded if folded else alternative.terms
    labels = "D" if folded else "ABC"
    lexemes = [_lexeme(t, labels, alternative.prefix and i == len(terms) - 1)
               for i, t in enumerate(terms)]
    joiner = " <-> " if alternative.phrase else " & "
    return "(" + joiner.join(lexemes) + ")"


def clause_query(clause) -> str:
    parts = [_alternative(a, False) for a in clause.alternatives]
    parts += [_alternative(a, True) for a in clause.alternatives]
    return "(" + " | ".join(dict.fromkeys(parts)) + ")"


def title_query(query: AnalysedQuery) -> str:
    clauses = []
    for clause in query.clauses:
        alternatives = []
        for alternative in clause.alternatives:
            lexemes = [_lexeme(t, "A", alternative.prefix and i == len(alternative.terms) - 1)
                       for i, t in enumerate(alternative.terms)]
            joiner = " <-> " if alternative.phrase else " & "
            alternatives.append("(" + joiner.join(lexemes) + ")")
        clauses.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(clauses)


def _cap(terms: str) -> str:
    words = terms.split()
    return " ".join(words[:MAX_TERMS_PER_FIELD]) if len(words) > MAX_TERMS_PER_FIELD else terms


class PostgresEngine:
    @contextmanager
    def reading(self):
        """One transaction per search, with sequential scans of the vectors discouraged.

        The vectors live in TOAST storage, so the planner thinks scanning search_vector
        is cheap and prefers it to the GIN index; a scan unpacks every vector (measured at
        100 000 documents: 1.7 s instead of 0.18 s for one query)."""
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_seqscan = off")
            yield

    def insert(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        sql = ("INSERT INTO search_vector (document_id, vector) VALUES (%s, "
               "setweight(to_tsvector('simple', %s), 'A') || "
               "setweight(to_tsvector('simple', %s), 'B') || "
               "setweight(to_tsvector('simple', %s), 'C') || "
               "setweight(to_tsvector('simple', %s), 'D'))")
        with connection.cursor() as cursor:
            cursor.executemany(sql, [
                (pk, _cap(f"{t['title']} {t['tags']}"), _cap(f"{t['meta']} {t['summary']}"),
                 _cap(t["body"]), _cap(t["folded"]))
                for pk, t in rows])

    def delete(self, ids: list[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_vector WHERE document_id = ANY(%s)", [ids])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_vector")

    def optimise(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_vector")

    def _idf(self, clauses: list[str]) -> list[float]:
        filters = ", ".join(
            "count(*) FILTER (WHERE vector @@ to_tsquery('simple', %s))" for _ in clauses)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*), {filters} FROM search_vector "  # nosec B608 # identifiers and weights are code constants; every value is a parameter
                           f"WHERE vector @@ to_tsquery('simple', %s)",
                           [*clauses, " | ".join(clauses)])
            total, *frequencies = cursor.fetchone()
            cursor.execute("SELECT count(*) FROM search_vector")
            documents = cursor.fetchone()[0]
        return [math.log(1 + (documents - df + 0.5) / (df + 0.5)) for df in frequencies]

    def _score_sql(self, clauses: list[str]) -> tuple[str, list]:
        idfs = self._idf(clauses)
        terms, params = [], []
        for clause, idf in zip(clauses, idfs):
            terms.append(f"{idf:.6f} * ts_rank('{RANK_WEIGHTS}', v.vector, "
                         f"to_tsquery('simple', %s), {RANK_NORMALISATION})")
            params.append(clause)
        return " + ".join(terms), params

    def ranked(self, query: AnalysedQuery, restrictions, offset: int, limit: int):
        clauses = [clause_query(c) for c in query.clauses]
        score, score_params = self._score_sql(clauses)
        where, params = restrictions.sql("v.document_id")
        sql = (f"SELECT v.document_id, {score} AS score, count(*) OVER () FROM search_vector v "  # nosec B608 # identifiers and weights are code constants; every value is a parameter
               f"WHERE v.vector @@ to_tsquery('simple', %s) AND {where} "
               f"ORDER BY score DESC, v.document_id LIMIT %s OFFSET %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [*score_params, " | ".join(clauses), *params, limit, offset])
            rows = cursor.fetchall()
            if rows:
                total = rows[0][2]
            else:
                cursor.execute(f"SELECT count(*) FROM search_vector v WHERE "  # nosec B608 # identifiers and weights are code constants; every value is a parameter
                               f"v.vector @@ to_tsquery('simple', %s) AND {where}",
                               [" | ".join(clauses), *params])
                total = cursor.fetchone()[0]
        return [(pk, float(s)) for pk, s, _ in rows], total

    def facet_counts(self, query: AnalysedQuery, restrictions, names) -> dict[str, dict[str, int]]:
        match = " | ".join(clause_query(c) for c in query.clauses)
        where, params = restrictions.sql("f.document_id")
        sql = (f"SELECT f.name, f.value, count(*) FROM search_indexedfacet f "  # nosec B608 # identifiers and weights are code constants; every value is a parameter
               f"WHERE f.name = ANY(%s) AND f.document_id IN (SELECT document_id FROM "
               f"search_vector WHERE vector @@ to_tsquery('simple', %s)) AND {where} "
               f"GROUP BY f.name, f.value")
        counts: dict[str, dict[str, int]] = {}
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(names), match, *params])
            for name, value, count in cursor.fetchall():
                counts.setdefault(name, {})[value] = count
        return counts

    def title_matches(self, query: AnalysedQuery, restrictions, limit: int) -> list[int]:
        where, params = restrictions.sql("v.document_id")
        tsquery = title_query(query)
        sql = (f"SELECT v.document_id FROM search_vector v WHERE "  # nosec B608 # identifiers and weights are code constants; every value is a parameter
               f"v.vector @@ to_tsquery('simple', %s) AND {where} "
               f"ORDER BY ts_rank('{RANK_WEIGHTS}', v.vector, to_tsquery('simple', %s)) DESC, "
               f"v.document_id LIMIT %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [tsquery, *params, tsquery, limit])
            return [row[0] for row in cursor.fetchall()]

    def known_terms(self, terms: set[str]) -> set[str]:
        terms = sorted(terms)
        if not terms:
            return set()
        union = " UNION ALL ".join(
            ["SELECT %s WHERE EXISTS (SELECT 1 FROM search_vector "
             "WHERE vector @@ to_tsquery('simple', %s))"] * len(terms))
        params = [p for t in terms for p in (t, f"'{t}'")]
        with connection.cursor() as cursor:
            cursor.execute(union, params)
            return {row[0] for row in cursor.fetchall()}

    def similar_words(self, word: str) -> list[tuple[str, int]]:
        from ..analysis import fold

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, frequency FROM search_searchword WHERE folded %% %s "
                "ORDER BY similarity(folded, %s) DESC, frequency DESC, word LIMIT 50",
                [fold(word), fold(word)])
            return cursor.fetchall()
