"""Fixtures for the site-wide suites (authorisation matrix, fuzzing)."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.test import Client, override_settings

from .authz_world import ANONYMOUS, SIGNED_IN, build_world

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """tests/site/authz_world.py's data, built once per module in a transaction that is
    rolled back afterwards (each test still runs in its own savepoint)."""
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHER):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(scope="module")
def clients(world):
    """One signed-in test client per role (and an anonymous one)."""
    result = {ANONYMOUS: Client()}
    for role in SIGNED_IN:
        client = Client()
        client.force_login(world.users[role])
        result[role] = client
    return result
