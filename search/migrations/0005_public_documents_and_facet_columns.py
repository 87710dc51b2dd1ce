"""Public documents are flagged on IndexedDocument instead of carrying an "alla" access row,
and the single-valued facets (typ, forvaltning, ar) are read from IndexedDocument's columns
instead of IndexedFacet rows, with covering indexes for both. Existing index rows are
converted, so no rebuild is needed."""

import django.db.models.deletion
from django.db import migrations, models


def convert(apps, schema_editor):
    IndexedDocument = apps.get_model("search", "IndexedDocument")
    IndexedFacet = apps.get_model("search", "IndexedFacet")
    public_ids = IndexedFacet.objects.filter(name="access", value="alla").values("document_id")
    IndexedDocument.objects.exclude(pk__in=public_ids).update(public=False)
    IndexedFacet.objects.filter(name__in=["typ", "forvaltning", "ar"]).delete()
    IndexedFacet.objects.filter(name="access", document__public=True).delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0004_editor_permissions")]

    operations = [
        migrations.AddField(
            model_name="indexeddocument", name="public", field=models.BooleanField(default=True),
        ),
        migrations.RunPython(convert, migrations.RunPython.noop),
        # Covering indexes for what a search reads per match.
        migrations.AlterField(
            model_name="indexedfacet", name="document",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="facets", to="search.indexeddocument"),
        ),
        migrations.AddIndex(
            model_name="indexeddocument",
            index=models.Index(fields=["id", "public", "kind", "organisation_unit", "year"],
                               name="search_document_facets"),
        ),
        migrations.AddIndex(
            model_name="indexedfacet",
            index=models.Index(fields=["document", "name", "value"],
                               name="search_facet_by_document"),
        ),
    ]
