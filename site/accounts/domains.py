"""The email domains allowed to sign up (ALLOWED_EMAIL_DOMAINS)."""

from __future__ import annotations

from django.conf import settings


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower() if "@" in email else ""


def is_allowed_email(email: str) -> bool:
    """Exact, case-insensitive match of the domain after the last @."""
    return email_domain(email) in set(settings.ALLOWED_EMAIL_DOMAINS)


def allowed_domains_text() -> str:
    return ", ".join(settings.ALLOWED_EMAIL_DOMAINS)
