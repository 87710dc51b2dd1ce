"""The "konferens" search source: sessions of live editions (cms.conference.search).

Keys are "konferens:<session pk>"; the public id is the one session_documents() gives
("konferens-<pk>", or the corpus id of imported sessions). Sessions are open to every
signed-in user; should an edition page ever get a view restriction, its sessions follow it
like pages do (a password keeps them out of the index).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

from search.documents import SearchDocument
from search.registry import SearchSource, register

from ..search_source import Restrictions, page_access
from .models import EditionPage, Session
from .search import session_documents

SOURCE = "konferens"
_ANCHOR = re.compile(r"#pass-(\d+)$")


def session_pk(data: dict) -> int:
    """The session's pk, from the "#pass-<pk>" anchor session_documents() puts on the URL."""
    return int(_ANCHOR.search(data["url"]).group(1))


def _unit_names() -> dict[str, str]:
    from cms.models import OrganisationUnit

    return dict(OrganisationUnit.objects.values_list("slug", "name"))


def adapt(data: dict, access: list[str], units: dict[str, str],
          edition_title: str = "") -> SearchDocument:
    unit = data["organisation_unit"]
    presenters = data["presenters"] or ""
    body = [data["description"], f"Medverkande: {presenters}" if presenters else ""]
    meta = [units.get(unit, "") if unit else "", presenters, edition_title]
    return SearchDocument(
        key=f"{SOURCE}:{session_pk(data)}",
        public_id=data["id"],
        kind=data["kind"],
        title=data["title"],
        url=data["url"],
        summary=data["summary"],
        body="\n\n".join(part for part in body if part),
        meta="\n".join(part for part in meta if part),
        rights_areas=list(data["rights_areas"]),
        organisation_unit=unit,
        year=data["year"],
        date=datetime.date.fromisoformat(data["date"]) if data["date"] else None,
        access=access,
    )


def session_document(pk: int) -> SearchDocument | None:
    edition_id = Session.objects.filter(pk=pk).values_list("edition_id", flat=True).first()
    edition = EditionPage.objects.live().filter(pk=edition_id).first() if edition_id else None
    if edition is None:
        return None
    access = page_access(edition)
    if access is None:
        return None
    data = next((d for d in session_documents(edition) if session_pk(d) == pk), None)
    if data is None:
        return None
    return adapt(data, access, _unit_names(), edition.title)


def session_documents_all() -> Iterator[SearchDocument]:
    restrictions = Restrictions()
    editions = {e.pk: e for e in EditionPage.objects.live().only("pk", "path", "title")}
    edition_of = dict(Session.objects.filter(edition_id__in=list(editions))
                      .values_list("pk", "edition_id"))
    access = {pk: restrictions.access(e.path) for pk, e in editions.items()}
    units = _unit_names()
    for data in session_documents():
        edition = editions.get(edition_of.get(session_pk(data)))
        if edition is None or access[edition.pk] is None:
            continue
        yield adapt(data, access[edition.pk], units, edition.title)


def register_source() -> None:
    register(SearchSource(name=SOURCE, documents=session_documents_all,
                          document=session_document, label="Konferens"))
