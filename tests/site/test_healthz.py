"""The load balancer's health check: /healthz, anonymous, JSON."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_healthz_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_head_is_allowed(client):
    assert client.head("/healthz").status_code == 200


def test_healthz_reports_database_failure(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] != "ok"


def test_healthz_rejects_post(client):
    response = client.post("/healthz")
    assert response.status_code == 405


def test_healthz_answers_plain_http_when_https_is_enforced(client, settings):
    # A load balancer probes over plain HTTP inside the network: no redirect to https.
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/", secure=False).status_code == 301
