"""Konferensarrangör gets conference.manage_conference, and add/change/publish page
permissions on the Konferens index page if it exists (see cms/conference/setup.py; the page
itself is created by cms.site_structure, which grants them then)."""

from django.db import migrations

MODEL_NAMES = {
    "Group": ("auth", "Group"), "Permission": ("auth", "Permission"),
    "ContentType": ("contenttypes", "ContentType"), "Page": ("wagtailcore", "Page"),
    "GroupPagePermission": ("wagtailcore", "GroupPagePermission"),
}


def grant(apps, schema_editor):
    from cms.conference.setup import grant_organiser_permissions

    grant_organiser_permissions({name: apps.get_model(*ref) for name, ref in MODEL_NAMES.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("conference", "0002_email_templates"),
        ("accounts", "0003_roles"),
        ("cms", "0005_editorial_workflow"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
