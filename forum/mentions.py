"""@mentions: a user's handle is the part of their email address before the @."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from .markup import profile_url_for


def handle_for(user) -> str:
    return user.email.split("@")[0].lower()


def users_for_handles(handles) -> dict[str, object]:
    """Active users by handle; a handle shared by several users resolves to nobody."""
    if not handles:
        return {}
    query = Q()
    for handle in handles:
        query |= Q(email__istartswith=f"{handle}@")
    found: dict[str, list] = {}
    for user in get_user_model().objects.filter(query, is_active=True):
        found.setdefault(handle_for(user), []).append(user)
    return {handle: users[0] for handle, users in found.items() if len(users) == 1}


def resolve_mention_links(handles) -> dict[str, str]:
    return {handle: profile_url_for(user) for handle, user in users_for_handles(handles).items()}
