"""The one shape every source hands to search: a plain, engine-neutral document."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

# Content kinds, as used in URLs (`?typ=`) and the API. Labels are for the UI.
KIND_LABELS = {
    "metod": "Metod",
    "vagledning": "Vägledning",
    "gott-exempel": "Gott exempel",
    "forumtrad": "Forumtråd",
    "konferenspass": "Konferenspass",
}

# Access tokens. A document lists who may see it; a viewer holds a set of tokens
# (search.access.viewer_tokens) and sees a document when the two sets meet.
ACCESS_ALL = "alla"


def group_token(group_id: int) -> str:
    return f"grupp-{group_id}"


def forum_category_token(category_id: int) -> str:
    return f"forumkategori-{category_id}"


@dataclass
class SearchDocument:
    """One searchable thing.

    key        -- unique within the index: "<source>:<pk>", e.g. "page:12", "forum:7"
    public_id  -- the id the API shows: a page's slug or the source's external id
    access     -- access tokens (ACCESS_ALL, group_token(), forum_category_token())
    tags       -- editor keywords; indexed with high weight
    meta       -- extra searchable words that are not shown (organisation unit names,
                  rights-area labels, presenters) so "miljöförvaltningen barnrätt" finds
                  the unit's own documents
    """

    key: str
    public_id: str
    kind: str
    title: str
    url: str
    summary: str = ""
    body: str = ""
    tags: list[str] = field(default_factory=list)
    meta: str = ""
    rights_areas: list[str] = field(default_factory=list)
    organisation_unit: str | None = None
    staircase_steps: list[int] = field(default_factory=list)
    year: int | None = None
    date: datetime.date | None = None
    access: list[str] = field(default_factory=lambda: [ACCESS_ALL])

    @property
    def source(self) -> str:
        return self.key.split(":", 1)[0]

    def facet_values(self) -> dict[str, list[str]]:
        """Facet name -> values, the names used as URL parameters."""
        return {
            "typ": [self.kind],
            "omrade": list(self.rights_areas),
            "forvaltning": [self.organisation_unit] if self.organisation_unit else [],
            "steg": [str(step) for step in self.staircase_steps],
            "ar": [str(self.year)] if self.year else [],
        }
