"""allauth's pages render in the site layout, in Swedish, with accessible forms.

Domain restriction, the login-required middleware and MFA enforcement are tested elsewhere.
"""

from __future__ import annotations

import re

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory, enable_totp

pytestmark = pytest.mark.django_db

SKIP_LINK = "Hoppa till huvudinnehållet"
NEW_PASSWORD = "Ett-bra-lösenord-för-MR-2024"

# allauth's English strings that must not leak through untranslated.
ENGLISH = [
    "Sign In",
    "Sign Up",
    "Sign in",
    "Password",
    "Forgot your password",
    "Remember Me",
    "Email address",
    "Two-Factor Authentication",
    "Authenticator App",
    "Authenticator secret",
    "Recovery Codes",
    "third-party",
]

OIDC_PROVIDERS = {
    "openid_connect": {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "entra",
                "name": "Malmö stads inloggning",
                "client_id": "mr-navet-test",
                "secret": "not-a-secret",
                "settings": {"server_url": "https://login.example.test/tenant/v2.0"},
            }
        ],
    }
}


def html(response) -> str:
    return response.content.decode()


def h1_texts(content: str) -> list[str]:
    """The text of each <h1>; soft hyphens (&shy;) are dropped."""
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>|&shy;", "", match)).strip()
        for match in re.findall(r"<h1[\s>].*?</h1>", content, flags=re.S)
    ]


def assert_in_layout(response, h1: str | None = None) -> str:
    """200, the site's layout (skip link, <main>), Swedish, one <h1> and a site title."""
    assert response.status_code == 200, response.status_code
    content = html(response)
    assert '<html lang="sv">' in content
    assert SKIP_LINK in content
    assert '<main id="main"' in content
    headings = h1_texts(content)
    assert len(headings) == 1, headings
    if h1 is not None:
        assert headings[0] == h1
    title = re.search(r"<title>(.*?)</title>", content, flags=re.S).group(1)
    assert title.strip().endswith("– MR-navet"), title
    for english in ENGLISH:
        assert english not in content, f"untranslated {english!r}"
    return content


def assert_csp_safe(content: str) -> None:
    """No inline style attributes and no inline executable script (the CSP forbids both)."""
    assert not re.search(r"\sstyle=", content)
    for tag in re.findall(r"<script\b[^>]*>", content):
        assert "src=" in tag or 'type="application/json"' in tag or "nonce=" in tag, tag


def input_tag(content: str, name: str) -> str:
    match = re.search(rf'<input[^>]*\sname="{name}"[^>]*>', content)
    assert match, f"no input named {name}"
    return match.group(0)


@pytest.fixture
def reauthenticated_client(user_client, password):
    """Signed in and recently re-authenticated (allauth asks again before MFA changes)."""
    response = user_client.post(reverse("account_reauthenticate"), {"password": password})
    assert response.status_code == 302
    return user_client


# --- Public pages -----------------------------------------------------------------------

PUBLIC_PAGES = [
    ("account_login", "Logga in på MR-navet"),
    ("account_signup", "Skapa konto"),
    ("account_reset_password", "Återställ lösenord"),
    ("account_reset_password_done", "Kolla din e-post"),
    ("account_email_verification_sent", "Bekräfta din e-postadress"),
]


@pytest.mark.parametrize(("url_name", "heading"), PUBLIC_PAGES)
def test_public_page_renders_in_layout_in_swedish(client, url_name, heading):
    response = client.get(reverse(url_name))
    content = assert_in_layout(response, heading)
    assert_csp_safe(content)


def test_login_page_explains_who_may_sign_in_and_links_onwards(client):
    content = assert_in_layout(client.get(reverse("account_login")))
    assert "medarbetare i Malmö stad och stadens bolag" in content
    assert "e-postadress i jobbet" in content
    assert f'href="{reverse("account_signup")}"' in content
    assert f'href="{reverse("account_reset_password")}"' in content


def test_login_form_fields_are_labelled_with_autocomplete(client):
    content = html(client.get(reverse("account_login")))
    login = input_tag(content, "login")
    password = input_tag(content, "password")
    assert 'autocomplete="email"' in login and 'type="email"' in login
    assert 'autocomplete="current-password"' in password
    for field_id in ("id_login", "id_password", "id_remember"):
        assert f'for="{field_id}"' in content
    # The password reset link is the password field's description.
    assert 'aria-describedby="id_password_helptext"' in password
    assert 'id="id_password_helptext"' in content


