"""SQLite FTS5 statements of the database backend.

The FTS5 table `search_fts` (migration 0002) has one column per analysed field plus the
folded terms; its rowid is IndexedDocument.id. Ranking is FTS5's BM25 with column weights.
"""

from __future__ import annotations

from contextlib import nullcontext

from django.db import connection

from ..analysis import AnalysedQuery, Alternative, fold, folded_terms
from . import term_counts
from .statement import EngineSQL, SearchRows, read_rows, search_statement
from .term_counts import TermCounts

FIELDS = ("title", "tags", "meta", "summary", "body", "folded")
# BM25 weight per column, in FIELDS order; folded terms only rescue words typed without
# å/ä/ö, so they weigh least.
WEIGHTS = (10.0, 6.0, 5.0, 3.0, 1.0, 0.1)
MAIN_COLUMNS = "{title tags meta summary body}"
HEAD_COLUMNS = "{title tags}"
# search_fts_head (migration 0007) repeats the title and tags, with their folded terms: its
# doclists are short, so broad queries find and score their title and tag matches there
# (statement.py), and suggestions match titles there.
HEAD_WEIGHTS = (10.0, 6.0, 0.1)
# SQLite would use the rowid to reach IndexedDocument's facet columns, reading the wide
# rows (and their overflow pages: `public` comes after the body); the covering index
# holds all the statement needs.
DOCUMENTS = "search_indexeddocument d INDEXED BY search_document_facets"


def _phrase(terms: tuple[str, ...], prefix: bool) -> str:
    quoted = '"' + " ".join(terms) + '"'
    return quoted + " *" if prefix else quoted


def _alternative(alternative: Alternative, folded: bool) -> str:
    terms = alternative.folded if folded else alternative.terms
    if alternative.phrase or len(terms) == 1:
        return _phrase(terms, alternative.prefix)
    return "(" + " AND ".join(_phrase((t,), False) for t in terms) + ")"


def clause_expression(clause, columns: str = MAIN_COLUMNS, folded: bool = True) -> str:
    main = " OR ".join(_alternative(a, folded=False) for a in clause.alternatives)
    if not folded:
        return f"({columns} : ({main}))"
    folded = " OR ".join(dict.fromkeys(_alternative(a, folded=True) for a in clause.alternatives))
    return f"({columns} : ({main}) OR folded : ({folded}))"


def match_expression(query: AnalysedQuery, columns: str = MAIN_COLUMNS,
                     folded: bool = True) -> str:
    """Every clause of one of the query's clause groups matches (a single clause each when
    relaxed); BM25 ranks documents matching more and rarer clauses first. With `columns`
    and folded=False: the same in those columns only (the head tier)."""
    expressions = {id(c): clause_expression(c, columns, folded) for c in query.clauses}
    return " OR ".join("(" + " AND ".join(expressions[id(c)] for c in group) + ")"
                       for group in query.clause_groups())


def head_expression(query: AnalysedQuery) -> str:
    """match_expression on search_fts_head: the clauses in the title or tags."""
    return match_expression(query, HEAD_COLUMNS)


def head_row(pk: int, terms: dict[str, str]) -> tuple[int, str, str, str]:
    """A search_fts_head row from a document's analysed terms."""
    folded = folded_terms(f"{terms['title']} {terms['tags']}".split())
    return pk, terms["title"], terms["tags"], " ".join(dict.fromkeys(folded))


def title_expression(query: AnalysedQuery) -> str:
    """Every clause in the title (AND), for suggestions."""
    parts = []
    for clause in query.clauses:
        alternatives = " OR ".join(_alternative(a, folded=False) for a in clause.alternatives)
        parts.append(f"({alternatives})")
    return "title : (" + " AND ".join(parts) + ")" if parts else ""


