import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    """allauth keeps rate-limit counters in the local-memory cache: start afresh."""
    cache.clear()
    yield
    cache.clear()
