"""Queue text extraction when a document's file is uploaded or replaced (not on title edits)."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_init, post_save
from django.dispatch import receiver

from .models import MRDocument


@receiver(post_init, sender=MRDocument, dispatch_uid="cms_remember_document_file")
def remember_file_name(sender, instance, **kwargs):
    instance._loaded_file_name = instance.file.name if instance.file else None


@receiver(post_save, sender=MRDocument, dispatch_uid="cms_extract_document_text")
def queue_text_extraction(sender, instance, created=False, raw=False, **kwargs):
    if raw:
        return
    current = instance.file.name if instance.file else None
    if not created and current == getattr(instance, "_loaded_file_name", None):
        return
    instance._loaded_file_name = current
    from .tasks import extract_document_text_task

    document_id = instance.pk
    transaction.on_commit(lambda: extract_document_text_task.enqueue(document_id))
