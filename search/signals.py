"""Synonym edits take effect on the next query: the cached synonym set is dropped."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Synonym
from .synonyms import forget_synonyms


@receiver([post_save, post_delete], sender=Synonym, dispatch_uid="search_synonyms_changed")
def synonyms_changed(sender, **kwargs):
    forget_synonyms()
    # Query matching expands synonyms in Python; Elasticsearch's own synonyms set only
    # serves highlighting, so it is refreshed after the change commits.
    from django.db import transaction

    from .backends import backend_name, get_backend

    if backend_name() == "elasticsearch":
        transaction.on_commit(lambda: get_backend().sync_synonyms())
