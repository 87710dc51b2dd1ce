"""Keeping the "forum" search source current.

The forum sends `thread_changed` on commit whenever anything a thread's document holds may
have changed (new thread, reply, edit, delete, hide, move, merge, split, tags); we queue
that thread. Category names and rights areas, organisation unit names and an author's unit
are part of the documents too, so their changes queue the threads concerned. Read
permissions are not: they are applied at query time through the category token.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.dispatch import receiver

from cms.models import OrganisationUnit, RightsArea
from cms.search_signals import on_field_change, queue

from .models import Category, Thread
from .signals import thread_changed

SOURCE = "forum"


def _queue_threads(**filters) -> None:
    queue(SOURCE, Thread.objects.filter(**filters).order_by("pk").values_list("pk", flat=True))


@receiver(thread_changed, dispatch_uid="search_forum_thread_changed")
def reindex_thread(sender, thread_id, **kwargs):
    queue(SOURCE, [thread_id])


on_field_change(Category, ("name", "slug", "rights_area_id"),
                lambda category: _queue_threads(category=category),
                uid="search_forum_category")
on_field_change(OrganisationUnit, ("name", "slug"),
                lambda unit: _queue_threads(author__organisation_unit=unit),
                uid="search_forum_unit")
on_field_change(get_user_model(), ("organisation_unit_id",),
                lambda user: _queue_threads(author=user),
                uid="search_forum_author_unit")
on_field_change(RightsArea, ("slug",),
                lambda area: _queue_threads(category__rights_area=area),
                uid="search_forum_area")
