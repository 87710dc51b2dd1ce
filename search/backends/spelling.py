"""Typo tolerance and "Menade du …?" for the database backend.

A query word none of whose terms is in the index is looked up among the indexed words
(search.models.SearchWord) by edit distance on the folded form (transpositions count as one
edit, like Elasticsearch's fuzziness AUTO: 1 edit up to 5 letters, 2 beyond). The best
word is added to the clause as an extra alternative, so the search tolerates the typo,
and the corrected query is offered as a suggestion.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA

from ..analysis import Alternative, AnalysedQuery, fold, stem, word_terms

MIN_WORD_LENGTH = 4


def max_edits(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def _clause_terms(clause) -> list[str]:
    terms = []
    for alternative in clause.alternatives:
        terms.extend(alternative.terms)
        terms.extend(alternative.folded)
    return terms


def best_word(word: str, candidates: list[tuple[str, int]]) -> str | None:
    """The closest candidate (word, frequency) within max_edits of `word`, by distance,
    then frequency, then alphabetically (deterministic)."""
    target = fold(word)
    limit = max_edits(word)
    scored = []
    for candidate, frequency in candidates:
        if candidate == word:
            continue
        distance = OSA.distance(target, fold(candidate), score_cutoff=limit)
        if distance <= limit:
            scored.append((distance, -frequency, candidate))
    return min(scored)[2] if scored else None


def correct_query(engine, query: AnalysedQuery) -> tuple[str | None, bool]:
    """Add corrections for unknown words to `query` in place. Returns the corrected query
    text (None when every word was found) and whether the hits can only come from the
    corrections (every word of the query was corrected): then the results are shown as
    "Visar resultat för …"."""
    candidates = [c for c in query.clauses
                  if len(c.alternatives) <= 2 and not c.literal.prefix and not c.literal.synonym
                  and " " not in c.text and len(c.text) >= MIN_WORD_LENGTH
                  and not c.text.isdigit()]
    if not candidates:
        return None, False
    known = engine.known_terms({t for c in candidates for t in _clause_terms(c)})
    replacements: dict[str, str] = {}
    for clause in candidates:
        if any(all(t in known for t in alt.terms) or all(t in known for t in alt.folded)
               for alt in clause.alternatives):
            continue
        word = best_word(clause.text, engine.similar_words(clause.text))
        if word is None:
            continue
        replacements[clause.text] = word
        clause.alternatives.append(Alternative((stem(word),), synonym=True))
        parts = word_terms(word)[1:]
        if parts:
            clause.alternatives.append(Alternative(tuple(parts), synonym=True, phrase=True))
    if not replacements:
        return None, False
    only_corrections = len(replacements) == len(query.clauses)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, replacements)) + r")\b", re.IGNORECASE)
    corrected = pattern.sub(lambda m: replacements.get(m.group(0).lower(), m.group(0)), query.text)
    return corrected, only_corrections
