"""WCAG 2.2 AA and EN 301 549 on the site-wide pages: sign-in, sign-up, MFA, profile, error
pages and the accessibility statement with its feedback form, each with axe (see axe.py),
and at 320 CSS px without sideways scrolling. Plus the skip link and the search field.

Content pages, search, forum and conference have their own files; together they cover
every page type. One test walks the anonymous pages and one the signed-in ones, to start
the browser context and build data once.
"""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import expect

from tests.factories import DEFAULT_PASSWORD, RightsAreaFactory, UserFactory, enable_totp

from .axe import DESKTOP, REFLOW_WIDTH, assert_accessible, overflow
from .conftest import sign_in

PASSWORD = "Ett-långt-lösenord-för-MR-navet-42"


class Checker:
    """axe at desktop size, then reflow and axe at 320 px, on the page as it is; failures
    are collected so that one broken page does not hide the others."""

    def __init__(self, page):
        self.page = page
        self.failures: list[str] = []

    def __call__(self, label: str, *, status: int | None = None, response=None,
                 state: str | None = None) -> None:
        page = self.page
        if status is not None and (response is None or response.status != status):
            self.failures.append(f"{label}: HTTP {response and response.status}, expected {status}")
            return
        if page.get_by_role("heading", level=1).count() != 1:
            self.failures.append(f"{label}: expected exactly one h1")
        for width in (DESKTOP["width"], REFLOW_WIDTH):
            page.set_viewport_size({"width": width, "height": 900})
            try:
                assert_accessible(page, state=state)
            except AssertionError as error:
                self.failures.append(f"{label} at {width} px: {error}")
            if width == REFLOW_WIDTH and (problem := overflow(page)):
                self.failures.append(f"{label}: {problem}")
        page.set_viewport_size(DESKTOP)

    def assert_ok(self):
        assert not self.failures, (f"{len(self.failures)} problem(s):\n\n"
                                   + "\n\n".join(self.failures))


def test_anonymous_pages_are_accessible(page, base_data):
    """Sign-in (empty and with an error), sign-up (empty and with errors), and the MFA step
    of a sign-in (empty and with a wrong code)."""
    check = Checker(page)
    user = UserFactory(email="mfa.person@malmo.se", password=PASSWORD)
    enable_totp(user)

    check("inloggning", status=200, response=page.goto("/konto/login/"))
    form = page.locator("form:has(input[name='password'])")
    form.locator("input[name='login']").fill("mfa.person@malmo.se")
    form.locator("input[name='password']").fill("fel-lösenord")
    form.locator("[type='submit']").click()
    expect(page.locator(".form-errors, .field__errors, [role=alert]").first).to_be_visible()
    check("inloggning med fel lösenord", state="/konto/login/ fel")

    check("registrering", status=200, response=page.goto("/konto/signup/"))
    form = page.locator("form:has(input[name='password2'])")
    form.locator("input[name='email']").fill("someone@gmail.com")
    form.locator("input[name='password1']").fill("kort")
    form.locator("[type='submit']").click()
    expect(page.locator(".field__errors").first).to_be_visible()
    check("registrering med fel", state="/konto/signup/ fel")

    page.goto("/konto/login/")
    form = page.locator("form:has(input[name='password'])")
    form.locator("input[name='login']").fill("mfa.person@malmo.se")
    form.locator("input[name='password']").fill(PASSWORD)
    form.locator("[type='submit']").click()
    expect(page).to_have_url(re.compile(r"/konto/2fa/authenticate/$"))
    check("tvåstegsverifiering vid inloggning")
    page.locator("input[name='code']").fill("123456")
    page.get_by_role("button", name="Logga in").click()
    expect(page.locator(".field__errors, .form-errors").first).to_be_visible()
    check("tvåstegsverifiering med fel kod", state="/konto/2fa/authenticate/ fel")
    check.assert_ok()


