"""Suite-wide fixtures."""

from __future__ import annotations

import pytest

from . import hypothesis_profiles  # noqa: F401  (registers and loads the profile)
from .factories import DEFAULT_PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Search runs on the database backend in tests even when ELASTICSEARCH_URL is set;
    # tests/search/test_elasticsearch_live.py talks to the cluster itself.
    settings.ELASTICSEARCH_URL = None
    from search.backends import reset_backends

    reset_backends()


@pytest.fixture
def password() -> str:
    return DEFAULT_PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client
