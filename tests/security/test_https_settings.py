"""Production transport settings, as BASE_URL=https://… turns them on.

The settings module is read once per process, so the HTTPS values are applied with
`settings` overrides here (tests/site/test_settings.py proves that an https BASE_URL
produces exactly these values in a fresh process).
"""

from __future__ import annotations

import pytest

from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db

HOST = "mr-navet.malmo.se"


@pytest.fixture
def https(settings):
    settings.ALLOWED_HOSTS = [HOST]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.CSRF_COOKIE_NAME = "__Host-csrftoken"
    return settings


def over_https(client, method: str, path: str, **kwargs):
    return getattr(client, method)(path, HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https", **kwargs)


def assert_host_cookie(cookie):
    """What browsers require of a __Host- cookie: Secure, Path=/, no Domain."""
    assert cookie.key.startswith("__Host-")
    assert cookie["secure"] is True
    assert cookie["path"] == "/"
    assert not cookie["domain"]
    assert cookie["samesite"] == "Lax"


def test_sign_in_over_https_sets_host_prefixed_cookies(client, https, user):
    page = over_https(client, "get", "/konto/login/")
    assert page.status_code == 200
    assert_host_cookie(page.cookies["__Host-csrftoken"])

    response = over_https(client, "post", "/konto/login/", data={
        "login": user.email, "password": DEFAULT_PASSWORD,
        "csrfmiddlewaretoken": page.cookies["__Host-csrftoken"].value,
    })
    assert response.status_code == 302
    session_cookie = response.cookies["__Host-sessionid"]
    assert_host_cookie(session_cookie)
    assert session_cookie["httponly"] is True
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


def test_production_headers(client, https, user):
    client.force_login(user)
    response = over_https(client, "get", "/")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_plain_http_is_redirected_to_https(client, https):
    response = client.get("/konto/login/", HTTP_HOST=HOST)
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/konto/login/"


def test_gravatar_is_off(settings, user_client):
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    assert b"gravatar" not in user_client.get("/").content.lower()
