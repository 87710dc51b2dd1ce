"""The signed-in user's own profile page (/profil/)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import OrganisationUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

PROFILE_URL = "/profil/"


def test_profile_url():
    assert reverse("accounts:profile") == PROFILE_URL


def test_profile_shows_own_details(user_client, user):
    response = user_client.get(PROFILE_URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert user.email in content
    assert f'value="{user.display_name}"' in content
    assert f'value="{user.job_title}"' in content
    assert "Din profil" in content


def test_profile_saves_own_details(user_client, user):
    unit = OrganisationUnitFactory(name="Stadsbyggnadsförvaltningen")

    response = user_client.post(
        PROFILE_URL,
        {
            "display_name": "  Karin Nilsson ",
            "organisation_unit": unit.pk,
            "job_title": "Planarkitekt",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == PROFILE_URL
    user.refresh_from_db()
    assert user.display_name == "Karin Nilsson"
    assert user.organisation_unit == unit
    assert user.job_title == "Planarkitekt"

    page = user_client.get(PROFILE_URL).content.decode()
    assert "Din profil är sparad." in page
    assert "Stadsbyggnadsförvaltningen" in page


@pytest.mark.parametrize("blank", ["", "   "])
def test_blank_name_is_refused_in_swedish(user_client, user, blank):
    original_name = user.display_name

    response = user_client.post(PROFILE_URL, {"display_name": blank, "job_title": "Ny titel"})

    assert response.status_code == 400
    content = response.content.decode()
    assert "Skriv ditt namn." in content
    assert "Profilen kunde inte sparas" in content
    user.refresh_from_db()
    assert user.display_name == original_name
    assert user.job_title == "Utredare"  # nothing saved, not even the valid field


def test_unknown_organisation_unit_is_refused(user_client, user):
    response = user_client.post(
        PROFILE_URL, {"display_name": "Karin", "organisation_unit": 999999, "job_title": ""}
    )
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.organisation_unit is None


def test_cannot_change_another_users_profile(user_client, user):
    other = UserFactory(display_name="Olle Olsson", job_title="Chef")

    response = user_client.post(
        PROFILE_URL,
        {
            "id": other.pk,
            "pk": other.pk,
            "user": other.pk,
            "email": other.email,
            "display_name": "Ändrat namn",
            "job_title": "Ändrad titel",
        },
    )

    assert response.status_code == 302
    other.refresh_from_db()
    assert other.display_name == "Olle Olsson"
    assert other.job_title == "Chef"
    user.refresh_from_db()
    assert user.display_name == "Ändrat namn"  # only the signed-in user changed
    assert user.email != other.email  # and the email is not editable here


def test_profile_needs_login(client):
    response = client.get(PROFILE_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
