"""Keyboard alone (WCAG 2.1.1, 2.4.7): start a forum thread, register for the conference.

No mouse clicks: only Tab, Enter, Space, arrow keys and typing. Every element Tab stops on
must show a focus indicator (an outline or a box shadow, `assert_focus_visible`). Searching
and opening a result with the keyboard is in test_search.py (test_keyboard_only_search).
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .axe import assert_focus_visible, tab_to

SLOW_POST_MS = 20_000


def test_start_a_forum_thread_with_the_keyboard(signed_in_page, base_data, e2e_user):
    from forum.models import Thread

    page = signed_in_page
    page.goto("/forum/")

    tab_to(page, "el.tagName === 'A' && el.closest('.category-list') "
                 "&& el.textContent.trim() === 'Allmänt'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Allmänt")

    tab_to(page, "el.tagName === 'A' && el.textContent.trim() === 'Ny tråd'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ny tråd i Allmänt")

    tab_to(page, "el.name === 'title'")
    page.keyboard.type("Lättläst material om diskrimineringsgrunderna?")
    tab_to(page, "el.tagName === 'TEXTAREA'")
    page.keyboard.type("Har någon ett bra lättläst material att dela ut?")
    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Publicera tråden'")
    page.keyboard.press("Enter")

    # Publishing indexes the thread and creates notifications: allow a slow CI machine.
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Lättläst material om diskrimineringsgrunderna?", timeout=SLOW_POST_MS)
    thread = Thread.objects.get(title="Lättläst material om diskrimineringsgrunderna?")
    assert thread.author == e2e_user
    assert "lättläst material att dela ut" in thread.posts.get(number=1).markdown


def test_register_for_the_conference_with_the_keyboard(signed_in_page, e2e_user, conference):
    from cms.conference.models import Registration

    edition, _proposal = conference
    page = signed_in_page
    page.goto(edition.url)

    tab_to(page, "el.tagName === 'A' && el.textContent.trim() === 'Anmäl dig'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Anmälan till")

    # Into the group of sessions, then arrows to the one with seats left.
    tab_to(page, "el.type === 'radio'")
    wanted = page.get_by_role("radio", name=re.compile("Relaxed performance på scen"))
    for _ in range(4):
        if wanted.is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(wanted).to_be_checked()
    expect(wanted).to_be_focused()
    assert_focus_visible(page)

    tab_to(page, "el.type === 'checkbox' && el.labels[0].textContent.trim() === 'Vegetarisk'")
    page.keyboard.press("Space")
    expect(page.get_by_role("checkbox", name="Vegetarisk")).to_be_checked()

    tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === 'Skicka anmälan'")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för din anmälan",
                                                              timeout=SLOW_POST_MS)
    registration = Registration.objects.get(edition=edition, user=e2e_user)
    # The fixture's edition is full, so this may be a place on the waiting list.
    assert registration.status in {Registration.Status.CONFIRMED, Registration.Status.WAITLISTED}
    assert [b.session.title for b in registration.bookings.all()] == ["Relaxed performance på scen"]
