"""Engine-specific full-text structures of the database backend.

SQLite: an FTS5 table whose rowid is IndexedDocument.id, holding the analysed terms of each
field (search.analysis) and a vocabulary view for "did you mean". PostgreSQL: a GIN index on
the tsvector table (IndexedVector, migration 0001), and pg_trgm for similar words.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, tags, meta, summary, body, folded,
        tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3 4')""",
    "CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, 'row')",
]
SQLITE_BACKWARD = ["DROP TABLE IF EXISTS search_fts_vocab", "DROP TABLE IF EXISTS search_fts"]

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX search_vector_gin ON search_vector USING gin (vector)",
    "CREATE INDEX search_word_folded_trgm ON search_searchword USING gin (folded gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_word_folded_trgm",
    "DROP INDEX IF EXISTS search_vector_gin",
]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}.get(
        schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}.get(
        schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
