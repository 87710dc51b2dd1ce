from django.apps import AppConfig


class AccessibilityConfig(AppConfig):
    """The accessibility statement's feedback form: reports about shortcomings and requests
    for content in an accessible form (DOS-lagen, 2018:1937)."""

    name = "accessibility"
    verbose_name = "Tillgänglighet"
    default_auto_field = "django.db.models.BigAutoField"
