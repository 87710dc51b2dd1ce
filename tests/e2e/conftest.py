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


@pytest.fixture
def signed_in_page(page, e2e_user, client, live_server):
    """`page` with `e2e_user` signed in (session cookie from the test client's force_login)."""
    from django.conf import settings

    client.force_login(e2e_user)
    page.context.add_cookies([{
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }])
    return page
