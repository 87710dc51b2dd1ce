"""Who a post is shown as written by: people, erased accounts and organisation accounts.

Imported threads (corpus `forum` lines) are written by one inactive "organisation account"
per department or company: email `<slug>@import.mr-navet.invalid`, display name = the
organisation's name, no usable password. They show their display name. Any other inactive
account is treated as erased, and so is a missing author: both show "Tidigare medarbetare".
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.text import slugify
from django.utils.translation import gettext as _

IMPORT_EMAIL_DOMAIN = "import.mr-navet.invalid"


def is_import_user(user) -> bool:
    return bool(user is not None and user.email.endswith("@" + IMPORT_EMAIL_DOMAIN))


def author_label(user) -> str:
    """The name to show for a post or thread author (None for a deleted account)."""
    if user is None or (not user.is_active and not is_import_user(user)):
        return _("Tidigare medarbetare")
    return user.get_full_name()


def display_author(post_or_thread) -> str:
    return author_label(getattr(post_or_thread, "author", None))


def organisation_user(name: str, unit=None):
    """Get or create the inactive organisation account that imported posts are written by.

    `unit` is the OrganisationUnit when the organisation is known; otherwise the account is
    keyed by the slug of `name` and has no unit.
    """
    slug = unit.slug if unit is not None else slugify(name)[:60] or "okand-organisation"
    email = f"{slug}@{IMPORT_EMAIL_DOMAIN}"
    users = get_user_model()
    user = users.objects.filter(email=email).first()
    if user is None:
        user = users(email=email, display_name=(unit.name if unit else name)[:150],
                     organisation_unit=unit, is_active=False)
        user.set_unusable_password()
        user.save()
        user.groups.clear()  # not a member of any role (the default-role signal adds one)
    return user
