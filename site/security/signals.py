"""Keep the user-to-session mapping, and end sessions of deactivated or deleted accounts."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_delete, pre_save
from django.dispatch import receiver

from . import sessions
from .uploads import random_stored_name, safe_original_name


@receiver(user_logged_in, dispatch_uid="security_start_session")
def start_session(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        sessions.start(request, user)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="security_deactivated")
def end_sessions_of_deactivated(sender, instance, raw=False, **kwargs):
    if not raw and not instance.is_active:
        sessions.end_sessions_for(instance)


@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="security_deleted")
def end_sessions_of_deleted(sender, instance, **kwargs):
    sessions.end_sessions_for(instance)


def store_under_random_name(sender, instance, raw=False, **kwargs):
    """A new upload is stored as <random token>.<extension>; a document keeps its own name.

    Stored names then reveal nothing about the content and cannot be guessed from a title.
    """
    file = instance.file
    if raw or not file or getattr(file, "_committed", True):
        return
    if hasattr(instance, "original_filename"):
        instance.original_filename = safe_original_name(file.name)
    file.name = random_stored_name(file.name)


def connect_upload_naming() -> None:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    for model in (get_document_model(), get_image_model()):
        pre_save.connect(
            store_under_random_name, sender=model,
            dispatch_uid=f"security_random_name_{model._meta.label_lower}",
        )


connect_upload_naming()
