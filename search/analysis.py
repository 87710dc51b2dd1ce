"""Swedish text analysis, written once.

Both database backends index the output of `index_terms()` and query with `analyze_query()`;
the Elasticsearch backend mirrors the same steps in its analyzer settings
(`search.backends.elasticsearch.analysis_settings()` exports the stop words, stem overrides
and compound word list from this module, so the two cannot drift apart).

Pipeline for a word: lowercase -> stop words -> compound split -> Snowball Swedish stem with
an override list -> (separately) a folded form without diacritics.

- **Stemming**: Snowball Swedish (PyStemmer) strips a final -s after many consonants, so
  "analys" becomes "analy" while "analyser" becomes "analys". `STEM_KEEPS_S` lists words whose
  -s belongs to the stem; a word ending in one of them (plus an inflection) keeps it. Snowball
  also leaves the definite singular of -a nouns alone ("förskolan" vs "förskola" ->
  "förskol"); `_definite_a()` mends that.
- **Compounds**: split at the hyphenation points of pyphen's Swedish dictionary where every
  part is a known word (wordfreq's Swedish list), allowing a linking -s or -e; a split must
  beat the whole word's own frequency (Koehn & Knight 2003). The whole word is kept too, so
  "barnkonsekvensanalyser" indexes barnkonsekvensanalys, barn, konsekvens, analys.
- **Folding**: å/ä/ö/é/ü -> a/a/o/e/u, in a separate, lower-weighted field.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from itertools import combinations
from functools import lru_cache
from pathlib import Path

import pyphen
import Stemmer
import wordfreq

WORD_RE = re.compile(r"[^\W_]+(?:\.(?=\s|$))?", re.UNICODE)

# Snowball's Swedish stop list plus informal forms seen in forum posts.
STOP_WORDS = frozenset("""
och det att i en jag hon som han på den med var sig för så till är men ett om hade de av
icke mig du henne då sin nu har inte hans honom skulle hennes där min man ej vid kunde något
från ut när efter upp vi dem vara vad över än dig kan sina här ha mot alla under någon eller
allt mycket sedan ju denna själv detta åt utan varit hur ingen mitt ni bli blev oss din dessa
några deras blir mina samma vilken er sådan vår blivit dess inom mellan sådant varför varje
vilka ditt vem vilket sitta sådana vart dina vars vårt våra ert era vilkas
dom nåt nån sen ska vill finns få får gör göra
""".split())

# Words whose final -s is part of the stem (see module docstring). Matched as word endings,
# so "barnkonsekvensanalyserna" and "arbetsplatsen" are covered.
STEM_KEEPS_S = frozenset("""
analys resurs kurs diskurs plats insats ansats slutsats kompetens konferens konsekvens
transparens frekvens licens evidens tendens sekvens referens preferens instans tolerans
balans obalans relevans allians finans distans ambulans substans assistans dominans
krets dans tips pass puls respons process status fokus kaos kris bas fas buss
""".split())
INFLECTIONS = ("ernas", "arnas", "erna", "arna", "ens", "ets", "ers", "ars", "en", "et",
               "er", "ar", "s", "")

MIN_COMPOUND_LENGTH = 8
MIN_PART_LENGTH = 3
MIN_PART_ZIPF = 2.5

_stemmer = Stemmer.Stemmer("swedish")
_hyphenator = pyphen.Pyphen(lang="sv_SE")


DOMAIN_WORDS_FILE = Path(__file__).resolve().parent / "data" / "domain_words.txt"
DOMAIN_WORD_ZIPF = 4.0


@lru_cache(maxsize=1)
def _domain_words() -> tuple[str, ...]:
    lines = DOMAIN_WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(w for w in (line.strip().lower() for line in lines)
                 if w and not w.startswith("#"))


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, float]:
    """Swedish words with their Zipf frequency (wordfreq ships the data in its wheel),
    plus the field's own words (search/data/domain_words.txt)."""
    words = {}
    for word in wordfreq.iter_wordlist("sv", wordlist="best"):
        if len(word) >= MIN_PART_LENGTH and word.isalpha():
            zipf = wordfreq.zipf_frequency(word, "sv")
            if zipf < MIN_PART_ZIPF:
                break
            words[word] = zipf
    for word in _domain_words():
        words[word] = max(words.get(word, 0.0), DOMAIN_WORD_ZIPF)
    return words


