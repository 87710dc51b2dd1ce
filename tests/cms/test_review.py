"""Content review: due pages, reminder emails, the "Att granska" panel, review dates."""

from __future__ import annotations

import datetime
import re
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from cms.models import MethodPage
from cms.review import pages_due_for_review, send_review_reminders
from cms.tasks import send_review_reminders_task
from tests.factories import UserFactory, enable_totp

from .factories import GoodExamplePageFactory, GuidancePageFactory, MethodPageFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 3, 10)
NOW = datetime.datetime(2025, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
OVERDUE_HEADING = "Granskningen är försenad:"
DUE_HEADING = "Ska granskas inom två veckor:"


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def scenario(frozen):
    """Two active owners, an inactive one, and pages that must never be reported."""
    anna = UserFactory(email="anna@malmo.se", display_name="Anna Andersson")
    bo = UserFactory(email="bo@malmo.se", display_name="Bo Berg")
    inactive = UserFactory(email="slutat@malmo.se", is_active=False)
    pages = {
        # Anna: one overdue, one due today, one due on day 14, one not yet due (day 15).
        "anna_overdue": MethodPageFactory(title="Försenad metod", content_owner=anna,
                                          next_review_date=days(-3)),
        "anna_today": GuidancePageFactory(title="Vägledning som granskas idag",
                                          content_owner=anna, next_review_date=TODAY),
        "anna_day14": GoodExamplePageFactory(title="Exempel om fjorton dagar",
                                             content_owner=anna, next_review_date=days(14)),
        "anna_day15": MethodPageFactory(title="Metod om femton dagar", content_owner=anna,
                                        next_review_date=days(15)),
        "anna_later": MethodPageFactory(title="Metod nästa år", content_owner=anna,
                                        next_review_date=days(200)),
        # Anna's unpublished page is overdue but not live.
        "anna_draft": MethodPageFactory(title="Opublicerat utkast", content_owner=anna,
                                        next_review_date=days(-30), live=False,
                                        first_published_at=None, last_published_at=None),
        # Bo: only a due page.
        "bo_due": GuidancePageFactory(title="Bos vägledning", content_owner=bo,
                                      next_review_date=days(5)),
        # Nobody gets these.
        "inactive": MethodPageFactory(title="Metod med avslutad ägare", content_owner=inactive,
                                      next_review_date=days(-10)),
        "orphan": MethodPageFactory(title="Metod utan ägare", content_owner=None,
                                    next_review_date=days(-10)),
    }
    return {"anna": anna, "bo": bo, "inactive": inactive, **pages}


def sections(body: str) -> dict[str, str]:
    """The overdue and due sections of a reminder body ("" when a heading is missing)."""
    overdue = due = ""
    if OVERDUE_HEADING in body:
        overdue = body.split(OVERDUE_HEADING, 1)[1].split(DUE_HEADING, 1)[0]
    if DUE_HEADING in body:
        due = body.split(DUE_HEADING, 1)[1]
    return {"overdue": overdue, "due": due}


def mails_to(address: str):
    return [message for message in mail.outbox if address in message.to]


ALL_TITLES = [
    "Försenad metod", "Vägledning som granskas idag", "Exempel om fjorton dagar",
    "Metod om femton dagar", "Metod nästa år", "Opublicerat utkast", "Bos vägledning",
    "Metod med avslutad ägare", "Metod utan ägare",
]


def test_pages_due_for_review_selects_live_owned_pages_due_within_14_days(scenario):
    due = list(pages_due_for_review())
    # Ordered by review date, overdue first; the inactive owner is filtered when mailing.
    assert [page.title for page in due] == [
        "Metod med avslutad ägare", "Försenad metod", "Vägledning som granskas idag",
        "Bos vägledning", "Exempel om fjorton dagar",
    ]
    assert {p.title for p in pages_due_for_review(owner=scenario["bo"])} == {"Bos vägledning"}


def test_review_status(frozen):
    page = MethodPage(next_review_date=days(-1))
    assert page.review_status() == "overdue"
    page.next_review_date = TODAY
    assert page.review_status() == "due"
    page.next_review_date = days(14)
    assert page.review_status() == "due"
    page.next_review_date = days(15)
    assert page.review_status() == "ok"


def test_one_reminder_per_owner_with_the_right_pages_under_the_right_headings(scenario):
    sent = send_review_reminders()

    assert sent == 2
    assert len(mail.outbox) == 2
    [to_anna] = mails_to("anna@malmo.se")
    [to_bo] = mails_to("bo@malmo.se")
    assert to_anna.to == ["anna@malmo.se"]
    assert to_bo.to == ["bo@malmo.se"]

    assert to_anna.subject == "[MR-navet] 3 sidor behöver granskas"
    assert to_bo.subject == "[MR-navet] 1 sida behöver granskas"

    body = to_anna.body
    assert "Hej Anna Andersson!" in body
    anna = sections(body)
    assert "Försenad metod" in anna["overdue"]
    assert "Vägledning som granskas idag" not in anna["overdue"]
    assert "Exempel om fjorton dagar" not in anna["overdue"]
    assert "Vägledning som granskas idag" in anna["due"]
    assert "Exempel om fjorton dagar" in anna["due"]
    assert "Försenad metod" not in anna["due"]
    for title in set(ALL_TITLES) - {"Försenad metod", "Vägledning som granskas idag",
                                     "Exempel om fjorton dagar"}:
        assert title not in body, title
    # Each page links to its edit view in the admin.
    overdue_page = scenario["anna_overdue"]
    assert f"/admin/pages/{overdue_page.pk}/edit/" in anna["overdue"]
    assert re.search(r"https?://\S+/admin/pages/%d/edit/" % overdue_page.pk, body)

    bo = sections(to_bo.body)
    assert bo["overdue"] == ""
    assert OVERDUE_HEADING not in to_bo.body
    assert "Bos vägledning" in bo["due"]
    for title in set(ALL_TITLES) - {"Bos vägledning"}:
        assert title not in to_bo.body, title


def test_inactive_owners_and_pages_without_owner_get_nothing(scenario):
    send_review_reminders()
    recipients = [address for message in mail.outbox for address in message.to]
    assert "slutat@malmo.se" not in recipients
    assert sorted(recipients) == ["anna@malmo.se", "bo@malmo.se"]
    assert not any("Metod utan ägare" in message.body for message in mail.outbox)
    assert not any("Metod med avslutad ägare" in message.body for message in mail.outbox)


def test_unpublished_pages_are_not_included(frozen):
    owner = UserFactory(email="cecilia@malmo.se")
    MethodPageFactory(title="Bara ett utkast", content_owner=owner, next_review_date=days(-1),
                      live=False, first_published_at=None, last_published_at=None)
    assert send_review_reminders() == 0
    assert mail.outbox == []


def test_no_due_pages_means_no_mail(frozen):
    owner = UserFactory()
    MethodPageFactory(content_owner=owner, next_review_date=days(15))
    assert send_review_reminders() == 0
    assert mail.outbox == []


def test_task_sends_the_reminders(scenario):
    result = send_review_reminders_task.enqueue()
    assert result.return_value == 2
    assert len(mail.outbox) == 2


def test_management_command_enqueues_the_task_which_sends_the_mails(scenario):
    out = StringIO()
    call_command("send_review_reminders", stdout=out)
    assert "Påminnelser köade" in out.getvalue()
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "anna@malmo.se", "bo@malmo.se",
    ]


