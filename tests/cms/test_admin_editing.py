"""Editing in the Wagtail admin: the LIX panel, creating a method page, the taxonomy snippets."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import formats, translation
from wagtail.test.utils.form_data import querydict_from_html

from cms.models import MethodIndexPage, MethodPage, RightsArea
from cms.readability import lix
from cms.taxonomy_data import RIGHTS_AREAS
from tests.factories import SuperuserFactory, UserFactory, enable_totp

from .factories import MethodPageFactory, section_index

pytestmark = pytest.mark.django_db

SUMMARY = ("Metoden hjälper verksamheten att bedöma hur ett beslut påverkar barn. "
           "Den passar före större förändringar.")


@pytest.fixture
def samordnare_client(client):
    user = UserFactory(roles=["Samordnare"])
    enable_totp(user)  # the admin requires MFA
    client.force_login(user)
    return client


@pytest.fixture
def superuser_client(client):
    user = SuperuserFactory()
    enable_totp(user)
    client.force_login(user)
    return client


def test_edit_view_shows_the_lix_panel(samordnare_client):
    page = MethodPageFactory(title="Barnchecklista", summary=SUMMARY)
    page.save_revision()

    response = samordnare_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Läsbarhet (LIX)" in html
    expected = lix(SUMMARY)
    assert expected is not None
    with translation.override("sv"):
        score = formats.localize(expected.score)
    assert f"<strong>{score}</strong> – {expected.band}" in html
    assert f"{expected.words} ord, {expected.sentences} meningar" in html


def add_form_data(client, parent, **fields):
    url = reverse("wagtailadmin_pages:add", args=("cms", "methodpage", parent.pk))
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    for name in ("body", "steps"):
        data[f"{name}-count"] = "0"
    for name, value in fields.items():
        if isinstance(value, list):
            data.setlist(name, value)
        else:
            data[name] = value
    return url, data


def test_samordnare_creates_a_method_page_as_a_draft(samordnare_client):
    parent = section_index(MethodIndexPage)
    area = RightsArea.objects.get(slug="barnets-rattigheter")
    url, data = add_form_data(
        samordnare_client, parent,
        title="Ny metod för barnrättsprövning", slug="ny-metod-for-barnrattsprovning",
        summary=SUMMARY, purpose="Att pröva barnets bästa.", rights_areas=[str(area.pk)],
    )

    response = samordnare_client.post(url, data)

    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response
    )
    page = MethodPage.objects.get(slug="ny-metod-for-barnrattsprovning")
    assert not page.live
    assert page.first_published_at is None
    assert page.get_parent().pk == parent.pk
    assert page.get_latest_revision() is not None
    assert page.get_latest_revision().as_object().title == "Ny metod för barnrättsprövning"
    assert [a.slug for a in page.rights_areas.all()] == ["barnets-rattigheter"]
    assert page.next_review_date is not None  # ContentPage.save's default


def test_method_page_needs_a_rights_area(samordnare_client):
    parent = section_index(MethodIndexPage)
    url, data = add_form_data(samordnare_client, parent, title="Metod utan område",
                              slug="metod-utan-omrade", summary=SUMMARY)
    data.setlist("rights_areas", [])

    response = samordnare_client.post(url, data)

    assert response.status_code == 200
    assert "rights_areas" in response.context["form"].errors
    assert not MethodPage.objects.filter(slug="metod-utan-omrade").exists()


def test_taxonomy_snippets_list_the_rights_areas(superuser_client):
    response = superuser_client.get("/admin/snippets/cms/rightsarea/")
    assert response.status_code == 200
    html = response.content.decode()
    assert RightsArea.objects.count() == 8
    for _slug, name, _description in RIGHTS_AREAS:
        assert name in html, name
