"""The embedded search backend: SQLite FTS5 or PostgreSQL full text, on Django's database.

Both engines index the same Python-analysed terms (search.analysis) and are queried with
the same clauses; only the match-and-rank SQL differs (search.backends.sql_sqlite and
sql_postgres). Documents are stored in IndexedDocument (for snippets, facets and the API)
with their facet values and access tokens in IndexedFacet.
"""

from __future__ import annotations

from collections import Counter
from itertools import islice
from collections.abc import Callable, Iterable

from django.db import connection, transaction

from .. import analysis, highlight
from ..documents import SearchDocument
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

BATCH_SIZE = 500
MAX_WORD_LENGTH = 60


def _surface_words(document: SearchDocument) -> Counter:
    text = " ".join([document.title, document.summary, document.body, " ".join(document.tags)])
    words = (w.rstrip(".") for w in analysis.tokenize(text))  # "arbetet." ends a sentence
    return Counter(w for w in words if w.isalpha() and 3 <= len(w) <= MAX_WORD_LENGTH)


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
              progress: Callable[[int], None] | None = None) -> int:
        count = 0
        for batch in batched(documents, BATCH_SIZE):
            count += self._write(batch)
            if progress:
                progress(count)
        return count

    @transaction.atomic
    def _write(self, documents: list[SearchDocument]) -> int:
        by_key = {d.key: d for d in documents}  # last one wins within a batch
        self._delete_keys(list(by_key))
        rows = IndexedDocument.objects.bulk_create([
            IndexedDocument(
                key=d.key, public_id=d.public_id[:255], kind=d.kind, title=d.title[:500],
                summary=d.summary, body=d.body, url=d.url[:500],
                organisation_unit=d.organisation_unit or "", year=d.year, date=d.date,
                rights_areas=list(d.rights_areas), staircase_steps=list(d.staircase_steps),
                tags=list(d.tags), access=list(d.access),
            ) for d in by_key.values()
        ])
        if not all(row.pk for row in rows):  # backends without RETURNING
            ids = dict(IndexedDocument.objects.filter(key__in=list(by_key))
                       .values_list("key", "pk"))
            for row in rows:
                row.pk = ids[row.key]
        facets = []
        for row, document in zip(rows, by_key.values()):
            for name, values in document.facet_values().items():
                facets.extend(IndexedFacet(document_id=row.pk, name=name, value=v[:100])
                              for v in values)
            facets.extend(IndexedFacet(document_id=row.pk, name="access", value=token[:100])
                          for token in set(document.access))
        IndexedFacet.objects.bulk_create(facets)
        self.engine.insert([(row.pk, analysis.document_terms(d)) for row, d in zip(rows, by_key.values())])
        self._count_words(by_key.values())
        return len(rows)

    def _count_words(self, documents: Iterable[SearchDocument]) -> None:
        counts: Counter = Counter()
        for document in documents:
            counts.update(_surface_words(document))
        if not counts:
            return
        existing = dict(SearchWord.objects.filter(word__in=list(counts))
                        .values_list("word", "frequency"))
        new = [SearchWord(word=w, folded=analysis.fold(w), frequency=n)
               for w, n in counts.items() if w not in existing]
        SearchWord.objects.bulk_create(new, ignore_conflicts=True)
        changed = [SearchWord(word=w, frequency=existing[w] + n)
                   for w, n in counts.items() if w in existing]
        if changed:
            pks = dict(SearchWord.objects.filter(word__in=[c.word for c in changed])
                       .values_list("word", "pk"))
            for item in changed:
                item.pk = pks[item.word]
            SearchWord.objects.bulk_update(changed, ["frequency"], batch_size=BATCH_SIZE)

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
            count = self.index(documents, progress)
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
        restrictions = self._restrictions(query)
        ranked, total = self.engine.ranked(analysed, restrictions, query.offset, query.limit)
        documents = IndexedDocument.objects.in_bulk([pk for pk, _ in ranked])
        hits = []
        matcher = highlight.make_matcher(analysed)
        for pk, score in ranked:
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
        facets = self._facets(analysed, query) if query.facets else {}
        return SearchResults(hits=hits, total=total, facets=facets, suggestion=suggestion,
                             corrected=bool(only_corrections and total))

    @staticmethod
    def _restrictions(query: SearchQuery, without: str | None = None):
        """(facet name, values) pairs a document must have one value of, each."""
        pairs = []
        if query.access is not None:
            pairs.append(("access", sorted(query.access) or ["-"]))
        for name, values in sorted(query.filters.items()):
            if values and name != without:
                pairs.append((name, list(values)))
        return Restrictions(pairs, sorted(query.exclude_keys))

    def _facets(self, analysed, query: SearchQuery) -> dict[str, list[FacetValue]]:
        """Counts per facet value among the matches. A facet with a selected filter is
        counted without its own filter, so the other values stay visible (multi-select)."""
        counts = self.engine.facet_counts(analysed, self._restrictions(query), FACET_NAMES)
        for name in FACET_NAMES:
            if query.filters.get(name):
                own = self.engine.facet_counts(
                    analysed, self._restrictions(query, without=name), (name,))
                counts[name] = own.get(name, {})
        return {
            name: sorted((FacetValue(value, count) for value, count in counts.get(name, {}).items()),
                         key=lambda f: (-f.count, f.value))
            for name in FACET_NAMES
        }

    def suggest(self, text: str, access: frozenset[str] | None, limit: int = 8) -> list[Suggestion]:
        with self.engine.reading():
            return self._suggest(text, access, limit)

    def _suggest(self, text: str, access: frozenset[str] | None, limit: int) -> list[Suggestion]:
        analysed = analysis.analyze_query(text, prefix_last=True)
        if analysed.is_empty:
            return []
        restrictions = Restrictions([("access", sorted(access) or ["-"])] if access is not None
                                    else [], [])
        ids = self.engine.title_matches(analysed, restrictions, limit)
        documents = IndexedDocument.objects.in_bulk(ids)
        return [Suggestion(title=documents[pk].title, url=documents[pk].url,
                           kind=documents[pk].kind) for pk in ids if pk in documents]


class Restrictions:
    """Facet restrictions and excluded keys, rendered as SQL on IndexedDocument ids."""

    def __init__(self, pairs: list[tuple[str, list[str]]], exclude_keys: list[str]):
        self.pairs = pairs
        self.exclude_keys = exclude_keys

    def sql(self, id_column: str) -> tuple[str, list]:
        clauses, params = [], []
        for name, values in self.pairs:
            marks = ", ".join(["%s"] * len(values))
            clauses.append(
                f"{id_column} IN (SELECT document_id FROM search_indexedfacet "  # nosec B608 # identifiers and weights are code constants; every value is a parameter
                f"WHERE name = %s AND value IN ({marks}))")
            params.extend([name, *values])
        if self.exclude_keys:
            marks = ", ".join(["%s"] * len(self.exclude_keys))
            clauses.append(f"{id_column} NOT IN (SELECT id FROM search_indexeddocument "  # nosec B608 # identifiers and weights are code constants; every value is a parameter
                           f"WHERE key IN ({marks}))")
            params.extend(self.exclude_keys)
        return (" AND ".join(clauses) or "1 = 1"), params
