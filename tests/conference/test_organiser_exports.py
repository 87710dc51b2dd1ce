"""Exports: CSV and XLSX, formula injection neutralised, catering as counts only, every
export audited, filenames with the year."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from cms.conference import exports
from cms.conference.models import AuditEvent
from tests.factories import OrganisationUnitFactory, UserFactory

from .factories import EditionFactory, SessionFactory, organiser, register

pytestmark = pytest.mark.django_db

EVIL_NAMES = ['=HYPERLINK("http://evil.example/","Klicka")', "+1", "-2", "@SUM(A1:A9)",
              "\tTabb", "\rRetur"]


@pytest.fixture
def edition():
    edition = EditionFactory(capacity=50)
    session = SessionFactory(edition=edition, title="=cmd|' /C calc'!A0")
    unit = OrganisationUnitFactory(name="-Förvaltning med minus", slug="minus")
    for index, name in enumerate(EVIL_NAMES):
        register(UserFactory(display_name=name, organisation_unit=unit), edition, [session],
                 needs={"diet": ["vegansk"] if index % 2 else ["glutenfri", "laktosfri"],
                        "diet_other": "Allergisk mot jordnötter"})
    register(UserFactory(display_name="Vanlig Person"), edition, [session])
    return edition


@pytest.fixture
def organiser_client(client):
    client.force_login(organiser())
    return client


def get_csv(client, edition, kind):
    response = client.get(reverse("conference:export", args=[edition.year, kind, "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="konferens-{edition.year}-{kind}.csv"'
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def get_xlsx(client, edition, kind):
    response = client.get(reverse("conference:export", args=[edition.year, kind, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="konferens-{edition.year}-{kind}.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def assert_no_formula_cells(rows):
    for row in rows:
        for cell in row:
            if isinstance(cell, str):
                assert not cell.startswith(exports.DANGEROUS_PREFIXES), cell


def test_participants_csv_neutralises_injection(organiser_client, edition):
    rows = get_csv(organiser_client, edition, "deltagare")
    assert rows[0] == ["Namn", "E-post", "Förvaltning eller bolag", "Status", "Pass", "Incheckad"]
    names = [row[0] for row in rows[1:]]
    for name in EVIL_NAMES:
        assert "'" + name in names
    assert "Vanlig Person" in names
    assert_no_formula_cells(rows)
    assert "'-Förvaltning med minus" in [row[2] for row in rows]
    assert any(row[4] == "'=cmd|' /C calc'!A0" for row in rows)


def test_participants_xlsx_opens_and_has_the_rows(organiser_client, edition):
    rows = get_xlsx(organiser_client, edition, "deltagare")
    assert rows[0][0] == "Namn"
    assert len(rows) == 1 + len(EVIL_NAMES) + 1
    assert "'=HYPERLINK(\"http://evil.example/\",\"Klicka\")" in [row[0] for row in rows]
    assert_no_formula_cells(rows)


def test_xlsx_has_no_formula_cells(organiser_client, edition):
    response = organiser_client.get(reverse("conference:export", args=[edition.year, "deltagare", "xlsx"]))
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert all(cell.data_type != "f" for row in workbook.active.iter_rows() for cell in row)


def test_per_session_export(organiser_client, edition):
    rows = get_csv(organiser_client, edition, "pass")
    assert rows[0] == ["Pass", "Tidpass", "Lokal", "Namn", "Förvaltning eller bolag", "Status"]
    assert len(rows) == 1 + len(EVIL_NAMES) + 1
    assert {row[0] for row in rows[1:]} == {"'=cmd|' /C calc'!A0"}
    assert_no_formula_cells(rows)
    xlsx = get_xlsx(organiser_client, edition, "pass")
    assert len(xlsx) == len(rows)


def test_catering_counts_only(organiser_client, edition):
    for rows in (get_csv(organiser_client, edition, "kost"), get_xlsx(organiser_client, edition, "kost")):
        flat = " ".join(str(cell) for row in rows for cell in row)
        counts = {row[0]: int(row[1]) for row in rows[1:]}
        assert counts["Bekräftade deltagare totalt"] == 7
        assert counts["Vegansk"] == 3 and counts["Glutenfri"] == 3 and counts["Laktosfri"] == 3
        assert counts["Annat om kost (se behovslistan)"] == 6
        assert "jordnötter" not in flat  # no free text
        for name in ["Vanlig Person", *EVIL_NAMES]:
            assert name.strip() not in flat  # no names
        assert "@" not in flat  # no e-mail addresses


def test_every_export_is_audited(organiser_client, edition):
    for kind in ("deltagare", "pass", "kost"):
        for fmt in ("csv", "xlsx"):
            organiser_client.get(reverse("conference:export", args=[edition.year, kind, fmt]))
    events = AuditEvent.objects.filter(action="export", edition=edition)
    assert events.count() == 6
    assert {(e.details["kind"], e.details["format"]) for e in events} == {
        (k, f) for k in ("deltagare", "pass", "kost") for f in ("csv", "xlsx")}
    assert all(set(e.details) == {"kind", "format", "rows"} for e in events)


def test_cancelled_are_not_exported(organiser_client, edition):
    from cms.conference import booking

    registration = edition.registrations.get(name="Vanlig Person")
    booking.cancel(registration)
    names = [row[0] for row in get_csv(organiser_client, edition, "deltagare")]
    assert "Vanlig Person" not in names


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+46 40 34 10 00", "'+46 40 34 10 00"), ("-", "'-"), ("@x", "'@x"),
    ("\t=1", "'\t=1"), ("\r=1", "'\r=1"), ("Anna-Lena", "Anna-Lena"), ("", ""), (None, ""), (3, 3),
])
def test_neutralise(value, expected):
    assert exports.neutralise(value) == expected
