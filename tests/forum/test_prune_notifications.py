"""`manage.py forum_prune_notifications`: read notifications go after 90 days, unread ones
after 365, in batches, and never one that a digest would still send."""

from __future__ import annotations

import datetime
import importlib
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forum.emails import preference_for, send_digests
from forum.models import EmailPreference, Notification

from ..factories import UserFactory
from .factories import PostFactory

pytestmark = pytest.mark.django_db

prune_module = importlib.import_module("forum.management.commands.forum_prune_notifications")
Frequency = EmailPreference.Frequency
DAY = datetime.timedelta(days=1)


def note(user, age_days: float, *, read=False, emailed=False, post=None) -> Notification:
    """A notification made `age_days` ago, read and/or emailed when it was made."""
    created = timezone.now() - age_days * DAY
    return Notification.objects.create(
        user=user, kind=Notification.Kind.REPLY, created_at=created,
        thread=post.thread if post else None, post=post, actor=post.author if post else None,
        read_at=created if read else None, emailed_at=created if emailed else None,
    )


def prune(*args) -> str:
    out = StringIO()
    call_command("forum_prune_notifications", *args, stdout=out)
    return out.getvalue()


def exists(notification) -> bool:
    return Notification.objects.filter(pk=notification.pk).exists()


def set_digest(user, frequency, last_digest_at=None):
    preference = preference_for(user)
    preference.frequency = frequency
    preference.last_digest_at = last_digest_at
    preference.save()


# --- the retentions ---------------------------------------------------------------------------


def test_old_read_notifications_go_and_recent_ones_stay(user):
    old = note(user, 91, read=True)
    recent = note(user, 89, read=True)
    unread = note(user, 91)
    prune()
    assert not exists(old)
    assert exists(recent) and exists(unread)


def test_reading_late_does_not_extend_the_life_of_a_notification(user):
    """Both retentions count from when the notification was made."""
    old = note(user, 100)
    Notification.objects.filter(pk=old.pk).update(read_at=timezone.now())
    prune()
    assert not exists(old)


def test_unread_notifications_stay_until_the_unread_retention(user):
    half_a_year = note(user, 200)
    just_under = note(user, 364)
    over = note(user, 366)
    over_but_emailed = note(user, 366, emailed=True)
    prune()
    assert exists(half_a_year) and exists(just_under)
    assert not exists(over) and not exists(over_but_emailed)

    prune("--unread-days", "180")
    assert not exists(half_a_year)


def test_days_options(user):
    read = note(user, 10, read=True)
    unread = note(user, 10)
    prune("--days", "20")
    assert exists(read)
    prune("--days", "7")
    assert not exists(read) and exists(unread)
    prune("--days", "7", "--unread-days", "7")
    assert not exists(unread)


@pytest.mark.parametrize("args, message", [
    (["--days", "0"], "--days måste vara minst 1."),
    (["--days", "-5"], "--days måste vara minst 1."),
    (["--unread-days", "30"], "--unread-days måste vara minst lika många dagar som --days."),
    (["--days", "10", "--unread-days", "9"],
     "--unread-days måste vara minst lika många dagar som --days."),
])
def test_invalid_days_are_refused_in_swedish(user, args, message):
    kept = note(user, 400, read=True)
    with pytest.raises(CommandError) as error:
        prune(*args)
    assert str(error.value) == message
    assert exists(kept)  # nothing deleted before the check


def test_other_users_rows_are_judged_on_their_own(user):
    other, digest_user = UserFactory(), UserFactory()
    mine = note(user, 100, read=True)
    others_recent_read = note(other, 30, read=True)
    others_unread = note(other, 300)
    # digest_user's pending digest protects digest_user's rows only.
    set_digest(digest_user, Frequency.DAILY, last_digest_at=timezone.now() - 500 * DAY)
    protected = note(digest_user, 400)
    set_digest(other, Frequency.NEVER, last_digest_at=timezone.now() - 500 * DAY)
    others_old_unread = note(other, 400)

    prune()
    assert not exists(mine) and not exists(others_old_unread)
    assert exists(others_recent_read) and exists(others_unread) and exists(protected)
    assert Notification.objects.filter(user=other).count() == 2


