"""The Elasticsearch index: Swedish analyzers, the mapping, documents, and index names.

Everything here is pure (no cluster needed), so tests compare it with snapshots.

Two kinds of text fields:

- **Analysed in Python** (`title_terms`, `tags_terms`, `meta_terms`, `summary_terms`,
  `body_terms`, `folded_terms`): the output of `search.analysis.index_terms()`, joined by
  spaces and split again by a whitespace analyzer. These are what the search queries match,
  so matching (stems with the override list, compound parts, the folded form) is exactly the
  database backend's: Elasticsearch cannot run pyphen or wordfreq.
- **Raw text analysed by Elasticsearch** (`title`, `tags`, `summary`, `body`, each with a
  `.folded` subfield): a Swedish analyzer that mirrors search.analysis as far as
  Elasticsearch can (lowercase, the same stop words, Snowball Swedish with a
  `stemmer_override` list generated from STEM_KEEPS_S x INFLECTIONS, query-time synonyms from
  a synonyms set). They serve highlighting, the spelling suggester (`spell`) and
  as-you-type suggestions (`title_suggest`).
"""

from __future__ import annotations

import datetime
import re
from functools import lru_cache

try:  # elasticsearch >= 8.18 (including 9.x) ships the DSL
    from elasticsearch import dsl
except ImportError:  # pragma: no cover - legacy elasticsearch-dsl <= 8.17
    import elasticsearch_dsl as dsl

from .. import analysis
from ..documents import SearchDocument

# --- Analysis ----------------------------------------------------------------------------


def stem_override_rules() -> list[str]:
    """`stemmer_override` rules keeping the -s of STEM_KEEPS_S words, e.g.
    "analys, analysen, analyser, ... => analys". Snowball alone turns "analys" into
    "analy" but "analyser" into "analys". Only forms that search.analysis.stem() itself
    maps to the base are listed, and each form once, so the two cannot disagree.

    Elasticsearch matches whole tokens only; search.analysis also applies the list to word
    endings (barnkonsekvensanalys), which the *_terms fields carry.
    """
    rules = []
    seen: set[str] = set()
    for base in sorted(analysis.STEM_KEEPS_S):
        forms = []
        for ending in analysis.INFLECTIONS:
            if ending == "s" and base.endswith("s"):
                continue  # "analyss" is not a word
            form = base + ending
            if form not in seen and analysis.stem(form) == base:
                seen.add(form)
                forms.append(form)
        if forms:
            rules.append(f"{', '.join(sorted(forms))} => {base}")
    return rules


def synonym_rules(groups) -> list[dict[str, str]]:
    """Synonyms-set rules (Solr format, equivalent synonyms) from synonym groups: a
    search.synonyms.SynonymSet's `groups` (tuples of words) or lists of phrases
    (Synonym.term_list()). Groups with fewer than two distinct phrases are skipped; ids are
    stable so re-uploading an unchanged list changes nothing."""
    rules = []
    seen: set[str] = set()
    for group in groups:
        phrases: list[str] = []
        for phrase in group:
            words = phrase.split() if isinstance(phrase, str) else list(phrase)
            text = " ".join(w.rstrip(".") for w in words if w.rstrip("."))
            if text and text not in phrases:
                phrases.append(text)
        if len(phrases) < 2:
            continue
        rule = ", ".join(phrases)
        if rule in seen:
            continue
        seen.add(rule)
        rules.append({"id": f"regel-{len(rules) + 1}", "synonyms": rule})
    return rules


