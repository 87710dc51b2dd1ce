"""The Elasticsearch search backend (used when settings.ELASTICSEARCH_URL is set).

- Index and analyzers: search.backends.es_schema (an elasticsearch.dsl Document).
- Request bodies: search.backends.es_query (built from search.analysis clauses, like the
  database backend's SQL).
- Index versions behind an alias: `rebuild()` creates `<prefix>-documents-<UTC timestamp>`,
  fills and refreshes it, then moves the alias `<prefix>-documents` to it in one
  `update_aliases` call and deletes older versions. `index()`, `delete()` and searches go
  through the alias. Synonyms live in the synonyms set `<prefix>-synonyms` (Elasticsearch
  8.10+), uploaded from the Synonym model by `sync_synonyms()`.

The client is created on first use. An unreachable cluster raises ElasticsearchUnavailable,
whose message names the URL without credentials.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from django.conf import settings

from .. import analysis
from .. import highlight as py_highlight
from ..documents import SearchDocument
from ..synonyms import current_synonyms
from . import es_query, es_schema
from .es_schema import analysis_settings  # noqa: F401  (named in search.analysis)
from .base import (
    FACET_NAMES,
    FacetValue,
    Hit,
    SearchBackend,
    SearchQuery,
    SearchResults,
    Suggestion,
)

logger = logging.getLogger(__name__)

BULK_CHUNK_SIZE = 500
DEFAULT_TIMEOUT = 10  # seconds per request
REBUILD_TIMEOUT = 120  # index creation, refresh, alias moves
PREFIX_RE = re.compile(r"[a-z0-9][a-z0-9._-]{0,150}")


class ElasticsearchUnavailable(RuntimeError):
    """The cluster could not be reached, or refused our credentials."""


def client_options(url: str, timeout: float = DEFAULT_TIMEOUT, verify_certs: bool = True,
                   ca_certs: str | None = None, max_retries: int = 2) -> tuple[dict, str]:
    """Keyword arguments for `Elasticsearch(...)` from a URL such as
    `https://user:p%40ss@search.example:9200/`, and the URL as safe to show (no password).

    Credentials in the URL become basic auth (percent-decoded); a missing port becomes the
    scheme's default; certificates are verified unless `verify_certs` is False."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("ELASTICSEARCH_URL must look like https://user:password@host:9200")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = f"{host}:{port}"
    plain = urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))
    options: dict = {
        "hosts": [plain],
        "request_timeout": timeout,
        "max_retries": max_retries,
        "retry_on_timeout": True,
    }
    if parts.username:
        options["basic_auth"] = (unquote(parts.username), unquote(parts.password or ""))
    if parts.scheme == "https":
        options["verify_certs"] = verify_certs
        if ca_certs:
            options["ca_certs"] = ca_certs
    shown_user = f"{quote(unquote(parts.username))}@" if parts.username else ""
    return options, urlunsplit((parts.scheme, shown_user + netloc, parts.path.rstrip("/"), "", ""))


