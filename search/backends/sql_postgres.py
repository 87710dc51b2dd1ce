"""PostgreSQL full-text statements of the database backend.

Each document has one tsvector (table search_vector, GIN-indexed) built from the analysed
terms with the 'simple' configuration, weighted A = title and tags, B = unit/area names and
summary, C = body, D = folded terms. ts_rank has no inverse document frequency, so a
document's score is the sum over query clauses of idf(clause) x ts_rank(clause): a BM25-like
weighting where rare words count more. Document frequencies come from a term table
(search_term) kept up to date from the vectors as they are written and deleted.
"""

from __future__ import annotations

import math

from contextlib import contextmanager

from django.db import connection, transaction

from ..analysis import AnalysedQuery, Alternative
from .statement import EngineSQL, SearchRows, read_rows, search_statement
from . import term_counts
from .term_counts import TermCounts

RANK_WEIGHTS = "{0.1, 0.4, 0.6, 1.0}"  # D, C, B, A
RANK_NORMALISATION = 1                   # divide by 1 + log(document length)
MAX_TERMS_PER_FIELD = 20_000             # tsvector positions stop at 16 383 anyway


def _lexeme(term: str, labels: str, prefix: bool = False) -> str:
    return f"'{term}':{'*' if prefix else ''}{labels}"


def _alternative(alternative: Alternative, folded: bool, labels: str | None = None) -> str:
    terms = alternative.folded if folded else alternative.terms
    labels = labels or ("D" if folded else "ABC")
    lexemes = [_lexeme(t, labels, alternative.prefix and i == len(terms) - 1)
               for i, t in enumerate(terms)]
    joiner = " <-> " if alternative.phrase else " & "
    return "(" + joiner.join(lexemes) + ")"


def clause_query(clause) -> str:
    parts = [_alternative(a, False) for a in clause.alternatives]
    parts += [_alternative(a, True) for a in clause.alternatives]
    return "(" + " | ".join(dict.fromkeys(parts)) + ")"


def match_query(query: AnalysedQuery) -> str:
    """The tsquery of the documents that match: every clause of one of the clause groups."""
    queries = {id(c): clause_query(c) for c in query.clauses}
    return " | ".join("(" + " & ".join(queries[id(c)] for c in group) + ")"
                      for group in query.clause_groups())


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


def _like_prefix(prefix: str) -> str:
    return "".join(ch for ch in prefix if ch not in "%_\\") + "%"


def _cap(terms: str) -> str:
    words = terms.split()
    return " ".join(words[:MAX_TERMS_PER_FIELD]) if len(words) > MAX_TERMS_PER_FIELD else terms


