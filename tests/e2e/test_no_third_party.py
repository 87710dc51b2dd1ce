"""No page makes a request to another host (fonts, analytics, avatars, CDNs), and site
pages run without a single Content Security Policy violation.

Every request the browser makes is recorded, for the main site pages (anonymous and signed
in) and for the Wagtail admin (dashboard, page explorer, page editor, documents, images).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.factories import SuperuserFactory, enable_totp

from .conftest import sign_in

LOCAL_SCHEMES = {"data", "blob", "about"}


class Recorder:
    def __init__(self, page, live_server):
        self.host = urlsplit(live_server.url).netloc
        self.foreign: list[str] = []
        self.requests = 0
        self.csp_violations: list[str] = []
        page.on("request", self.on_request)
        page.on("console", self.on_console)

    def on_request(self, request):
        self.requests += 1
        parts = urlsplit(request.url)
        if parts.scheme not in LOCAL_SCHEMES and parts.netloc != self.host:
            self.foreign.append(request.url)

    def on_console(self, message):
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)


def visit(page, paths):
    for path in paths:
        response = page.goto(path)
        assert response is not None and response.status < 500, path
        page.wait_for_load_state("networkidle")


@pytest.fixture
def content(base_data, e2e_user):
    from cms.models import MethodIndexPage
    from tests.cms.factories import MethodPageFactory, section_index
    from tests.forum.factories import ThreadFactory

    method = MethodPageFactory(title="Barnkonsekvensanalys")
    thread = ThreadFactory(author=e2e_user, title="Barnkonsekvensanalys i skolan")
    return {"method": method.url, "index": section_index(MethodIndexPage).url,
            "thread": f"/forum/trad/{thread.pk}/", "page_id": method.pk}


def test_site_pages_stay_on_the_host(page, live_server, e2e_user, content):
    recorder = Recorder(page, live_server)
    visit(page, ["/konto/login/", "/konto/signup/"])
    sign_in(page, e2e_user, live_server)
    visit(page, ["/", content["index"], content["method"], "/sok/?q=barn", "/forum/",
                 content["thread"], "/profil/", "/konto/2fa/", "/finns-inte/"])
    # The search box's suggestions (search.js) fetch from the same host.
    page.goto("/")
    page.get_by_role("combobox").first.fill("barn")
    page.wait_for_load_state("networkidle")

    assert recorder.requests > 20
    assert recorder.foreign == []
    assert recorder.csp_violations == []


def test_admin_stays_on_the_host(page, live_server, content):
    admin = SuperuserFactory()
    enable_totp(admin)
    sign_in(page, admin, live_server)
    recorder = Recorder(page, live_server)
    visit(page, ["/admin/", "/admin/pages/", f"/admin/pages/{content['page_id']}/edit/",
                 "/admin/documents/", "/admin/images/", "/admin/account/"])

    assert recorder.requests > 20
    assert recorder.foreign == []
