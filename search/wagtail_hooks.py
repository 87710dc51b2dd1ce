"""Wagtail admin for search: synonyms and pinned results as snippets under one "Sök" menu.

Both take effect at the next search without reindexing (synonyms are applied at query time,
pins are looked up per query). Editing needs the models' ordinary add/change/delete
permissions (Inställningar → Grupper); superusers have them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import PinnedResult, Synonym


class SynonymViewSet(SnippetViewSet):
    model = Synonym
    icon = "list-ul"
    menu_label = _("Synonymer")
    list_display = ["terms", "note"]
    search_fields = ["terms", "note"]
    ordering = ["terms"]


class PinnedResultViewSet(SnippetViewSet):
    model = PinnedResult
    icon = "pick"
    menu_label = _("Fästa sökträffar")
    list_display = ["query", "page", "sort_order"]
    search_fields = ["query", "page__title"]
    ordering = ["query", "sort_order", "pk"]


class SearchAdminGroup(SnippetViewSetGroup):
    menu_label = _("Sök")
    menu_icon = "search"
    menu_order = 270
    items = (SynonymViewSet, PinnedResultViewSet)


register_snippet(SearchAdminGroup)
