"""Template helpers for the forum: `{% load forum_tags %}`.

Other engineers: add your tags and filters below the existing ones.
"""

from __future__ import annotations

from django import template
from django.contrib.auth import get_user_model

from ..authors import author_label, display_author

register = template.Library()


@register.filter
def author_name(value) -> str:
    """`{{ post|author_name }}`, `{{ thread|author_name }}` or `{{ user|author_name }}`:
    the author's name, or "Tidigare medarbetare" for a missing or erased account.
    Organisation accounts of imported threads show the organisation's name."""
    if value is None or isinstance(value, get_user_model()):
        return author_label(value)
    return display_author(value)
