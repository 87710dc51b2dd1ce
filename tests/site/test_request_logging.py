"""Request ids and JSON logs: every log line of a request carries the id that the
response's X-Request-ID header shows, the user's id (never the email) and the path."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest

from mrnavet.request_logging import JsonFormatter, RequestContextFilter, request_id_from_header

from ..factories import UserFactory

pytestmark = pytest.mark.django_db

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def log_lines():
    """The configured console handler (settings.LOGGING), writing into a buffer."""
    [handler] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield lambda: [line for line in buffer.getvalue().splitlines() if line.strip()]
    finally:
        handler.setStream(previous)


def test_settings_log_json_outside_debug(settings):
    assert settings.LOG_FORMAT == "json"  # tests run with DEBUG off, like production
    [handler] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    assert isinstance(handler.formatter, JsonFormatter)
    assert any(isinstance(f, RequestContextFilter) for f in handler.filters)


def test_a_requests_log_line_is_json_with_the_response_request_id(client, log_lines):
    user = UserFactory(email="anna.andersson@malmo.se", display_name="Anna Andersson")
    client.force_login(user)

    response = client.get("/finns-inte-alls/?q=hemligt")  # Django logs "Not Found" (404)

    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    assert GENERATED_ID.fullmatch(request_id)
    records = [json.loads(line) for line in log_lines()]  # every line is valid JSON
    [record] = [r for r in records if r["logger"] == "django.request"]
    assert record["request_id"] == request_id
    assert record["user_id"] == user.pk
    assert record["path"] == "/finns-inte-alls/"
    assert record["method"] == "GET"
    assert record["level"] == "WARNING"
    assert record["time"]
    text = "\n".join(log_lines())
    for personal in ("anna.andersson", "Anna Andersson", "hemligt"):
        assert personal not in text


def test_each_request_gets_its_own_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert GENERATED_ID.fullmatch(first) and GENERATED_ID.fullmatch(second)
    assert first != second


def test_client_supplied_id_is_ignored_without_a_trusted_proxy(client, settings):
    settings.REQUEST_ID_FROM_PROXY = False
    response = client.get("/healthz", headers={"X-Request-ID": "chosen-by-client"})
    assert response["X-Request-ID"] != "chosen-by-client"
    assert GENERATED_ID.fullmatch(response["X-Request-ID"])


def test_trusted_proxy_id_is_kept(client, settings):
    settings.REQUEST_ID_FROM_PROXY = True
    proxy_id = "f3a9c2d41b7e4e0c9a8b6d5e4f3a2b1c"
    response = client.get("/healthz", headers={"X-Request-ID": proxy_id})
    assert response["X-Request-ID"] == proxy_id


@pytest.mark.parametrize(
    "bad", ["x" * 129, "with space", "line\nbreak", "<script>", "ä-unicode", "a;b", ""]
)
def test_malformed_proxy_id_is_replaced(client, settings, bad):
    settings.REQUEST_ID_FROM_PROXY = True
    response = client.get("/healthz", headers={"X-Request-ID": bad})
    assert GENERATED_ID.fullmatch(response["X-Request-ID"])


@pytest.mark.parametrize(
    "value, expected",
    [
        ("abc-123", "abc-123"),
        ("x" * 128, "x" * 128),
        ("x" * 129, None),
        ("Root=1-abc", None),
        (None, None),
    ],
)
def test_request_id_validation(value, expected):
    assert request_id_from_header(value) == expected


def test_records_outside_a_request_get_placeholders(log_lines):
    logging.getLogger("mrnavet.tests").warning("utan förfrågan")
    [record] = [json.loads(line) for line in log_lines()]
    assert record["message"] == "utan förfrågan"  # not escaped to \\u00f6
    assert (record["request_id"], record["user_id"], record["path"], record["method"]) == (
        "-", "-", "-", "-",
    )


def test_text_format_carries_the_request_id(settings):
    formatter = logging.Formatter(settings.LOGGING["formatters"]["text"]["format"])
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hej", None, None)
    RequestContextFilter().filter(record)
    assert "[-] hej" in formatter.format(record)