# --- Default review date ------------------------------------------------------------------

def test_next_review_date_defaults_to_one_year_from_today(frozen):
    page = MethodPageFactory(next_review_date=None, last_reviewed=None)
    page.refresh_from_db()
    assert page.next_review_date == datetime.date(2026, 3, 10)


def test_next_review_date_defaults_to_one_year_after_last_review(frozen):
    page = MethodPageFactory(next_review_date=None, last_reviewed=datetime.date(2024, 11, 2))
    page.refresh_from_db()
    assert page.next_review_date == datetime.date(2025, 11, 2)


def test_explicit_next_review_date_is_kept(frozen):
    page = MethodPageFactory(next_review_date=datetime.date(2025, 6, 1),
                             last_reviewed=datetime.date(2024, 11, 2))
    page.refresh_from_db()
    assert page.next_review_date == datetime.date(2025, 6, 1)


# --- Readers see when the page was last reviewed ------------------------------------------

def test_last_reviewed_is_shown_to_readers(signed_in_client):
    page = MethodPageFactory(title="Granskad metod", last_reviewed=datetime.date(2025, 2, 3))
    html = signed_in_client.get(page.url).content.decode()
    assert "Senast granskad" in html
    assert '<time datetime="2025-02-03">3 februari 2025</time>' in html


def test_last_reviewed_is_hidden_when_unknown(signed_in_client):
    page = MethodPageFactory(title="Aldrig granskad metod", last_reviewed=None)
    html = signed_in_client.get(page.url).content.decode()
    assert "Aldrig granskad metod" in html
    assert "Senast granskad" not in html


# --- Dashboard panel "Att granska" -------------------------------------------------------

@pytest.fixture
def samordnare():
    user = UserFactory(roles=["Samordnare"])
    enable_totp(user)
    return user


def test_dashboard_lists_the_editors_own_due_pages(client, samordnare, frozen):
    other = UserFactory()
    mine = MethodPageFactory(title="Min försenade metod", content_owner=samordnare,
                             next_review_date=days(-2))
    MethodPageFactory(title="Min metod om en månad", content_owner=samordnare,
                      next_review_date=days(30))
    MethodPageFactory(title="Någon annans metod", content_owner=other,
                      next_review_date=days(-2))
    client.force_login(samordnare)

    response = client.get(reverse("wagtailadmin_home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Att granska" in html
    assert "Min försenade metod" in html
    assert reverse("wagtailadmin_pages:edit", args=[mine.pk]) in html
    assert "<strong>försenad</strong>" in html
    assert "Min metod om en månad" not in html
    assert "Någon annans metod" not in html


def test_dashboard_panel_without_due_pages(client, samordnare, frozen):
    client.force_login(samordnare)
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Att granska" in html
    assert "Inga av dina sidor behöver granskas de närmaste två veckorna." in html
