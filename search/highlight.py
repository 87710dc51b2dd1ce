"""Snippets with the query's words marked, for backends that cannot highlight themselves.

A word is marked when one of its analysed terms (stem, compound parts, folded form) is a
term of the query, so "analyserna" is marked for the query "analys" and "jämställdhet" for
"jamstalldhet". Text is escaped; only <mark> is added.
"""

from __future__ import annotations

import re

from html import escape

from .analysis import AnalysedQuery, fold_word as fold, stem, word_terms

FRAGMENT_LENGTH = 200
WORD_SPLIT_RE = re.compile(r"([^\W_]+)", re.UNICODE)
SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+|\n+")


def query_terms(query: AnalysedQuery) -> tuple[set[str], set[str], list[str]]:
    """(terms, folded terms, prefixes) of every alternative of every clause."""
    terms: set[str] = set()
    prefixes: list[str] = []
    for clause in query.clauses:
        for alternative in clause.alternatives:
            if alternative.prefix:
                prefixes.append(fold(alternative.terms[-1]))
                terms.update(alternative.terms[:-1])
            else:
                terms.update(alternative.terms)
    return terms, {fold(t) for t in terms}, prefixes


def _matches(lowered: str, terms: set[str], folded: set[str], prefixes: list[str]) -> bool:
    if len(lowered) < 2:
        return False
    if stem(lowered) in terms or fold(stem(lowered)) in folded:
        return True
    folded_word = fold(lowered)
    if any(folded_word.startswith(prefix) for prefix in prefixes):
        return True
    # Compound parts last: they cost a split.
    return any(term in terms for term in word_terms(lowered)[1:])


class _Matcher:
    """Remembers per word whether it matches, since words repeat within and across hits."""

    def __init__(self, query: AnalysedQuery):
        self.terms, self.folded, self.prefixes = query_terms(query)
        self.seen: dict[str, bool] = {}

    def __call__(self, word: str) -> bool:
        lowered = word.lower()
        if lowered not in self.seen:
            self.seen[lowered] = _matches(lowered, self.terms, self.folded, self.prefixes)
        return self.seen[lowered]

    def count(self, text: str) -> int:
        return len({w.lower() for w in WORD_SPLIT_RE.findall(text) if self(w)})

    def mark(self, text: str) -> str:
        pieces = WORD_SPLIT_RE.split(text)
        return "".join(f"<mark>{escape(p)}</mark>" if i % 2 and self(p) else escape(p)
                       for i, p in enumerate(pieces))


def _fragments(text: str) -> list[str]:
    sentences = [s.strip() for s in SENTENCE_END_RE.split(text) if s and s.strip()]
    fragments: list[str] = []
    current = ""
    for sentence in sentences:
        if current and len(current) + len(sentence) + 1 > FRAGMENT_LENGTH:
            fragments.append(current)
            current = sentence
        else:
            current = f"{current} {sentence}".strip()
    if current:
        fragments.append(current)
    return fragments


def _shorten(fragment: str) -> str:
    if len(fragment) <= FRAGMENT_LENGTH + 40:
        return fragment
    cut = fragment[:FRAGMENT_LENGTH].rsplit(" ", 1)[0]
    return cut.rstrip(" ,.;:–-") + " …"


def snippet(query: AnalysedQuery, summary: str, body: str, matcher=None) -> str:
    """The fragment of summary or body with most distinct query words, marked.
    Pass one `matcher(query)` for all hits of a query to share its word cache."""
    matcher = matcher or make_matcher(query)
    candidates = [_shorten(f) for f in (_fragments(summary or "") + _fragments(body or ""))[:60]]
    if not candidates:
        return ""
    best = max(candidates, key=matcher.count)  # first of the best: summary wins ties
    return matcher.mark(best)


def make_matcher(query: AnalysedQuery) -> _Matcher:
    return _Matcher(query)
