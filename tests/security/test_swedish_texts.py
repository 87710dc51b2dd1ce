"""allauth's Swedish catalogue writes "Epost-adress"; locale/sv corrects it to "E-postadress"."""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import allauth
import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

ALLAUTH_MO = Path(allauth.__file__).parent / "locale" / "sv" / "LC_MESSAGES" / "django.mo"
MISSPELLED = re.compile(r"\b[Ee]post")


def allauth_messages():
    catalog = gettext.GNUTranslations(ALLAUTH_MO.open("rb"))._catalog
    return [key for key in catalog if key and not isinstance(key, tuple)]


def test_allauth_still_ships_the_misspelling():
    """Otherwise locale/sv can be trimmed: the override would no longer be needed."""
    catalog = gettext.GNUTranslations(ALLAUTH_MO.open("rb"))._catalog
    assert catalog["Email address"] == "Epost-adress"


def test_no_allauth_message_says_epost():
    with translation.override("sv"):
        wrong = {}
        for message in allauth_messages():
            if "\x04" in message:
                context, text = message.split("\x04", 1)
                translated = translation.pgettext(context, text)
            else:
                translated = translation.gettext(message)
            if MISSPELLED.search(translated):
                wrong[message] = translated
    assert wrong == {}


@pytest.mark.parametrize("path", ["/konto/login/", "/konto/signup/", "/konto/password/reset/"])
def test_sign_in_forms_use_e_postadress(client, path):
    page = client.get(path).content.decode()
    assert 'placeholder="E-postadress"' in page
    assert not MISSPELLED.search(page)


def test_email_page_uses_e_postadress(user_client):
    page = user_client.get("/konto/email/").content.decode()
    assert "E-postadress" in page
    assert not MISSPELLED.search(page)
