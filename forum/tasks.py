"""Background tasks of the forum (django-tasks). Tasks carry ids only and read rows again."""

from __future__ import annotations

from django_tasks import task


@task()
def notify_post_task(post_id: int, thread_created: bool) -> int:
    """Create the notifications for a new post (their emails follow on commit)."""
    from .notify import create_post_notifications

    return len(create_post_notifications(post_id, thread_created))


@task()
def send_notification_emails_task(notification_ids: list[int]) -> int:
    from .emails import send_notification_emails

    return send_notification_emails(notification_ids)


@task()
def send_digests_task() -> int:
    from .emails import send_digests

    return send_digests()
