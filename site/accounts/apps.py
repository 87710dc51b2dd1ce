from django.apps import AppConfig
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    # apps.py holds several AppConfig subclasses, so Django only picks this one for
    # "accounts" in INSTALLED_APPS when it is marked default (otherwise ready() never runs
    # and the signals are not connected).
    default = True
    name = "accounts"
    verbose_name = "Konton"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401


class MRNavetUsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's user admin with our profile fields on its forms."""

    user_viewset = "accounts.wagtail_users.UserViewSet"
