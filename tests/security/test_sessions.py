"""Idle and absolute session timeouts, and sessions ended when an account is deactivated."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from security.models import UserSession
from security.sessions import end_sessions_for
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
LOGIN = "/konto/login/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def session_writes(queries) -> list[str]:
    return [q["sql"] for q in queries if "django_session" in q["sql"]
            and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]


def follow_message(response, client) -> str:
    return client.get(response["Location"]).content.decode()


def test_sign_in_is_recorded_with_both_clocks(user):
    client = signed_in(user)
    key = client.session.session_key
    assert UserSession.objects.get(session_id=key).user == user
    assert client.session["_mrnavet_signed_in_at"] == client.session["_mrnavet_last_seen_at"]


def test_signing_in_through_the_form_is_recorded(client, user):
    response = client.post(LOGIN, {"login": user.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert UserSession.objects.filter(user=user, session_id=client.session.session_key).exists()


def test_idle_session_ends_with_a_swedish_message(user):
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in(user)
        assert client.get("/").status_code == 200
        traveller.shift(8 * HOUR - dt.timedelta(seconds=1))
        assert client.get("/").status_code == 200  # active again: the idle clock restarts
        traveller.shift(8 * HOUR)
        response = client.get("/profil/")
        assert response.status_code == 302
        assert response["Location"] == f"{LOGIN}?next=/profil/"
        page = follow_message(response, client)
    assert "inte har varit aktiv på 8 timmar" in page
    assert not UserSession.objects.filter(user=user).exists()
    assert "_auth_user_id" not in client.session


def test_absolute_limit_ends_an_active_session(user):
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in(user)
        for _ in range(11):  # busy all day, never idle
            traveller.shift(HOUR)
            assert client.get("/").status_code == 200
        traveller.shift(HOUR)  # 12 hours after signing in
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)
        page = follow_message(response, client)
    assert "det har gått 12 timmar sedan du loggade in" in page


def test_absolute_age_is_configurable(settings, user):
    settings.SESSION_ABSOLUTE_AGE = 2 * 60 * 60
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in(user)
        traveller.shift(HOUR)
        assert client.get("/").status_code == 200
        traveller.shift(HOUR)
        response = client.get("/")
        assert response.status_code == 302
        assert "det har gått 2 timmar sedan du loggade in" in follow_message(response, client)


def test_last_seen_is_written_at_most_every_five_minutes(user):
    with time_machine.travel(START, tick=False) as traveller:
        client = signed_in(user)
        with CaptureQueriesContext(connection) as quick:
            for _ in range(4):
                traveller.shift(dt.timedelta(minutes=1))
                assert client.get("/").status_code == 200
        assert session_writes(quick.captured_queries) == []

        traveller.shift(dt.timedelta(minutes=2))  # 6 minutes since the last write
        with CaptureQueriesContext(connection) as later:
            assert client.get("/").status_code == 200
        assert len(session_writes(later.captured_queries)) == 1
        six_minutes_in = START + dt.timedelta(minutes=6)
        assert client.session["_mrnavet_last_seen_at"] == int(six_minutes_in.timestamp())


def test_deactivation_ends_every_session_of_that_user_only(user):
    laptop, phone = signed_in(user), signed_in(user)
    colleague = signed_in(UserFactory())
    assert UserSession.objects.filter(user=user).count() == 2

    user.is_active = False
    user.save()

    assert not Session.objects.filter(
        session_key__in=[laptop.session.session_key, phone.session.session_key]).exists()
    assert not UserSession.objects.filter(user=user).exists()
    assert laptop.get("/").status_code == 302
    assert colleague.get("/").status_code == 200


def test_deactivation_in_the_admin_ends_the_sessions(user):
    from tests.factories import SuperuserFactory, enable_totp

    admin = SuperuserFactory()
    enable_totp(admin)
    admin_client = signed_in(admin)
    victim = signed_in(user)
    response = admin_client.post(f"/admin/users/edit/{user.pk}/", {
        "email": user.email, "first_name": "Anna", "last_name": "Andersson",
        "display_name": user.display_name or "Namn", "job_title": "",
        "is_active": "", "groups": list(user.groups.values_list("pk", flat=True)),
    })
    assert response.status_code == 302, response.context["form"].errors
    user.refresh_from_db()
    assert user.is_active is False
    assert victim.get("/").status_code == 302
    assert not UserSession.objects.filter(user=user).exists()


def test_inactive_user_with_a_live_session_is_signed_out_on_the_next_request(user):
    client = signed_in(user)
    key = client.session.session_key
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)  # no signals

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert not Session.objects.filter(session_key=key).exists()


def test_deleting_a_user_ends_the_sessions(user):
    client = signed_in(user)
    key = client.session.session_key
    user.delete()
    assert not Session.objects.filter(session_key=key).exists()


def test_cycled_session_key_is_tracked_again(client, user):
    """A password change cycles the key; deactivation must still reach the new one."""
    client.force_login(user)
    old_key = client.session.session_key
    response = client.post("/konto/password/change/", {
        "oldpassword": DEFAULT_PASSWORD,
        "password1": "Ett-helt-nytt-lösenord-2026", "password2": "Ett-helt-nytt-lösenord-2026",
    })
    assert response.status_code == 302
    new_key = client.session.session_key
    assert new_key != old_key
    assert UserSession.objects.filter(user=user, session_id=new_key).exists()

    user.is_active = False
    user.save()
    assert not Session.objects.filter(session_key=new_key).exists()


def test_ending_sessions_does_not_read_other_users_sessions(user):
    for _ in range(30):
        signed_in(UserFactory())
    signed_in(user)
    with CaptureQueriesContext(connection) as ctx:
        assert end_sessions_for(user) == 1
    assert len(ctx.captured_queries) <= 6  # however many other sessions exist
    assert Session.objects.count() == 30
