"""Background indexing. Tasks carry a source name and a primary key only, and re-read the
object when they run, so a queued task never indexes stale or draft content."""

from __future__ import annotations

from django_tasks import task


@task()
def index_object_task(source: str, pk: int) -> str:
    from .indexing import index_object

    return index_object(source, pk)


@task()
def remove_object_task(source: str, pk: int) -> None:
    from .indexing import remove_object

    remove_object(source, pk)
