"""Changing email addresses or two-step verification needs a fresh password check.

allauth's ACCOUNT_REAUTHENTICATION_REQUIRED covers these; these tests prove it for every
such action, and that a reauthentication lasts only ACCOUNT_REAUTHENTICATION_TIMEOUT.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import DEFAULT_PASSWORD, enable_totp

pytestmark = pytest.mark.django_db

REAUTH = reverse("account_reauthenticate")


@pytest.fixture
def second_address(user):
    return EmailAddress.objects.create(user=user, email="andra@malmo.se", verified=True)


def asks_to_reauthenticate(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(REAUTH)


def reauthenticate(client, asked=None):
    """Enter the password; with the redirect that `asked` for it, the action resumes."""
    url = asked["Location"] if asked is not None else REAUTH
    response = client.post(url, {"password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    return response


def test_adding_an_email_address_needs_reauthentication(user_client, user):
    response = user_client.post(
        reverse("account_email"), {"email": "ny@malmo.se", "action_add": ""}
    )
    assert asks_to_reauthenticate(response)
    assert not EmailAddress.objects.filter(email="ny@malmo.se").exists()

    reauthenticate(user_client, response)  # resumes the suspended request
    assert EmailAddress.objects.filter(user=user, email="ny@malmo.se").exists()


def test_changing_the_primary_address_needs_reauthentication(user_client, user, second_address):
    response = user_client.post(
        reverse("account_email"), {"email": second_address.email, "action_primary": ""}
    )
    assert asks_to_reauthenticate(response)
    second_address.refresh_from_db()
    assert second_address.primary is False
    assert user.email != second_address.email


def test_removing_an_address_needs_reauthentication(user_client, second_address):
    response = user_client.post(
        reverse("account_email"), {"email": second_address.email, "action_remove": ""}
    )
    assert asks_to_reauthenticate(response)
    assert EmailAddress.objects.filter(pk=second_address.pk).exists()


def test_reauthentication_lasts_five_minutes(user_client, user, second_address):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as t:
        user_client.force_login(user)
        asked = user_client.post(
            reverse("account_email"), {"email": second_address.email, "action_primary": ""})
        assert asks_to_reauthenticate(asked)
        reauthenticate(user_client, asked)
        second_address.refresh_from_db()
        assert second_address.primary is True

        t.shift(dt.timedelta(minutes=6))
        response = user_client.post(
            reverse("account_email"), {"email": second_address.email, "action_remove": ""})
        assert asks_to_reauthenticate(response)
        assert EmailAddress.objects.filter(pk=second_address.pk).exists()


def test_activating_totp_needs_reauthentication(user_client, user):
    assert asks_to_reauthenticate(user_client.get(reverse("mfa_activate_totp")))
    reauthenticate(user_client)
    assert user_client.get(reverse("mfa_activate_totp")).status_code == 200


def test_deactivating_totp_needs_reauthentication(user_client, user):
    enable_totp(user)
    response = user_client.post(reverse("mfa_deactivate_totp"))
    assert asks_to_reauthenticate(response)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@pytest.mark.parametrize("name, method", [
    ("mfa_view_recovery_codes", "get"),
    ("mfa_generate_recovery_codes", "post"),
    ("mfa_download_recovery_codes", "get"),
])
def test_recovery_codes_need_reauthentication(user_client, user, name, method):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    enable_totp(user)
    RecoveryCodes.activate(user)
    response = getattr(user_client, method)(reverse(name))
    assert asks_to_reauthenticate(response)
    assert b"recovery" not in response.content.lower()
