"""Seed the editable synonym list from search/data/synonyms.txt (only into an empty table)."""

from pathlib import Path

from django.db import migrations

SEED = Path(__file__).resolve().parent.parent / "data" / "synonyms.txt"


def seed(apps, schema_editor):
    Synonym = apps.get_model("search", "Synonym")
    if Synonym.objects.exists():
        return
    lines = [line.strip() for line in SEED.read_text(encoding="utf-8").splitlines()]
    Synonym.objects.bulk_create(Synonym(terms=line) for line in lines
                                if line and not line.startswith("#"))


def unseed(apps, schema_editor):
    apps.get_model("search", "Synonym").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]
    operations = [migrations.RunPython(seed, unseed)]
