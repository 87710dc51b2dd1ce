"""The embedded search backend: SQLite FTS5 or PostgreSQL full text, on Django's database.

Both engines index the same Python-analysed terms (search.analysis) and are queried with
the same clauses; only the match-and-score SQL differs (search.backends.sql_sqlite and
sql_postgres). Documents are stored in IndexedDocument (for snippets, facets and the API,
with a `public` flag and the single-valued facets as columns); many-valued facets and the
access tokens of restricted documents are IndexedFacet rows. One statement
(search.backends.statement) ranks a page of hits, counts them and counts the facets, so
the engine matches once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from itertools import islice
from collections.abc import Callable, Iterable

from django.db import connection, transaction

from .. import analysis, highlight
from ..documents import ACCESS_ALL, SearchDocument
from ..models import IndexedDocument, IndexedFacet, SearchWord
from ..synonyms import current_synonyms
from .base import (
    FACET_NAMES,
    FacetValue,
    Hit,
    SearchBackend,
    SearchQuery,
    SearchResults,
    Suggestion,
)
from .spelling import correct_query
from .statement import FACET_ROWS, Restrictions

BATCH_SIZE = 500
BROAD_QUERY_MATCHES = 2_000  # see DatabaseBackend._narrow
MAX_WORD_LENGTH = 60


def _surface_words(document: SearchDocument) -> Counter:
    text = " ".join([document.title, document.summary, document.body, " ".join(document.tags)])
    words = (w.rstrip(".") for w in analysis.tokenize(text))  # "arbetet." ends a sentence
    return Counter(w for w in words if w.isalpha() and 3 <= len(w) <= MAX_WORD_LENGTH)


def add_word_counts(counts: Counter) -> None:
    """Add occurrences to SearchWord with one upsert per batch (SQLite and PostgreSQL)."""
    rows = [(w, analysis.fold(w), n) for w, n in counts.items()]
    with connection.cursor() as cursor:
        for batch in batched(rows, BATCH_SIZE):
            values = ", ".join(["(%s, %s, %s)"] * len(batch))
            cursor.execute(
                f"INSERT INTO search_searchword (word, folded, frequency) VALUES {values} "  # nosec B608 # constant identifiers; values are parameters
                "ON CONFLICT (word) DO UPDATE SET frequency = "
                "search_searchword.frequency + excluded.frequency",
                [value for row in batch for value in row])


def approximately(count: int) -> int:
    """An estimated count rounded to two significant digits (12 345 -> 12 000)."""
    digits = len(str(abs(count)))
    return round(count, 2 - digits) if digits > 2 else count


def batched(items: Iterable, size: int):
    """Lists of up to `size` items (itertools.batched arrives with Python 3.12)."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class DatabaseBackend(SearchBackend):
    name = "database"

    def __init__(self):
        self._engines = {}

    @property
    def engine(self):
        vendor = connection.vendor
        if vendor not in self._engines:
            if vendor == "sqlite":
                from .sql_sqlite import SQLiteEngine

                self._engines[vendor] = SQLiteEngine()
            elif vendor == "postgresql":
                from .sql_postgres import PostgresEngine

                self._engines[vendor] = PostgresEngine()
            else:
                raise RuntimeError(f"the database search backend does not support {vendor}")
        return self._engines[vendor]

    # --- Writing ----------------------------------------------------------------------

    def index(self, documents: Iterable[SearchDocument],
              progress: Callable[[int], None] | None = None,
              word_counts: Counter | None = None) -> int:
        """Write `documents` in batches. With `word_counts`, the batches add their words
        there instead of to SearchWord (rebuild writes them once at the end)."""
        count = 0
        for batch in batched(documents, BATCH_SIZE):
            count += self._write(batch, word_counts)
            if progress:
                progress(count)
        return count

    @transaction.atomic
    def _write(self, documents: list[SearchDocument], word_counts: Counter | None) -> int:
        by_key = {d.key: d for d in documents}  # last one wins within a batch
        self._delete_keys(list(by_key))
        rows = IndexedDocument.objects.bulk_create([
            IndexedDocument(
                key=d.key, public_id=d.public_id[:255], kind=d.kind, title=d.title[:500],
                summary=d.summary, body=d.body, url=d.url[:500],
                organisation_unit=d.organisation_unit or "", year=d.year, date=d.date,
                rights_areas=list(d.rights_areas), staircase_steps=list(d.staircase_steps),
                tags=list(d.tags), access=list(d.access), public=ACCESS_ALL in d.access,
            ) for d in by_key.values()
        ])
        if not all(row.pk for row in rows):  # backends without RETURNING
            ids = dict(IndexedDocument.objects.filter(key__in=list(by_key))
                       .values_list("key", "pk"))
            for row in rows:
                row.pk = ids[row.key]
        facets = []
        for row, document in zip(rows, by_key.values()):
            values = document.facet_values()
            facets.extend(IndexedFacet(document_id=row.pk, name=name, value=v[:100])
                          for name in FACET_ROWS for v in values[name])
            if not row.public:  # public documents need no token (Restrictions.sql)
                facets.extend(IndexedFacet(document_id=row.pk, name="access", value=token[:100])
                              for token in set(document.access))
        IndexedFacet.objects.bulk_create(facets)
        self.engine.insert([(row.pk, analysis.document_terms(d)) for row, d in zip(rows, by_key.values())])
        words = Counter()
        for document in by_key.values():
            words.update(_surface_words(document))
        if word_counts is None:
            add_word_counts(words)
        else:
            word_counts.update(words)
        return len(rows)

    def _delete_keys(self, keys: list[str]) -> None:
        ids = list(IndexedDocument.objects.filter(key__in=keys).values_list("pk", flat=True))
        if ids:
            self.engine.delete(ids)
            IndexedDocument.objects.filter(pk__in=ids).delete()

    def delete(self, keys: Iterable[str]) -> None:
        with transaction.atomic():
            self._delete_keys(list(keys))

    def rebuild(self, documents: Iterable[SearchDocument],
                progress: Callable[[int], None] | None = None) -> int:
        """Clear and refill. Inside one transaction, so searches meanwhile see the old
        index until the new one is complete."""
        with transaction.atomic():
            self.engine.clear()
            IndexedDocument.objects.all().delete()
            SearchWord.objects.all().delete()
            word_counts: Counter = Counter()
            count = self.index(documents, progress, word_counts)
            SearchWord.objects.bulk_create(
                (SearchWord(word=w, folded=analysis.fold(w), frequency=n)
                 for w, n in word_counts.items()), batch_size=BATCH_SIZE)
        self.engine.optimise()
        return count

    def count(self) -> int:
        return IndexedDocument.objects.count()

    # --- Reading ----------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResults:
        with self.engine.reading():
            return self._search(query)

    def _search(self, query: SearchQuery) -> SearchResults:
        analysed = analysis.analyze_query(query.text, synonyms=current_synonyms())
        if analysed.is_empty:
            return SearchResults(hits=[], total=0)
        suggestion, only_corrections = correct_query(self.engine, analysed)
        analysed = self._narrow(analysed)
        restrictions = self._restrictions(query)
        facet_names = FACET_NAMES if query.facets else ()
        wanted = query.offset + query.limit

        rows = self.engine.search(analysed, restrictions, query.offset, query.limit, facet_names,
                                  rank_from=wanted if analysed.is_strict else 0)
        if analysed.is_strict and rows.total < wanted:
            # Too few documents have all words but one: rank every document with any word.
            analysed = analysed.relaxed()
            rows = self.engine.search(analysed, restrictions, query.offset, query.limit,
                                      facet_names)
        documents = IndexedDocument.objects.in_bulk([pk for pk, _ in rows.ranked])
        hits = []
        matcher = highlight.make_matcher(analysed)
        for pk, score in rows.ranked:
            document = documents.get(pk)
            if document is None:  # a full-text row outliving its document (test flushes)
                continue
            hits.append(Hit(
                key=document.key, public_id=document.public_id, kind=document.kind,
                title=document.title, url=document.url, summary=document.summary,
                snippet=(highlight.snippet(analysed, document.summary, document.body, matcher)
                         if query.highlight else ""),
                score=round(score, 4), organisation_unit=document.organisation_unit,
                rights_areas=document.rights_areas, year=document.year, date=document.date,
            ))
        about = approximately if rows.approximate else int
        facets = {
            name: sorted((FacetValue(value, about(count))
                          for value, count in rows.facets.get(name, {}).items()),
                         key=lambda f: (-f.count, f.value))
            for name in facet_names
        }
        return SearchResults(hits=hits, total=about(rows.total), facets=facets,
                             suggestion=suggestion, corrected=bool(only_corrections and rows.total),
                             approximate=rows.approximate)

    def _narrow(self, analysed: analysis.AnalysedQuery) -> analysis.AnalysedQuery:
        """Require all words but one of a long query (both words of a two-word query) when
        any-word matching would rank a large share of the index.

        Any-word matching is what finds a relevant document that shares only its rarest
        word with the query, so it stays whenever it is affordable: up to BROAD_QUERY_MATCHES
        estimated matches (the sum of the clauses' document frequencies). Above that, the
        documents with all words but one outrank the rest anyway, and ranking and counting
        facets over tens of thousands of one-word matches is what made searches slow
        (README, search benchmarks)."""
        minimum = analysis.minimum_should_match(len(analysed.clauses))
        if minimum <= 1:
            return analysed
        terms = {t for clause in analysed.clauses for a in clause.alternatives
                 for variant in (a.terms, a.folded) for t in variant}
        frequencies = self.engine.document_frequencies(terms)
        documents = self.engine.document_count()

        def clause_frequency(clause) -> int:
            return min(documents, sum(
                max(min((frequencies.get(t, 0) for t in a.terms), default=0),
                    min((frequencies.get(t, 0) for t in a.folded), default=0))
                for a in clause.alternatives))

        estimate = sum(clause_frequency(c) for c in analysed.clauses)
        if estimate <= BROAD_QUERY_MATCHES:
            return analysed
        return replace(analysed, minimum_match=minimum)

    @staticmethod
    def _restrictions(query: SearchQuery) -> Restrictions:
        filters = [(name, list(values)) for name, values in sorted(query.filters.items())
                   if values]
        access = None if query.access is None else sorted(query.access)
        return Restrictions(access, filters, sorted(query.exclude_keys))

    def suggest(self, text: str, access: frozenset[str] | None, limit: int = 8) -> list[Suggestion]:
        with self.engine.reading():
            return self._suggest(text, access, limit)

    def _suggest(self, text: str, access: frozenset[str] | None, limit: int) -> list[Suggestion]:
        analysed = analysis.analyze_query(text, prefix_last=True)
        if analysed.is_empty:
            return []
        restrictions = Restrictions(None if access is None else sorted(access), [], [])
        ids = self.engine.title_matches(analysed, restrictions, limit)
        documents = IndexedDocument.objects.in_bulk(ids)
        return [Suggestion(title=documents[pk].title, url=documents[pk].url,
                           kind=documents[pk].kind) for pk in ids if pk in documents]
