"""How many documents contain each indexed term (table search_term, IndexedTerm).

Both engines keep it up to date as they write and delete documents (PostgreSQL from the
vectors, SQLite from the analysed terms), and read document frequencies, known terms and
the document count from it: one index lookup per term, where counting in the full-text
index walks each term's list of documents (tens of milliseconds for common words at
100 000 documents). The row with the empty term holds the number of documents.
"""

from __future__ import annotations

from collections import Counter

from django.db import connection

BATCH_SIZE = 500


class TermCounts:
    """The reading side, shared by SQLiteEngine and PostgresEngine."""

    def document_frequencies(self, terms: set[str]) -> dict[str, int]:
        """Documents per indexed term (terms in no document are left out)."""
        terms = sorted(terms - {""})
        if not terms:
            return {}
        marks = ", ".join(["%s"] * len(terms))
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT term, documents FROM search_term "  # nosec B608 # constant identifiers; values are parameters
                           f"WHERE term IN ({marks}) AND documents > 0", terms)
            return dict(cursor.fetchall())

    def document_count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT documents FROM search_term WHERE term = ''")
            row = cursor.fetchone()
        return row[0] if row else 0

    def known_terms(self, terms: set[str]) -> set[str]:
        return set(self.document_frequencies(terms))


def documents_per_term(documents: list[dict[str, str]]) -> Counter:
    """Counter of term -> documents among `documents` (analysed terms per field), with
    the empty term counting the documents."""
    counts = Counter()
    for terms in documents:
        counts.update(set(" ".join(terms.values()).split()))
    counts[""] = len(documents)
    return counts


def add(counts: Counter, sign: int = +1) -> None:
    """Add (sign +1) or subtract (-1) `counts` to search_term, one upsert per batch."""
    rows = [(term, sign * n) for term, n in counts.items() if n]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH_SIZE):
            batch = rows[start:start + BATCH_SIZE]
            values = ", ".join(["(%s, %s)"] * len(batch))
            cursor.execute(
                f"INSERT INTO search_term (term, documents) VALUES {values} "  # nosec B608 # constant identifiers; values are parameters
                "ON CONFLICT (term) DO UPDATE SET "
                "documents = search_term.documents + excluded.documents",
                [value for row in batch for value in row])


def prune() -> None:
    """Forget terms no document contains any more."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_term WHERE documents <= 0 AND term <> ''")
