"""Configuration errors name the variable and the problem, never a secret."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from mrnavet.envconfig import StrictEnv, mask_secrets

SECRET = "Hemligt-0ch/l@ngt"


class FakeEnviron:
    def __init__(self, **values):
        self.ENVIRON = values


def error_of(call) -> str:
    with pytest.raises(ImproperlyConfigured) as caught:
        call()
    return str(caught.value)


@pytest.mark.parametrize("url", [
    f"mysql://mrnavet:{SECRET}@db.example:5432/mrnavet",
    f"mysql://{SECRET}@db.example/mrnavet",
    f"http://db.example/?password={SECRET}",
])
def test_rejected_url_is_shown_without_credentials(url):
    env = StrictEnv(FakeEnviron(DATABASE_URL=url))
    message = error_of(lambda: env.url("DATABASE_URL", {"postgres", "sqlite"}))
    assert "DATABASE_URL" in message
    assert SECRET not in message and "Hemligt" not in message
    assert "db.example" in message  # enough left to find the mistake


def test_parser_errors_are_masked_too():
    """django-environ's own exception text may quote the whole URL."""
    url = f"postgres://mrnavet:{SECRET}@db.example:port/mrnavet"

    def parser(value):
        raise ValueError(f"could not parse {value}")

    env = StrictEnv(FakeEnviron(DATABASE_URL=url))
    message = error_of(lambda: env.parsed("DATABASE_URL", parser, "sqlite://"))
    assert "DATABASE_URL" in message and "Hemligt" not in message


def test_real_database_url_parser_error_is_masked():
    import environ

    env = StrictEnv(FakeEnviron(DATABASE_URL=f"postgres://mr:{SECRET}@db:notaport/x"))
    message = error_of(lambda: env.parsed("DATABASE_URL", environ.Env.db_url_config, "x"))
    assert "Hemligt" not in message


@pytest.mark.parametrize("name", ["OIDC_CLIENT_SECRET", "SMTP_PASSWORD", "API_TOKEN"])
def test_values_of_secret_variables_are_never_shown(name):
    env = StrictEnv(FakeEnviron(**{name: SECRET}))
    assert SECRET not in error_of(lambda: env.bool(name))
    assert SECRET not in error_of(lambda: env.int(name, default=0))
    assert name in error_of(lambda: env.int(name, default=0))


def test_ordinary_values_are_still_quoted():
    env = StrictEnv(FakeEnviron(DEBUG="maybe"))
    assert "'maybe'" in error_of(lambda: env.bool("DEBUG"))


def test_mask_secrets():
    assert mask_secrets("redis://:pw@cache:6379/1") == "redis://***@cache:6379/1"
    assert mask_secrets("https://es/?api_key=abc&x=1") == "https://es/?api_key=***&x=1"
    assert mask_secrets("sqlite:////var/db.sqlite3") == "sqlite:////var/db.sqlite3"
