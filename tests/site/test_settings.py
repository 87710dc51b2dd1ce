"""Settings come from the environment: every documented variable parses, bad values stop
start-up naming the variable, and production values pass `check --deploy`.

Settings are read once per process, so these run Python in subprocesses with a controlled
environment. The subprocesses are started together (module fixture) to keep the wall time
down; each test then reads its own result.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SETTINGS_FILE = ROOT / "site" / "mrnavet" / "settings.py"

DOCUMENTED_VARIABLES = [
    "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "BASE_URL",
    "DATABASE_URL", "ELASTICSEARCH_URL", "REDIS_URL", "EMAIL_URL", "ALLOWED_EMAIL_DOMAINS",
    "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_TENANT_ID", "TASKS_BACKEND",
    "SESSION_COOKIE_AGE", "LOG_LEVEL", "LOG_FORMAT", "REQUEST_ID_FROM_PROXY",
    "SESSION_ABSOLUTE_AGE",
]
# Variables the settings module reads, found in its source so that new ones are cleared too.
READ_VARIABLES = set(re.findall(r'env\.\w+\(\s*"([A-Z0-9_]+)"', SETTINGS_FILE.read_text()))

PRODUCTION_SECRET = secrets.token_urlsafe(48)  # 64 characters, random

SETUP = 'import sys; sys.path[:0] = ["site", "."]\n'
DUMP_SETTINGS = SETUP + r'''
import json, logging
import django
django.setup()
from django.conf import settings
names = """DEBUG SECRET_KEY ALLOWED_HOSTS CSRF_TRUSTED_ORIGINS BASE_URL WAGTAILADMIN_BASE_URL
DATABASES CACHES ELASTICSEARCH_URL EMAIL_BACKEND EMAIL_HOST EMAIL_PORT EMAIL_HOST_USER
EMAIL_HOST_PASSWORD EMAIL_USE_TLS ALLOWED_EMAIL_DOMAINS OIDC_ENABLED SOCIALACCOUNT_PROVIDERS
TASKS SESSION_COOKIE_AGE LOG_LEVEL SESSION_COOKIE_SECURE CSRF_COOKIE_SECURE SESSION_COOKIE_NAME
SECURE_SSL_REDIRECT SECURE_HSTS_SECONDS ACCOUNT_DEFAULT_HTTP_PROTOCOL LOG_FORMAT
REQUEST_ID_FROM_PROXY SESSION_ABSOLUTE_AGE CSRF_COOKIE_NAME SECURE_HSTS_INCLUDE_SUBDOMAINS
SECURE_CONTENT_TYPE_NOSNIFF SECURE_REFERRER_POLICY SECURE_CROSS_ORIGIN_OPENER_POLICY
SESSION_SAVE_EVERY_REQUEST""".split()
values = {name: getattr(settings, name, "<unset>") for name in names}
values["root_log_level"] = logging.getLevelName(logging.getLogger().level)
print(json.dumps(values, default=str))
'''
# Imports the settings module once per case in one process: each case must raise
# ImproperlyConfigured; the message is collected (None as a value unsets the variable).
# Two cases also run as real `manage.py check` processes to see the non-zero exit.
IMPORT_CASES = SETUP + r'''
import importlib, json, os
from django.core.exceptions import ImproperlyConfigured
cases = json.loads(sys.argv[1])
base = dict(os.environ)
results = {}
for label, overrides in cases.items():
    os.environ.clear()
    os.environ.update(base)
    for name, value in overrides.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    sys.modules.pop("mrnavet.settings", None)
    try:
        importlib.import_module("mrnavet.settings")
    except ImproperlyConfigured as exc:
        results[label] = str(exc)
    except Exception as exc:
        results[label] = f"UNEXPECTED {type(exc).__name__}: {exc}"
    else:
        results[label] = None
print(json.dumps(results))
'''

MALFORMED = {
    "DEBUG": {"DEBUG": "maybe"},
    # Values carry a password: error messages must not repeat it (see below).
    "DATABASE_URL": {"DATABASE_URL": "foo://mrnavet:topphemligt@db.example/mrnavet"},
    "SESSION_COOKIE_AGE": {"SESSION_COOKIE_AGE": "abc"},
    "EMAIL_URL": {"EMAIL_URL": "nonsense"},
    "REDIS_URL": {"REDIS_URL": "http://:topphemligt@cache.example"},
    "SESSION_ABSOLUTE_AGE": {"SESSION_ABSOLUTE_AGE": "soon"},
    "TASKS_BACKEND": {"TASKS_BACKEND": "celery"},
    "SECRET_KEY": {"DEBUG": "false", "SECRET_KEY": None},
    "ELASTICSEARCH_URL": {"ELASTICSEARCH_URL": "elastic://elastic:topphemligt@search"},
    "LOG_LEVEL": {"LOG_LEVEL": "chatty"},
    "LOG_FORMAT": {"LOG_FORMAT": "xml"},
    "REQUEST_ID_FROM_PROXY": {"REQUEST_ID_FROM_PROXY": "perhaps"},
    "OIDC_TENANT_ID": {"OIDC_CLIENT_ID": "abc", "OIDC_CLIENT_SECRET": "s"},
    "OIDC_CLIENT_SECRET": {"OIDC_CLIENT_ID": "abc", "OIDC_TENANT_ID": "t"},
}

FULL_ENV = {
    "SECRET_KEY": PRODUCTION_SECRET,
    "DEBUG": "false",
    "ALLOWED_HOSTS": "mr-navet.malmo.se, intern.malmo.se",
    "CSRF_TRUSTED_ORIGINS": "https://mr-navet.malmo.se,https://intern.malmo.se",
    "BASE_URL": "https://mr-navet.malmo.se",
    "DATABASE_URL": "postgres://mrnavet:hemligt@db.example:5433/mrnavet",
    "ELASTICSEARCH_URL": "https://elastic:pw@search.example:9200",
    "REDIS_URL": "redis://cache.example:6379/1",
    "EMAIL_URL": "smtp+tls://user:pass@smtp.example:587",
    "ALLOWED_EMAIL_DOMAINS": "Malmo.se, example.org",
    "OIDC_CLIENT_ID": "client-id",
    "OIDC_CLIENT_SECRET": "client-secret",
    "OIDC_TENANT_ID": "tenant-id",
    "TASKS_BACKEND": "database",
    "SESSION_COOKIE_AGE": "3600",
    "SESSION_ABSOLUTE_AGE": "7200",
    "LOG_LEVEL": "warning",
    "TRUSTED_PROXY_COUNT": "1",
}

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": PRODUCTION_SECRET,
    "ALLOWED_HOSTS": "mr-navet.malmo.se",
    "BASE_URL": "https://mr-navet.malmo.se",
}


def clean_environ(var_dir: Path) -> dict[str, str]:
    """os.environ without anything the settings read; var/ in a temporary folder."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in READ_VARIABLES
        and key not in DOCUMENTED_VARIABLES
        and key not in {"TESTING", "DJANGO_SETTINGS_MODULE", "PYTHONPATH"}
        and not key.startswith(("OIDC_", "DJANGO_"))
    }
    env["DJANGO_SETTINGS_MODULE"] = "mrnavet.settings"
    env["VAR_DIR"] = str(var_dir)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    base = clean_environ(tmp_path_factory.mktemp("var"))
    sqlite_path = tmp_path_factory.mktemp("db") / "mr.sqlite3"
    jobs = {
        "full": (["-c", DUMP_SETTINGS], {**base, **FULL_ENV}),
        "sqlite": (
            ["-c", DUMP_SETTINGS],
            {**base, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{sqlite_path}"},
        ),
        # Otherwise valid (a secret key is set), so each case fails on its own variable.
        "malformed": (
            ["-c", IMPORT_CASES, json.dumps(MALFORMED)],
            {**base, "SECRET_KEY": PRODUCTION_SECRET},
        ),
        "exit_debug": (["manage.py", "check"], {**base, "DEBUG": "maybe"}),
        "exit_secret_key": (["manage.py", "check"], {**base, "DEBUG": "false"}),
        "deploy": (
            ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
            {**base, **PRODUCTION_ENV},
        ),
    }
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = {name: pool.submit(run, *job) for name, job in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


def settings_from(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_documented_variables_are_read_by_the_settings():
    assert set(DOCUMENTED_VARIABLES) <= READ_VARIABLES


def test_every_documented_variable_parses(results):
    s = settings_from(results["full"])

    assert s["DEBUG"] is False
    assert s["SECRET_KEY"] == PRODUCTION_SECRET
    assert s["ALLOWED_HOSTS"] == ["mr-navet.malmo.se", "intern.malmo.se"]
    assert s["CSRF_TRUSTED_ORIGINS"] == ["https://mr-navet.malmo.se", "https://intern.malmo.se"]
    assert s["BASE_URL"] == s["WAGTAILADMIN_BASE_URL"] == "https://mr-navet.malmo.se"

    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"], db["HOST"], int(db["PORT"])) == (
        "mrnavet", "mrnavet", "hemligt", "db.example", 5433,
    )
    assert "OPTIONS" not in db or "init_command" not in db["OPTIONS"]  # no SQLite pragmas

    assert s["ELASTICSEARCH_URL"] == "https://elastic:pw@search.example:9200"
    assert s["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert s["CACHES"]["default"]["LOCATION"] == "redis://cache.example:6379/1"

    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (s["EMAIL_HOST"], int(s["EMAIL_PORT"])) == ("smtp.example", 587)
    assert (s["EMAIL_HOST_USER"], s["EMAIL_HOST_PASSWORD"]) == ("user", "pass")
    assert s["EMAIL_USE_TLS"] is True

    assert s["ALLOWED_EMAIL_DOMAINS"] == ["malmo.se", "example.org"]

    assert s["OIDC_ENABLED"] is True
    [app] = s["SOCIALACCOUNT_PROVIDERS"]["openid_connect"]["APPS"]
    assert (app["client_id"], app["secret"]) == ("client-id", "client-secret")
    assert app["settings"]["server_url"] == "https://login.microsoftonline.com/tenant-id/v2.0"
    assert s["SOCIALACCOUNT_PROVIDERS"]["openid_connect"]["OAUTH_PKCE_ENABLED"] is True

    assert s["TASKS"]["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
    assert s["SESSION_COOKIE_AGE"] == 3600
    assert s["SESSION_ABSOLUTE_AGE"] == 7200
    assert s["SESSION_SAVE_EVERY_REQUEST"] is False  # security.middleware keeps last-seen
    assert s["LOG_LEVEL"] == "WARNING"
    assert s["root_log_level"] == "WARNING"
    assert s["LOG_FORMAT"] == "json"  # production default
    assert s["REQUEST_ID_FROM_PROXY"] is True  # a trusted proxy sets X-Request-ID

    # https in BASE_URL turns on the secure transport settings.
    assert s["SESSION_COOKIE_SECURE"] is True
    assert s["CSRF_COOKIE_SECURE"] is True
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SESSION_COOKIE_NAME"] == "__Host-sessionid"
    assert s["CSRF_COOKIE_NAME"] == "__Host-csrftoken"
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert s["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert s["SECURE_REFERRER_POLICY"] == "same-origin"
    assert s["SECURE_CROSS_ORIGIN_OPENER_POLICY"] == "same-origin"
    assert s["SECURE_HSTS_SECONDS"] == 31536000
    assert s["ACCOUNT_DEFAULT_HTTP_PROTOCOL"] == "https"


def test_sqlite_url_and_defaults(results, tmp_path_factory):
    s = settings_from(results["sqlite"])

    assert s["DEBUG"] is True
    assert s["SECRET_KEY"]  # the development key, allowed with DEBUG
    db = s["DATABASES"]["default"]
    assert db["ENGINE"] == "django.db.backends.sqlite3"
    assert db["NAME"].endswith("mr.sqlite3")
    assert "journal_mode=WAL" in db["OPTIONS"]["init_command"]
    assert s["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert s["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"
    assert s["TASKS"]["default"]["BACKEND"] == "django_tasks.backends.immediate.ImmediateBackend"
    assert s["ELASTICSEARCH_URL"] is None
    assert s["OIDC_ENABLED"] is False
    assert s["SESSION_COOKIE_AGE"] == 8 * 60 * 60
    assert s["SESSION_ABSOLUTE_AGE"] == 12 * 60 * 60
    assert s["LOG_LEVEL"] == "INFO"
    assert s["LOG_FORMAT"] == "text"  # DEBUG default
    assert s["REQUEST_ID_FROM_PROXY"] is False
    assert "malmo.se" in s["ALLOWED_EMAIL_DOMAINS"]
    assert s["SESSION_COOKIE_SECURE"] is False
    assert s["SESSION_COOKIE_NAME"] == "sessionid"


@pytest.mark.parametrize("variable", sorted(MALFORMED))
def test_malformed_value_names_the_variable(results, variable):
    result = results["malformed"]
    assert result.returncode == 0, result.stderr
    messages = json.loads(result.stdout.strip().splitlines()[-1])
    message = messages[variable]
    assert message is not None, f"{MALFORMED[variable]} was accepted"
    assert not message.startswith("UNEXPECTED"), message
    assert variable in message


def test_error_messages_do_not_repeat_secrets(results):
    messages = json.loads(results["malformed"].stdout.strip().splitlines()[-1])
    for variable in ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL"):
        assert variable in messages[variable]
        assert "topphemligt" not in messages[variable], messages[variable]
        assert "***@" in messages[variable]  # still says where the problem is


@pytest.mark.parametrize(
    "job, variable", [("exit_debug", "DEBUG"), ("exit_secret_key", "SECRET_KEY")]
)
def test_malformed_value_stops_manage_py(results, job, variable):
    result = results[job]
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"Environment variable {variable} " in result.stderr


def test_check_deploy_is_clean_with_production_values(results):
    result = results["deploy"]
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
