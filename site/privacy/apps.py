from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    label = "privacy"
    verbose_name = "Personuppgifter"
    default_auto_field = "django.db.models.BigAutoField"
