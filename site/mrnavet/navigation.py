"""The main navigation: Metoder, Vägledning, Goda exempel, Forum, Konferens.

Items come from a registry so that each app adds its own entry; an entry whose target does
not exist (the page has not been created, the URL is not installed) is left out rather
than shown as a dead link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str

    def is_current(self, path: str) -> bool:
        return path == self.url or (self.url != "/" and path.startswith(self.url))


# Each provider returns the items it owns, in display order.
NavProvider = Callable[[HttpRequest], list[NavItem]]
_providers: list[tuple[int, NavProvider]] = []


def register_nav_provider(order: int, provider: NavProvider) -> None:
    """Register a callable returning NavItems; lower order comes first."""
    _providers.append((order, provider))
    _providers.sort(key=lambda pair: pair[0])


def main_navigation(request: HttpRequest) -> list[dict]:
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return []
    items: list[dict] = []
    for _order, provider in _providers:
        for item in provider(request):
            items.append({"label": item.label, "url": item.url,
                          "current": item.is_current(request.path)})
    return items