class Analyzers:
    """The custom analyzers, built once per synonyms set name."""

    def __init__(self, synonyms_set: str):
        tf = dsl.token_filter
        stop = tf("sv_stop", "stop", stopwords=sorted(analysis.STOP_WORDS))
        override = tf("sv_stem_override", "stemmer_override", rules=stem_override_rules())
        stemmer = tf("sv_stemmer", "stemmer", language="swedish")
        folding = tf("sv_folding", "asciifolding", preserve_original=False)
        # Search analyzer only; rules come from the Synonym model through the synonyms API,
        # which reloads the analyzers when the set changes. `lenient` skips a bad rule
        # instead of breaking the index.
        synonyms = tf("sv_synonyms", "synonym_graph", synonyms_set=synonyms_set,
                      updateable=True, lenient=True)
        a = dsl.analyzer
        self.index = a("sv_index", tokenizer="standard",
                       filter=["lowercase", stop, override, stemmer])
        self.search = a("sv_search", tokenizer="standard",
                        filter=["lowercase", synonyms, stop, override, stemmer])
        self.folded = a("sv_folded", tokenizer="standard",
                        filter=["lowercase", stop, override, stemmer, folding])
        # Terms already analysed by search.analysis: split on spaces, nothing else.
        self.terms = a("sv_terms", tokenizer="whitespace")
        # Surface words (spelling suggestions) and as-you-type titles.
        self.words = a("sv_words", tokenizer="standard", filter=["lowercase"])
        self.words_folded = a("sv_words_folded", tokenizer="standard",
                              filter=["lowercase", folding])


def _swedish_text(analyzers: Analyzers, offsets: bool) -> dsl.Text:
    extra = {"index_options": "offsets"} if offsets else {}
    return dsl.Text(
        analyzer=analyzers.index, search_analyzer=analyzers.search, copy_to="spell",
        fields={"folded": dsl.Text(analyzer=analyzers.folded, **extra)}, **extra)


@lru_cache(maxsize=8)
def document_class(synonyms_set: str) -> type[dsl.Document]:
    """The elasticsearch.dsl Document for one synonyms set name (the set name depends on
    ELASTICSEARCH_INDEX_PREFIX, so the class is built per prefix)."""
    an = Analyzers(synonyms_set)

    class SearchIndexDocument(dsl.Document):
        # Identity and display
        key = dsl.Keyword()
        public_id = dsl.Keyword()
        url = dsl.Keyword(index=False, doc_values=False)
        date = dsl.Date(format="strict_date")
        # Facets and filters (values as in SearchDocument.facet_values())
        kind = dsl.Keyword()
        rights_areas = dsl.Keyword()
        organisation_unit = dsl.Keyword()
        staircase_steps = dsl.Keyword()
        year = dsl.Keyword()
        access = dsl.Keyword()
        # Raw text, Swedish analyzers: highlighting and the spelling field
        title = _swedish_text(an, offsets=False)
        tags = _swedish_text(an, offsets=False)
        summary = _swedish_text(an, offsets=True)
        body = _swedish_text(an, offsets=True)
        # Python-analysed terms: what queries match (see module docstring)
        title_terms = dsl.Text(analyzer=an.terms)
        tags_terms = dsl.Text(analyzer=an.terms)
        meta_terms = dsl.Text(analyzer=an.terms)
        summary_terms = dsl.Text(analyzer=an.terms)
        body_terms = dsl.Text(analyzer=an.terms)
        folded_terms = dsl.Text(analyzer=an.terms)
        # Surface words for "Menade du …?" (filled by copy_to from the raw text fields)
        spell = dsl.Text(analyzer=an.words, fields={"folded": dsl.Text(analyzer=an.words_folded)})
        # As-you-type suggestions
        title_suggest = dsl.SearchAsYouType(analyzer=an.words_folded, max_shingle_size=3)

        class Meta:
            dynamic = dsl.MetaField("strict")

    return SearchIndexDocument


INDEX_SETTINGS = {
    # One shard: the corpus is small, and one shard keeps scores and the spelling
    # suggester's document frequencies the same whatever node answers.
    "number_of_shards": 1,
    "auto_expand_replicas": "0-1",
    "highlight": {"max_analyzed_offset": 1_000_000},
}


