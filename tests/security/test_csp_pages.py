"""Site pages run under the strict nonce policy: every <script> carries the response's nonce,
and there is no inline event handler, style attribute, <style> element or javascript: URL
(which 'self' + nonce would block). Rendered pages first, then every site template as text,
so that templates not rendered here are held to the same rule."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cms.models import MethodIndexPage
from tests.cms.factories import MethodPageFactory, section_index
from tests.conference.factories import EditionFactory, SessionFactory, TimeSlotFactory
from tests.forum.factories import ThreadFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
# Wagtail's admin templates have their own, looser policy (mrnavet.middleware.ADMIN_POLICY).
ADMIN_TEMPLATE_DIRS = {"wagtailadmin", "wagtailusers", "wagtaildocs", "wagtailimages", "admin"}


class PageScan(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=…> attribute")
            is_url = name in {"href", "src", "action", "formaction"}
            if is_url and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")


def policy_nonce(response) -> str | None:
    match = re.search(r"script-src [^;]*'nonce-([^']+)'", response["Content-Security-Policy"])
    return match.group(1) if match else None


def assert_strict(response, label: str) -> int:
    scan = PageScan()
    scan.feed(response.content.decode())
    assert scan.problems == [], f"{label}: {scan.problems}"
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy, label
    nonce = policy_nonce(response)
    for script in scan.scripts:
        assert nonce and script.get("nonce") == nonce, f"{label}: <script {script}> lacks the nonce"
    return len(scan.scripts)


@pytest.fixture
def content(user):
    method = MethodPageFactory(title="Barnkonsekvensanalys")
    thread = ThreadFactory(author=user, title="Hur gör ni barnkonsekvensanalyser?")
    edition = EditionFactory()
    SessionFactory(edition=edition, slot=TimeSlotFactory(edition=edition))
    return {"method": method, "thread": thread, "edition": edition}


def test_signed_in_pages(user_client, content):
    thread, edition = content["thread"], content["edition"]
    pages = {
        "startsida": "/",
        "metod": content["method"].url,
        "metoder": section_index(MethodIndexPage).url,
        "sök": "/sok/?q=barn",
        "sök utan träffar": "/sok/?q=xyzzyqq",
        "forum": "/forum/",
        "tråd": f"/forum/trad/{thread.pk}/",
        "ny tråd": f"/forum/kategori/{thread.category.slug}/ny-trad/",
        "aviseringar": "/forum/aviseringar/",
        "konferensupplaga": edition.url,
        "konferensanmälan": f"/konferens/{edition.year}/anmalan/",
        "profil": "/profil/",
        "e-postadresser": "/konto/email/",
        "tvåstegsverifiering": "/konto/2fa/",
        "404": "/finns-inte-alls/",
    }
    scripts = 0
    for label, path in pages.items():
        response = user_client.get(path)
        assert response.status_code == (404 if label == "404" else 200), (label, path)
        scripts += assert_strict(response, label)
    assert scripts >= len(pages)  # the search suggestions script is on every signed-in page


@pytest.mark.parametrize("path", ["/konto/login/", "/konto/signup/", "/konto/password/reset/"])
def test_anonymous_pages(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_strict(response, path)


def site_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        if not ADMIN_TEMPLATE_DIRS & set(path.relative_to(TEMPLATES).parts):
            yield path


def test_site_templates_have_no_inline_script_or_style():
    problems = []
    for path in site_templates():
        text = path.read_text()
        name = path.relative_to(TEMPLATES)
        for tag in re.findall(r"<script\b[^>]*>", text):
            if 'nonce="{{ request.csp_nonce }}"' not in tag:
                problems.append(f"{name}: {tag}")
        problems += [f"{name}: {m}" for m in re.findall(r"<style\b[^>]*>", text)]
        problems += [f"{name}: {m}" for m in re.findall(r"\sstyle=\"", text)]
        problems += [f"{name}: {m}" for m in re.findall(r"\son[a-z]+=\"", text)]
        problems += [f"{name}: {m}" for m in re.findall(r"javascript:", text, re.IGNORECASE)]
    assert problems == []
    assert len(list(site_templates())) > 50  # the walk found the templates
