"""Samordnare (who publish guidance) keep the synonym list and the pinned results."""

from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import migrations

ROLE = "Samordnare"
MODELS = ("synonym", "pinnedresult")
ACTIONS = ("add", "change", "delete", "view")


def grant(apps, schema_editor):
    # On a new database the permissions are only made after all migrations: make them now.
    config = apps.get_app_config("search")
    config.models_module = True
    create_contenttypes(config, verbosity=0, apps=apps)
    create_permissions(config, verbosity=0, apps=apps)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name=ROLE).first()
    if group is None:
        return
    codenames = [f"{action}_{model}" for model in MODELS for action in ACTIONS]
    group.permissions.add(*Permission.objects.filter(content_type__app_label="search",
                                                     codename__in=codenames))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    group = Group.objects.filter(name=ROLE).first()
    if group is not None:
        group.permissions.remove(*group.permissions.filter(content_type__app_label="search"))


class Migration(migrations.Migration):
    dependencies = [("search", "0003_seed_synonyms"), ("accounts", "0003_roles"),
                    ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(grant, revoke)]
