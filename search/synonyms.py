"""Query-time synonyms from the editable Synonym model (search.models.Synonym)."""

from __future__ import annotations

from django.core.cache import cache

from .analysis import query_words, stem

CACHE_KEY = "search:synonyms:v1"
MAX_PHRASE_WORDS = 4


class SynonymSet:
    """Groups of equivalent phrases, matched on stemmed words so inflections match too."""

    def __init__(self, groups: list[list[str]]):
        self.groups = [[tuple(query_words(p)) for p in group] for group in groups]
        self._by_phrase: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for group in self.groups:
            for phrase in group:
                if not phrase:
                    continue
                key = tuple(stem(w) for w in phrase)
                others = self._by_phrase.setdefault(key, [])
                others.extend(p for p in group if p != phrase and p not in others)

    def match(self, words: list[str], start: int) -> tuple[int, list[tuple[str, ...]]] | None:
        """The longest synonym phrase starting at words[start]: (length, other phrases)."""
        for length in range(min(MAX_PHRASE_WORDS, len(words) - start), 0, -1):
            key = tuple(stem(w.rstrip(".")) for w in words[start:start + length])
            if key in self._by_phrase:
                return length, self._by_phrase[key]
        return None

    def __len__(self) -> int:
        return len(self.groups)


_built: tuple[list, SynonymSet] | None = None  # the last groups and the set built from them


def current_synonyms() -> SynonymSet:
    """The synonym set, from the shared cache (so every process sees an admin edit at
    once); the set itself is rebuilt only when the groups change."""
    global _built
    groups = cache.get(CACHE_KEY)
    if groups is None:
        from .models import Synonym

        groups = [synonym.term_list() for synonym in Synonym.objects.all()]
        cache.set(CACHE_KEY, groups, 300)
    if _built is None or _built[0] != groups:
        _built = (groups, SynonymSet(groups))
    return _built[1]


def forget_synonyms() -> None:
    cache.delete(CACHE_KEY)