def index_definition(name: str, synonyms_set: str) -> dsl.Index:
    index = dsl.Index(name)
    index.settings(**INDEX_SETTINGS)
    index.document(document_class(synonyms_set))
    return index


def index_body(synonyms_set: str) -> dict:
    """Settings and mappings for a new index version (the body of `PUT /<index>`)."""
    return index_definition("unnamed", synonyms_set).to_dict()


def analysis_settings(synonyms_set: str = "mrnavet-synonyms") -> dict:
    """The `analysis` part of the index settings (exported from search.analysis)."""
    return index_body(synonyms_set)["settings"]["analysis"]


# --- Documents ---------------------------------------------------------------------------


def document_source(document: SearchDocument) -> dict:
    """The indexed `_source` of a SearchDocument. The *_terms fields are built exactly like
    the database backend's columns (search.analysis.document_terms)."""
    terms = analysis.document_terms(document)
    date = document.date.isoformat() if isinstance(document.date, datetime.date) else None
    facets = document.facet_values()
    return {
        "key": document.key,
        "public_id": document.public_id,
        "url": document.url,
        "date": date,
        "kind": document.kind,
        "rights_areas": facets["omrade"],
        "organisation_unit": document.organisation_unit or None,
        "staircase_steps": facets["steg"],
        "year": facets["ar"][0] if facets["ar"] else None,
        "access": sorted(set(document.access)),
        "title": document.title,
        "tags": list(document.tags),
        "summary": document.summary,
        "body": document.body,
        "title_terms": terms["title"],
        "tags_terms": terms["tags"],
        "meta_terms": terms["meta"],
        "summary_terms": terms["summary"],
        "body_terms": terms["body"],
        "folded_terms": terms["folded"],
        "title_suggest": document.title,
    }


def index_action(document: SearchDocument, index: str, synonyms_set: str) -> dict:
    """A bulk `index` action; the Document class checks the source against the mapping."""
    doc = document_class(synonyms_set)(meta={"id": document.key}, **document_source(document))
    return {"_op_type": "index", "_index": index, "_id": document.key,
            "_source": doc.to_dict(skip_empty=False)}


# --- Index names and the alias -------------------------------------------------------------


def alias_name(prefix: str) -> str:
    return f"{prefix}-documents"


def synonyms_set_name(prefix: str) -> str:
    return f"{prefix}-synonyms"


def version_name(prefix: str, now: datetime.datetime | None = None) -> str:
    """A new index version: `<prefix>-documents-<UTC timestamp to the microsecond>`;
    names sort in creation order."""
    now = now or datetime.datetime.now(datetime.UTC)
    return f"{alias_name(prefix)}-{now.astimezone(datetime.UTC):%Y%m%d%H%M%S%f}"


def is_version_of(name: str, prefix: str) -> bool:
    return re.fullmatch(re.escape(alias_name(prefix)) + r"-\d{20}", name) is not None


def alias_actions(alias: str, new_index: str, current: list[str],
                  alias_is_index: bool = False) -> list[dict]:
    """`update_aliases` actions moving `alias` to `new_index` in one atomic step: remove it
    from every index it points to now, add it to the new one. If a plain index has the
    alias's name (made by hand, or by a client writing before the alias existed), it is
    deleted in the same step (`remove_index`)."""
    actions: list[dict] = []
    if alias_is_index:
        actions.append({"remove_index": {"index": alias}})
    actions.extend({"remove": {"index": name, "alias": alias}}
                   for name in sorted(current) if name != new_index)
    actions.append({"add": {"index": new_index, "alias": alias}})
    return actions


def older_versions(indices, prefix: str, keep: str) -> list[str]:
    """Versions of this prefix's index created before `keep` (safe to delete once the alias
    points to `keep`). Newer ones belong to a rebuild still running and are left alone."""
    return sorted(name for name in indices
                  if is_version_of(name, prefix) and name < keep)
