"""Forum email: one message per notification, or a daily/weekly digest.

Run from tasks only (tasks.py). Each notification is read again from the database and the
recipient's read access checked again just before sending: between a post and its email
the recipient may have lost a group, or the post may have been hidden. Every message
carries a one-click unsubscribe link, in the body and as List-Unsubscribe (RFC 8058).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .authors import author_label
from .indexing import plain_text
from .markup import render_markdown
from .models import EmailPreference, Notification
from .notify import may_read_post
from .permissions import ForumPermissions

EXCERPT_LENGTH = 400
DIGEST_EXCERPT_LENGTH = 160
DAILY = datetime.timedelta(days=1)
WEEKLY = datetime.timedelta(days=7)
# A cron job that runs a little early or twice must not send a second digest.
DIGEST_SLACK = datetime.timedelta(hours=4)

Frequency = EmailPreference.Frequency


def preference_for(user) -> EmailPreference:
    preference, _created = EmailPreference.objects.get_or_create(user=user)
    return preference


def absolute_url(path: str) -> str:
    return settings.BASE_URL.rstrip("/") + path


def unsubscribe_url(preference: EmailPreference) -> str:
    return absolute_url(reverse("forum:unsubscribe", args=[preference.unsubscribe_token]))


def notification_url(notification: Notification) -> str:
    if notification.post_id:
        return absolute_url(reverse("forum:post", args=[notification.post_id]))
    return absolute_url(reverse("forum:thread", args=[notification.thread_id]))


def plain_excerpt(post, length: int = EXCERPT_LENGTH) -> str:
    """The post as plain text (its Markdown through the one sanitising path, then the
    text of that), without the posts it quotes, shortened to about `length` characters."""
    text = plain_text(render_markdown(post.markdown).html)
    if len(text) > length:
        text = text[:length].rsplit(" ", 1)[0].rstrip(" ,.;:–-") + " …"
    return text


def describe(notification: Notification) -> str:
    """One Swedish line: who did what where (also used on the list page)."""
    values = {
        "actor": author_label(notification.actor),
        "thread": notification.thread.title if notification.thread else "",
        "category": notification.thread.category.name if notification.thread else "",
    }
    kind = notification.kind
    if kind == Notification.Kind.MENTION:
        return _("%(actor)s nämnde dig i ”%(thread)s”") % values
    if kind == Notification.Kind.NEW_THREAD:
        return _("%(actor)s startade tråden ”%(thread)s” i %(category)s") % values
    if kind == Notification.Kind.ACCEPTED:
        return _("%(actor)s markerade ditt svar i ”%(thread)s” som accepterat") % values
    if kind == Notification.Kind.MODERATION:
        return _("En moderator har hanterat ditt inlägg i ”%(thread)s”") % values
    return _("%(actor)s svarade i ”%(thread)s”") % values


def _deliverable(notification: Notification, perms_cache: dict) -> bool:
    """Still worth sending: unread, the recipient active and still allowed to read it."""
    user = notification.user
    if notification.read_at or not user.is_active or not user.email or notification.thread is None:
        return False
    perms = perms_cache.get(user.pk)
    if perms is None:
        perms = perms_cache[user.pk] = ForumPermissions(user)
    if notification.post is not None:
        notification.post.thread = notification.thread
        return may_read_post(perms, notification.post)
    return perms.can_read_thread(notification.thread)


def _send(user, preference: EmailPreference, subject: str, body: str) -> None:
    link = unsubscribe_url(preference)
    message = EmailMessage(
        subject=" ".join(subject.split()),
        body=body.strip() + "\n",
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.send()


def _load(queryset):
    return queryset.select_related("user", "actor", "thread__category", "post")


def _item(notification: Notification, excerpt_length: int, inline: bool = False) -> dict:
    excerpt = (plain_excerpt(notification.post, excerpt_length) if notification.post
               else notification.message)
    return {
        "notification": notification,
        "summary": describe(notification),
        "excerpt": " ".join(excerpt.split()) if inline else excerpt,
        "url": notification_url(notification),
    }


def send_notification_emails(notification_ids) -> int:
    """Email each notification now to recipients who want immediate email. Returns the
    number of emails sent."""
    sent = 0
    perms_cache: dict = {}
    for notification in _load(Notification.objects.filter(pk__in=list(notification_ids),
                                                          emailed_at__isnull=True)):
        user = notification.user
        preference = preference_for(user)
        if preference.frequency != Frequency.IMMEDIATE:
            continue  # daily/weekly: the digest takes it; never: nothing
        if not _deliverable(notification, perms_cache):
            continue
        # Claim the row first: a task retried or run twice sends at most one email.
        claimed = Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
            emailed_at=timezone.now())
        if not claimed:
            continue
        context = {
            **_item(notification, EXCERPT_LENGTH),
            "user": user,
            "unsubscribe_url": unsubscribe_url(preference),
            "settings_url": absolute_url(reverse("forum:settings")),
        }
        _send(user, preference,
              render_to_string("forum/email/notification_subject.txt", context),
              render_to_string("forum/email/notification.txt", context))
        sent += 1
    return sent


def digest_due(preference: EmailPreference, now: datetime.datetime) -> bool:
    """Daily: once a day. Weekly: on Mondays, or when a week has passed since the last."""
    last = preference.last_digest_at
    if preference.frequency == Frequency.DAILY:
        return last is None or now - last >= DAILY - DIGEST_SLACK
    if preference.frequency == Frequency.WEEKLY:
        if last is not None and now - last >= WEEKLY - DIGEST_SLACK:
            return True
        is_monday = timezone.localtime(now).weekday() == 0
        return is_monday and (last is None or now - last >= DAILY - DIGEST_SLACK)
    return False


def send_digest(preference: EmailPreference, now: datetime.datetime) -> bool:
    """One digest of the unread, not yet emailed notifications since the last digest.
    Returns whether an email went out; last_digest_at moves on either way."""
    user = preference.user
    period = DAILY if preference.frequency == Frequency.DAILY else WEEKLY
    since = preference.last_digest_at or now - period
    perms_cache: dict = {}
    notifications = [
        n for n in _load(Notification.objects.filter(
            user=user, read_at__isnull=True, emailed_at__isnull=True,
            created_at__gt=since, created_at__lte=now,
        ).order_by("created_at", "pk"))
        if _deliverable(n, perms_cache)
    ]
    preference.last_digest_at = now
    preference.save(update_fields=["last_digest_at"])
    if not notifications:
        return False
    Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(emailed_at=now)
    context = {
        "user": user,
        "items": [_item(n, DIGEST_EXCERPT_LENGTH, inline=True) for n in notifications],
        "count": len(notifications),
        "weekly": preference.frequency == Frequency.WEEKLY,
        "unsubscribe_url": unsubscribe_url(preference),
        "settings_url": absolute_url(reverse("forum:settings")),
        "notifications_url": absolute_url(reverse("forum:notifications")),
    }
    _send(user, preference, render_to_string("forum/email/digest_subject.txt", context),
          render_to_string("forum/email/digest.txt", context))
    return True


def send_digests(now: datetime.datetime | None = None) -> int:
    """Send every digest that is due. Returns the number of emails sent."""
    now = now or timezone.now()
    sent = 0
    preferences = EmailPreference.objects.filter(
        frequency__in=[Frequency.DAILY, Frequency.WEEKLY], user__is_active=True,
    ).select_related("user").order_by("pk")
    for preference in preferences:
        if digest_due(preference, now) and send_digest(preference, now):
            sent += 1
    return sent
