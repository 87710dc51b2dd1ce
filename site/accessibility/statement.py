"""Where the accessibility statement lives, so that templates can find its feedback form."""

from __future__ import annotations

# The standard page created by fixtures/standard_pages.py (and linked from the footer).
STATEMENT_SLUG = "tillganglighetsredogorelse"


def is_statement_page(page) -> bool:
    return getattr(page, "slug", None) == STATEMENT_SLUG