class ElasticsearchBackend(SearchBackend):
    name = "elasticsearch"

    def __init__(self, url: str | None = None, prefix: str | None = None,
                 timeout: float | None = None, max_retries: int = 2):
        self.url = url or settings.ELASTICSEARCH_URL
        if not self.url:
            raise ValueError("ElasticsearchBackend needs ELASTICSEARCH_URL")
        self.prefix = (prefix or getattr(settings, "ELASTICSEARCH_INDEX_PREFIX", None)
                       or "mrnavet").lower()
        if not PREFIX_RE.fullmatch(self.prefix):
            raise ValueError(f"ELASTICSEARCH_INDEX_PREFIX {self.prefix!r} is not a valid index "
                             "name start: use letters, digits, '-', '_' or '.'")
        self.alias = es_schema.alias_name(self.prefix)
        self.synonyms_set = es_schema.synonyms_set_name(self.prefix)
        self.timeout = timeout or getattr(settings, "ELASTICSEARCH_TIMEOUT", DEFAULT_TIMEOUT)
        self.max_retries = max_retries
        self._client = None
        self._alias_ready = False
        # The URL as shown in messages: never the password.
        self.display_url = client_options(self.url)[1]

    # --- Client -------------------------------------------------------------------------------

    @property
    def client(self):
        if self._client is None:
            from elasticsearch import Elasticsearch

            options, _ = client_options(
                self.url, timeout=self.timeout, max_retries=self.max_retries,
                verify_certs=getattr(settings, "ELASTICSEARCH_VERIFY_CERTS", True),
                ca_certs=getattr(settings, "ELASTICSEARCH_CA_CERTS", None))
            self._client = Elasticsearch(**options)
        return self._client

    @contextmanager
    def _errors(self):
        """Turn connection and authentication failures into ElasticsearchUnavailable."""
        from elasticsearch import AuthenticationException, AuthorizationException
        from elasticsearch import ConnectionError as EsConnectionError

        try:
            yield
        except EsConnectionError as error:  # includes ConnectionTimeout and TLS errors
            raise ElasticsearchUnavailable(
                f"Elasticsearch at {self.display_url} is unreachable: "
                f"{type(error).__name__}: {error.message}") from error
        except (AuthenticationException, AuthorizationException) as error:
            raise ElasticsearchUnavailable(
                f"Elasticsearch at {self.display_url} refused the request "
                f"(HTTP {error.meta.status}); check the user and its privileges") from error

    def _call(self, function, *args, **kwargs):
        with self._errors():
            return function(*args, **kwargs)

    def ping(self) -> None:
        """Raise ElasticsearchUnavailable unless the cluster answers."""
        self._call(self.client.info)

    # --- Synonyms and index versions ------------------------------------------------------------

    def sync_synonyms(self, groups=None) -> int:
        """Upload the synonym rules (default: the Synonym model) to the synonyms set; the
        cluster reloads the search analyzers that use it. Returns the number of rules."""
        groups = current_synonyms().groups if groups is None else groups
        rules = es_schema.synonym_rules(groups)
        self._call(self.client.synonyms.put_synonym, id=self.synonyms_set, synonyms_set=rules)
        return len(rules)

    def _create_version(self) -> str:
        name = es_schema.version_name(self.prefix)
        body = es_schema.index_body(self.synonyms_set)
        self._call(self.client.options(request_timeout=REBUILD_TIMEOUT).indices.create,
                   index=name, settings=body["settings"], mappings=body["mappings"])
        return name

    def _alias_targets(self) -> list[str]:
        from elasticsearch import NotFoundError

        try:
            return sorted(self._call(self.client.indices.get_alias, name=self.alias).body)
        except NotFoundError:
            return []

    def _point_alias(self, new_index: str) -> None:
        current = self._alias_targets()
        alias_is_index = (not current and bool(
            self._call(self.client.indices.exists, index=self.alias)))
        actions = es_schema.alias_actions(self.alias, new_index, current, alias_is_index)
        self._call(self.client.options(request_timeout=REBUILD_TIMEOUT).indices.update_aliases,
                   actions=actions)

    def _delete_older_versions(self, keep: str) -> list[str]:
        existing = self._call(self.client.indices.get, index=f"{self.alias}-*",
                              expand_wildcards="open,closed", allow_no_indices=True).body
        stale = es_schema.older_versions(existing, self.prefix, keep)
        for name in stale:
            self._call(self.client.options(ignore_status=404).indices.delete, index=name)
        return stale

    def _ensure_alias(self) -> None:
        """First write without a rebuild: create an empty version behind the alias."""
        if self._alias_ready:
            return
        if not self._alias_targets():
            self.sync_synonyms()
            name = self._create_version()
            self._point_alias(name)
            logger.info("created search index", extra={"index": name, "alias": self.alias})
        self._alias_ready = True

    def current_index(self) -> str | None:
        """The index version the alias points to (None before the first build)."""
        targets = self._alias_targets()
        return targets[0] if targets else None

    # --- Writing --------------------------------------------------------------------------------

    def _bulk(self, actions: Iterable[dict], progress: Callable[[int], None] | None = None,
              **kwargs) -> int:
        from elasticsearch.helpers import BulkIndexError, streaming_bulk

        count = 0
        try:
            with self._errors():
                for _ok, _item in streaming_bulk(self.client, actions,
                                                 chunk_size=BULK_CHUNK_SIZE,
                                                 raise_on_error=True, max_retries=2, **kwargs):
                    count += 1
                    if progress and count % BULK_CHUNK_SIZE == 0:
                        progress(count)
        except BulkIndexError as error:
            raise RuntimeError(f"Elasticsearch refused {len(error.errors)} document(s): "
                               f"{error.errors[:3]}") from error
        if progress and count % BULK_CHUNK_SIZE:
            progress(count)
        return count

    def _index_actions(self, documents: Iterable[SearchDocument], index: str) -> Iterator[dict]:
        for document in documents:
            yield es_schema.index_action(document, index, self.synonyms_set)

    def index(self, documents: Iterable[SearchDocument]) -> int:
        self._ensure_alias()
        # Visible to searches when this returns, like the database backend.
        return self._bulk(self._index_actions(documents, self.alias), refresh="wait_for")

    def delete(self, keys: Iterable[str]) -> None:
        keys = sorted(set(keys))
        if not keys or not self._alias_targets():
            return
        actions = ({"_op_type": "delete", "_index": self.alias, "_id": key} for key in keys)
        from elasticsearch.helpers import streaming_bulk

        with self._errors():
            for ok, item in streaming_bulk(self.client, actions, chunk_size=BULK_CHUNK_SIZE,
                                           raise_on_error=False, refresh="wait_for"):
                result = item.get("delete", {})
                if not ok and result.get("status") != 404:
                    raise RuntimeError(f"Elasticsearch could not delete {result.get('_id')}: "
                                       f"{result.get('error')}")

    def rebuild(self, documents: Iterable[SearchDocument],
                progress: Callable[[int], None] | None = None) -> int:
        """Fill a new index version, then move the alias to it. Searches use the old version
        until the move; a failure leaves the old version in place. Documents indexed
        through the alias while a rebuild runs land in the old version and are lost with
        it, so index jobs should not run during a rebuild (or be re-run after it)."""
        self.sync_synonyms()
        name = self._create_version()
        try:
            count = self._bulk(self._index_actions(documents, name), progress=progress)
            self._call(self.client.options(request_timeout=REBUILD_TIMEOUT).indices.refresh,
                       index=name)
            self._point_alias(name)
        except BaseException:
            try:
                self._call(self.client.options(ignore_status=404).indices.delete, index=name)
            except Exception:  # the original error matters more
                logger.exception("could not delete the unfinished index %s", name)
            raise
        stale = self._delete_older_versions(keep=name)
        self._alias_ready = True
        logger.info("search index rebuilt", extra={
            "index": name, "alias": self.alias, "documents": count, "deleted": stale})
        return count

    def drop(self) -> None:
        """Delete every index version, the alias and the synonyms set of this prefix (tests,
        or retiring a prefix)."""
        from elasticsearch import NotFoundError

        existing = self._call(self.client.indices.get, index=f"{self.alias}-*",
                              expand_wildcards="open,closed", allow_no_indices=True).body
        for name in sorted(existing):
            if es_schema.is_version_of(name, self.prefix):
                self._call(self.client.options(ignore_status=404).indices.delete, index=name)
        try:
            self._call(self.client.synonyms.delete_synonym, id=self.synonyms_set)
        except NotFoundError:
            pass
        self._alias_ready = False

    def count(self) -> int:
        from elasticsearch import NotFoundError

        try:
            return self._call(self.client.count, index=self.alias)["count"]
        except NotFoundError:
            return 0

    # --- Reading --------------------------------------------------------------------------------

    def _execute(self, search) -> dict | None:
        """Run a dsl.Search on the alias; None when no index has been built yet."""
        from elasticsearch import NotFoundError

        try:
            response = self._call(search.using(self.client).index(self.alias).execute)
        except NotFoundError:
            logger.warning("search index %s does not exist; run the search rebuild command",
                           self.alias)
            return None
        return response.to_dict()

    def search(self, query: SearchQuery) -> SearchResults:
        analysed = analysis.analyze_query(query.text, synonyms=current_synonyms())
        if analysed.is_empty:
            return SearchResults(hits=[], total=0)
        results, suggestion = self._search(query, analysed, spelling=True)
        if results.total == 0 and suggestion:
            retry = analysis.analyze_query(suggestion, synonyms=current_synonyms())
            corrected, _ = self._search(query, retry, spelling=False)
            if corrected.total:
                corrected.suggestion, corrected.corrected = suggestion, True
                return corrected
        results.suggestion = suggestion
        return results

    def _search(self, query: SearchQuery, analysed, spelling: bool):
        response = self._execute(es_query.build_search(query, analysed, spelling=spelling))
        if response is None:
            return SearchResults(hits=[], total=0), None
        hits = [self._hit(item, analysed, query.highlight) for item in response["hits"]["hits"]]
        results = SearchResults(hits=hits, total=response["hits"]["total"]["value"])
        aggregations = response.get("aggregations", {})
        if query.facets:
            results.facets = {
                name: [FacetValue(str(bucket["key"]), bucket["doc_count"])
                       for bucket in aggregations.get(name, {}).get("values", {})
                       .get("buckets", [])]
                for name in FACET_NAMES
            }
        suggestion = None
        if spelling and es_query.spelling_words(analysed):
            suggestion = es_query.spelling_suggestion(
                analysed, es_query.SpellingData.from_response(response))
        return results, suggestion

    @staticmethod
    def _hit(item: dict, analysed, highlight: bool) -> Hit:
        source = item["_source"]
        snippet = ""
        if highlight:
            snippet = es_query.pick_snippet(item.get("highlight", {})) or py_highlight.snippet(
                analysed, source.get("summary", ""), source.get("body", ""))
        date = source.get("date")
        year = source.get("year")
        return Hit(
            key=source["key"], public_id=source.get("public_id", ""), kind=source["kind"],
            title=source.get("title", ""), url=source.get("url", ""),
            summary=source.get("summary", ""), snippet=snippet,
            score=round(float(item.get("_score") or 0.0), 4),
            organisation_unit=source.get("organisation_unit") or "",
            rights_areas=list(source.get("rights_areas") or []),
            year=int(year) if year else None,
            date=datetime.date.fromisoformat(date) if date else None,
        )

    def suggest(self, text: str, access: frozenset[str] | None, limit: int = 8) -> list[Suggestion]:
        analysed = analysis.analyze_query(text, prefix_last=True)
        if analysed.is_empty:
            return []
        response = self._execute(es_query.build_suggest(text, analysed, access, limit))
        if response is None:
            return []
        return [Suggestion(title=item["_source"]["title"], url=item["_source"]["url"],
                           kind=item["_source"]["kind"]) for item in response["hits"]["hits"]]