class PostgresEngine(TermCounts):
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
            self._count_terms(cursor, [pk for pk, _ in rows], +1)

    @staticmethod
    def _count_terms(cursor, ids: list[int], sign: int) -> None:
        """Add (sign +1) or remove (-1) the documents `ids` to the per-term counts, read
        from their vectors; the empty term counts documents."""
        cursor.execute(
            "INSERT INTO search_term (term, documents) "
            "SELECT lexeme, %s * count(*) FROM search_vector, "
            "unnest(tsvector_to_array(vector)) AS lexeme WHERE document_id = ANY(%s) "
            "GROUP BY lexeme UNION ALL SELECT '', %s * count(*) FROM search_vector "
            "WHERE document_id = ANY(%s) "
            "ON CONFLICT (term) DO UPDATE SET documents = search_term.documents + excluded.documents",
            [sign, ids, sign, ids])

    def delete(self, ids: list[int]) -> None:
        with connection.cursor() as cursor:
            self._count_terms(cursor, ids, -1)
            cursor.execute("DELETE FROM search_vector WHERE document_id = ANY(%s)", [ids])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_vector")
            cursor.execute("DELETE FROM search_term")

    def optimise(self) -> None:
        term_counts.prune()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_vector")
            cursor.execute("ANALYZE search_term")

    @staticmethod
    def _document_frequencies(terms: set[str], prefixes: set[str]) -> dict[str, int]:
        """Documents per term (and per prefix, summed over its terms); "" -> all documents."""
        frequencies = {}
        with connection.cursor() as cursor:
            cursor.execute("SELECT term, documents FROM search_term WHERE term = ANY(%s)",
                           [sorted(terms | {""})])
            frequencies.update(cursor.fetchall())
            for prefix in sorted(prefixes):
                cursor.execute("SELECT coalesce(sum(documents), 0) FROM search_term "
                               "WHERE term LIKE %s", [_like_prefix(prefix)])
                frequencies[prefix + "*"] = cursor.fetchone()[0]
        return frequencies

    def _idf(self, query: AnalysedQuery) -> list[float]:
        """BM25's idf per clause. A clause's document frequency is estimated from the term
        table: an alternative's is that of its rarest term (or its folded form's, whichever
        is larger), and a clause's that of its most frequent alternative. (The sum over
        alternatives, which counts synonyms apart, measured slightly worse on the
        development set: nDCG 0.847 against 0.851; counting matches exactly gave 0.856 but
        costs a pass over every matching vector.)"""
        terms, prefixes = set(), set()
        for clause in query.clauses:
            for alternative in clause.alternatives:
                for variant in (alternative.terms, alternative.folded):
                    terms.update(variant[:-1] if alternative.prefix else variant)
                    if alternative.prefix:
                        prefixes.add(variant[-1])
        frequencies = self._document_frequencies(terms, prefixes)
        documents = max(frequencies.get("", 0), 1)

        def alternative_df(variant: tuple[str, ...], prefix: bool) -> int:
            keys = [*variant[:-1], variant[-1] + "*"] if prefix else variant
            return min(frequencies.get(key, 0) for key in keys)

        idfs = []
        for clause in query.clauses:
            df = max(max(alternative_df(a.terms, a.prefix), alternative_df(a.folded, a.prefix))
                     for a in clause.alternatives)
            df = min(df, documents)
            idfs.append(math.log(1 + (documents - df + 0.5) / (df + 0.5)))
        return idfs

    def _score_sql(self, query: AnalysedQuery, clauses: list[str]) -> tuple[str, list]:
        idfs = self._idf(query)
        terms, params = [], []
        for clause, idf in zip(clauses, idfs):
            terms.append(f"{idf:.6f} * ts_rank('{RANK_WEIGHTS}', v.vector, "
                         f"to_tsquery('simple', %s), {RANK_NORMALISATION})")
            params.append(clause)
        return " + ".join(terms), params

    def parts(self, query: AnalysedQuery) -> EngineSQL:
        """The full-text parts of search_statement: matching through the GIN index, and
        ts_rank (which unpacks each vector) only for the candidates, clause by clause."""
        clauses = [clause_query(c) for c in query.clauses]
        score, score_params = self._score_sql(query, clauses)

        def scored(candidates: str) -> tuple[str, list]:
            return (f"SELECT v.document_id AS id, {score} AS score "  # nosec B608 # constant identifiers; values are parameters
                    f"FROM {{gate}}search_vector v WHERE v.document_id IN ({candidates})",
                    score_params)

        return EngineSQL(
            matches=("SELECT document_id AS id FROM search_vector "
                     "WHERE vector @@ to_tsquery('simple', %s)", [match_query(query)]),
            score=scored)

    def search(self, query: AnalysedQuery, restrictions, offset: int, limit: int,
               facet_names, rank_from: int = 0) -> SearchRows:
        """A page of ranked hits, the total and the facet counts, in one statement."""
        sql, params = search_statement(self.parts(query), restrictions, facet_names,
                                       offset, limit, rank_from)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return read_rows(cursor.fetchall())

    def title_matches(self, query: AnalysedQuery, restrictions, limit: int) -> list[int]:
        where, params = restrictions.sql()
        tsquery = title_query(query)
        sql = (f"SELECT v.document_id FROM search_vector v "  # nosec B608 # constant identifiers; values are parameters
               f"JOIN search_indexeddocument d ON d.id = v.document_id WHERE "
               f"v.vector @@ to_tsquery('simple', %s) AND {where} "
               f"ORDER BY ts_rank('{RANK_WEIGHTS}', v.vector, to_tsquery('simple', %s)) DESC, "
               f"v.document_id LIMIT %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [tsquery, *params, tsquery, limit])
            return [row[0] for row in cursor.fetchall()]

    def similar_words(self, word: str) -> list[tuple[str, int]]:
        from ..analysis import fold

        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, frequency FROM search_searchword WHERE folded %% %s "
                "ORDER BY similarity(folded, %s) DESC, frequency DESC, word LIMIT 50",
                [fold(word), fold(word)])
            return cursor.fetchall()
