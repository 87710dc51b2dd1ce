"""Background tasks of the cms app (django-tasks). Tasks carry ids only."""

from __future__ import annotations

from django_tasks import task


@task()
def send_review_reminders_task() -> int:
    from .review import send_review_reminders

    return send_review_reminders()


@task()
def extract_document_text_task(document_id: int) -> None:
    from .extraction import store_extracted_text

    store_extracted_text(document_id)