def test_signed_in_pages_are_accessible(page, base_data, e2e_user, live_server, settings):
    """Home, profile, MFA setup, the error pages and the accessibility statement with its
    feedback form: empty, with errors and the confirmation."""
    from fixtures.standard_pages import ensure_standard_pages

    from accessibility.models import AccessibilityFeedback

    settings.ACCESSIBILITY_FEEDBACK_EMAIL = "tillganglighet@malmo.se"
    RightsAreaFactory(name="Rätten till bostad", description="Alla har rätt till en bostad.")
    ensure_standard_pages()
    sign_in(page, e2e_user, live_server)
    check = Checker(page)

    check("startsida", status=200, response=page.goto("/"))
    check("profil", status=200, response=page.goto("/profil/"))
    check("tvåstegsverifiering", status=200, response=page.goto("/konto/2fa/"))
    response = page.goto("/konto/2fa/totp/activate/")
    if "/reauthenticate/" in page.url:  # allauth asks for the password first
        check("bekräfta lösenord", status=200, response=response)
        page.locator("input[name='password']").fill("fel-lösenord")
        page.get_by_role("button", name="Fortsätt").click()
        expect(page.locator(".field__errors, .form-errors").first).to_be_visible()
        check("bekräfta lösenord med fel", state="/konto/reauthenticate/ fel")
        page.locator("input[name='password']").fill(DEFAULT_PASSWORD)
        page.get_by_role("button", name="Fortsätt").click()
        expect(page).to_have_url(re.compile(r"/konto/2fa/totp/activate/$"))
        response = None
    check("aktivera tvåstegsverifiering (TOTP)")
    page.locator("input[name='code']").fill("000000")
    page.get_by_role("button", name="Slå på").click()
    expect(page.locator(".field__errors, .form-errors").first).to_be_visible()
    check("aktivera TOTP med fel kod", state="/konto/2fa/totp/activate/ fel")

    check("404", status=404, response=page.goto("/finns-inte-alls/"))
    check("403", status=403, response=page.goto("/forum/moderering/"))
    too_many_fields = "&".join(f"f{n}=1" for n in range(1100))
    check("400", status=400, response=page.goto(f"/sok/?{too_many_fields}"),
          state="/sok/ för många fält")

    check("tillgänglighetsredogörelse", status=200,
          response=page.goto("/tillganglighetsredogorelse/"))
    form = page.locator("form[action='/tillganglighet/synpunkter/']")
    expect(form).to_be_visible()
    form.get_by_role("button", name="Skicka synpunkten").click()
    expect(page.get_by_role("alert")).to_contain_text("Synpunkten skickades inte")
    expect(page.get_by_label("Sidans adress")).to_have_attribute("aria-invalid", "true")
    check("synpunkt med fel", state="/tillganglighet/synpunkter/ fel")
    page.get_by_label("Sidans adress").fill("/forum/")
    page.get_by_label("Beskriv problemet").fill("Fokusmarkeringen syns inte på knapparna.")
    page.get_by_label("Jag vill bli kontaktad om min synpunkt").check()
    page.get_by_role("button", name="Skicka synpunkten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tack för din synpunkt")
    check("synpunkt skickad")
    report = AccessibilityFeedback.objects.get()
    assert (report.user, report.page_url, report.wants_contact) == (e2e_user, "/forum/", True)
    assert [m.to for m in mail.outbox] == [["tillganglighet@malmo.se"]]
    check.assert_ok()


def test_skip_link_is_first_and_moves_focus_to_main(signed_in_page):
    page = signed_in_page
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Hoppa till huvudinnehållet")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # visually hidden links must appear on focus

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()

    # The search field's text stays readable (not the colour of its background).
    search = page.get_by_label("Sök i MR-navet", exact=True)
    search.fill("barnkonventionen")
    colours = search.evaluate(
        "el => { const s = getComputedStyle(el); return [s.color, s.backgroundColor]; }"
    )
    assert colours[0] != colours[1], f"text {colours[0]} on background {colours[1]}"


def test_400_percent_zoom_has_no_sideways_scrolling(browser, live_server, base_data, e2e_user):
    """A 1280 × 900 window at 400 % zoom: Chrome lays pages out in 320 × 225 CSS px with four
    device pixels per CSS pixel, which is what this context emulates (WCAG 1.4.10)."""
    from fixtures.standard_pages import ensure_standard_pages

    ensure_standard_pages()
    context = browser.new_context(locale="sv-SE", viewport={"width": 320, "height": 225},
                                  device_scale_factor=4, base_url=live_server.url)
    try:
        page = context.new_page()
        sign_in(page, e2e_user, live_server)
        problems = []
        for url in ["/", "/tillganglighetsredogorelse/", "/tillganglighet/synpunkter/",
                    "/profil/", "/forum/"]:
            page.goto(url)
            if problem := overflow(page):
                problems.append(f"{url}: {problem}")
        assert not problems, "\n".join(problems)
    finally:
        context.close()
