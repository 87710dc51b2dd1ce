from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """Session lifetime, user-to-session mapping and upload checks."""

    name = "security"
    verbose_name = "Säkerhet"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401
        from .uploads import disable_admin_avatar_upload

        disable_admin_avatar_upload()
