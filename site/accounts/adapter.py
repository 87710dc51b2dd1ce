"""allauth adapters: sign-up only for the city's and its companies' email domains."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .domains import allowed_domains_text, is_allowed_email


def disallowed_domain_error() -> ValidationError:
    return ValidationError(
        _(
            "MR-navet är bara öppet för medarbetare i Malmö stad och stadens bolag. "
            "Använd din e-postadress i jobbet (%(domains)s)."
        )
        % {"domains": allowed_domains_text()},
        code="domain_not_allowed",
    )


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        if not is_allowed_email(email):
            raise disallowed_domain_error()
        return email.lower()


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Entra ID sign-in: same domain rule, display name from the ID token."""

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return is_allowed_email(sociallogin.user.email or "")

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        name = (data.get("name") or "").strip()
        if name and not user.display_name:
            user.display_name = name[:150]
        return user
