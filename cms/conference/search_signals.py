"""Keeping the "konferens" search source current.

Sessions are plain models (no drafts), so their own saves and deletions queue them; an
edition's publish, unpublish, move or slug change, and view restrictions above it, queue
all its sessions (they appear and vanish with their edition). The task re-reads the
session through the source, which checks that its edition is live.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from wagtail.models import PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from cms.models import OrganisationUnit, RightsArea
from cms.search_signals import on_field_change, queue, queue_removal, restricted_page_path

from .models import EditionPage, Session, TimeSlot

SOURCE = "konferens"


def _queue_sessions(**filters) -> None:
    queue(SOURCE, Session.objects.filter(**filters).order_by("pk").values_list("pk", flat=True))


def _queue_below(path: str) -> None:
    """Sessions of every edition at or below the page at `path`."""
    _queue_sessions(edition__path__startswith=path)


@receiver(post_save, sender=Session, dispatch_uid="search_session_saved")
def session_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        queue(SOURCE, [instance.pk])


@receiver(post_delete, sender=Session, dispatch_uid="search_session_deleted")
def session_deleted(sender, instance, **kwargs):
    queue_removal(SOURCE, [instance.pk])


@receiver(m2m_changed, sender=Session.rights_areas.through, dispatch_uid="search_session_areas")
def session_areas_changed(sender, instance, action, reverse=False, pk_set=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # area.conference_sessions changed
        if pk_set:
            queue(SOURCE, sorted(pk_set))
    else:
        queue(SOURCE, [instance.pk])


@receiver(page_published, dispatch_uid="search_edition_published")
@receiver(page_unpublished, dispatch_uid="search_edition_unpublished")
def edition_changed(sender, instance, **kwargs):
    if isinstance(instance, EditionPage):
        _queue_sessions(edition_id=instance.pk)


@receiver(post_page_move, dispatch_uid="search_edition_moved")
@receiver(page_slug_changed, dispatch_uid="search_edition_slug_changed")
def page_url_changed(sender, instance, **kwargs):
    _queue_below(instance.path)


@receiver(post_save, sender=PageViewRestriction, dispatch_uid="search_edition_restriction_saved")
@receiver(post_delete, sender=PageViewRestriction,
          dispatch_uid="search_edition_restriction_deleted")
def restriction_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    path = restricted_page_path(instance)
    if path is not None:
        _queue_below(path)


@receiver(m2m_changed, sender=PageViewRestriction.groups.through,
          dispatch_uid="search_edition_restriction_groups")
def restriction_groups_changed(sender, instance, action, reverse=False, pk_set=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:
        restrictions = (PageViewRestriction.objects.all() if action == "post_clear"
                        else PageViewRestriction.objects.filter(pk__in=pk_set or []))
        for restriction in restrictions:
            restriction_changed(sender, restriction)
    else:
        restriction_changed(sender, instance)


on_field_change(TimeSlot, ("starts_at",), lambda slot: _queue_sessions(slot=slot),
                uid="search_session_slot")
on_field_change(OrganisationUnit, ("name", "slug"),
                lambda unit: _queue_sessions(organisation_unit=unit), uid="search_session_unit")
on_field_change(RightsArea, ("slug",), lambda area: _queue_sessions(rights_areas=area),
                uid="search_session_area")
