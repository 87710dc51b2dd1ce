"""Fixtures shared by the search tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def clean_synonym_cache():
    """Forget the cached synonym set before and after a test.

    The cache (locmem in tests) outlives the test transaction: synonyms a test creates
    would otherwise stay cached after the rollback, and a set cached by an earlier test
    could hide rows this test writes.
    """
    from search.synonyms import forget_synonyms

    forget_synonyms()
    yield
    forget_synonyms()


@pytest.fixture
def database_backend(db, clean_synonym_cache):
    """The database search backend (SQLite FTS5 or PostgreSQL, following DATABASE_URL)."""
    from search.backends import get_backend

    return get_backend("database")
