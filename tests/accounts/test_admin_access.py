"""Who may open the Wagtail admin and the Django admin, and the MFA requirement there."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import (
    GRANSKARE,
    KONFERENSARRANGOR,
    MEDARBETARE,
    ROLE_NAMES,
    ROLE_PERMISSIONS,
    SAMORDNARE,
)
from tests.factories import SuperuserFactory, UserFactory, enable_totp

pytestmark = pytest.mark.django_db

ADMIN_ROLES = {SAMORDNARE, GRANSKARE, KONFERENSARRANGOR}
WAGTAIL_ADMIN_MARKER = "wagtail-config"  # the JSON config script in Wagtail's admin_base.html


def assert_sent_to_mfa_setup(response, next_path: str) -> None:
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("mfa_activate_totp")
    assert parse_qs(location.query)["next"] == [next_path]


# --- Medarbetare ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/django-admin/"])
def test_medarbetare_cannot_open_the_admins(client, path):
    user = UserFactory(roles=[MEDARBETARE])
    assert not user.has_perm("wagtailadmin.access_admin")
    client.force_login(user)

    response = client.get(path)

    assert response.status_code == 403
    content = response.content.decode()
    assert WAGTAIL_ADMIN_MARKER not in content
    assert "Du har inte behörighet" in content


def test_medarbetare_on_the_admin_is_not_caught_in_a_redirect_loop(client):
    client.force_login(UserFactory())
    response = client.get("/admin/", follow=True)
    assert len(response.redirect_chain) < 3
    assert response.status_code != 200


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_login")
    assert parse_qs(location.query)["next"] == ["/admin/pages/"]


@pytest.mark.parametrize("path", ["/admin/login/", "/django-admin/login/"])
def test_admin_logins_redirect_to_allauth(client, path):
    response = client.get(f"{path}?next=/admin/pages/")
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("account_login")
    assert parse_qs(location.query)["next"] == ["/admin/pages/"]


def test_wagtail_frontend_login_redirects_to_allauth(client, user, password):
    # Wagtail's own /_util/login/ is Django's plain LoginView: no rate limits, no email
    # verification, no MFA step. It must not sign anyone in.
    response = client.post("/_util/login/", {"username": user.email, "password": password})
    assert response.status_code == 302
    assert urlsplit(response["Location"]).path == reverse("account_login")
    assert "_auth_user_id" not in client.session


# --- Roles with admin access ---------------------------------------------------------------


def test_samordnare_without_mfa_is_sent_to_mfa_setup(client):
    user = UserFactory(roles=[SAMORDNARE])
    assert user.has_perm("wagtailadmin.access_admin")
    client.force_login(user)

    assert_sent_to_mfa_setup(client.get("/admin/"), "/admin/")
    assert_sent_to_mfa_setup(client.get("/admin/pages/?p=2"), "/admin/pages/?p=2")


def test_samordnare_with_mfa_opens_the_wagtail_admin(client):
    user = UserFactory(roles=[SAMORDNARE])
    enable_totp(user)
    client.force_login(user)

    response = client.get("/admin/")

    assert response.status_code == 200
    assert WAGTAIL_ADMIN_MARKER in response.content.decode()


def test_mfa_setup_page_itself_is_reachable_without_mfa(client):
    client.force_login(UserFactory(roles=[SAMORDNARE]))
    response = client.get(reverse("mfa_activate_totp"))
    # allauth may ask for the password again first, but never sends the user in a circle.
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert urlsplit(response["Location"]).path != "/admin/"


@pytest.mark.parametrize("path", ["/admin/", "/django-admin/"])
def test_superuser_without_mfa_is_sent_to_mfa_setup(client, path):
    client.force_login(SuperuserFactory())
    assert_sent_to_mfa_setup(client.get(path), path)


def test_superuser_with_mfa_opens_both_admins(client):
    superuser = SuperuserFactory()
    enable_totp(superuser)
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200
    assert client.get("/django-admin/").status_code == 200


# --- The role groups -----------------------------------------------------------------------


def test_role_groups_exist_after_migrations():
    assert set(Group.objects.filter(name__in=ROLE_NAMES).values_list("name", flat=True)) == set(
        ROLE_NAMES
    )


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_role_permissions(role):
    group = Group.objects.get(name=role)
    permissions = {
        (p.content_type.app_label, p.content_type.model, p.codename)
        for p in group.permissions.select_related("content_type")
    }
    # Everything roles.py promises is granted (other apps' migrations may add more) ...
    assert set(ROLE_PERMISSIONS[role]) <= permissions
    # ... and admin access goes to exactly the three editorial roles.
    has_access = ("wagtailadmin", "admin", "access_admin") in permissions
    assert has_access is (role in ADMIN_ROLES)


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_role_gives_admin_access_exactly_when_documented(role):
    user = UserFactory(roles=[role])
    assert user.has_perm("wagtailadmin.access_admin") is (role in ADMIN_ROLES)
