"""Search backends behind one interface (search.backends.base.SearchBackend).

`get_backend()` returns the Elasticsearch backend when ELASTICSEARCH_URL is set, else the
database backend (SQLite FTS5 or PostgreSQL full text, whichever database Django uses).
"""

from __future__ import annotations

from django.conf import settings

from .base import SearchBackend

_backends: dict[str, SearchBackend] = {}


def backend_name() -> str:
    return "elasticsearch" if getattr(settings, "ELASTICSEARCH_URL", None) else "database"


def get_backend(name: str | None = None) -> SearchBackend:
    name = name or backend_name()
    if name not in _backends:
        if name == "elasticsearch":
            from .elasticsearch import ElasticsearchBackend

            _backends[name] = ElasticsearchBackend()
        elif name == "database":
            from .database import DatabaseBackend

            _backends[name] = DatabaseBackend()
        else:
            raise ValueError(f"unknown search backend {name!r}")
    return _backends[name]


def reset_backends() -> None:
    """Forget constructed backends (tests that change settings)."""
    _backends.clear()
