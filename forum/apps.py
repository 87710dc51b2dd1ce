from django.apps import AppConfig


class ForumConfig(AppConfig):
    name = "forum"
    verbose_name = "Forum"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import navigation  # noqa: F401  (registers "Forum" in the main menu)
        from . import notify  # noqa: F401  (connects the post_created receiver)
        from . import importer  # noqa: F401  (registers the `forum` line importer)
        from . import search_signals, search_source  # noqa: F401  (search: live updates)

        search_source.register_source()
