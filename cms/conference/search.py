"""Conference sessions as plain documents for the site search (issue "search").

One function, no search-engine specifics: the search module decides how to index the dicts.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.text import Truncator

from .models import EditionPage, Session

KIND = "konferenspass"
SUMMARY_WORDS = 40
DEMO_PREFIX = "demo:"


def session_documents(edition: EditionPage | None = None) -> list[dict]:
    """Every session of every live edition (past ones included), or of `edition` only.

    Each dict: id ("konferens-<pk>", or the corpus line id for imported sessions), kind
    ("konferenspass"), title, summary (the description shortened), description, presenters,
    organisation_unit (slug or None), rights_areas (slugs), year, date (ISO, the slot's
    start), session_kind (plenary/parallel/workshop) and url (the edition page, anchored at
    the session: "#pass-<pk>"). A constant number of queries.
    """
    editions = EditionPage.objects.live()
    if edition is not None:
        editions = editions.filter(pk=edition.pk)
    urls = {e.pk: e.get_url() for e in editions}
    sessions = (Session.objects.filter(edition_id__in=list(urls))
                .select_related("edition", "slot", "organisation_unit")
                .prefetch_related("rights_areas")
                .order_by("-edition__year", "slot__starts_at", "title", "pk"))
    return [_document(session, urls[session.edition_id]) for session in sessions]


def _imported(session: Session) -> bool:
    """External ids of demo data ("demo:…", fixtures/conference_demo.py) are not corpus ids."""
    return bool(session.external_id) and not session.external_id.startswith(DEMO_PREFIX)


def _document(session: Session, edition_url: str) -> dict:
    description = session.description.strip()
    return {
        "id": session.external_id if _imported(session) else f"konferens-{session.pk}",
        "kind": KIND,
        "title": session.title,
        "summary": Truncator(" ".join(description.split())).words(SUMMARY_WORDS, truncate=" …"),
        "description": description,
        "presenters": session.presenters,
        "organisation_unit": session.organisation_unit.slug if session.organisation_unit else None,
        "rights_areas": sorted(area.slug for area in session.rights_areas.all()),
        "year": session.edition.year,
        "date": timezone.localdate(session.slot.starts_at).isoformat(),
        "session_kind": session.kind,
        "url": f"{edition_url}#pass-{session.pk}",
    }
