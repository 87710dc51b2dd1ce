"""Mina uppgifter: the page and the JSON export show everything about the user, nothing
about anyone else, in a constant number of queries."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from privacy import export
from tests.factories import UserFactory

from .factories import ACCESS_TEXT, NEEDS_TEXT, personal_data

pytestmark = pytest.mark.django_db


def test_export_is_a_json_attachment_with_schema_and_version(user_client, user):
    personal_data(user)
    response = user_client.get(reverse("privacy:my_data_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith('attachment; filename="mina-uppgifter-')
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["schema"] == export.SCHEMA and data["version"] == export.VERSION
    assert set(data) >= {"profile", "forum", "conference", "content", "audit"}


def test_export_holds_the_users_data(user):
    made = personal_data(user)
    data = json.loads(export.to_json(export.collect(user)))
    profile = data["profile"]
    assert profile["email"] == user.email and profile["job_title"] == "Utredare"
    assert profile["email_addresses"] == [{"email": user.email, "verified": True, "primary": True}]
    assert [d["type"] for d in profile["mfa_devices"]] == ["totp"]
    assert set(profile["mfa_devices"][0]) == {"type", "created_at", "last_used_at"}  # no secrets
    assert profile["social_accounts"][0]["uid"] == f"entra-{user.pk}"
    forum = data["forum"]
    assert [t["title"] for t in forum["threads"]] == [made["threads"][0].title]
    assert f"Mitt ändrade svar {user.pk}" in [p["markdown"] for p in forum["posts"]]
    assert forum["post_revisions"][0]["markdown"] == f"Mitt svar 0 {user.pk}"
    assert len(forum["reactions"]) == 1 and forum["drafts"][0]["markdown"] == f"Utkast {user.pk}"
    assert forum["read_marks"]["threads"] >= 1 and forum["read_marks"]["categories"] == 1
    assert forum["notifications"][0]["message"] == "Nytt svar"
    assert forum["notification_settings"]["email_frequency"] == "daily"
    assert forum["flags"][0]["text"] == f"Flaggad av {user.pk}"
    assert {w["thread"] for w in forum["watches"]} >= {made["threads"][0].title}
    conference = data["conference"]
    assert len(conference["registrations"]) == 2
    current = next(r for r in conference["registrations"] if r["year"] == made["edition"].year)
    needs = current["needs"]
    assert needs["diet_other"] == NEEDS_TEXT and needs["access_other"] == ACCESS_TEXT
    assert needs["diet"] == ["Vegansk"] and needs["access"] == ["Tillgång till vilorum"]
    assert current["sessions"][0]["session"] == made["session"].title
    assert len(conference["proposals"]) == 1 and len(conference["feedback_receipts"]) == 1
    assert data["content"]["pages_responsible"][0]["title"] == made["page"].title
    assert len(data["content"]["revisions"]) == 1
    audit = data["audit"]
    assert {(e["action"], e["role"]) for e in audit["conference"]} == {
        ("export", "actor"), ("checkin", "subject")}
    assert [(e["action"], e["role"]) for e in audit["forum_moderation"]] == [
        ("Dolde inlägg", "subject")]
    assert "moderator_id" not in audit["forum_moderation"][0]  # the moderator is not named


def test_export_holds_nothing_of_another_user(user):
    personal_data(user)
    stranger = UserFactory()
    personal_data(stranger)
    text = export.to_json(export.collect(user))
    assert stranger.email not in text
    assert f"Utkast {stranger.pk}" not in text and f"Flaggad av {stranger.pk}" not in text
    assert f"entra-{stranger.pk}" not in text


def test_page_shows_own_needs_without_view_needs_permission(user_client, user):
    personal_data(user)
    assert not user.has_perm("conference.view_needs")
    response = user_client.get(reverse("privacy:my_data"))
    html = response.content.decode()
    assert response.status_code == 200
    assert NEEDS_TEXT in html and ACCESS_TEXT in html
    assert "Mina uppgifter" in html and reverse("privacy:my_data_export") in html
    assert reverse("privacy:erase_account") in html


def test_page_is_linked_from_profile_and_user_menu(user_client):
    html = user_client.get(reverse("accounts:profile")).content.decode()
    assert html.count(f'href="{reverse("privacy:my_data")}"') >= 2


def test_anonymous_visitors_are_sent_to_sign_in(client):
    for name in ("privacy:my_data", "privacy:my_data_export", "privacy:erase_account"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


QUERY_BUDGET = 60


def _queries(client, url) -> int:
    client.get(url)  # the first request after sign-in also writes session bookkeeping
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", ["privacy:my_data", "privacy:my_data_export"])
def test_queries_do_not_grow_with_the_data(client, name):
    small, large = UserFactory(), UserFactory()
    personal_data(small, items=1)
    personal_data(large, items=8)
    client.force_login(small)
    few = _queries(client, reverse(name))
    client.force_login(large)
    many = _queries(client, reverse(name))
    assert few == many <= QUERY_BUDGET
