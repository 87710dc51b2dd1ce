"""The forum in a browser: a two-person journey (thread, quote, mention, notification),
WCAG 2.2 AA with axe-core on every kind of forum page, reflow at 320 CSS pixels, and
replying with the keyboard alone.

The live server needs a transactional database, which is flushed after every test (the
default categories of the data migration included), so `base_data` (conftest.py)
recreates roles, taxonomy and categories for each test. The accessibility test builds its content once and
walks every page in one go, at 1280 px and then at 320 px (axe both times, and no sideways
scrolling), collecting failures per page so that one broken template does not hide the
others.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from .axe import DESKTOP, OVERFLOW_SCRIPT, REFLOW_WIDTH, assert_accessible

# The bell's accessible name comes from its aria-label, e.g. "Aviseringar, 1 oläst".
BELL_NAME = re.compile(r"^Aviseringar, (\d+) olästa?$")


# --- fixtures and helpers ----------------------------------------------------------------


@pytest.fixture
def open_as(browser, live_server, base_data):
    """open_as(user, forum_js=True) → a page in a browser context of its own, signed in as
    `user` (a session cookie from force_login, as `signed_in_page` does).

    forum_js=False blocks forum.js, so the page works as it does without JavaScript, while
    axe (which needs JavaScript in the page) can still run.
    """
    contexts = []

    def open_page(user, *, forum_js: bool = True):
        context = browser.new_context(locale="sv-SE", viewport=DESKTOP, base_url=live_server.url)
        context.set_default_timeout(10_000)
        contexts.append(context)
        if not forum_js:
            context.route("**/mrnavet/js/forum.js", lambda route: route.abort())
        client = Client()
        client.force_login(user)
        context.add_cookies([{
            "name": settings.SESSION_COOKIE_NAME,
            "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
            "url": live_server.url,
        }])
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


def _person(first: str, last: str, **kwargs):
    """A user whose handle (email local part) is `first.last`."""
    from tests.factories import UserFactory

    return UserFactory(email=f"{first.lower()}.{last.lower()}@malmo.se",
                       display_name=f"{first} {last}", **kwargs)


def _bell(page):
    return page.get_by_role("navigation", name="Ditt konto").get_by_role(
        "link", name=re.compile(r"^Aviseringar"))


def _editor_text(page):
    return page.get_by_role("textbox", name="Inlägg")


# --- 1. the journey ----------------------------------------------------------------------


def test_start_thread_reply_with_quote_and_mention_notifies_the_starter(open_as):
    from forum.models import Notification, Post

    anna = _person("Anna", "Andersson")
    bertil = _person("Bertil", "Berg")
    page_a = open_as(anna)
    page_b = open_as(bertil)

    # Anna starts a thread in Allmänt from the forum's start page.
    page_a.goto("/forum/")
    expect(page_a.get_by_role("heading", level=1)).to_have_text("Forum")
    page_a.locator(".category-list").get_by_role("link", name="Allmänt", exact=True).click()
    expect(page_a.get_by_role("heading", level=1)).to_have_text("Allmänt")
    page_a.get_by_role("link", name="Ny tråd", exact=True).click()
    expect(page_a.get_by_role("heading", level=1)).to_have_text("Ny tråd i Allmänt")
    page_a.get_by_role("textbox", name="Rubrik").fill("Mall för barnkonsekvensanalys?")
    _editor_text(page_a).fill(
        "Hej! Vi behöver **hjälp** med en mall för barnkonsekvensanalys.\n\n"
        "Vi har läst [Barnombudsmannens stöd](https://www.barnombudsmannen.se/)."
    )
    page_a.get_by_role("button", name="Publicera tråden").click()

    expect(page_a.get_by_role("heading", level=1)).to_have_text("Mall för barnkonsekvensanalys?")
    opening = page_a.locator("article.post").first
    expect(opening.locator(".post__body strong")).to_have_text("hjälp")
    link = opening.get_by_role("link", name="Barnombudsmannens stöd")
    expect(link).to_have_attribute("href", "https://www.barnombudsmannen.se/")
    expect(link).to_have_attribute("rel", re.compile(r"\bnofollow\b"))
    thread_path = re.sub(r"^https?://[^/]+", "", page_a.url).split("#")[0]
    first_post = Post.objects.get(thread__title="Mall för barnkonsekvensanalys?", number=1)

    # Bertil opens the thread and quotes Anna's post with its quote button.
    page_b.goto(thread_path)
    page_b.get_by_role("link", name="Citera inlägg 1").click()
    textarea = _editor_text(page_b)
    expect(textarea).to_have_value(re.compile(
        rf"^> \[Anna Andersson skrev\]\(/forum/inlagg/{first_post.pk}/\):\n>\n"
        r"> Hej! Vi behöver \*\*hjälp\*\* med en mall"
    ))
    textarea.focus()
    page_b.keyboard.press("Control+End")
    page_b.keyboard.type("@anna.andersson Vi har en mall som du får låna.")
    page_b.get_by_role("button", name="Skicka svar").click()

    expect(page_b).to_have_url(re.compile(r"#inlagg-\d+$"))
    reply_pk = int(page_b.url.rsplit("-", 1)[1])
    reply = page_b.locator(f"article#inlagg-{reply_pk}")
    expect(reply.get_by_role("heading")).to_contain_text("Bertil Berg")
    quote = reply.locator(".post__body blockquote")
    expect(quote).to_contain_text("Anna Andersson skrev")
    expect(quote).to_contain_text("Vi behöver hjälp med en mall")
    expect(quote.get_by_role("link", name="Anna Andersson skrev")).to_have_attribute(
        "href", f"/forum/inlagg/{first_post.pk}/")
    expect(reply.get_by_role("link", name="@anna.andersson")).to_have_attribute(
        "href", f"/forum/person/{anna.pk}/")
    assert Notification.objects.filter(user=anna, post_id=reply_pk).exists()

    # Anna loads any page: the bell counts the notification.
    page_a.goto("/forum/")
    bell = _bell(page_a)
    expect(bell).to_have_accessible_name(BELL_NAME)
    unread = int(re.search(r", (\d+) oläst", bell.get_attribute("aria-label")).group(1))
    assert unread >= 1

    # The list links to Bertil's post: the thread page, at the post.
    bell.click()
    expect(page_a.get_by_role("heading", level=1)).to_have_text("Aviseringar")
    notification = page_a.locator(".notification-list > li", has_text="Bertil Berg")
    expect(notification).to_contain_text("Oläst")
    notification.locator(f"a[href='/forum/inlagg/{reply_pk}/']").click()
    expect(page_a).to_have_url(re.compile(
        rf"{re.escape(thread_path)}(\?[^#]*)?#inlagg-{reply_pk}$"))
    expect(page_a.locator(f"article#inlagg-{reply_pk}")).to_be_in_viewport()
    # Seeing the post read its notifications.
    page_a.reload()
    expect(_bell(page_a)).to_have_accessible_name("Aviseringar")


# --- 2. axe and reflow ---------------------------------------------------------------------


@dataclass
class Content:
    anna: object
    bertil: object
    moderator: object
    thread: object
    category: object
    flagged_post: object
    new_thread_url: str


def build_content() -> Content:
    """A Q&A thread with everything a thread page can show, more threads around it, and
    notifications, watches and a flag to show on the other pages."""
    from cms.models import OrganisationUnit
    from forum import moderation, notify, services
    from forum.models import Category, Reaction, Thread, WatchLevel
    from forum.views.common import quote_markdown
    from tests.forum.factories import PostFactory, ThreadFactory

    unit = OrganisationUnit.objects.get(slug="gymnasie-och-vuxenutbildningsforvaltningen")
    anna = _person("Anna", "Andersson", organisation_unit=unit, job_title="Barnrättsstrateg")
    bertil = _person("Bertil", "Berg")
    cecilia = _person("Cecilia", "Carlsson")
    moderator = _person("Maja", "Moderator", roles=["Moderator"])

    general = Category.objects.get(slug="allmant")
    children = Category.objects.get(slug="barnets-rattigheter")
    assert children.qa_mode

    thread = ThreadFactory(
        category=children, author=anna, tags=services.get_or_create_tags(
            ["barnkonsekvensanalys", "skola"]),
        title="Hur gör ni barnkonsekvensanalyser inför beslut om skolskjuts?",
        text="Vi ska ta fram en **rutin** och vill lära av andra.\n\n"
             "- Vem gör analysen?\n- När hörs barnen?\n\n"
             "Vi har läst [Barnombudsmannens stöd](https://www.barnombudsmannen.se/).",
    )
    opening = thread.posts.get(number=1)
    PostFactory(thread=thread, author=bertil,
                text=quote_markdown(opening) + "@anna.andersson Vi använder stadens mall, "
                     "och barnrättsombudet är med från början.")
    answer = PostFactory(thread=thread, author=cecilia,
                         text="Vi hör barnen i klassråden **innan** förslaget skrivs.")
    hidden = PostFactory(thread=thread, author=anna, text="Ring mig på 070-000 00 00.")
    deleted = PostFactory(thread=thread, author=bertil, text="Fel tråd, förlåt.")
    flagged = PostFactory(thread=thread, author=bertil, text="Köp våra konsulttjänster!")
    services.accept_answer(anna, thread, answer)
    Reaction.objects.create(post=answer, user=anna, kind=Reaction.Kind.HELPFUL)
    Reaction.objects.create(post=answer, user=bertil, kind=Reaction.Kind.THANKS)
    moderation.hide_post(moderator, hidden, "Telefonnummer hör inte hemma i forumet.")
    services.delete_post(bertil, deleted)
    moderation.create_flag(cecilia, flagged, "reklam", "Reklam för ett företag.")

    # A category page with pinned, locked, read and unread threads.
    for number in range(4):
        ThreadFactory(category=general, author=bertil if number % 2 else cecilia,
                      title=f"Erfarenheter av digitala samråd, del {number + 1}")
    pinned = ThreadFactory(category=general, author=moderator,
                           title="Välkommen till forumet – läs det här först")
    moderation.set_pin(moderator, pinned, Thread.Pin.GLOBAL)
    locked = ThreadFactory(category=general, author=cecilia, title="Gammal fråga om lokaler")
    PostFactory(thread=locked, author=anna, text="Löst nu, tack!")
    moderation.set_locked(moderator, locked, True)
    notify.set_level(anna, WatchLevel.TRACKING, category=general)

    thread.refresh_from_db()
    return Content(anna=anna, bertil=bertil, moderator=moderator, thread=thread,
                   category=general, flagged_post=flagged,
                   new_thread_url=f"/forum/kategori/{general.slug}/ny-trad/")


@dataclass(frozen=True)
class Step:
    label: str
    user: str  # a Content attribute
    url: str
    status: int = 200
    then: Callable | None = None  # acts on the page before the checks
    forum_js: bool = True


def _show_validation_error(page):
    page.get_by_role("textbox", name="Rubrik").fill("   ")
    _editor_text(page).fill("Finns det någon som har gjort en enkät till unga?")
    with page.expect_navigation():
        page.get_by_role("button", name="Publicera tråden").click()
    expect(page.locator(".field__errors")).to_contain_text("Skriv en rubrik för tråden.")


def _show_preview(page):
    _editor_text(page).fill("Tack! **Mycket** bra tips.\n\n> Ett citat")
    page.get_by_role("button", name="Förhandsgranska").click()
    preview = page.locator("[data-preview-target]")
    expect(preview).to_be_visible()
    expect(preview.locator("strong")).to_have_text("Mycket")


def _check_thread_page(page):
    posts = page.locator("article.post")
    expect(posts).to_have_count(6)
    expect(posts.nth(1).locator("blockquote")).to_contain_text("Anna Andersson skrev")
    expect(page.locator(".post__status--hidden")).to_contain_text("Telefonnummer")
    expect(page.locator(".post__placeholder")).to_have_count(1)
    expect(page.locator(".accepted-answer")).to_be_visible()


def _check_moderator_thread_page(page):
    expect(page.locator("article.post")).to_have_count(6)
    expect(page.locator(".post__status--deleted")).to_have_count(1)


def _check_notifications(page):
    items = page.locator(".notification-list > li")
    expect(items.first).to_be_visible()
    assert items.count() >= 2, items.all_inner_texts()  # the mention and the moderation
    expect(page.locator(".notification-list")).to_contain_text("Bertil Berg nämnde dig")


def _check_settings(page):
    expect(page.locator(".watch-list").first).to_contain_text("Hur gör ni barnkonsekvensanalyser")


def _check_queue(page):
    expect(page.locator(".moderation-item")).to_have_count(1)


def test_forum_pages_are_accessible_and_reflow_at_320px(open_as):
    content = build_content()
    thread_url = f"/forum/trad/{content.thread.pk}/"
    steps = [
        Step("aviseringar", "anna", "/forum/aviseringar/", then=_check_notifications),
        Step("forumets startsida", "anna", "/forum/"),
        Step("kategori med trådar", "anna", f"/forum/kategori/{content.category.slug}/"),
        Step("tråd med citat, dolt och borttaget inlägg", "anna", thread_url,
             then=_check_thread_page),
        Step("tråd som moderator", "moderator", thread_url, then=_check_moderator_thread_page),
        Step("svarsformulär med förhandsgranskning (JS)", "anna", thread_url,
             then=_show_preview),
        Step("svarssida med förhandsgranskning (utan JS)", "anna",
             f"/forum/trad/{content.thread.pk}/svara/", then=_show_preview, forum_js=False),
        Step("ny tråd", "anna", content.new_thread_url),
        Step("ny tråd med felmeddelande", "anna", content.new_thread_url,
             then=_show_validation_error),
        Step("aviseringsinställningar", "anna", "/forum/installningar/", then=_check_settings),
        Step("modereringskö", "moderator", "/forum/moderering/", then=_check_queue),
        Step("flagga inlägg", "anna", f"/forum/inlagg/{content.flagged_post.pk}/flagga/"),
        Step("någon annans profil", "anna", f"/forum/person/{content.bertil.pk}/"),
        Step("egen profil", "anna", f"/forum/person/{content.anna.pk}/"),
    ]
    pages = {}
    failures: list[str] = []

    for step in steps:
        key = (step.user, step.forum_js)
        if key not in pages:
            pages[key] = open_as(getattr(content, step.user), forum_js=step.forum_js)
        page = pages[key]
        page.set_viewport_size(DESKTOP)
        where = f"{step.label} ({step.url})"
        response = page.goto(step.url)
        if response is None or response.status != step.status:
            failures.append(f"{where}: HTTP {response and response.status}, "
                            f"expected {step.status}")
            continue
        try:
            if step.then:
                step.then(page)
            if page.get_by_role("heading", level=1).count() != 1:
                failures.append(f"{where}: expected exactly one h1")
            assert_accessible(page)
        except AssertionError as error:
            failures.append(f"{where}: {error}")
        # The same page and state, 320 px wide: no sideways scrolling, and axe again.
        page.set_viewport_size({"width": REFLOW_WIDTH, "height": 900})
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > REFLOW_WIDTH:
            culprits = page.evaluate(OVERFLOW_SCRIPT, REFLOW_WIDTH)
            failures.append(f"{where} at {REFLOW_WIDTH} px: scrolls sideways (scrollWidth "
                            f"{scroll_width}); wider than the viewport: {culprits}")
        try:
            assert_accessible(page)
        except AssertionError as error:
            failures.append(f"{where} at {REFLOW_WIDTH} px: {error}")

    assert not failures, f"{len(failures)} problem(s):\n\n" + "\n\n".join(failures)


# --- 3. the keyboard -------------------------------------------------------------------------


def test_reply_with_the_keyboard_alone(open_as):
    from forum.models import Category
    from tests.forum.factories import PostFactory, ThreadFactory

    anna = _person("Anna", "Andersson")
    bertil = _person("Bertil", "Berg")
    thread = ThreadFactory(category=Category.objects.get(slug="allmant"), author=anna,
                           title="Tips på lättläst material?", text="Vi söker lättläst material.")
    PostFactory(thread=thread, author=anna, text="Gärna om diskrimineringsgrunderna.")
    page = open_as(bertil)
    page.goto(f"/forum/trad/{thread.pk}/")

    textarea = _editor_text(page)
    for _press in range(150):
        page.keyboard.press("Tab")
        if textarea.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the reply textarea")

    page.keyboard.type("Centrum för lättläst har bra material.")
    page.keyboard.press("Tab")
    submit = page.get_by_role("button", name="Skicka svar")
    expect(submit).to_be_focused()
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"#inlagg-\d+$"))
    new_post = page.locator(f"article#{page.url.rsplit('#', 1)[1]}")
    expect(new_post).to_contain_text("Centrum för lättläst har bra material.")
    expect(new_post.get_by_role("heading")).to_contain_text("Bertil Berg")
    assert thread.posts.count() == 3
