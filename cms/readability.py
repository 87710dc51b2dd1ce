"""LIX (läsbarhetsindex), the Swedish readability measure.

LIX = words / sentences + 100 × long words / words, where a long word has more than six
letters. Bands as used by Swedish plain-language guidance (Myndigheten för tillgängliga
medier, Språkrådet).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _

WORD_RE = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", re.UNICODE)
BLOCK_END_RE = re.compile(r"</(?:p|li|h[1-6]|div|blockquote)>", re.IGNORECASE)
SENTENCE_END_RE = re.compile(r"[.!?:]+(?:\s|$)|\n\s*\n")

BANDS = [
    (30, _("Mycket lättläst, som barnböcker")),
    (40, _("Lättläst, som skönlitteratur och populärtidningar")),
    (50, _("Medelsvår, som vanlig tidningstext")),
    (60, _("Svår, som normal text i myndighetsbrev")),
    (float("inf"), _("Mycket svår, som byråkratisk svenska")),
]


@dataclass(frozen=True)
class Lix:
    score: float
    words: int
    sentences: int
    long_words: int

    @property
    def band(self) -> str:
        return next(str(label) for limit, label in BANDS if self.score < limit)


def lix(text: str) -> Lix | None:
    """LIX of a plain or HTML text; None when there are no words."""
    # Block ends are sentence ends even without a full stop (headings, list items).
    plain = strip_tags(BLOCK_END_RE.sub("\n\n", text or ""))
    words = WORD_RE.findall(plain)
    if not words:
        return None
    sentences = max(1, len([m for m in SENTENCE_END_RE.finditer(plain.strip() + " ")]))
    long_words = sum(1 for word in words if len(word.replace("-", "")) > 6)
    score = len(words) / sentences + 100 * long_words / len(words)
    return Lix(round(score, 1), len(words), sentences, long_words)
