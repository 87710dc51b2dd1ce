"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

Every test in this folder is marked `e2e` (deselect with `-m "not e2e"`). The live server
needs a transactional database, which is flushed after each test, so the data that
migrations create (Wagtail's page tree, the home page, roles, taxonomy) is not there:
fixtures below build what a test needs.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
E2E_DIR = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # tryfirst: the marker must be there before `-m` deselects.
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def pytest_sessionfinish(session, exitstatus):
    """Snapshot entries of axe findings that are fixed fail the run (see axe.py)."""
    from .axe import SHRINK_ENV, report_stale_snapshot

    message = report_stale_snapshot(session)
    session.config._axe_snapshot_message = message
    if message and not os.environ.get(SHRINK_ENV):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    message = getattr(config, "_axe_snapshot_message", None)
    if message:
        terminalreporter.section("axe snapshot", red=True)
        terminalreporter.line(message)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"The browser tests need Debian's chromium at {CHROMIUM}, which is missing. "
            "Install it with `sudo apt-get install chromium` "
            "(do not run `playwright install`), or deselect them with -m 'not e2e'.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the main thread; while it exists Django
    # refuses ORM calls from the test (fixtures, factories) unless this is set. Set only
    # for the browser's lifetime, so the rest of the suite keeps Django's check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, site_tree, live_server):
    """A fresh browser context per test (no shared cookies), Swedish, desktop size."""
    context = browser.new_context(
        locale="sv-SE", viewport={"width": 1280, "height": 900}, base_url=live_server.url
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def site_tree(transactional_db):
    """Wagtail's page tree as the migrations build it: root page, home page at "/", Site."""
    from django.core.cache import cache
    from wagtail.models import Locale, Page, Site

    from cms.models import HomePage

    cache.clear()  # allauth's rate limits count in the cache, which outlives the flush
    # The first transactional test still sees the migrations' tree (the flush comes after
    # each test); start from nothing so that every test gets the same tree.
    Site.objects.all().delete()
    Page.objects.all().delete()
    locale, _ = Locale.objects.get_or_create(language_code="sv")
    root = Page.add_root(instance=Page(title="Root", slug="root", locale=locale))
    home = root.add_child(
        instance=HomePage(
            title="MR-navet",
            slug="start",
            locale=locale,
            intro="<p>MR-navet samlar metoder, vägledning och goda exempel.</p>",
        )
    )
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True,
        site_name="MR-navet",
    )
    return home


@pytest.fixture
def e2e_user(transactional_db):
    from tests.factories import UserFactory

    return UserFactory(display_name="Testa Testsson")


def sign_in(page, user, live_server) -> None:
    """Sign `user` in in the page's browser context: a session cookie from force_login."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page.context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }])


@pytest.fixture
def signed_in_page(page, e2e_user, live_server):
    """`page` with `e2e_user` signed in (session cookie from the test client's force_login)."""
    sign_in(page, e2e_user, live_server)
    return page


@pytest.fixture
def base_data(site_tree):
    """What the migrations create and the flush removed: roles, taxonomy, forum categories."""
    from accounts.roles import ensure_roles
    from cms.models import OrganisationUnit, Principle, RightsArea, StaircaseStep, TargetGroup
    from cms.taxonomy_data import load_taxonomy
    from forum.defaults import ensure_defaults

    ensure_roles()
    load_taxonomy(RightsArea, OrganisationUnit, Principle, StaircaseStep, TargetGroup)
    ensure_defaults()
    return site_tree


@pytest.fixture
def conference(base_data, e2e_user):
    """An edition open for registration and proposals, with a full session, ten attendees
    with needs, a proposal and feedback; `e2e_user` may organise it."""
    import datetime

    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from cms.conference.models import Feedback
    from cms.models import OrganisationUnit, RightsArea
    from tests.conference.factories import (
        EditionFactory,
        ProposalFactory,
        RoomFactory,
        SessionFactory,
        TimeSlotFactory,
        register,
    )
    from tests.factories import UserFactory

    units = list(OrganisationUnit.objects.all()[:3])
    e2e_user.organisation_unit = units[0]
    e2e_user.save()
    e2e_user.user_permissions.add(*Permission.objects.filter(content_type__app_label="conference"))
    now = timezone.now()
    edition = EditionFactory(capacity=8, proposals_open=True, feedback_open=True,
                             registration_opens_at=now - datetime.timedelta(days=5))
    morning = TimeSlotFactory(edition=edition)
    full = SessionFactory(edition=edition, slot=morning, room=RoomFactory(capacity=3),
                          title="Barnkonventionen i vardagen")
    SessionFactory(edition=edition, slot=morning, room=RoomFactory(capacity=30),
                   title="Relaxed performance på scen")
    for i in range(10):
        register(UserFactory(display_name=f"Person {i}", organisation_unit=units[i % 3]),
                 edition, [full], needs={"diet": ["vegansk"], "access_other": "Hörslinga"})
    proposal = ProposalFactory(edition=edition, rights_areas=list(RightsArea.objects.all()[:2]))
    Feedback.objects.create(edition=edition, rating=4, comment="Bra dag")
    return edition, proposal
