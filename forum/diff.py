"""Line diffs between versions of a post's Markdown, for the history page.

Returns plain data (kind, text); the template escapes the text and renders the kinds as
<ins>/<del>, so user text is never marked safe here.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

CONTEXT_LINES = 2


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "added", "removed" or "gap" (unchanged lines left out)
    text: str


def line_diff(old: str, new: str, context: int = CONTEXT_LINES) -> list[DiffLine]:
    """Changed lines with a little unchanged context around them."""
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    lines: list[DiffLine] = []
    for index, group in enumerate(matcher.get_grouped_opcodes(context)):
        if index:
            lines.append(DiffLine("gap", ""))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines.extend(DiffLine("same", line) for line in old_lines[i1:i2])
                continue
            if tag in {"replace", "delete"}:
                lines.extend(DiffLine("removed", line) for line in old_lines[i1:i2])
            if tag in {"replace", "insert"}:
                lines.extend(DiffLine("added", line) for line in new_lines[j1:j2])
    return lines
