"""Plain text of a content page, for readability scores and search."""

from __future__ import annotations

from django.utils.html import strip_tags


def stream_text(stream_value) -> str:
    """All searchable text in a StreamField value, one block per paragraph."""
    if not stream_value:
        return ""
    parts = stream_value.stream_block.get_searchable_content(stream_value)
    return "\n\n".join(strip_tags(str(part)) for part in parts if part)


def page_body_text(page) -> str:
    """Summary, type-specific fields and body of a (specific) content page.

    Rich-text fields keep their HTML so that lix() can count block ends as sentence ends.
    """
    pieces = [page.summary or ""]
    for field in ("purpose", "when_to_use", "background", "what_was_done", "results", "lessons"):
        value = getattr(page, field, "")
        if value:
            pieces.append(value)
    for stream_field in ("steps", "body"):
        value = getattr(page, stream_field, None)
        if value:
            pieces.append(stream_text(value))
    return "\n\n".join(piece.strip() for piece in pieces if piece and piece.strip())
