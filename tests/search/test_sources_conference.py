"""The "konferens" search source (cms/conference/search_source.py): sessions of live
editions."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from wagtail.models import PageViewRestriction

from cms.conference.search_source import session_document, session_documents_all
from cms.importer import import_records, parse_lines
from cms.models import OrganisationUnit, RightsArea
from search.documents import ACCESS_ALL, group_token
from search.indexing import rebuild
from search.registry import get_source
from search.service import run_search
from tests.conference.factories import EditionFactory, SessionFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_conference_source_is_registered():
    source = get_source("konferens")
    assert source.document is session_document and source.documents is session_documents_all


def test_session_document():
    unit = OrganisationUnit.objects.get(slug="stadskontoret")
    areas = list(RightsArea.objects.filter(slug__in=["jamstalldhet", "antirasism"]))
    edition = EditionFactory(year=2031)
    session = SessionFactory(edition=edition, title="Jämställd budget",
                             description="Så gjorde vi.\n\nOch sedan.",
                             presenters="Anna Andersson, Bo Berg", organisation_unit=unit,
                             rights_areas=areas)

    document = session_document(session.pk)

    assert document.key == f"konferens:{session.pk}"
    assert document.public_id == f"konferens-{session.pk}"
    assert document.kind == "konferenspass"
    assert document.title == "Jämställd budget"
    assert document.url == f"{edition.url}#pass-{session.pk}"
    assert document.summary == "Så gjorde vi. Och sedan."
    assert "Så gjorde vi.\n\nOch sedan." in document.body
    assert "Anna Andersson, Bo Berg" in document.body
    assert "Stadskontoret" in document.meta and "Anna Andersson" in document.meta
    assert document.organisation_unit == "stadskontoret"
    assert document.rights_areas == ["antirasism", "jamstalldhet"]
    assert document.year == 2031
    assert document.date == timezone.localdate(session.slot.starts_at)
    assert document.access == [ACCESS_ALL]
    assert list(session_documents_all()) == [document]


def test_sessions_of_unpublished_editions_are_not_documents():
    shown = SessionFactory(edition=EditionFactory(year=2032))
    draft_edition = EditionFactory(year=2033)
    hidden = SessionFactory(edition=draft_edition)
    draft_edition.unpublish()
    assert session_document(hidden.pk) is None
    assert session_document(999_999) is None
    assert [d.key for d in session_documents_all()] == [f"konferens:{shown.pk}"]


def test_edition_restrictions_apply_to_its_sessions():
    edition = EditionFactory(year=2034)
    session = SessionFactory(edition=edition)
    group = Group.objects.create(name="Arrangörsgruppen")
    restriction = PageViewRestriction.objects.create(page=edition,
                                                     restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.set([group])
    assert session_document(session.pk).access == [group_token(group.pk)]
    restriction.restriction_type = PageViewRestriction.PASSWORD
    restriction.password = "konferens"
    restriction.save()
    assert session_document(session.pk) is None
    assert list(session_documents_all()) == []


def test_imported_sessions_keep_the_corpus_id():
    line = {"id": "konf-2024-huvudtal", "type": "konferens", "title": "Huvudtalet 2024",
            "summary": "Kort.", "body": "Lång text.", "rights_areas": ["manskliga-rattigheter"],
            "department": "stadskontoret", "published": "2024-11-20"}
    import_records(parse_lines([json.dumps(line, ensure_ascii=False)]))
    [document] = session_documents_all()
    assert document.public_id == "konf-2024-huvudtal"
    assert document.key.startswith("konferens:") and document.year == 2024
    assert session_document(int(document.key.split(":")[1])) == document


def test_sessions_are_found_by_signed_in_users():
    session = SessionFactory(title="Samiska rättigheter i praktiken",
                             edition=EditionFactory(year=2035))
    rebuild()
    hits = run_search("samiska", user=UserFactory()).hits
    assert [hit.key for hit in hits] == [f"konferens:{session.pk}"]
    assert hits[0].kind == "konferenspass"
