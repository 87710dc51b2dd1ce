from django.db import migrations

MODEL_NAMES = {
    "Group": ("auth", "Group"), "Permission": ("auth", "Permission"),
    "ContentType": ("contenttypes", "ContentType"), "Page": ("wagtailcore", "Page"),
    "Collection": ("wagtailcore", "Collection"),
    "GroupPagePermission": ("wagtailcore", "GroupPagePermission"),
    "GroupCollectionPermission": ("wagtailcore", "GroupCollectionPermission"),
    "Workflow": ("wagtailcore", "Workflow"), "WorkflowTask": ("wagtailcore", "WorkflowTask"),
    "WorkflowPage": ("wagtailcore", "WorkflowPage"),
    "GroupApprovalTask": ("wagtailcore", "GroupApprovalTask"),
}


def setup(apps, schema_editor):
    from cms.workflow_setup import setup_editorial_permissions

    setup_editorial_permissions({name: apps.get_model(*ref) for name, ref in MODEL_NAMES.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0004_content_pages"),
        ("accounts", "0003_roles"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
    ]
    operations = [migrations.RunPython(setup, migrations.RunPython.noop)]
