"""WCAG 2.2 AA checks with axe-core, and keyboard basics. Add a page with one line."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.factories import RightsAreaFactory

from .axe import assert_accessible


def test_sign_in_page_is_accessible(page):
    page.goto("/konto/login/")
    assert_accessible(page)


def test_home_page_is_accessible(signed_in_page):
    RightsAreaFactory(name="Barnets rättigheter", description="Barnkonventionen är svensk lag.")
    RightsAreaFactory(name="Rätten till bostad")
    signed_in_page.goto("/")
    expect(signed_in_page.get_by_role("heading", level=1)).to_have_text("MR-navet")
    assert_accessible(signed_in_page)


def test_skip_link_is_first_and_moves_focus_to_main(signed_in_page):
    page = signed_in_page
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Hoppa till huvudinnehållet")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # visually hidden links must appear on focus

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_search_field_text_is_readable(signed_in_page):
    page = signed_in_page
    page.goto("/")
    # A searchbox, or a combobox once search.js has added suggestions.
    search = page.get_by_label("Sök i MR-navet", exact=True)
    search.fill("barnkonventionen")
    colours = search.evaluate(
        "el => { const s = getComputedStyle(el); return [s.color, s.backgroundColor]; }"
    )
    assert colours[0] != colours[1], f"text {colours[0]} on background {colours[1]}"
