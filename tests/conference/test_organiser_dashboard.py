"""The organiser dashboard, participants list, badges and audit log: content, needs only as
counts, and a constant number of queries (5 vs 50 registrations)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cms.conference import booking, charts
from cms.conference.models import AuditEvent, Feedback, Registration
from tests.factories import OrganisationUnitFactory, UserFactory

from .factories import EditionFactory, ProposalFactory, RoomFactory, SessionFactory, organiser, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    now = timezone.now()
    return EditionFactory(capacity=40, registration_opens_at=now - datetime.timedelta(days=10))


def add_registrations(edition, sessions, count, start=0):
    units = [OrganisationUnitFactory(name="Stadsbyggnadsförvaltningen", slug="sbf"),
             OrganisationUnitFactory(name="Fritidsförvaltningen", slug="fri")]
    now = timezone.now()
    for i in range(start, start + count):
        user = UserFactory(display_name=f"Deltagare {i:03d}", organisation_unit=units[i % 2])
        register(user, edition, [sessions[i % len(sessions)]],
                 needs={"diet": ["vegansk", "glutenfri"][: 1 + i % 2], "access_other": "Hemlig text"},
                 now=now - datetime.timedelta(days=i % 5, minutes=1))


def query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["dashboard", "participants", "checkin", "badges"])
def test_query_count_is_constant(client, edition, name):
    sessions = [SessionFactory(edition=edition, room=RoomFactory(capacity=10)) for _ in range(3)]
    client.force_login(organiser())
    url = reverse(f"conference:{name}", args=[edition.year])
    add_registrations(edition, sessions, 5)
    client.get(url)  # warm up per-session caches (session save, permissions)
    few = query_count(client, url)
    add_registrations(edition, sessions, 45, start=5)
    assert Registration.objects.filter(edition=edition).count() == 50
    assert query_count(client, url) == few


def test_dashboard_content_needs_as_counts_only(client, edition):
    sessions = [SessionFactory(edition=edition, title="Barnrätt i praktiken", room=RoomFactory(capacity=4))]
    add_registrations(edition, sessions, 6)
    ProposalFactory(edition=edition)
    client.force_login(organiser())
    response = client.get(reverse("conference:dashboard", args=[edition.year]))
    html = response.content.decode()
    assert html.count('role="img"') == 2  # two SVG charts ...
    assert html.count("<table") >= 5  # ... each with a data table, plus sessions and needs
    assert "Stadsbyggnadsförvaltningen" in html and "Barnrätt i praktiken" in html
    assert "4 / 4" in html and "100 %" in html  # fill rate: confirmed / capacity
    assert "Deltagare 00" not in html  # no names on the dashboard
    assert "Hemlig text" not in html  # free-text needs never, only that there is some
    event = AuditEvent.objects.get(action="needs_counts_viewed")
    assert event.details == {"page": "dashboard"}


def test_waiting_lists_are_counted(client, edition):
    edition.capacity = 2
    edition.save()
    session = SessionFactory(edition=edition, room=RoomFactory(capacity=1))
    add_registrations(edition, [session], 4)
    client.force_login(organiser())
    response = client.get(reverse("conference:dashboard", args=[edition.year]))
    assert response.context["waitlisted"] == 2
    row = next(s for s in response.context["sessions"] if s.pk == session.pk)
    assert (row.confirmed, row.waiting, row.fill_percent) == (1, 3, 100)


def test_feedback_results_on_dashboard(client, edition):
    session = SessionFactory(edition=edition, title="Workshop om tillgänglighet")
    Feedback.objects.create(edition=edition, rating=4, comment="Bra dag")
    Feedback.objects.create(edition=edition, rating=2)
    Feedback.objects.create(edition=edition, session=session, rating=5, comment="Lärorikt")
    client.force_login(organiser())
    html = client.get(reverse("conference:dashboard", args=[edition.year])).content.decode()
    assert "3,0 av 5 (2 svar)" in html
    assert "Workshop om tillgänglighet" in html and "Lärorikt" in html and "Bra dag" in html


def test_participants_search_and_no_needs(client, edition):
    session = SessionFactory(edition=edition, title="Rätt till bostad")
    add_registrations(edition, [session], 3)
    client.force_login(organiser())
    url = reverse("conference:participants", args=[edition.year])
    html = client.get(url, {"q": "deltagare 001"}).content.decode()
    assert "Deltagare 001" in html and "Deltagare 002" not in html
    assert "Rätt till bostad" in html and "Fritidsförvaltningen" in html
    full = client.get(url).content.decode()
    for secret in ("Vegansk", "vegansk", "Glutenfri", "Hemlig text"):
        assert secret not in full


def test_badges_name_and_unit_only(client, edition):
    add_registrations(edition, [SessionFactory(edition=edition)], 9)
    client.force_login(organiser())
    response = client.get(reverse("conference:badges", args=[edition.year]))
    html = response.content.decode()
    assert [len(sheet) for sheet in response.context["sheets"]] == [8, 1]
    assert "Deltagare 000" in html and "Stadsbyggnadsförvaltningen" in html
    for secret in ("Vegansk", "vegansk", "Glutenfri", "Hemlig text", "medarbetare"):
        assert secret not in html.split('class="badge-sheet"', 1)[1]
    assert html.count('class="name-badge"') == 9


def test_badges_only_confirmed(client, edition):
    edition.capacity = 1
    edition.save()
    add_registrations(edition, [SessionFactory(edition=edition)], 2)
    client.force_login(organiser())
    html = client.get(reverse("conference:badges", args=[edition.year])).content.decode()
    assert "Deltagare 000" in html and "Deltagare 001" not in html


def test_audit_log_lists_the_editions_events(client, edition):
    user = organiser()
    client.force_login(user)
    client.get(reverse("conference:export", args=[edition.year, "deltagare", "csv"]))
    other = EditionFactory()
    AuditEvent.objects.create(edition=other, action="export", details={"kind": "annat-år"})
    html = client.get(reverse("conference:audit_log", args=[edition.year])).content.decode()
    assert "Export" in html and "deltagare" in html and "annat-år" not in html


def test_cancelled_registrations_leave_the_charts(client, edition):
    add_registrations(edition, [SessionFactory(edition=edition)], 2)
    booking.cancel(Registration.objects.filter(edition=edition).first())
    client.force_login(organiser())
    response = client.get(reverse("conference:dashboard", args=[edition.year]))
    assert sum(int(row[1]) for row in response.context["per_unit"].rows) == 1
    assert response.context["cancelled"] == 1


def test_column_chart_geometry():
    chart = charts.columns("c", "Titel", [("1/3", 2), ("2/3", 4)], headers=["Dag", "Antal"],
                           summary="Sammanfattning")
    assert [bar.height for bar in chart.bars][1] == 2 * chart.bars[0].height
    assert chart.rows == [["1/3", "2"], ["2/3", "4"]]
    assert not charts.columns("c", "T", [], headers=[]).bars


def test_horizontal_chart_scales_to_the_largest():
    chart = charts.horizontal("h", "Titel", [("A", 10), ("B", 5)], headers=["Enhet", "Antal"])
    assert chart.bars[0].width == 2 * chart.bars[1].width
    assert chart.height == 2 * charts.ROW_HEIGHT
