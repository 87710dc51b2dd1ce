"""The search page in a browser: axe (WCAG 2.2 AA) on results with facets and on the
zero-result page, reflow at 320 CSS pixels, a keyboard-only search, the suggestion combobox,
and the page without JavaScript.

The index is rebuilt per test (rebuild() also clears the engine's own full-text rows, which
the flush between transactional tests does not know about).
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.search.ui_helpers import doc, rebuild

from .axe import assert_accessible, assert_focus_visible
from .test_cms_accessibility import OVERFLOW_SCRIPT, REFLOW_WIDTH

QUERY = "barnkonsekvensanalys"
MAX_TABS = 80


@pytest.fixture
def search_content(site_tree):
    """What the flush removed (roles, taxonomy, forum categories), a real method page (the
    first hit) and indexed documents of every kind."""
    from accounts.roles import ensure_roles
    from cms.models import OrganisationUnit, Principle, RightsArea, StaircaseStep, TargetGroup
    from cms.taxonomy_data import load_taxonomy
    from forum.defaults import ensure_defaults
    from search.registry import get_source
    from tests.cms.factories import MethodPageFactory

    ensure_roles()
    load_taxonomy(RightsArea, OrganisationUnit, Principle, StaircaseStep, TargetGroup)
    ensure_defaults()
    method = MethodPageFactory(
        title="Barnkonsekvensanalys steg för steg",
        summary="Så gör ni en barnkonsekvensanalys inför ett beslut som rör barn.",
    )
    page_document = get_source("page").document(method.pk)
    assert page_document is not None
    others = [
        doc("Barnkonsekvensanalys i förskolan", kind="gott-exempel",
            summary="Förskoleförvaltningen gjorde en barnkonsekvensanalys av öppettiderna.",
            unit="forskoleforvaltningen", year=2023, steps=[3]),
        doc("Vägledning om barnets bästa och barnkonsekvensanalys", kind="vagledning",
            summary="Hur barnets bästa vägs in, med en barnkonsekvensanalys som stöd.",
            unit="gymnasie-och-vuxenutbildningsforvaltningen", year=2022, steps=[2]),
        doc("Forumtråd: mall för barnkonsekvensanalys?", kind="forumtrad",
            summary="Har någon en bra mall för barnkonsekvensanalys i äldreomsorgen?",
            unit="halsa-vard-och-omsorgsforvaltningen", year=2025),
        doc("Konferenspass om barnkonsekvensanalyser", kind="konferenspass",
            summary="Erfarenheter av barnkonsekvensanalyser i stadsbyggnad.",
            areas=["barnets-rattigheter", "manskliga-rattigheter"], year=2024),
    ]
    others += [doc(f"Exempel {n} från verksamheten",
                   summary="Ett kort exempel där barnkonsekvensanalys nämns.", year=2020)
               for n in range(12)]
    rebuild(page_document, *others)
    return method


def _tab_until(page, predicate_js: str, limit: int = MAX_TABS) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        script = f"() => {{ const el = document.activeElement; return !!({predicate_js}); }}"
        if page.evaluate(script):
            return
    raise AssertionError(f"focus never reached an element where {predicate_js}")


def _assert_reflows(page, where: str) -> None:
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 900})
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    culprits = page.evaluate(OVERFLOW_SCRIPT, REFLOW_WIDTH) if scroll_width > REFLOW_WIDTH else []
    assert scroll_width <= REFLOW_WIDTH, (
        f"{where} scrolls sideways at {REFLOW_WIDTH} px (scrollWidth {scroll_width}): {culprits}")


def test_results_page_with_facets_is_accessible_and_reflows(signed_in_page, search_content):
    page = signed_in_page
    response = page.goto(f"/sok/?q={QUERY}&ar=2020&ar=2023")
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    expect(page.get_by_role("heading", name=re.compile(r"13 träffar för ”barnkonsekvensanalys”")))\
        .to_be_visible()
    expect(page.get_by_role("group", name="Typ av innehåll")).to_be_visible()
    expect(page.get_by_role("checkbox", name=re.compile(r"^2023"))).to_be_checked()
    expect(page.get_by_role("link", name="Rensa filter")).to_be_visible()
    expect(page.get_by_role("navigation", name="Sidor med sökresultat")).to_be_visible()
    assert page.locator("mark").count() > 0
    assert_accessible(page)

    _assert_reflows(page, "the results page")
    assert_accessible(page)


def test_zero_result_page_is_accessible_and_reflows(signed_in_page, search_content):
    page = signed_in_page
    page.goto("/sok/?q=qwzxvbnm")
    expect(page.get_by_role("heading", name=re.compile("0 träffar för ”qwzxvbnm”"))).to_be_visible()
    ask = page.get_by_role("link", name=re.compile("Fråga i forumet"))
    expect(ask).to_be_visible()
    assert_accessible(page)
    _assert_reflows(page, "the zero-result page")

    ask.click()
    expect(page.get_by_role("textbox", name="Rubrik")).to_have_value("qwzxvbnm")


def test_empty_and_invalid_search_pages_are_accessible(signed_in_page, search_content):
    page = signed_in_page
    page.goto("/sok/")
    assert_accessible(page)
    response = page.goto(f"/sok/?q={QUERY}&typ=finns-inte")
    assert response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("Okänt filtervärde")
    assert_accessible(page)


def test_keyboard_only_search(signed_in_page, search_content):
    page = signed_in_page
    page.goto("/")
    typed = "barnkonsekvensanalys steg"

    _tab_until(page, "el.id === 'site-search-q'")
    assert_focus_visible(page)
    page.keyboard.type(typed, delay=20)
    # Suggestions open; Escape closes them and Enter then submits the search.
    expect(page.locator("#site-search-q")).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(page.locator("#site-search-q")).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#site-search-q")).to_have_value(typed)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/sok/\?q=barnkonsekvensanalys\+steg$"))
    expect(page).to_have_title(f"Sökresultat för ”{typed}” – MR-navet")

    first = page.locator("#search-results a").first
    expect(first).to_have_text("Barnkonsekvensanalys steg för steg")
    _tab_until(page, "el.closest('#search-results') && el.tagName === 'A'")
    expect(first).to_be_focused()
    assert_focus_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{search_content.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Barnkonsekvensanalys steg för steg")


def test_skip_to_results_link(signed_in_page, search_content):
    page = signed_in_page
    page.goto(f"/sok/?q={QUERY}")
    _tab_until(page, "el.textContent.trim() === 'Hoppa till träffarna'")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.locator("#search-results a").first).to_be_focused()


def test_suggestions_combobox(signed_in_page, search_content):
    page = signed_in_page
    page.goto(f"/sok/?q={QUERY}")
    box = page.get_by_role("combobox", name="Vad letar du efter?")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.fill("")
    box.press_sequentially("barnkonsekvensanalys steg", delay=20)
    listbox = page.get_by_role("listbox", name="Förslag")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("status").filter(has_text="förslag")).to_have_count(1)
    assert_accessible(page)

    box.press("ArrowDown")
    option = listbox.get_by_role("option").first
    expect(option).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", option.get_attribute("id"))
    expect(box).to_be_focused()
    box.press("ArrowUp")  # wraps to the last
    expect(listbox.get_by_role("option").last).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(option).to_contain_text("Barnkonsekvensanalys steg för steg")
    box.press("Enter")
    page.wait_for_url(f"**{search_content.url}")


def test_suggestions_fit_at_320px(signed_in_page, search_content):
    page = signed_in_page
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 800})
    page.goto("/")
    box = page.locator("#site-search-q")
    box.press_sequentially("barnkons", delay=10)
    expect(page.get_by_role("listbox", name="Förslag")).to_be_visible()
    _assert_reflows(page, "the open suggestion list")


def test_search_works_without_javascript(browser, live_server, search_content, e2e_user, client):
    from django.conf import settings

    client.force_login(e2e_user)
    context = browser.new_context(locale="sv-SE", base_url=live_server.url,
                                  java_script_enabled=False)
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME,
                          "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                          "url": live_server.url}])
    try:
        page = context.new_page()
        page.goto("/")
        box = page.get_by_role("searchbox", name="Sök i MR-navet")
        box.fill(QUERY)
        box.press("Enter")
        page.wait_for_url(re.compile(r"/sok/\?q="))
        page.get_by_role("checkbox", name=re.compile(r"^Gott exempel")).check()
        page.get_by_role("button", name="Filtrera").click()
        query = parse_qs(urlsplit(page.url).query)
        assert query == {"q": [QUERY], "typ": ["gott-exempel"]}
        expect(page.locator("#search-results li")).to_have_count(1)
        expect(page.get_by_role("checkbox", name=re.compile(r"^Gott exempel"))).to_be_checked()
    finally:
        context.close()
