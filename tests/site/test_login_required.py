"""Every URL needs a signed-in user, except an explicit allowlist of public pages.

The URL conf is walked (tests/urlwalk.py), not hand-listed: a new app's URLs are covered the
moment they are included, and a view that forgets `login_required` protection fails here.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.urls import resolve, reverse
from django.urls.exceptions import Resolver404

from tests.urlwalk import ALL_URL_NAMES, UNINSTANTIABLE, URLS

# URL names (namespaced where the URL has a namespace) that anyone may open. Each one must
# answer without a server error and must not bounce the visitor into a login-required page.
PUBLIC_URL_NAMES = {
    "healthz",
    # Sign-in and sign-up (allauth)
    "account_login",
    "account_logout",
    "account_signup",
    "account_inactive",
    "account_email_verification_sent",
    "account_confirm_email",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_confirm_login_code",  # redirects to the login page without a login stage
    "mfa_authenticate",  # the second login step; redirects to login without a stage
    "socialaccount_login_cancelled",
    "socialaccount_signup",  # redirects to login without a pending Entra ID sign-in
    "openid_connect_login",
    "openid_connect_callback",
    # The Wagtail admin's, the Django admin's and Wagtail's front-end logins, all of them
    # forwarding to allauth's login page
    "admin_login_redirect",
    "admin:login",
    "wagtail_frontend_login_redirect",
    # The one-click unsubscribe link in forum email (authenticated by its secret token)
    "forum:unsubscribe",
}

# The Django admin and Wagtail's admin catch-all send anonymous visitors to their own login
# URL (a view's `login_url`), which forwards to allauth's: one extra hop is allowed there.
LOGIN_FORWARDERS = {"admin_login_redirect", "admin:login"}

# --- Tests --------------------------------------------------------------------------------


def test_the_url_conf_is_walked():
    # A sanity floor: allauth, Wagtail's admin and the Django admin are all in there.
    assert len(URLS) > 200
    assert "/healthz" in URLS
    assert "/profil/" in URLS


def test_every_pattern_can_be_instantiated():
    assert UNINSTANTIABLE == [], "Patterns the test cannot build a URL for: " + ", ".join(
        f"{endpoint.description} ({endpoint.problem})" for endpoint in UNINSTANTIABLE
    )


def test_allowlist_names_exist():
    missing = PUBLIC_URL_NAMES - ALL_URL_NAMES
    assert not missing, f"PUBLIC_URL_NAMES has names no URL pattern uses: {sorted(missing)}"


def _is_public(url: str) -> bool:
    return resolve(urlsplit(url).path).view_name in PUBLIC_URL_NAMES


def _login_path() -> str:
    return reverse("account_login")


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_url_requires_login_unless_public(client, url):
    try:
        match = resolve(url)
    except Resolver404:
        pytest.fail(f"The URL built for a pattern does not resolve: {url}")
    response = client.get(url)
    location = response.headers.get("Location", "")

    if match.view_name not in PUBLIC_URL_NAMES:
        assert response.status_code == 302, (
            f"{url} ({match.view_name}) answered {response.status_code} to an anonymous "
            f"visitor instead of redirecting to the sign-in page"
        )
        target = urlsplit(location)
        if target.path != _login_path() and resolve(target.path).view_name in LOGIN_FORWARDERS:
            response = client.get(location)
            assert response.status_code == 302, f"{location} did not forward to sign-in"
            location = response["Location"]
            assert "next=" in location, f"{location} lost the page to return to"
        assert urlsplit(location).path == _login_path(), (
            f"{url} ({match.view_name}) redirected to {location}, not the sign-in page"
        )
        return

    assert response.status_code < 500, f"public {url} answered {response.status_code}"
    if response.status_code in (301, 302, 303, 307, 308):
        target = urlsplit(location)
        if target.netloc and target.netloc != "testserver":
            return  # off-site, e.g. to the identity provider
        if target.path == _login_path():
            return
        try:
            target_match = resolve(target.path)
        except Resolver404:
            pytest.fail(f"public {url} redirects to {location}, which does not resolve")
        assert getattr(target_match.func, "login_required", True) is False, (
            f"public {url} redirects to {location}, which needs a signed-in user"
        )


@pytest.mark.django_db
def test_static_files_are_served_without_login(client):
    response = client.get("/static/mrnavet/css/site.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
