"""gunicorn.conf.py: loads the way gunicorn loads it, gives sane values from the
environment, and a real gunicorn writes one JSON access line per request whose request id
is the response's X-Request-ID."""

from __future__ import annotations

import http.client
import json
import multiprocessing
import os
import runpy
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from gunicorn.config import Config
from gunicorn.glogging import Logger

from mrnavet.gunicorn_logging import JsonAccessLogger

ROOT = Path(__file__).resolve().parents[2]
CONFIG_FILE = ROOT / "gunicorn.conf.py"
GUNICORN_VARIABLES = [
    "GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_TIMEOUT",
    "GUNICORN_GRACEFUL_TIMEOUT", "GUNICORN_KEEPALIVE", "GUNICORN_MAX_REQUESTS",
    "GUNICORN_MAX_REQUESTS_JITTER", "FORWARDED_ALLOW_IPS", "GUNICORN_LOG_LEVEL",
    "LOG_FORMAT", "DEBUG",
]


def load_config(monkeypatch, **environ) -> Config:
    """Execute the file and apply its names to a gunicorn Config, as gunicorn -c does."""
    for name in GUNICORN_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    names = runpy.run_path(str(CONFIG_FILE))
    cfg = Config()
    for name, value in names.items():
        if name in cfg.settings:
            cfg.set(name, value)  # runs gunicorn's own validators
    return cfg


def test_defaults(monkeypatch):
    cfg = load_config(monkeypatch)
    assert cfg.workers == 2 * multiprocessing.cpu_count() + 1
    assert cfg.threads == 1
    assert cfg.timeout == 30
    assert cfg.graceful_timeout == 30
    assert cfg.max_requests == 1000
    assert 0 < cfg.max_requests_jitter < cfg.max_requests
    assert cfg.forwarded_allow_ips == ["127.0.0.1", "::1"]
    assert cfg.bind == ["0.0.0.0:8000"]
    assert cfg.wsgi_app == "mrnavet.wsgi:application"
    assert cfg.pythonpath == "site,."
    assert Path(cfg.chdir) == ROOT
    assert (cfg.accesslog, cfg.errorlog) == ("-", "-")  # container output
    assert cfg.logger_class is JsonAccessLogger  # production default: JSON


def test_environment_overrides(monkeypatch):
    cfg = load_config(
        monkeypatch,
        GUNICORN_WORKERS="3",
        GUNICORN_TIMEOUT="60",
        GUNICORN_MAX_REQUESTS="0",
        GUNICORN_BIND="127.0.0.1:9000,unix:/run/mrnavet.sock",
        FORWARDED_ALLOW_IPS="10.0.0.5, 10.0.0.6",
    )
    assert cfg.workers == 3
    assert cfg.timeout == 60
    assert cfg.max_requests == 0
    assert cfg.bind == ["127.0.0.1:9000", "unix:/run/mrnavet.sock"]
    assert cfg.forwarded_allow_ips == ["10.0.0.5", "10.0.0.6"]


def test_debug_logs_text_with_the_request_id(monkeypatch):
    cfg = load_config(monkeypatch, DEBUG="true")
    assert cfg.logger_class is Logger
    assert "x-request-id" in cfg.access_log_format


@pytest.mark.parametrize(
    "variable, value",
    [("GUNICORN_WORKERS", "many"), ("GUNICORN_WORKERS", "0"), ("GUNICORN_TIMEOUT", "-1")],
)
def test_malformed_value_names_the_variable(monkeypatch, variable, value):
    with pytest.raises(ImproperlyConfigured, match=variable):
        load_config(monkeypatch, **{variable: value})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        return response.status, response.getheader("X-Request-ID")
    finally:
        connection.close()


def test_gunicorn_serves_and_logs_json_access_lines(tmp_path):
    port = free_port()
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("GUNICORN_", "DJANGO_")) and key not in {"LOG_FORMAT", "DEBUG"}
    }
    env.update({
        "SECRET_KEY": "gunicorn-test-" + "x" * 50,
        "DEBUG": "false",
        "TESTING": "true",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_MAX_REQUESTS": "0",
    })
    stdout = open(tmp_path / "stdout.log", "w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(CONFIG_FILE)],
        cwd=tmp_path,  # the config, not the working directory, must find the code
        env=env, stdout=stdout, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        status, request_id = get(port, "/healthz")
        assert status == 200
        # A quote in the path must still give a valid JSON line; the query is left out.
        quote_status, quote_id = get(port, '/healthz%22?x=%22secret')
        time.sleep(0.5)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    stdout.seek(0)
    lines = [line for line in stdout.read().splitlines() if line.strip()]
    access = {record["request_id"]: record for record in map(json.loads, lines)}  # all JSON
    record = access[request_id]
    assert record["logger"] == "gunicorn.access"
    assert (record["method"], record["path"], record["status"]) == ("GET", "/healthz", 200)
    assert record["duration_ms"] >= 0 and record["bytes"] > 0
    assert access[quote_id]["path"] == '/healthz"'
    assert access[quote_id]["status"] == quote_status
    assert "secret" not in "\n".join(lines)
    # stderr (gunicorn's own log and the app's) is JSON too; app lines of a request carry
    # the same id as its access line.
    errors = [json.loads(line) for line in stderr.splitlines() if line.strip()]
    assert any(e["logger"] == "gunicorn.error" and "Booting worker" in e["message"]
               for e in errors)
    for error in errors:
        if error["logger"].startswith("django"):
            assert error["request_id"] in access
