"""Sessions as documents for the search (cms/conference/search.py)."""

from __future__ import annotations

import json

import pytest

from cms.conference.search import session_documents
from cms.importer import import_records, parse_lines
from cms.models import OrganisationUnit, RightsArea

from .factories import EditionFactory, SessionFactory

pytestmark = pytest.mark.django_db

KEYS = {"id", "kind", "title", "summary", "description", "presenters", "organisation_unit",
        "rights_areas", "year", "date", "session_kind", "url"}


def test_a_session_becomes_a_plain_document():
    unit = OrganisationUnit.objects.get(slug="stadskontoret")
    areas = list(RightsArea.objects.filter(slug__in=["jamstalldhet", "antirasism"]))
    session = SessionFactory(title="Jämställd budget", description="Så gjorde vi.\n\nOch sedan.",
                             presenters="Anna Andersson", organisation_unit=unit,
                             rights_areas=areas, kind="workshop")
    [doc] = session_documents()
    assert set(doc) == KEYS
    assert doc["id"] == f"konferens-{session.pk}"
    assert doc["kind"] == "konferenspass"
    assert (doc["title"], doc["presenters"]) == ("Jämställd budget", "Anna Andersson")
    assert doc["description"] == "Så gjorde vi.\n\nOch sedan."
    assert doc["summary"] == "Så gjorde vi. Och sedan."
    assert doc["organisation_unit"] == "stadskontoret"
    assert doc["rights_areas"] == ["antirasism", "jamstalldhet"]
    assert doc["year"] == session.edition.year
    assert doc["session_kind"] == "workshop"
    assert doc["url"] == f"{session.edition.url}#pass-{session.pk}"
    json.dumps(doc)  # plain data


def test_past_editions_are_included_and_unpublished_ones_are_not():
    past = SessionFactory(edition=EditionFactory(year=2024))
    current = SessionFactory(edition=EditionFactory(year=2027))
    draft_edition = EditionFactory(year=2030)
    draft_edition.unpublish()
    SessionFactory(edition=draft_edition)
    docs = session_documents()
    assert [d["id"] for d in docs] == [f"konferens-{current.pk}", f"konferens-{past.pk}"]
    assert [d["id"] for d in session_documents(past.edition)] == [f"konferens-{past.pk}"]


def test_imported_sessions_keep_the_corpus_id():
    line = {"id": "konf-2024-huvudtal", "type": "konferens", "title": "Huvudtalet 2024",
            "summary": "Kort.", "body": "Lång text.", "rights_areas": ["manskliga-rattigheter"],
            "department": "stadskontoret", "published": "2024-11-20"}
    import_records(parse_lines([json.dumps(line, ensure_ascii=False)]))
    [doc] = session_documents()
    assert doc["id"] == "konf-2024-huvudtal" and doc["year"] == 2024
    assert doc["date"] == "2024-11-20" and doc["presenters"] == "Stadskontoret"


def test_a_constant_number_of_queries(django_assert_max_num_queries):
    edition = EditionFactory()
    for _ in range(2):
        SessionFactory(edition=edition, rights_areas=list(RightsArea.objects.all()[:2]))
    with django_assert_max_num_queries(6) as few:
        session_documents()
    for _ in range(8):
        SessionFactory(edition=EditionFactory(), rights_areas=list(RightsArea.objects.all()[:2]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(session_documents()) == 10


def test_demo_sessions_get_the_plain_id():
    session = SessionFactory(external_id="demo:2027:valkommen")
    assert session_documents()[0]["id"] == f"konferens-{session.pk}"


def test_search_anchor_exists_on_the_edition_page(client):
    from cms.conference.search import session_documents

    from ..factories import UserFactory
    from .factories import EditionFactory, SessionFactory

    edition = EditionFactory()
    session = SessionFactory(edition=edition)
    document = next(d for d in session_documents(edition) if d["title"] == session.title)
    client.force_login(UserFactory())
    page = client.get(document["url"].split("#")[0]).content.decode()
    assert f'id="{document["url"].split("#")[1]}"' in page
