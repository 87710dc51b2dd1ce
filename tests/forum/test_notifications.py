"""Who gets a notification for a new post (forum.notify): levels, mentions, quotes, once per
unread run, and read access checked when the notification is made."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from forum import notify, services
from forum.models import Notification, Post, Watch, WatchLevel

from ..factories import UserFactory
from .factories import CategoryFactory, PostFactory, TagFactory, ThreadFactory, closed_category

pytestmark = pytest.mark.django_db

Kind = Notification.Kind


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (post_created → notification task → email task) at once."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def new_thread(committed):
    """A thread whose transaction has committed (as in production: notifications run)."""
    def make(**kwargs):
        with committed():
            return ThreadFactory(**kwargs)
    return make


@pytest.fixture
def new_reply(committed):
    def make(**kwargs):
        with committed():
            return PostFactory(**kwargs)
    return make


def handle(user) -> str:
    return user.email.split("@")[0]


def notifications_for(user):
    return list(Notification.objects.filter(user=user).order_by("pk"))


def watch(user, level, **target):
    Watch.objects.update_or_create(user=user, **target, defaults={"level": level})


# --- watching -----------------------------------------------------------------------------


def test_category_watcher_gets_new_thread_and_author_nothing(new_thread):
    category = CategoryFactory()
    watcher, author = UserFactory(), UserFactory()
    watch(watcher, WatchLevel.WATCHING, category=category)
    watch(author, WatchLevel.WATCHING, category=category)
    thread = new_thread(category=category, author=author)
    [notification] = notifications_for(watcher)
    assert notification.kind == Kind.NEW_THREAD
    assert notification.thread == thread
    assert notification.post == thread.posts.get(number=1)
    assert notification.actor == author
    assert notifications_for(author) == []


def test_tag_watcher_gets_new_thread(new_thread):
    tag = TagFactory()
    watcher = UserFactory()
    watch(watcher, WatchLevel.WATCHING, tag=tag)
    new_thread(tags=[tag])
    new_thread()  # without the tag
    assert [n.kind for n in notifications_for(watcher)] == [Kind.NEW_THREAD]


@pytest.mark.parametrize("level", [WatchLevel.NORMAL, WatchLevel.TRACKING])
def test_normal_and_tracking_category_levels_hear_of_no_new_posts(level, new_thread, new_reply):
    category = CategoryFactory()
    user = UserFactory()
    watch(user, level, category=category)
    thread = new_thread(category=category)
    new_reply(thread=thread)
    assert notifications_for(user) == []


def test_replying_makes_you_watch_and_be_notified_of_the_next_reply(new_thread, new_reply):
    starter, replier = UserFactory(), UserFactory()
    thread = new_thread(author=starter)
    first = new_reply(thread=thread, author=replier)
    [notification] = notifications_for(starter)
    assert (notification.kind, notification.post) == (Kind.REPLY, first)
    assert notifications_for(replier) == []  # never about your own post
    assert Watch.objects.get(user=replier, thread=thread).level == WatchLevel.WATCHING


def test_category_watching_notifies_every_post_in_every_thread(new_thread, new_reply):
    category = CategoryFactory()
    watcher = UserFactory()
    watch(watcher, WatchLevel.WATCHING, category=category)
    thread = new_thread(category=category)
    services.mark_read(watcher, thread, 1)
    new_reply(thread=thread)
    assert [n.kind for n in notifications_for(watcher)] == [Kind.NEW_THREAD, Kind.REPLY]


# --- once per unread run -------------------------------------------------------------------


def test_once_per_unread_run(new_thread, new_reply):
    starter = UserFactory()
    thread = new_thread(author=starter)
    new_reply(thread=thread)  # post 2: notifies
    new_reply(thread=thread)  # post 3: an unread reply notification exists
    assert len(notifications_for(starter)) == 1

    # Reading the notification is not reading the thread: still behind, still one.
    Notification.objects.filter(user=starter).update(read_at=timezone.now())
    new_reply(thread=thread)  # post 4
    assert len(notifications_for(starter)) == 1

    # Having read the thread, the next reply starts a new run.
    services.mark_read(starter, thread, 4)
    post = new_reply(thread=thread)  # post 5
    new_reply(thread=thread)  # post 6
    assert [n.post for n in notifications_for(starter)][1:] == [post]


def test_reading_the_thread_ends_the_run_even_if_the_notification_stays_unread(new_thread,
                                                                                  new_reply):
    starter = UserFactory()
    thread = new_thread(author=starter)
    new_reply(thread=thread)
    services.mark_read(starter, thread, 2)  # read via the thread page, not the list
    post = new_reply(thread=thread)
    assert [n.post for n in notifications_for(starter)][1:] == [post]


def test_old_posts_count_as_read_for_the_run(new_reply):
    """Past the unread cutoff a missing read mark does not hold notifications back."""
    category = CategoryFactory()
    watcher = UserFactory(date_joined=timezone.now() - datetime.timedelta(days=400))
    old = timezone.now() - datetime.timedelta(days=60)
    thread = ThreadFactory(category=category, now=old)
    watch(watcher, WatchLevel.WATCHING, category=category)
    new_reply(thread=thread)
    assert [n.kind for n in notifications_for(watcher)] == [Kind.REPLY]


def test_marking_the_category_read_counts_for_the_run(new_reply):
    from forum.unread import mark_category_read

    category = CategoryFactory()
    watcher = UserFactory(date_joined=timezone.now() - datetime.timedelta(days=5))
    watch(watcher, WatchLevel.WATCHING, category=category)
    thread = ThreadFactory(category=category, now=timezone.now() - datetime.timedelta(hours=1))
    new_reply(thread=thread)  # behind: never opened the thread
    assert notifications_for(watcher) == []
    mark_category_read(watcher, category)
    new_reply(thread=thread)
    assert len(notifications_for(watcher)) == 1


def test_running_twice_notifies_once(new_thread, new_reply):
    starter = UserFactory()
    thread = new_thread(author=starter)
    post = new_reply(thread=thread)
    assert notify.create_post_notifications(post.pk, False) == []
    assert len(notifications_for(starter)) == 1


# --- muted ----------------------------------------------------------------------------------


def test_muted_thread_gets_nothing_not_even_mentions(new_reply):
    starter, muter = UserFactory(), UserFactory()
    thread = ThreadFactory(author=starter)
    watch(muter, WatchLevel.MUTED, thread=thread)
    new_reply(thread=thread, text=f"Vad tycker @{handle(muter)} och @{handle(starter)}?")
    assert notifications_for(muter) == []
    assert [n.kind for n in notifications_for(starter)] == [Kind.MENTION]


def test_muted_category_silences_mentions_unless_the_thread_says_otherwise(new_reply):
    category = CategoryFactory()
    user = UserFactory()
    watch(user, WatchLevel.MUTED, category=category)
    quiet, loud = ThreadFactory(category=category), ThreadFactory(category=category)
    watch(user, WatchLevel.WATCHING, thread=loud)
    services.mark_read(user, loud, 1)
    new_reply(thread=quiet, text=f"Hej @{handle(user)}!")
    new_reply(thread=loud, text="Ett svar.")
    assert [(n.thread, n.kind) for n in notifications_for(user)] == [(loud, Kind.REPLY)]


def test_muting_a_thread_wins_over_watching_its_category(new_reply):
    category = CategoryFactory()
    user = UserFactory()
    watch(user, WatchLevel.WATCHING, category=category)
    thread = ThreadFactory(category=category)
    watch(user, WatchLevel.MUTED, thread=thread)
    new_reply(thread=thread)
    assert notifications_for(user) == []


def test_without_a_thread_level_the_highest_of_category_and_tags_applies():
    category, tag = CategoryFactory(), TagFactory()
    user = UserFactory()
    thread = ThreadFactory(category=category, tags=[tag])
    assert notify.effective_level(user, thread) == WatchLevel.NORMAL
    watch(user, WatchLevel.MUTED, category=category)
    assert notify.effective_level(user, thread) == WatchLevel.MUTED
    watch(user, WatchLevel.WATCHING, tag=tag)
    assert notify.effective_level(user, thread) == WatchLevel.WATCHING
    watch(user, WatchLevel.TRACKING, thread=thread)
    assert notify.effective_level(user, thread) == WatchLevel.TRACKING


# --- mentions and quotes ---------------------------------------------------------------------


def test_mention_notifies_a_normal_user(new_reply):
    mentioned = UserFactory()
    new_reply(text=f"Vet @{handle(mentioned)} hur vi gör?")
    [notification] = notifications_for(mentioned)
    assert notification.kind == Kind.MENTION


def test_mention_in_a_new_thread_beats_watching(new_thread):
    category = CategoryFactory()
    user = UserFactory()
    watch(user, WatchLevel.WATCHING, category=category)
    new_thread(category=category, text=f"Hej @{handle(user)}")
    assert [n.kind for n in notifications_for(user)] == [Kind.MENTION]


def test_mention_of_someone_who_may_not_read_the_thread_notifies_nobody(new_reply):
    group = Group.objects.create(name="Nätverket")
    member, outsider = UserFactory(), UserFactory()
    member.groups.add(group)
    category = closed_category(group)
    thread = ThreadFactory(category=category, author=member)
    new_reply(thread=thread, author=member,
                text=f"@{handle(outsider)} borde se det här.")
    assert notifications_for(outsider) == []


def test_mentions_are_capped_at_ten(committed):
    users = UserFactory.create_batch(12)
    thread = ThreadFactory()
    # services refuses more than ten mentions; a post stored with more (say, by an import)
    # still notifies only the first ten.
    post = Post.objects.create(
        thread=thread, number=2, author=thread.author, html="",
        markdown=" ".join(f"@{handle(u)}" for u in users),
    )
    with committed():
        ids = notify.create_post_notifications(post.pk, False)
    assert len(ids) == 10
    assert set(Notification.objects.values_list("user_id", flat=True)) == {u.pk for u in users[:10]}


def test_author_is_never_notified_even_when_mentioning_themselves(new_thread, new_reply):
    category = CategoryFactory()
    author = UserFactory()
    watch(author, WatchLevel.WATCHING, category=category)
    thread = new_thread(category=category, author=author, text=f"Jag, @{handle(author)}.")
    new_reply(thread=thread, author=author, text=f"Och igen @{handle(author)}.")
    assert notifications_for(author) == []


def test_quoting_a_post_notifies_its_author_at_normal_level(new_reply):
    quoted_author = UserFactory()
    thread = ThreadFactory()
    quoted = PostFactory(thread=thread, author=quoted_author)
    watch(quoted_author, WatchLevel.NORMAL, thread=thread)
    nested_author = UserFactory()
    nested = PostFactory(thread=thread, author=nested_author)
    watch(nested_author, WatchLevel.NORMAL, thread=thread)
    link, nested_link = (reverse("forum:post", args=[p.pk]) for p in (quoted, nested))
    reply = new_reply(thread=thread, text=(
        f"> [Någon skrev]({link}):\n>\n> > [Någon annan skrev]({nested_link}):\n> > Äldre\n"
        f">\n> Citat\n\nHåller med."))
    [notification] = notifications_for(quoted_author)
    assert (notification.kind, notification.post) == (Kind.REPLY, reply)
    assert notifications_for(nested_author) == []


# --- read access at creation -----------------------------------------------------------------


def test_category_watcher_without_read_access_gets_nothing(new_thread):
    group = Group.objects.create(name="Slutna gruppen")
    member, former = UserFactory(), UserFactory()
    member.groups.add(group)
    category = closed_category(group)
    # `former` watched the category while a member, then left the group.
    watch(former, WatchLevel.WATCHING, category=category)
    watch(member, WatchLevel.WATCHING, category=category)
    new_thread(category=category)
    assert notifications_for(former) == []
    assert len(notifications_for(member)) == 1


def test_hidden_thread_notifies_only_moderators(new_reply):
    category = CategoryFactory()
    reader, moderator = UserFactory(), UserFactory(roles=["Moderator"])
    thread = ThreadFactory(category=category)
    for user in (reader, moderator):
        watch(user, WatchLevel.WATCHING, thread=thread)
        services.mark_read(user, thread, 1)
    thread.is_hidden = True
    thread.save(update_fields=["is_hidden"])
    new_reply(thread=thread)
    assert notifications_for(reader) == []
    assert len(notifications_for(moderator)) == 1


def test_inactive_users_get_nothing(new_reply):
    user = UserFactory(is_active=False)
    new_reply(text=f"@{handle(user)}")
    assert notifications_for(user) == []


# --- other parts of the forum ----------------------------------------------------------------


def test_notify_user_checks_access_and_mute(committed):
    group = Group.objects.create(name="Grupp för accepterade svar")
    member, outsider = UserFactory(), UserFactory()
    member.groups.add(group)
    thread = ThreadFactory(category=closed_category(group), author=member)
    post = PostFactory(thread=thread, author=member)
    with committed():
        assert notify.notify_user(outsider, Kind.ACCEPTED, thread=thread, post=post) is None
        open_thread = ThreadFactory()
        watch(outsider, WatchLevel.MUTED, thread=open_thread)
        assert notify.notify_user(outsider, Kind.ACCEPTED, thread=open_thread) is None
        notification = notify.notify_user(outsider, Kind.MODERATION, thread=open_thread,
                                          message="Dolt: personuppgifter", respect_mute=False)
    assert notification.kind == Kind.MODERATION


def test_viewing_a_thread_reads_its_notifications(new_thread, new_reply):
    starter = UserFactory()
    thread = new_thread(author=starter)
    post = new_reply(thread=thread, text=f"@{handle(starter)}")
    assert notify.mark_thread_notifications_read(starter, thread, post.number - 1) == 0
    assert notify.mark_thread_notifications_read(starter, thread, post.number) == 1
    assert not Notification.objects.filter(user=starter, read_at__isnull=True).exists()
