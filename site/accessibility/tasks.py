"""Background tasks (django-tasks): the email to the accessibility contact."""

from __future__ import annotations

from django_tasks import task


@task()
def send_feedback_email_task(feedback_id: int) -> bool:
    from .emails import send_feedback_email

    return send_feedback_email(feedback_id)
