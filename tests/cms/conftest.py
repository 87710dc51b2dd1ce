"""Fixtures for the cms tests."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from django.db import transaction


@contextmanager
def shared_data(django_db_blocker):
    """Open a transaction for data shared by several tests, rolled back afterwards.

    Each test's own `db` transaction nests inside it as a savepoint, so tests still
    cannot see each other's changes, and nothing outlives the fixture's scope.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def signed_in_client(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    return client
