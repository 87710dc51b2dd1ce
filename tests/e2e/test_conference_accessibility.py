"""axe (WCAG 2.2 AA, EN 301 549) and 320 px reflow on the conference pages, attendee and
organiser, including the attendee's own registration. The edition comes from the
`conference` fixture (conftest.py)."""

from __future__ import annotations

from .axe import DESKTOP, REFLOW_WIDTH, assert_accessible, overflow


def test_conference_pages_are_accessible_and_reflow(signed_in_page, e2e_user, conference):
    from tests.conference.factories import register

    edition, proposal = conference
    page = signed_in_page
    year = edition.year
    attendee_pages = [edition.url, f"/konferens/{year}/anmalan/", f"/konferens/{year}/forslag/"]
    organiser_pages = [
        f"/konferens/{year}/arrangor/", f"/konferens/{year}/arrangor/deltagare/",
        f"/konferens/{year}/arrangor/behov/", f"/konferens/{year}/arrangor/incheckning/",
        f"/konferens/{year}/arrangor/forslag/", f"/konferens/{year}/arrangor/forslag/{proposal.pk}/",
        f"/konferens/{year}/arrangor/logg/",
    ]
    problems = []

    def check(urls):
        for width in (DESKTOP["width"], REFLOW_WIDTH):
            page.set_viewport_size({"width": width, "height": 900})
            for url in urls:
                response = page.goto(url)
                if response.status != 200:
                    problems.append(f"{width}px {url}: HTTP {response.status}")
                    continue
                try:
                    assert_accessible(page)
                except AssertionError as error:
                    problems.append(f"{width}px {url}: {error}")
                problem = overflow(page, width)
                if problem:
                    problems.append(f"{width}px {url}: {problem}")

    check(attendee_pages + organiser_pages)
    # Registered: the edition page shows the registration, and "Min anmälan" opens.
    session = edition.sessions.order_by("pk").last()
    register(e2e_user, edition, [session], needs={"diet": ["vegetarisk"]})
    check([edition.url, f"/konferens/{year}/min-anmalan/"])
    assert not problems, "\n".join(problems)
