"""Queue text extraction whenever a document is uploaded or replaced."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import MRDocument


@receiver(post_save, sender=MRDocument, dispatch_uid="cms_extract_document_text")
def queue_text_extraction(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .tasks import extract_document_text_task

    document_id = instance.pk
    transaction.on_commit(lambda: extract_document_text_task.enqueue(document_id))
