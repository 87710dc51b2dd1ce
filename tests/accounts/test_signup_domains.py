"""Sign-up is open only to the city's email domains; sign-in errors and rate limits."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from accounts.roles import MEDARBETARE
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
SIGNUP_URL = "/konto/signup/"
NEW_PASSWORD = "Ett-bra-lösenord-för-MR-2024"


def signup_data(email: str, **overrides) -> dict:
    data = {
        "email": email,
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "display_name": "Anna Svensson",
        "job_title": "Utvecklingsledare",
    }
    data.update(overrides)
    return data


def login(client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_signup_url_is_the_documented_one():
    assert reverse("account_signup") == SIGNUP_URL


def test_disallowed_domain_is_refused_in_swedish(client):
    response = client.post(SIGNUP_URL, signup_data("anna.svensson@gmail.com"))

    assert response.status_code == 200  # the form is shown again
    content = response.content.decode()
    assert "MR-navet är bara öppet för medarbetare i Malmö stad och stadens bolag" in content
    assert "malmo.se" in content and "mkbfastighet.se" in content
    assert not User.objects.filter(email__iexact="anna.svensson@gmail.com").exists()
    assert mail.outbox == []


def test_lookalike_domain_is_refused(client):
    response = client.post(SIGNUP_URL, signup_data("anna@malmo.se.evil.example"))
    assert response.status_code == 200
    assert not User.objects.exists()


@pytest.mark.parametrize("email", ["anna.svensson@malmo.se", "Anna.Svensson@MALMO.SE"])
def test_allowed_domain_creates_user_who_must_verify_email(client, email):
    response = client.post(SIGNUP_URL, signup_data(email))

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not is_signed_in(client)

    user = User.objects.get(email="anna.svensson@malmo.se")  # stored in lower case
    assert user.display_name == "Anna Svensson"
    assert user.job_title == "Utvecklingsledare"
    assert not EmailAddress.objects.get(user=user).verified

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna.svensson@malmo.se"]
    assert mail.outbox[0].subject.startswith("[MR-navet] ")

    # Not before the address is confirmed ...
    response = login(client, "anna.svensson@malmo.se", NEW_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert not is_signed_in(client)

    # ... but after following the link in the mail.
    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    confirm_path = link.group(0).split("testserver", 1)[-1]
    response = client.post(confirm_path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    client.logout()
    response = login(client, "anna.svensson@malmo.se", NEW_PASSWORD)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_new_users_get_the_medarbetare_role(client):
    client.post(SIGNUP_URL, signup_data("ny.kollega@malmo.se"))
    user = User.objects.get(email="ny.kollega@malmo.se")
    assert list(user.groups.values_list("name", flat=True)) == [MEDARBETARE]


def test_allowed_domains_follow_the_setting(client, settings):
    settings.ALLOWED_EMAIL_DOMAINS = ["example.org"]

    response = client.post(SIGNUP_URL, signup_data("anna@malmo.se"))
    assert response.status_code == 200
    assert "example.org" in response.content.decode()
    assert not User.objects.filter(email="anna@malmo.se").exists()

    response = client.post(SIGNUP_URL, signup_data("anna@example.org"))
    assert response.status_code == 302
    assert User.objects.filter(email="anna@example.org").exists()


@pytest.mark.parametrize("display_name", ["", "   "])
def test_signup_requires_a_display_name(client, display_name):
    response = client.post(SIGNUP_URL, signup_data("anna@malmo.se", display_name=display_name))
    assert response.status_code == 200
    assert response.context["form"].errors.get("display_name")
    assert not User.objects.filter(email="anna@malmo.se").exists()


def test_wrong_password_gives_a_swedish_error(client, user):
    response = login(client, user.email, "fel-lösenord-helt-enkelt")
    assert response.status_code == 200
    assert "lösenordet är felaktigt" in response.content.decode()
    assert not is_signed_in(client)


def test_unknown_account_gives_the_same_error(client):
    response = login(client, "finns.inte@malmo.se", "fel-lösenord-helt-enkelt")
    assert response.status_code == 200
    assert "lösenordet är felaktigt" in response.content.decode()


def test_correct_password_signs_in(client, user, password):
    response = login(client, user.email.upper(), password)
    assert response.status_code == 302
    assert is_signed_in(client)


def test_repeated_failed_logins_are_rate_limited(client, password):
    assert getattr(django_settings, "ACCOUNT_RATE_LIMITS", {}) is not False
    cache.clear()
    user = UserFactory()

    refused = None
    for attempt in range(1, 12):
        response = login(client, user.email, f"fel-lösenord-{attempt}")
        assert response.status_code in (200, 429), response.status_code
        if "För många misslyckade inloggningsförsök" in response.content.decode():
            refused = attempt
            break
    # allauth's default: 5 failures per account in 5 minutes.
    assert refused == 6

    # While the limit holds, not even the right password gets in.
    response = login(client, user.email, password)
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    assert not is_signed_in(client)