class SQLiteEngine(TermCounts):
    def reading(self):
        """Context for the statements of one search (nothing special on SQLite)."""
        return nullcontext()

    def insert(self, rows: list[tuple[int, dict[str, str]]]) -> None:
        marks = ", ".join(["%s"] * (len(FIELDS) + 1))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO search_fts (rowid, {', '.join(FIELDS)}) VALUES ({marks})",  # nosec B608 # constant identifiers; values are parameters
                [(pk, *(terms[f] for f in FIELDS)) for pk, terms in rows])
            cursor.executemany(
                "INSERT INTO search_fts_head (rowid, title, tags, folded) VALUES (%s, %s, %s, %s)",
                [head_row(pk, terms) for pk, terms in rows])
        term_counts.add(term_counts.documents_per_term([terms for _, terms in rows]))

    def delete(self, ids: list[int]) -> None:
        with connection.cursor() as cursor:
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(f"SELECT {', '.join(FIELDS)} FROM search_fts "  # nosec B608 # constant identifiers; values are parameters
                           f"WHERE rowid IN ({marks})", ids)
            stored = [dict(zip(FIELDS, row)) for row in cursor.fetchall()]
            term_counts.add(term_counts.documents_per_term(stored), sign=-1)
            for table in ("search_fts", "search_fts_head"):
                cursor.executemany(f"DELETE FROM {table} WHERE rowid = %s",  # nosec B608 # constant identifiers; values are parameters
                                   [(i,) for i in ids])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")
            cursor.execute("DELETE FROM search_fts_head")
            cursor.execute("DELETE FROM search_term")

    def optimise(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
            cursor.execute("INSERT INTO search_fts_head (search_fts_head) VALUES ('optimize')")
        term_counts.prune()

    @staticmethod
    def parts(query: AnalysedQuery) -> EngineSQL:
        """The full-text parts of search_statement.

        Matching is cheap; bm25() is not: it runs once per scored row, and first counts
        the documents of every phrase of its expression. So documents are matched
        unscored, and only the candidates are scored, with the relaxed expression (a
        strict query's expression repeats every clause once per clause group). "+rowid"
        keeps SQLite from running the MATCH once per candidate. bm25() must be computed in
        the statement that does the MATCH, and is negative (lower is better)."""
        relaxed = query.relaxed()

        def scored(table: str, weights, expression: str):
            weights = ", ".join(str(w) for w in weights)

            def score(candidates: str) -> tuple[str, list]:
                return (f"SELECT {table}.rowid AS id, -bm25({table}, {weights}) AS score "  # nosec B608 # constant identifiers; values are parameters
                        f"FROM {{gate}}{table} WHERE {table} MATCH %s "
                        f"AND +{table}.rowid IN ({candidates})",
                        [expression])
            return score

        head = head_expression(relaxed)
        select = ("SELECT search_fts_head.rowid AS id FROM {gate}search_fts_head "
                  "WHERE search_fts_head MATCH %s")
        heads = [head_expression(query), head] if query.is_strict else [head]
        return EngineSQL(
            matches=("SELECT rowid AS id FROM search_fts WHERE search_fts MATCH %s",
                     [match_expression(query)]),
            heads=[(select, [expression]) for expression in heads],
            score=scored("search_fts", WEIGHTS, match_expression(relaxed)),
            score_head=scored("search_fts_head", HEAD_WEIGHTS, head),
            documents=DOCUMENTS)

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
        sql = (f"WITH m AS MATERIALIZED (SELECT rowid AS id, bm25(search_fts_head) AS score "  # nosec B608 # constant identifiers; values are parameters
               f"FROM search_fts_head WHERE search_fts_head MATCH %s) "
               f"SELECT m.id FROM m JOIN {DOCUMENTS} ON d.id = m.id "
               f"WHERE {where} ORDER BY m.score, m.id LIMIT %s")
        with connection.cursor() as cursor:
            cursor.execute(sql, [title_expression(query), *params, limit])
            return [row[0] for row in cursor.fetchall()]

    def similar_words(self, word: str) -> list[tuple[str, int]]:
        folded = fold(word)
        low, high = folded[0], chr(ord(folded[0]) + 1)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word, frequency FROM search_searchword WHERE folded >= %s AND folded < %s "
                "AND length(folded) BETWEEN %s AND %s",
                [low, high, len(folded) - 2, len(folded) + 2])
            return cursor.fetchall()
