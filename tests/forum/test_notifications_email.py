"""Notification email: content, headers, preferences, the permission re-check at send time,
one-click unsubscribe, and daily/weekly digests."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from forum import notify, services
from forum.emails import preference_for
from forum.models import EmailPreference, Notification, Watch, WatchLevel

from ..factories import UserFactory
from .factories import CategoryFactory, PostFactory, ThreadFactory, closed_category

pytestmark = pytest.mark.django_db

Frequency = EmailPreference.Frequency
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def base_url(settings):
    settings.BASE_URL = "https://mr-navet.malmo.se"
    return settings.BASE_URL


def handle(user) -> str:
    return user.email.split("@")[0]


def set_frequency(user, frequency):
    preference = preference_for(user)
    preference.frequency = frequency
    preference.save()
    return preference


def mail_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def mention(committed, user, text="", **kwargs):
    with committed():
        return PostFactory(text=f"Hej @{handle(user)}! {text}", **kwargs)


# --- immediate email --------------------------------------------------------------------------


def test_immediate_email_content_and_headers(committed, base_url):
    user = UserFactory(display_name="Kim Lind")
    thread = ThreadFactory(title="Barnkonsekvensanalys i budgeten")
    mail.outbox.clear()
    post = mention(committed, user, "Vad tycker du om **den nya mallen**? <script>x()</script>\n\n"
                   "> ett citat som inte ska med", thread=thread)
    [message] = mail_to(user)
    assert message.subject.startswith("[MR-navet] ")
    assert "nämnde dig i ”Barnkonsekvensanalys i budgeten”" in message.subject
    body = message.body
    assert "Hej Kim Lind!" in body
    assert "Vad tycker du om den nya mallen?" in body  # plain text, not Markdown or HTML
    assert "**" not in body and "<strong>" not in body
    assert "ett citat som inte ska med" not in body
    assert f"{base_url}/forum/inlagg/{post.pk}/" in body
    token = EmailPreference.objects.get(user=user).unsubscribe_token
    unsubscribe = f"{base_url}{reverse('forum:unsubscribe', args=[token])}"
    assert unsubscribe in body
    assert message.extra_headers["List-Unsubscribe"] == f"<{unsubscribe}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert Notification.objects.get(user=user).emailed_at is not None


def test_email_for_a_reply_and_for_a_new_thread(committed):
    category = CategoryFactory(name="Jämställdhet")
    watcher = UserFactory()
    Watch.objects.create(user=watcher, category=category, level=WatchLevel.WATCHING)
    mail.outbox.clear()
    with committed():
        thread = ThreadFactory(category=category, title="Könsuppdelad statistik")
    services.mark_read(watcher, thread, 1)
    with committed():
        PostFactory(thread=thread)
    subjects = [m.subject for m in mail_to(watcher)]
    assert len(subjects) == 2
    assert "startade tråden ”Könsuppdelad statistik” i Jämställdhet" in subjects[0]
    assert "svarade i ”Könsuppdelad statistik”" in subjects[1]


@pytest.mark.parametrize("frequency", [Frequency.DAILY, Frequency.WEEKLY, Frequency.NEVER])
def test_no_immediate_email_unless_chosen(committed, frequency):
    user = UserFactory()
    set_frequency(user, frequency)
    mention(committed, user)
    assert mail_to(user) == []
    notification = Notification.objects.get(user=user)  # in-app all the same
    assert notification.emailed_at is None


def test_no_email_when_access_is_lost_between_post_and_email(django_capture_on_commit_callbacks):
    group = Group.objects.create(name="Samordnarnätverk (test)")
    member, author = UserFactory(), UserFactory()
    member.groups.add(group)
    author.groups.add(group)
    thread = ThreadFactory(category=closed_category(group), author=author)
    post = PostFactory(thread=thread, author=author, text=f"@{handle(member)} titta här")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify.create_post_notifications(post.pk, False)
    assert Notification.objects.filter(user=member).count() == 1  # readable when created
    member.groups.remove(group)
    for callback in callbacks:  # the email task runs after the change
        callback()
    assert mail.outbox == []
    assert Notification.objects.get(user=member).emailed_at is None


def test_no_email_when_the_post_was_hidden_before_sending(django_capture_on_commit_callbacks):
    user = UserFactory()
    post = PostFactory(text=f"@{handle(user)}")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify.create_post_notifications(post.pk, False)
    post.is_hidden = True
    post.save()
    for callback in callbacks:
        callback()
    assert mail.outbox == []


def test_email_task_sends_each_notification_once(committed):
    from forum.emails import send_notification_emails

    user = UserFactory()
    mention(committed, user)
    assert len(mail_to(user)) == 1
    assert send_notification_emails(Notification.objects.values_list("pk", flat=True)) == 0
    assert len(mail_to(user)) == 1


# --- unsubscribe ------------------------------------------------------------------------------


def test_unsubscribe_get_shows_a_confirmation_without_login_and_changes_nothing():
    preference = preference_for(UserFactory())
    response = Client().get(reverse("forum:unsubscribe", args=[preference.unsubscribe_token]))
    assert response.status_code == 200
    assert "Sluta få e-post från forumet" in response.content.decode()
    preference.refresh_from_db()
    assert preference.frequency == Frequency.IMMEDIATE


def test_one_click_unsubscribe_post_works_without_login_or_csrf_token():
    preference = preference_for(UserFactory())
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("forum:unsubscribe", args=[preference.unsubscribe_token]),
                           {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "inte längre e-post" in response.content.decode()
    preference.refresh_from_db()
    assert preference.frequency == Frequency.NEVER


def test_unsubscribe_link_in_the_email_works(committed, base_url):
    user = UserFactory()
    mention(committed, user)
    link = mail_to(user)[0].extra_headers["List-Unsubscribe"].strip("<>")
    response = Client(enforce_csrf_checks=True).post(link.removeprefix(base_url))
    assert response.status_code == 200
    assert preference_for(user).frequency == Frequency.NEVER
    mail.outbox.clear()
    mention(committed, user)
    assert mail_to(user) == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_unknown_unsubscribe_token_is_404(method):
    preference_for(UserFactory())
    response = getattr(Client(), method)(reverse("forum:unsubscribe", args=["inte-en-nyckel"]))
    assert response.status_code == 404


def test_other_views_still_need_a_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(reverse("forum:settings"), {"frequency": "never"}).status_code == 403


# --- digests ------------------------------------------------------------------------------------


def _at(year, month, day, hour=7):
    return datetime.datetime(year, month, day, hour, tzinfo=STOCKHOLM)


def _notify(user, text="Ett svar om tillgänglighet."):
    """A notification as if made by a post (without going through its email task)."""
    post = PostFactory(text=text)
    return Notification.objects.create(user=user, kind=Notification.Kind.MENTION,
                                       thread=post.thread, post=post, actor=post.author)


def test_daily_digest_collects_unread_unemailed_notifications(base_url):
    user = UserFactory(display_name="Sam Berg")
    set_frequency(user, Frequency.DAILY)
    with time_machine.travel(_at(2026, 3, 3, 10), tick=False):  # a Tuesday
        first = _notify(user, "Första **viktiga** svaret.")
        second = _notify(user, "Andra svaret.")
        already_read = _notify(user, "Läst redan.")
        already_read.read_at = already_read.created_at
        already_read.save()
    mail.outbox.clear()
    with time_machine.travel(_at(2026, 3, 4), tick=False):
        call_command("forum_send_digests")
    [message] = mail.outbox
    assert message.subject == "[MR-navet] Daglig sammanfattning från forumet: 2 aviseringar"
    assert "Första viktiga svaret." in message.body
    assert "Andra svaret." in message.body
    assert "Läst redan." not in message.body
    assert f"{base_url}/forum/inlagg/{first.post_id}/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = preference_for(user).unsubscribe_token
    assert reverse("forum:unsubscribe", args=[token]) in message.body
    first.refresh_from_db(), second.refresh_from_db(), already_read.refresh_from_db()
    assert first.emailed_at and second.emailed_at and already_read.emailed_at is None
    assert preference_for(user).last_digest_at == _at(2026, 3, 4)

    # Run again the same morning: nothing new, nothing sent.
    mail.outbox.clear()
    with time_machine.travel(_at(2026, 3, 4, 8), tick=False):
        _notify(user)
        call_command("forum_send_digests")
    assert mail.outbox == []
    # The next day: the one since the last digest.
    with time_machine.travel(_at(2026, 3, 5), tick=False):
        call_command("forum_send_digests")
    [message] = mail.outbox
    assert message.subject.endswith(": 1 avisering")


def test_weekly_digest_goes_out_on_mondays_or_after_seven_days():
    user = UserFactory()
    set_frequency(user, Frequency.WEEKLY)
    with time_machine.travel(_at(2026, 3, 3), tick=False):  # Tuesday
        _notify(user)
    mail.outbox.clear()
    with time_machine.travel(_at(2026, 3, 4), tick=False):  # Wednesday: not yet
        call_command("forum_send_digests")
    assert mail.outbox == []
    with time_machine.travel(_at(2026, 3, 9), tick=False):  # Monday
        call_command("forum_send_digests")
    [message] = mail.outbox
    assert message.subject == "[MR-navet] Veckosammanfattning från forumet: 1 avisering"

    mail.outbox.clear()
    with time_machine.travel(_at(2026, 3, 12), tick=False):  # Thursday
        _notify(user)
        call_command("forum_send_digests")
    assert mail.outbox == []
    with time_machine.travel(_at(2026, 3, 16), tick=False):  # the next Monday
        call_command("forum_send_digests")
    assert len(mail.outbox) == 1

    # A missed Monday (the cron job did not run): seven days after the last one is enough.
    preference = preference_for(user)
    preference.last_digest_at = _at(2026, 3, 10)
    preference.save()
    mail.outbox.clear()
    with time_machine.travel(_at(2026, 3, 17, 6), tick=False):  # Tuesday
        _notify(user)
    with time_machine.travel(_at(2026, 3, 17), tick=False):
        call_command("forum_send_digests")
    assert len(mail.outbox) == 1


def test_digest_rechecks_read_access():
    group = Group.objects.create(name="Digestgruppen")
    user = UserFactory()
    user.groups.add(group)
    set_frequency(user, Frequency.DAILY)
    with time_machine.travel(_at(2026, 3, 3, 10), tick=False):
        thread = ThreadFactory(category=closed_category(group))
        post = PostFactory(thread=thread, text="Hemligt svar.")
        Notification.objects.create(user=user, kind=Notification.Kind.REPLY, thread=thread,
                                    post=post)
        _notify(user, "Öppet svar.")
    user.groups.remove(group)
    mail.outbox.clear()
    with time_machine.travel(_at(2026, 3, 4), tick=False):
        call_command("forum_send_digests")
    [message] = mail.outbox
    assert "Öppet svar." in message.body
    assert "Hemligt svar." not in message.body
    assert Notification.objects.get(post=post).emailed_at is None


def test_digest_users_with_nothing_new_get_no_email():
    for frequency in (Frequency.DAILY, Frequency.WEEKLY, Frequency.NEVER, Frequency.IMMEDIATE):
        set_frequency(UserFactory(), frequency)
    mail.outbox.clear()
    with time_machine.travel(_at(2026, 3, 9), tick=False):
        call_command("forum_send_digests")
    assert mail.outbox == []