# --- digests ------------------------------------------------------------------------------------


def test_unread_notifications_a_digest_would_still_send_are_kept():
    """Someone who went back to a daily digest after a long break (last_digest_at is old):
    the next digest takes everything unread and unemailed since, however old."""
    user = UserFactory()
    set_digest(user, Frequency.DAILY, last_digest_at=timezone.now() - 500 * DAY)
    pending = note(user, 400, post=PostFactory(text="Ett gammalt svar som väntar."))
    before_last_digest = note(user, 600)
    emailed = note(user, 400, emailed=True)
    read = note(user, 400, read=True)

    output = prune()
    assert exists(pending)
    assert not exists(before_last_digest) and not exists(emailed) and not exists(read)
    assert output.endswith(
        " 1 olästa sparas tills en e-postsammanfattning har skickat dem.\n")

    # The digest sends it, and the next run removes it.
    mail.outbox.clear()
    assert send_digests() == 1
    assert "Ett gammalt svar som väntar." in mail.outbox[0].body
    prune()
    assert not exists(pending)


def test_only_a_digest_the_user_still_gets_protects_a_notification():
    long_ago = timezone.now() - 500 * DAY
    immediate, never, inactive = UserFactory(), UserFactory(), UserFactory(is_active=False)
    set_digest(immediate, Frequency.IMMEDIATE, last_digest_at=long_ago)
    set_digest(never, Frequency.NEVER, last_digest_at=long_ago)
    set_digest(inactive, Frequency.WEEKLY, last_digest_at=long_ago)  # send_digests skips them
    notes = [note(u, 400) for u in (immediate, never, inactive)]
    prune()
    assert not any(exists(n) for n in notes)


def test_before_the_first_digest_the_digest_period_is_protected():
    """No digest yet: the first one takes the last day (daily) or week (weekly)."""
    daily, weekly = UserFactory(), UserFactory()
    set_digest(daily, Frequency.DAILY)
    set_digest(weekly, Frequency.WEEKLY)
    daily_note, weekly_note = note(daily, 3), note(weekly, 3)
    weekly_too_old = note(weekly, 8)
    prune("--days", "1", "--unread-days", "2")
    assert not exists(daily_note) and not exists(weekly_too_old)
    assert exists(weekly_note)


def test_digest_users_with_recent_digests_lose_old_unread_notifications():
    """The normal case: the daily digest ran this morning, so nothing old is pending."""
    user = UserFactory()
    set_digest(user, Frequency.DAILY, last_digest_at=timezone.now() - datetime.timedelta(hours=3))
    old = note(user, 366)
    prune()
    assert not exists(old)


# --- batches and output ---------------------------------------------------------------------------


def test_deletes_in_batches(user, monkeypatch):
    monkeypatch.setattr(prune_module, "BATCH_SIZE", 2)
    old_read = [note(user, 100 + i, read=True) for i in range(5)]
    old_unread = [note(user, 400 + i) for i in range(3)]
    kept = [note(user, 10, read=True), note(user, 100)]
    with CaptureQueriesContext(connection) as queries:
        output = prune()
    deletes = [q["sql"] for q in queries.captured_queries
               if q["sql"].lstrip().upper().startswith("DELETE")]
    assert len(deletes) == 3 + 2  # 2 + 2 + 1 read, 2 + 1 unread
    assert not any(exists(n) for n in old_read + old_unread)
    assert all(exists(n) for n in kept)
    assert output == ("Tog bort 5 lästa aviseringar äldre än 90 dagar och 3 olästa äldre än "
                      "365 dagar.\n")


def test_output_when_there_is_nothing_to_delete(user):
    note(user, 1)
    assert prune("--days", "30", "--unread-days", "60") == (
        "Tog bort 0 lästa aviseringar äldre än 30 dagar och 0 olästa äldre än 60 dagar.\n")