def word_frequency(word: str) -> float:
    return _lexicon().get(word, 0.0)


def fold(text: str) -> str:
    """Remove diacritics: "Jämställdhet" -> "Jamstalldhet"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


fold_word = lru_cache(maxsize=200_000)(fold)  # the same, remembered, for single words


def tokenize(text: str) -> list[str]:
    """Lowercased words; a trailing full stop ("förv.") is kept to mark an abbreviation."""
    text = unicodedata.normalize("NFC", text)  # decomposed å (PDFs, macOS) is one letter
    return [match.group(0) for match in WORD_RE.finditer(text.lower())]


def _keeps_s(word: str) -> str | None:
    for ending in INFLECTIONS:
        if ending and not word.endswith(ending):
            continue
        base = word[: len(word) - len(ending)] if ending else word
        for size in range(3, min(len(base), 12) + 1):
            if base[-size:] in STEM_KEEPS_S:
                return base
    return None


def _definite_a(stem: str) -> str | None:
    """'förskolan' -> 'förskol': Snowball leaves -an of definite -a nouns alone."""
    if len(stem) >= 6 and stem.endswith("an") and word_frequency(stem[:-1]) >= 3.0:
        return _stemmer.stemWord(stem[:-1])
    return None


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    kept = _keeps_s(word)
    if kept is not None:
        return kept
    stemmed = _stemmer.stemWord(word)
    return _definite_a(stemmed) or stemmed


# Endings and function words that are never compound parts on their own.
NOT_PARTS = frozenset("""het heter ning ningen ing else skap lig ande ende isk ism tion före efter
över under sam mot upp ana""".split())
# A word at least this common (Zipf) is a word of its own, not split (förskola, vandring).
COMMON_WORD_ZIPF = 3.0
NESTED_PART_ZIPF = 3.5


def _is_part(word: str) -> bool:
    return (len(word) >= MIN_PART_LENGTH and word not in STOP_WORDS and word not in NOT_PARTS
            and word_frequency(word) > 0)


def _head_forms(head: str) -> list[str]:
    """A non-final part as written and its base forms: a linking -s/-e/-o dropped or
    replacing the -a of the base word (skole- -> skola, kvinno- -> kvinna)."""
    forms = [head]
    if len(head) > MIN_PART_LENGTH and head[-1] in "seo":
        forms += [head[:-1], head[:-1] + "a"]
    if len(head) > MIN_PART_LENGTH:
        forms += [head + "a", head + "e"]
    known = [form for form in forms if _is_part(form)]
    # A compound as a head ends in a linking -s: stadsbyggnads-, likabehandlings-.
    if not known and head.endswith("s") and split_compound(head[:-1]):
        known.append(head[:-1])
    return known


def _tail_form(tail: str) -> str | None:
    """The final part (inflected) if it, or its base form, is a known word."""
    if len(tail) < MIN_PART_LENGTH + 1 or tail in NOT_PARTS:
        return None
    for form in (tail, stem(tail)):
        if _is_part(form):
            return tail
    return None


def _tail_zipf(tail: str) -> float:
    return max(word_frequency(tail), word_frequency(stem(tail)))


def _split_points(word: str) -> list[int]:
    """Hyphenation points, plus the end of a leading domain word (hbtq|kompetens), which
    hyphenation patterns do not know."""
    points = {int(p) for p in _hyphenator.positions(word)}
    points.update(len(d) for d in _domain_words() if word.startswith(d) and len(d) < len(word))
    return sorted(points)


@lru_cache(maxsize=200_000)
def _two_part_splits(word: str) -> tuple[tuple[str, str, float], ...]:
    """Every (head base form, tail as written, mean Zipf) split at a hyphenation point."""
    splits = []
    for point in _split_points(word):
        tail = _tail_form(word[point:])
        if tail is None:
            continue
        for head in _head_forms(word[:point]):
            tail_zipf = _tail_zipf(tail)
            head_zipf = word_frequency(head) or MIN_PART_ZIPF  # a compound head itself
            splits.append((head, tail, (head_zipf + tail_zipf) / 2))
    return tuple(splits)


@lru_cache(maxsize=200_000)
def _whole_word_zipf(word: str) -> float:
    return wordfreq.zipf_frequency(word, "sv")


@lru_cache(maxsize=200_000)
def compound_halves(word: str, nested: bool = False) -> tuple[str, str] | None:
    """The best two-part split of a compound (head base form, tail as written), or None.

    The split must beat the word's own frequency, and a common word (Zipf >= 3) is left
    whole (förskola, vandring). Inside a compound (`nested`), common parts split only into
    common, longer words: konsekvensanalys -> konsekvens + analys.
    """
    if len(word) < MIN_COMPOUND_LENGTH or not word.isalpha():
        return None
    whole = _whole_word_zipf(word)
    if whole >= COMMON_WORD_ZIPF and not nested:
        return None
    splits = _two_part_splits(word)
    if nested:
        splits = tuple(item for item in splits if len(item[0]) >= 4 and len(item[1]) >= 4
                       and min(word_frequency(item[0]), _tail_zipf(item[1])) >= NESTED_PART_ZIPF)
    if not splits:
        return None
    head, tail, score = max(splits, key=lambda item: item[2])
    if score <= whole:
        return None
    return head, tail


@lru_cache(maxsize=200_000)
def split_compound(word: str, nested: bool = False) -> tuple[str, ...]:
    """Every part of a compound, each followed by its own parts:
    barnkonsekvensanalys -> barn, konsekvensanalys, konsekvens, analys. () if none."""
    halves = compound_halves(word, nested)
    if halves is None:
        return ()
    parts: list[str] = []
    for part in halves:
        parts.append(part)
        parts.extend(split_compound(part, nested=True))
    return tuple(parts)


def is_stop_word(word: str) -> bool:
    return word in STOP_WORDS


def word_terms(word: str) -> list[str]:
    """Index terms of one lowercased word: its stem, then the stems of its parts."""
    word = word.rstrip(".")
    terms = [stem(word)]
    for part in split_compound(word):
        part_stem = stem(part)
        if part_stem not in terms or len(terms) > 1:
            terms.append(part_stem)
    return terms


def index_terms(text: str) -> list[str]:
    """Analysed terms of a text, in order, for the main (unfolded) index fields."""
    terms: list[str] = []
    for word in tokenize(text):
        word = word.rstrip(".")
        if is_stop_word(word) or (len(word) < 2 and not word.isdigit()):
            continue
        terms.extend(word_terms(word))
    return terms


def folded_terms(terms: list[str]) -> list[str]:
    return [fold_word(term) for term in terms]


INDEXED_FIELDS = ("title", "tags", "meta", "summary", "body")


def document_terms(document) -> dict[str, str]:
    """Analysed terms of a SearchDocument per indexed field, space-separated, plus "folded".
    Every backend indexes exactly this."""
    texts = {"title": document.title, "tags": " . ".join(document.tags), "meta": document.meta,
             "summary": document.summary, "body": document.body}
    fields = {name: index_terms(texts[name]) for name in INDEXED_FIELDS}
    folded = folded_terms([t for terms in fields.values() for t in terms])
    # Words typed without å/ä/ö can stem differently (forskolan stays whole, while
    # förskolan -> förskol), so the folded text's own terms are indexed too.
    seen = set(folded)
    folded += [t for text in texts.values() for t in index_terms(fold(text)) if t not in seen]
    result = {name: " ".join(terms) for name, terms in fields.items()}
    result["folded"] = " ".join(folded)
    return result


# --- Queries ---------------------------------------------------------------------------


@dataclass
class Alternative:
    """One way a query clause can match: a sequence of terms (a phrase when > 1)."""

    terms: tuple[str, ...]
    prefix: bool = False          # last term matches as a prefix ("förv.", as-you-type)
    synonym: bool = False
    phrase: bool = True           # terms adjacent and in order; else all terms anywhere

    @property
    def folded(self) -> tuple[str, ...]:
        return tuple(fold_word(term) for term in self.terms)


@dataclass
class Clause:
    """A query word (or a synonym-matched phrase) and every way it may match."""

    text: str
    alternatives: list[Alternative] = field(default_factory=list)

    @property
    def literal(self) -> Alternative:
        return self.alternatives[0]


# From this many clauses up, a broad query may require all clauses but one; a broad
# two-clause query may require both (the database backend decides, see
# search.backends.database.DatabaseBackend._narrow).
STRICT_FROM_CLAUSES = 3


@dataclass
class AnalysedQuery:
    text: str
    clauses: list[Clause]
    words: list[str]           # the query's words after stop-word removal (for "did you mean")
    minimum_match: int = 1     # how many clauses a document must match

    @property
    def is_empty(self) -> bool:
        return not self.clauses

    @property
    def is_strict(self) -> bool:
        return self.minimum_match > 1

    def relaxed(self) -> AnalysedQuery:
        """The same query where any one clause is enough."""
        return replace(self, minimum_match=1)

    def clause_groups(self) -> list[tuple[Clause, ...]]:
        """Groups of clauses of which a document must match every clause of at least one
        group: one group per clause when relaxed, else every minimum_match-sized combination
        (all but one clause: as many groups as clauses)."""
        if self.minimum_match <= 1:
            return [(clause,) for clause in self.clauses]
        return list(combinations(self.clauses, self.minimum_match))


def minimum_should_match(clause_count: int) -> int:
    """How many clauses a broad query needs: all but one from three clauses up, both of
    two, the one of one."""
    if clause_count >= STRICT_FROM_CLAUSES:
        return clause_count - 1
    return clause_count


MAX_PART_ALTERNATIVES = 6


def _part_options(part: str, synonyms) -> list[str]:
    """A compound part's stem and its one-word synonyms' stems (hbtq -> hbtqi, hbtqia …)."""
    options = [stem(part)]
    matched = synonyms.match([part], 0) if synonyms else None
    if matched:
        options += [stem(e[0]) for e in matched[1] if len(e) == 1 and stem(e[0]) not in options]
    return options


def _word_alternatives(word: str, prefix: bool, synonyms=None) -> list[Alternative]:
    terms = word_terms(word)
    if prefix:
        # The typed letters as a prefix (not a stem of them), or the whole word's stem.
        typed = word.rstrip(".")
        alternatives = [Alternative((typed,), prefix=True)]
        if terms[0] != typed:
            alternatives.append(Alternative((terms[0],)))
        return alternatives
    alternatives = [Alternative((terms[0],))]
    halves = compound_halves(word)
    if halves is not None:
        # The parts anywhere in the document, in any order: "snöröjningsprioritering"
        # finds "prioritering av snöröjningen"; a part's synonyms count too
        # ("hbtqkompetens" finds "kompetens om hbtqi").
        heads, tails = (_part_options(part, synonyms) for part in halves)
        pairs = [(h, t) for h in heads for t in tails][:MAX_PART_ALTERNATIVES]
        alternatives += [Alternative(pair, phrase=False, synonym=i > 0)
                         for i, pair in enumerate(pairs)]
    return alternatives


def query_words(text: str) -> list[str]:
    words = [w for w in tokenize(text) if len(w.rstrip(".")) >= 2 or w.isdigit()]
    content = [w for w in words if not is_stop_word(w.rstrip("."))]
    return content or words  # a query of only stop words still searches for them


def analyze_query(text: str, synonyms=None, prefix_last: bool = False) -> AnalysedQuery:
    """Clauses for a user query. `synonyms` is a search.synonyms.SynonymSet (or None)."""
    words = query_words(text)
    clauses: list[Clause] = []
    index = 0
    while index < len(words):
        matched = synonyms.match(words, index) if synonyms else None
        if matched is not None:
            length, expansions = matched
            phrase_words = [w.rstrip(".") for w in words[index:index + length]]
            clause = Clause(" ".join(phrase_words))
            literal_terms = tuple(t for w in phrase_words for t in word_terms(w)[:1])
            clause.alternatives.append(Alternative(literal_terms))
            for expansion in expansions:
                expansion_terms = tuple(stem(w) for w in expansion)
                if expansion_terms != literal_terms:
                    clause.alternatives.append(Alternative(expansion_terms, synonym=True))
                    halves = compound_halves(expansion[0]) if len(expansion) == 1 else None
                    if halves is not None:
                        clause.alternatives.append(Alternative(
                            tuple(stem(p) for p in halves), synonym=True, phrase=False))
            clauses.append(clause)
            index += length
            continue
        word = words[index]
        is_last = index == len(words) - 1
        abbreviation = word.endswith(".") and len(word) > 3
        prefix = abbreviation or (prefix_last and is_last)
        clauses.append(Clause(word.rstrip("."), _word_alternatives(word, prefix, synonyms)))
        index += 1
    return AnalysedQuery(text=text, clauses=clauses, words=[w.rstrip(".") for w in words])
