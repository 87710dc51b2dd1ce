"""Keeping the "page" search source current, and the helpers every source's handlers share.

Pages are (re)indexed on Wagtail's own events -- publish, unpublish, move, slug change,
deletion -- and on changes to view restrictions, attached documents and taxonomy names;
never on a plain save (a draft save touches only revisions, and the page source reads live
rows only, so even a stray event cannot index a draft). Handlers only queue ids
(search.indexing.queue_index, run on commit); the task re-reads the page through the source.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

from .models import (
    Attachment,
    ContentPage,
    MRDocument,
    OrganisationUnit,
    Principle,
    RightsArea,
    StaircaseStep,
    TargetGroup,
)

SOURCE = "page"

# --- shared helpers (also used by forum.search_signals and conference.search_signals) ----

_paused: ContextVar[bool] = ContextVar("search_live_updates_paused", default=False)


@contextmanager
def live_updates_paused():
    """Within the block (and for on-commit signals sent while it is active), events queue
    nothing. For bulk loads that rebuild the whole index afterwards (load_demo,
    import_content); also usable as a decorator."""
    token = _paused.set(True)
    try:
        yield
    finally:
        _paused.reset(token)


def live_updates_are_paused() -> bool:
    return _paused.get()


def queue(source: str, pks: Iterable[int]) -> None:
    """(Re)index these objects of `source` once the transaction commits."""
    if _paused.get():
        return
    from search.indexing import queue_index

    for pk in dict.fromkeys(pks):  # each once, in order
        queue_index(source, pk)


def queue_removal(source: str, pks: Iterable[int]) -> None:
    if _paused.get():
        return
    from search.indexing import queue_remove

    for pk in dict.fromkeys(pks):
        queue_remove(source, pk)


def subtree(page_or_path) -> Iterator[int]:
    """Ids of the content pages at and below a page (or tree path)."""
    path = page_or_path if isinstance(page_or_path, str) else page_or_path.path
    return iter(ContentPage.objects.filter(path__startswith=path).order_by("path")
                .values_list("pk", flat=True))


def restricted_page_path(restriction: PageViewRestriction) -> str | None:
    """Tree path of a restriction's page, or None when the page is already gone."""
    return Page.objects.filter(pk=restriction.page_id).values_list("path", flat=True).first()


# --- page events ------------------------------------------------------------------------

@receiver(page_published, dispatch_uid="search_page_published")
@receiver(page_unpublished, dispatch_uid="search_page_unpublished")
def page_changed(sender, instance, **kwargs):
    if isinstance(instance, ContentPage):
        queue(SOURCE, [instance.pk])


@receiver(post_page_move, dispatch_uid="search_page_moved")
def page_moved(sender, instance, url_path_before=None, url_path_after=None, **kwargs):
    # The URL (and possibly the view restrictions) of the whole subtree may have changed.
    queue(SOURCE, subtree(instance))


@receiver(page_slug_changed, dispatch_uid="search_page_slug_changed")
def page_slug_changed_handler(sender, instance, **kwargs):
    # Sent on commit; the URLs of the page and of everything below it changed.
    queue(SOURCE, subtree(instance))


@receiver(post_delete, sender=ContentPage, dispatch_uid="search_page_deleted")
def page_deleted(sender, instance, **kwargs):
    # Sent for every content page removed, descendants of a deleted page included.
    queue_removal(SOURCE, [instance.pk])


# --- view restrictions ------------------------------------------------------------------

@receiver(post_save, sender=PageViewRestriction, dispatch_uid="search_restriction_saved")
@receiver(post_delete, sender=PageViewRestriction, dispatch_uid="search_restriction_deleted")
def restriction_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    path = restricted_page_path(instance)
    if path is not None:
        queue(SOURCE, subtree(path))


@receiver(m2m_changed, sender=PageViewRestriction.groups.through,
          dispatch_uid="search_restriction_groups")
def restriction_groups_changed(sender, instance, action, reverse=False, pk_set=None, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # group.page_view_restrictions changed: every restriction involved
        restrictions = PageViewRestriction.objects.filter(pk__in=pk_set or [])
        if action == "post_clear":  # the ids are gone by now; reindex every restricted page
            restrictions = PageViewRestriction.objects.all()
        for restriction in restrictions:
            restriction_changed(sender, restriction)
    else:
        restriction_changed(sender, instance)


# --- attached documents -----------------------------------------------------------------

def pages_attaching(document_ids: Iterable[int]) -> list[int]:
    return list(Attachment.objects.filter(document_id__in=list(document_ids))
                .order_by("page_id").values_list("page_id", flat=True).distinct())


@receiver(post_save, sender=MRDocument, dispatch_uid="search_document_saved")
def document_saved(sender, instance, created=False, raw=False, **kwargs):
    if not raw and not created:
        queue(SOURCE, pages_attaching([instance.pk]))


@receiver(post_delete, sender=Attachment, dispatch_uid="search_attachment_deleted")
def attachment_deleted(sender, instance, **kwargs):
    # Covers a document deleted from the library (its attachments cascade). Attachment rows
    # change on publish too, which reindexes the page anyway; a draft never touches them.
    queue(SOURCE, [instance.page_id])


def _extraction_finished(sender, task_result, **kwargs):
    """cms.extraction stores the text with a queryset update (no post_save): reindex the
    pages attaching the document once its extraction task has finished."""
    from django_tasks import TaskResultStatus

    from .tasks import extract_document_text_task

    if (task_result.task.module_path != extract_document_text_task.module_path
            or task_result.status != TaskResultStatus.SUCCESSFUL or not task_result.args):
        return
    queue(SOURCE, pages_attaching([task_result.args[0]]))


def _connect_task_signal() -> None:
    from django_tasks.signals import task_finished

    task_finished.connect(_extraction_finished, dispatch_uid="search_document_text_extracted")


_connect_task_signal()


# --- taxonomy names (the "meta" words) --------------------------------------------------

_MISSING = object()


def on_field_change(model, fields: tuple[str, ...], handler, uid: str) -> None:
    """Call handler(instance) after an existing `model` row is saved with any of `fields`
    (attribute names) changed. Deferred fields are never loaded for the comparison."""
    attr = f"_search_loaded_{uid}"

    def remember(sender, instance, **kwargs):
        setattr(instance, attr, {f: instance.__dict__.get(f, _MISSING) for f in fields})

    def saved(sender, instance, created=False, raw=False, **kwargs):
        if raw or created:
            return
        loaded = getattr(instance, attr, {})
        current = {f: instance.__dict__[f] for f in fields if f in instance.__dict__}
        if all(loaded.get(f, _MISSING) == value for f, value in current.items()):
            return
        loaded.update(current)
        setattr(instance, attr, loaded)
        handler(instance)

    post_init.connect(remember, sender=model, weak=False, dispatch_uid=f"{uid}_loaded")
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{uid}_saved")


TAXONOMY_FIELDS = {
    OrganisationUnit: "organisation_unit",
    RightsArea: "rights_areas",
    Principle: "principles",
    StaircaseStep: "staircase_steps",
    TargetGroup: "target_groups",
}


def _term_pages(term) -> None:
    field = TAXONOMY_FIELDS[type(term)]
    queue(SOURCE, ContentPage.objects.live().filter(**{field: term}).order_by("pk")
          .values_list("pk", flat=True).distinct())


for _model in TAXONOMY_FIELDS:
    on_field_change(_model, ("name", "slug", "number") if _model is StaircaseStep
                    else ("name", "slug"), _term_pages,
                    uid=f"search_page_{_model._meta.model_name}")
