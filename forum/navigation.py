"""Adds "Forum" to the main navigation."""

from django.urls import reverse
from django.utils.translation import gettext as _

from mrnavet.navigation import NavItem, register_nav_provider


def forum_item(request) -> list[NavItem]:
    return [NavItem(_("Forum"), reverse("forum:index"))]


register_nav_provider(40, forum_item)
