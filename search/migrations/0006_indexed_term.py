"""Per-term document counts for PostgreSQL ranking (search.models.IndexedTerm), filled from
the vectors already indexed, so no rebuild is needed."""

from django.db import migrations, models


def count_existing_terms(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "INSERT INTO search_term (term, documents) "
        "SELECT lexeme, count(*) FROM search_vector, unnest(tsvector_to_array(vector)) AS lexeme "
        "GROUP BY lexeme UNION ALL SELECT '', count(*) FROM search_vector")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_public_documents_and_facet_columns")]

    operations = [
        migrations.CreateModel(
            name="IndexedTerm",
            fields=[
                ("term", models.TextField(primary_key=True, serialize=False)),
                ("documents", models.IntegerField(default=0)),
            ],
            options={"db_table": "search_term", "default_permissions": ()},
        ),
        migrations.RunPython(count_existing_terms, migrations.RunPython.noop),
    ]