def test_login_without_oidc_has_no_provider_button(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    content = html(client.get(reverse("account_login")))
    assert "Malmö stads inloggning" not in content
    assert "provider-list" not in content


def test_login_with_oidc_offers_malmo_sign_in(client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = OIDC_PROVIDERS
    content = assert_in_layout(client.get(reverse("account_login")))
    button = re.search(
        r'<form method="post" action="([^"]+)"[^>]*>\s*<input type="hidden" '
        r'name="csrfmiddlewaretoken"[^>]*>\s*<button type="submit"[^>]*>([^<]+)</button>',
        content,
    )
    assert button, "no sign-in button for the OIDC provider"
    assert button.group(1).startswith("/konto/oidc/entra/login/")
    assert button.group(2) == "Logga in med Malmö stads inloggning"
    # The password form stays below it.
    assert 'name="password"' in content


def test_signup_page_asks_for_a_work_email_and_links_to_login(client):
    content = assert_in_layout(client.get(reverse("account_signup")))
    assert "e-postadress i jobbet" in content
    assert f'href="{reverse("account_login")}"' in content
    assert 'autocomplete="email"' in input_tag(content, "email")
    assert 'autocomplete="new-password"' in input_tag(content, "password1")
    assert 'autocomplete="new-password"' in input_tag(content, "password2")
    for field_id in ("id_email", "id_display_name", "id_password1", "id_password2"):
        assert f'<label for="{field_id}"' in content


# --- Errors -----------------------------------------------------------------------------


def test_wrong_password_gives_swedish_error_not_500(client, user):
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "fel-lösenord"}
    )
    content = assert_in_layout(response)
    assert "lösenordet är felaktigt" in content
    # Announced to screen readers.
    assert re.search(r'<div class="form-errors" role="alert">\s*<p>[^<]*lösenordet', content)
    assert "_auth_user_id" not in client.session


def test_signup_with_mismatched_passwords_gives_linked_swedish_error(client):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "ny.kollega@malmo.se",
            "display_name": "Ny Kollega",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD + "x",
        },
    )
    content = assert_in_layout(response)
    assert "Du måste ange samma lösenord" in content
    password2 = input_tag(content, "password2")
    assert 'aria-invalid="true"' in password2
    assert 'aria-describedby="id_password2_error"' in password2
    assert re.search(r'<ul class="field__errors" id="id_password2_error"><li>Du måste', content)
    # The error summary links to the field.
    assert re.search(r'<a href="#id_password2">[^<]*Du måste ange samma lösenord', content)
    assert not mail.outbox


# --- Signed-in pages --------------------------------------------------------------------

SIGNED_IN_PAGES = [
    ("account_email", "E-postadresser"),
    ("account_change_password", "Ändra lösenord"),
    ("mfa_index", "Tvåstegsverifiering"),
]


@pytest.mark.parametrize(("url_name", "heading"), SIGNED_IN_PAGES)
def test_account_page_renders_in_layout_for_signed_in_user(user_client, url_name, heading):
    response = user_client.get(reverse(url_name))
    content = assert_in_layout(response, heading)
    assert_csp_safe(content)
    # Account settings lead back to the profile.
    assert f'href="{reverse("accounts:profile")}"' in content


def test_password_change_uses_password_autocomplete(user_client):
    content = html(user_client.get(reverse("account_change_password")))
    assert 'autocomplete="current-password"' in input_tag(content, "oldpassword")
    assert 'autocomplete="new-password"' in input_tag(content, "password1")


def test_email_addresses_are_a_labelled_radio_group(user_client, user):
    content = html(user_client.get(reverse("account_email")))
    assert re.search(r"<fieldset>\s*<legend>", content)
    assert f'value="{user.email}"' in content
    assert "Bekräftad" in content


def test_totp_activation_shows_qr_code_with_swedish_alt_and_secret_as_text(
    reauthenticated_client,
):
    response = reauthenticated_client.get(reverse("mfa_activate_totp"))
    content = assert_in_layout(response, "Slå på tvåstegsverifiering")
    assert_csp_safe(content)
    image = re.search(r'<img class="qr-code" src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', content)
    assert image, "no QR code image"
    assert image.group(1).startswith("QR-kod")
    secret = response.context["form"].secret
    assert f"<code>{secret}</code>" in content
    assert secret not in image.group(1)
    assert 'autocomplete="one-time-code"' in input_tag(content, "code")


def test_totp_activation_with_wrong_code_shows_swedish_error(reauthenticated_client):
    response = reauthenticated_client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    content = assert_in_layout(response)
    assert "Felaktig kod" in content
    assert 'aria-invalid="true"' in input_tag(content, "code")


def test_recovery_codes_are_listed_as_text(reauthenticated_client, user):
    enable_totp(user)
    codes = RecoveryCodes.activate(user).get_unused_codes()
    content = assert_in_layout(
        reauthenticated_client.get(reverse("mfa_view_recovery_codes")), "Återställningskoder"
    )
    for code in codes:
        assert f"<li><code>{code}</code></li>" in content


def test_mfa_sign_in_step_renders_in_layout(client, password):
    user = UserFactory()
    enable_totp(user)
    response = client.post(reverse("account_login"), {"login": user.email, "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    content = assert_in_layout(client.get(reverse("mfa_authenticate")), "Tvåstegsverifiering")
    assert 'autocomplete="one-time-code"' in input_tag(content, "code")

    response = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    content = assert_in_layout(response)
    assert "Felaktig kod" in content


# --- Emails -----------------------------------------------------------------------------


def test_confirmation_email_is_swedish_and_names_mr_navet(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "ny.kollega@malmo.se",
            "display_name": "Ny Kollega",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[MR-navet] Bekräfta din e-postadress"
    assert "MR-navet" in message.body
    assert "Bekräfta adressen genom att öppna länken" in message.body
    assert "/konto/confirm-email/" in message.body
    assert "Hello" not in message.body and "Thank you" not in message.body


def test_password_reset_email_is_swedish_and_names_mr_navet(client, user):
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "[MR-navet] Återställ ditt lösenord"
    assert "ditt konto i MR-navet" in message.body
    assert "/konto/password/reset/key/" in message.body
    assert "Hello" not in message.body and "Thank you" not in message.body
