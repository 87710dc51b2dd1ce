"""Snippets with the query's words marked, for backends that cannot highlight themselves.

A word is marked when one of its analysed terms (stem, compound parts, folded form) is a
term of the query, so "analyserna" is marked for the query "analys" and "jämställdhet" for
"jamstalldhet". Text is escaped; only <mark> is added.
"""

from __future__ import annotations

import re

from django.utils.html import escape

from .analysis import AnalysedQuery, fold, stem, word_terms

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


def _matches(word: str, terms: set[str], folded: set[str], prefixes: list[str]) -> bool:
    lowered = word.lower()
    if len(lowered) < 2:
        return False
    if stem(lowered) in terms or fold(stem(lowered)) in folded:
        return True
    folded_word = fold(lowered)
    if any(folded_word.startswith(prefix) for prefix in prefixes):
        return True
    # Compound parts last: they cost a split.
    return any(term in terms for term in word_terms(lowered)[1:])


def _mark(text: str, terms, folded, prefixes) -> tuple[str, int]:
    pieces = WORD_SPLIT_RE.split(text)
    out = []
    found: set[str] = set()
    for index, piece in enumerate(pieces):
        if index % 2 == 1 and _matches(piece, terms, folded, prefixes):
            out.append(f"<mark>{escape(piece)}</mark>")
            found.add(stem(piece.lower()))
        else:
            out.append(escape(piece))
    return "".join(out), len(found)


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


def snippet(query: AnalysedQuery, summary: str, body: str) -> str:
    """The fragment of summary or body with most distinct query words, marked."""
    terms, folded, prefixes = query_terms(query)
    candidates = _fragments(summary or "") + _fragments(body or "")
    if not candidates:
        return ""
    best_text, best_count = "", -1
    for fragment in candidates[:60]:
        fragment = _shorten(fragment)
        marked, count = _mark(fragment, terms, folded, prefixes)
        if count > best_count:
            best_text, best_count = marked, count
    return best_text
