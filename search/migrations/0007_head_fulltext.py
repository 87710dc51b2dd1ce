"""SQLite: a second, small FTS5 table with only the title and tags of each document, and
the per-term document counts (search_term, until now PostgreSQL's only).

Broad searches score their title and tag matches first (search.backends.statement), and
suggestions match titles; on the main table both read the long doclists of every field.
Counting a term's documents in FTS5 (fts5vocab) walks its doclist, tens of milliseconds
for a common word at 100 000 documents; search_term answers with one lookup. Both are
filled from the main table, so no rebuild is needed.
"""

from django.db import migrations

CREATE = """CREATE VIRTUAL TABLE search_fts_head USING fts5(
    title, tags, folded, tokenize = 'unicode61 remove_diacritics 0', prefix = '2 3 4')"""
BATCH = 2_000


def create_head_table(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    from search.backends.sql_sqlite import head_row

    schema_editor.execute(CREATE)
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT rowid, title, tags FROM search_fts ORDER BY rowid")
        rows = cursor.fetchall()
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                "INSERT INTO search_fts_head (rowid, title, tags, folded) VALUES (%s, %s, %s, %s)",
                [head_row(pk, {"title": title, "tags": tags})
                 for pk, title, tags in rows[start:start + BATCH]])
        cursor.execute("DELETE FROM search_term")
        cursor.execute("INSERT INTO search_term (term, documents) "
                       "SELECT term, doc FROM search_fts_vocab WHERE term <> ''")
        cursor.execute("INSERT INTO search_term (term, documents) "
                       "SELECT '', count(*) FROM search_fts")


def drop_head_table(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts_head")
        schema_editor.execute("DELETE FROM search_term")


class Migration(migrations.Migration):
    dependencies = [("search", "0006_indexed_term")]
    operations = [migrations.RunPython(create_head_table, drop_head_table)]
