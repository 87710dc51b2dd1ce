"""Who may see what in search results.

Documents carry access tokens (search.documents); a viewer holds tokens too, and a hit is
kept when the two sets meet. The filter is a handful of terms, whatever the number of
private pages or closed categories (never one clause per document).
"""

from __future__ import annotations

from .documents import ACCESS_ALL, forum_category_token, group_token


def viewer_tokens(user) -> frozenset[str] | None:
    """The access tokens of a signed-in user; None for superusers (they see everything)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return None
    from forum.permissions import ForumPermissions

    tokens = {ACCESS_ALL}
    tokens.update(group_token(pk) for pk in user.groups.values_list("pk", flat=True))
    tokens.update(forum_category_token(pk)
                  for pk in ForumPermissions(user).readable_category_ids())
    return frozenset(tokens)


def may_see(document_access, tokens: frozenset[str] | None) -> bool:
    return tokens is None or not tokens.isdisjoint(document_access)
