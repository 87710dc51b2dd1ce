"""Content Security Policy (site vs admin), nosniff, and the Swedish 404 page."""

from __future__ import annotations

import re

import pytest
from django.http import HttpResponse

from accounts.roles import SAMORDNARE
from mrnavet.middleware import PathAwareCSPMiddleware
from tests.factories import UserFactory, enable_totp

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_strict_site_policy(policy: dict[str, list[str]]) -> None:
    assert "'self'" in policy["script-src"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]


@pytest.mark.parametrize("path", ["/", "/profil/"])
def test_site_pages_get_the_strict_policy(user_client, path):
    response = user_client.get(path)
    assert response.status_code == 200
    assert_strict_site_policy(directives(response))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_site_policy_carries_the_nonce_a_page_uses(rf):
    """A template that writes request.csp_nonce gets exactly that nonce in script-src."""
    seen = {}

    def page(request):
        seen["nonce"] = str(request.csp_nonce)
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    response = PathAwareCSPMiddleware(page)(rf.get("/metoder/"))

    policy = directives(response)
    assert_strict_site_policy(policy)
    assert re.fullmatch(r"[A-Za-z0-9+/]{22}==", seen["nonce"])
    assert f"'nonce-{seen['nonce']}'" in policy["script-src"]


def test_admin_policy_has_no_nonce(rf):
    def page(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">1</script>')

    response = PathAwareCSPMiddleware(page)(rf.get("/admin/pages/"))
    assert "nonce-" not in response["Content-Security-Policy"]
    assert "'unsafe-inline'" in directives(response)["script-src"]


def test_admin_pages_get_the_admin_policy(client):
    editor = UserFactory(roles=[SAMORDNARE])
    enable_totp(editor)
    client.force_login(editor)

    response = client.get("/admin/")

    assert response.status_code == 200
    policy = directives(response)
    assert "nonce-" not in response["Content-Security-Policy"]
    assert "'unsafe-inline'" in policy["script-src"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_admin_refusal_still_gets_a_policy(user_client):
    response = user_client.get("/admin/")
    assert response.status_code == 403
    assert directives(response)["frame-ancestors"] == ["'self'"]


def test_404_page_is_swedish(user_client):
    response = user_client.get("/den-har-sidan-finns-inte/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Sidan finns inte" in content
    assert '<html lang="sv">' in content
    assert_strict_site_policy(directives(response))
    assert response["X-Content-Type-Options"] == "nosniff"
