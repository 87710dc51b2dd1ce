from importlib import import_module

from django.apps import AppConfig


class ConferenceConfig(AppConfig):
    name = "cms.conference"
    label = "conference"
    verbose_name = "Konferens"
    default_auto_field = "django.db.models.BigAutoField"

    def import_models(self):
        super().import_models()
        # The editable email texts and the reminder log live beside models.py.
        import_module(f"{self.name}.email_templates")

    def ready(self):
        from . import importer  # noqa
        # Booking events → emails through the task queue, on commit.
        from . import tasks

        tasks.subscribe_all()
        # Search: the "konferens" source and its live updates.
        from . import search_signals, search_source  # noqa: F401

        search_source.register_source()
