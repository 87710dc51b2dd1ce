"""`import_content` for `konferens` lines (cms/conference/importer.py)."""

from __future__ import annotations

import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from cms.conference.models import EditionPage, Session, TimeSlot
from cms.importer import ImportValidationError, import_records, parse_lines
from cms.models import OrganisationUnit

from ..factories import UserFactory
from .factories import EditionFactory, register

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "search-eval" / "corpus.jsonl"


def line(**overrides) -> dict:
    data = {
        "id": "konf-spridningskonferensen-2024-program",
        "type": "konferens",
        "title": "Spridningskonferensen 2024 – program",
        "summary": "Programmet för stadens första spridningskonferens.",
        "body": "Förmiddagen ägnades åt barnrätt.\n\nEftermiddagen åt jämställdhet.",
        "rights_areas": ["manskliga-rattigheter", "barnets-rattigheter"],
        "department": "stadskontoret",
        "principles": [],
        "trappsteg": [1],
        "tags": ["konferens"],
        "published": "2024-09-30",
    }
    data.update(overrides)
    return data


def run(*lines: dict):
    return import_records(parse_lines([json.dumps(data, ensure_ascii=False) for data in lines]))


def test_a_line_becomes_a_session_of_a_new_past_edition():
    result = run(line())
    assert dict(result.external["konferens"]) == {"created": 1}
    session = Session.objects.get(external_id="konf-spridningskonferensen-2024-program")
    edition = session.edition
    assert edition.year == 2024 and edition.slug == "2024" and edition.live
    assert edition.get_parent().specific.slug == "konferens"
    assert not edition.registration_is_open()
    assert edition.registration_closes_at <= edition.starts_at
    assert timezone.localtime(edition.starts_at).date() == datetime.date(2024, 9, 30)
    assert session.kind == Session.Kind.PLENARY and not session.requires_signup
    assert session.title == "Spridningskonferensen 2024 – program"
    assert session.description.startswith("Programmet för stadens första spridningskonferens.\n\n"
                                          "Förmiddagen")
    unit = OrganisationUnit.objects.get(slug="stadskontoret")
    assert session.organisation_unit == unit and session.presenters == unit.name
    assert sorted(a.slug for a in session.rights_areas.all()) == [
        "barnets-rattigheter", "manskliga-rattigheter"]
    local = timezone.localtime(session.slot.starts_at)
    assert (local.date(), local.hour) == (datetime.date(2024, 9, 30), 9)


def test_lines_of_one_date_share_a_slot_and_lines_of_one_year_an_edition():
    run(line(id="a"), line(id="b"), line(id="c", published="2024-11-20"),
        line(id="d", published="2025-03-03"))
    assert EditionPage.objects.filter(year=2024).count() == 1
    assert sorted(EditionPage.objects.values_list("year", flat=True)) == [2024, 2025]
    assert TimeSlot.objects.filter(edition__year=2024).count() == 2
    a, b, c = (Session.objects.get(external_id=key) for key in "abc")
    assert a.slot == b.slot != c.slot and a.edition == c.edition
    edition = a.edition
    assert timezone.localdate(edition.starts_at) == datetime.date(2024, 9, 30)
    assert timezone.localdate(edition.ends_at) == datetime.date(2024, 11, 20)


def test_an_existing_edition_of_that_year_is_used_as_it_is():
    edition = EditionFactory(year=2024, capacity=77)
    run(line())
    session = Session.objects.get()
    assert session.edition == edition and session.slot.edition == edition
    edition.refresh_from_db()
    assert edition.capacity == 77 and edition.registration_is_open()


def test_reimporting_is_idempotent_and_updates_changed_lines():
    run(line(id="a"), line(id="b"))
    before = (EditionPage.objects.count(), TimeSlot.objects.count(), Session.objects.count())
    result = run(line(id="a"), line(id="b"))
    assert dict(result.external["konferens"]) == {"unchanged": 2}
    assert (EditionPage.objects.count(), TimeSlot.objects.count(),
            Session.objects.count()) == before

    result = run(line(id="a", title="Nytt namn", rights_areas=["jamstalldhet"]),
                 line(id="b", published="2025-05-12", department="fritidsforvaltningen"))
    assert dict(result.external["konferens"]) == {"updated": 2}
    a, b = Session.objects.get(external_id="a"), Session.objects.get(external_id="b")
    assert a.title == "Nytt namn"
    assert [r.slug for r in a.rights_areas.all()] == ["jamstalldhet"]
    assert b.edition.year == 2025 and b.slot.edition == b.edition
    assert b.organisation_unit.slug == "fritidsforvaltningen"


def test_a_booked_session_is_not_moved_by_a_reimport():
    edition = EditionFactory(year=2024)
    run(line())
    session = Session.objects.get()
    Session.objects.filter(pk=session.pk).update(requires_signup=True)
    register(UserFactory(), edition, [session])
    with pytest.raises(ImportValidationError):
        run(line(published="2025-01-10"))
    session.refresh_from_db()
    assert session.edition == edition


@pytest.mark.parametrize(("overrides", "message"), [
    ({"published": None}, "published"),
    ({"published": "30/9 2024"}, "published"),
    ({"rights_areas": ["okänt-område"]}, "okänt rättighetsområde"),
    ({"department": "okänd-förvaltning"}, "okänd förvaltning"),
    ({"title": "x" * 201}, "längre än 200"),
    ({"title": ""}, "title"),
    ({"id": "x" * 101}, "ogiltigt id"),
])
def test_bad_lines_are_refused_before_anything_is_written(overrides, message):
    bad = line(**{"id": "dalig", **overrides})
    with pytest.raises(ImportValidationError) as error:
        run(line(id="god"), bad)
    assert any(message in text for _, text in error.value.errors)
    assert not Session.objects.exists() and not EditionPage.objects.exists()


def test_import_content_reports_conference_sessions(tmp_path):
    path = tmp_path / "konferens.jsonl"
    path.write_text(json.dumps(line(), ensure_ascii=False) + "\n", encoding="utf-8")
    out = StringIO()
    call_command("import_content", str(path), "--no-progress", stdout=out, stderr=StringIO())
    assert "Konferenspass: 1 nya, 0 uppdaterade, 0 oförändrade." in out.getvalue()
    path.write_text(json.dumps(line(rights_areas=["nope"]), ensure_ascii=False), encoding="utf-8")
    errors = StringIO()
    with pytest.raises(CommandError):
        call_command("import_content", str(path), "--no-progress", stdout=StringIO(),
                     stderr=errors)
    assert "Rad 1: okänt rättighetsområde: 'nope'" in errors.getvalue()


@pytest.mark.skipif(not CORPUS.exists(), reason=f"the search-evaluation corpus is not at {CORPUS}")
def test_the_corpus_conference_lines_import():
    lines = [raw for raw in CORPUS.read_text(encoding="utf-8").splitlines()
             if json.loads(raw)["type"] == "konferens"]
    result = import_records(parse_lines(lines))
    assert result.external["konferens"]["created"] == len(lines) == Session.objects.count()
    years = set(EditionPage.objects.values_list("year", flat=True))
    assert years == {int(json.loads(raw)["published"][:4]) for raw in lines}
