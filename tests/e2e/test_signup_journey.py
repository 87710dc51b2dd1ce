"""A new colleague finds MR-navet, signs up, confirms the address and reaches the home page."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.core import mail
from playwright.sync_api import expect

from accounts.models import User

NEW_EMAIL = "ny.medarbetare@malmo.se"
NEW_PASSWORD = "Ett-långt-lösenord-för-MR-navet-42"


def _confirmation_path(message) -> str:
    match = re.search(r"https?://\S+/konto/confirm-email/\S+/", message.body)
    assert match, f"No confirmation link in the email:\n{message.body}"
    return urlsplit(match.group(0)).path


def test_signup_confirm_and_reach_home(page, live_server):
    # Anonymous visitors are sent to sign-in.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/konto/login/"))

    # From sign-in to sign-up.
    page.locator("a[href*='/konto/signup/']").first.click()
    expect(page).to_have_url(re.compile(r"/konto/signup/"))

    form = page.locator("form:has(input[name='password2'])")
    form.locator("input[name='email']").fill(NEW_EMAIL)
    form.locator("input[name='display_name']").fill("Ny Medarbetare")
    form.locator("input[name='password1']").fill(NEW_PASSWORD)
    form.locator("input[name='password2']").fill(NEW_PASSWORD)
    form.locator("[type='submit']").click()

    # "Verify your email" page, and one email with the link.
    expect(page).to_have_url(re.compile(r"/konto/confirm-email/$"))
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    message = mail.outbox[0]
    assert message.to == [NEW_EMAIL]
    user = User.objects.get(email=NEW_EMAIL)
    assert user.display_name == "Ny Medarbetare"

    # allauth asks for a confirming click on GET.
    page.goto(_confirmation_path(message))
    page.locator("form[method='post'] [type='submit']").click()

    # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION signs in within the sign-up session; if that ever
    # changes, sign in with the new password.
    if "/konto/login/" in page.url:
        page.locator("input[name='login']").fill(NEW_EMAIL)
        page.locator("input[name='password']").fill(NEW_PASSWORD)
        page.locator("form:has(input[name='password']) [type='submit']").click()

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("MR-navet")
    expect(page.get_by_role("navigation", name="Ditt konto")).to_contain_text("Ny Medarbetare")
    assert user.emailaddress_set.get(email=NEW_EMAIL).verified


def test_signup_with_disallowed_domain_shows_swedish_error(page):
    page.goto("/konto/signup/")
    form = page.locator("form:has(input[name='password2'])")
    form.locator("input[name='email']").fill("someone@gmail.com")
    form.locator("input[name='display_name']").fill("Någon Utomstående")
    form.locator("input[name='password1']").fill(NEW_PASSWORD)
    form.locator("input[name='password2']").fill(NEW_PASSWORD)
    form.locator("[type='submit']").click()

    expect(page).to_have_url(re.compile(r"/konto/signup/$"))
    expect(page.locator("form:has(input[name='password2'])")).to_contain_text(
        "MR-navet är bara öppet för medarbetare i Malmö stad och stadens bolag."
    )
    assert not User.objects.filter(email="someone@gmail.com").exists()
    assert mail.outbox == []
