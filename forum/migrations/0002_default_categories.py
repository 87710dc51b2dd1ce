from django.db import migrations


def load(apps, schema_editor):
    from forum.defaults import ensure_default_categories, ensure_manage_permission

    ensure_manage_permission(apps.get_model("auth", "Permission"),
                             apps.get_model("contenttypes", "ContentType"))
    ensure_default_categories(
        apps.get_model("forum", "Category"),
        apps.get_model("forum", "CategoryPermission"),
        apps.get_model("cms", "RightsArea"),
        apps.get_model("auth", "Group"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("forum", "0001_initial"),
        ("cms", "0002_taxonomy"),
        ("accounts", "0003_roles"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
