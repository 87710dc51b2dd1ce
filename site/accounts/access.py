"""Who counts as an administrator (and so must use MFA)."""

from __future__ import annotations


def has_admin_access(user) -> bool:
    """True for anyone who can open the Wagtail admin or the Django admin."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.is_staff or user.has_perm("wagtailadmin.access_admin"))
