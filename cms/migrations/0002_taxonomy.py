from django.db import migrations


def load(apps, schema_editor):
    from cms.taxonomy_data import load_taxonomy

    load_taxonomy(
        apps.get_model("cms", "RightsArea"),
        apps.get_model("cms", "OrganisationUnit"),
        apps.get_model("cms", "Principle"),
        apps.get_model("cms", "StaircaseStep"),
        apps.get_model("cms", "TargetGroup"),
    )


class Migration(migrations.Migration):
    dependencies = [("cms", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
