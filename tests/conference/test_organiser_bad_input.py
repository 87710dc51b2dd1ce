"""Organiser searches with control characters (found by tests/site/test_fuzz.py: NUL in
?q= was a 500 on PostgreSQL)."""

from __future__ import annotations

import pytest

from tests.conference.factories import EditionFactory, organiser, register
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("page", ["deltagare/", "incheckning/"])
@pytest.mark.parametrize("query", ["An\x00na", "\x00", "Anna\x1b[0m", "%00"])
def test_control_characters_in_the_name_search(client, page, query):
    edition = EditionFactory()
    register(UserFactory(display_name="Anna Ek"), edition)
    client.force_login(organiser())
    response = client.get(f"/konferens/{edition.year}/arrangor/{page}", {"q": query})
    assert response.status_code == 200
    assert "\x00" not in response.content.decode()


def test_a_nul_in_the_raw_query_string(client):
    edition = EditionFactory()
    client.force_login(organiser())
    response = client.get(f"/konferens/{edition.year}/arrangor/deltagare/",
                          QUERY_STRING="q=%00&sida=%ED%A0%80")
    assert response.status_code == 200
