from django.apps import AppConfig


class CmsConfig(AppConfig):
    name = "cms"
    verbose_name = "Innehåll"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import navigation, signals  # noqa: F401  (registrations)
        from . import search_signals, search_source  # noqa: F401  (search: live updates)

        search_source.register_source()
