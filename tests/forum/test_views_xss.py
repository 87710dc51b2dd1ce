"""Every payload of xss_payloads.txt through the views that show user text: a reply, an edit,
the live preview, a thread title, tags and profile fields. The whole served page is parsed
and nothing executable may survive anywhere in it."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from forum.models import Post, Thread

from ..factories import UserFactory
from .factories import CategoryFactory, PostFactory, ThreadFactory

pytestmark = pytest.mark.django_db

PAYLOADS = [
    line.encode().decode("unicode_escape") if "\\n" in line else line
    for line in (Path(__file__).parent / "xss_payloads.txt").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
]
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "background"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "svg", "math", "style", "base", "frame", "frameset",
                  "applet", "video", "audio", "source"}
SAFE_SCHEMES = {"http", "https", "mailto"}


class PageChecker(HTMLParser):
    """Collects everything in a page that could run script or load third-party content."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        if tag == "script" and not (attributes.get("src") or "").startswith("/static/"):
            self.problems.append("inline <script>")
        if tag == "meta" and "http-equiv" in attributes:
            self.problems.append("<meta http-equiv>")
        if tag == "img" and "src" in attributes and not attributes["src"].startswith("/media/"):
            self.problems.append(f"<img src={attributes.get('src')!r}>")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "srcdoc"}:
                self.problems.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and value:
                self._check_url(tag, name, value)

    handle_startendtag = handle_starttag

    def _check_url(self, tag, name, value):
        compact = "".join(value.split()).lower()
        head = compact.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
        if ":" in head and head.split(":", 1)[0] not in SAFE_SCHEMES:
            self.problems.append(f"<{tag} {name}={value!r}>")


def assert_clean(response):
    assert response.status_code in {200, 400}, response.status_code
    checker = PageChecker()
    checker.feed(response.content.decode())
    assert not checker.problems, checker.problems


@pytest.fixture
def writer(client):
    user = UserFactory()
    client.force_login(user)
    client.user = user
    return client


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_a_reply_and_its_thread_page(writer, payload):
    thread = ThreadFactory()
    response = writer.post(reverse("forum:reply", args=[thread.pk]), {"text": payload})
    assert response.status_code in {302, 400}
    post = Post.objects.filter(thread=thread, number=2).first()
    if post is None:  # refused (e.g. only whitespace once stripped): the form shows it
        assert_clean(response)
        return
    assert_clean(writer.get(thread.get_absolute_url()))
    assert_clean(writer.get(reverse("forum:post_history", args=[post.pk])))
    assert_clean(writer.get(reverse("forum:profile", args=[writer.user.pk])))
    assert_clean(writer.get(thread.get_absolute_url(), {"citera": post.pk}))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_an_edit_and_the_history_diff(writer, payload):
    post = PostFactory(author=writer.user, text="Ursprunglig text")
    writer.post(reverse("forum:edit_post", args=[post.pk]), {"text": payload})
    assert_clean(writer.get(post.thread.get_absolute_url()))
    assert_clean(writer.get(reverse("forum:post_history", args=[post.pk])))
    assert_clean(writer.get(reverse("forum:edit_post", args=[post.pk])))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_the_preview(writer, payload):
    response = writer.post(reverse("forum:preview"), {"text": payload})
    assert response.status_code == 200
    assert_clean(response)
    thread = ThreadFactory()
    assert_clean(writer.post(reverse("forum:reply", args=[thread.pk]),
                             {"text": payload, "forhandsgranska": "1"}))


@pytest.mark.parametrize("payload", PAYLOADS[::5])
def test_payload_as_title_tags_and_profile_fields(writer, payload):
    person = UserFactory(display_name=payload[:150], job_title=payload[:150])
    category = CategoryFactory()
    thread = ThreadFactory(author=person, category=category, title=payload[:200].strip() or "x")
    PostFactory(thread=thread, author=person)
    writer.post(reverse("forum:new_thread", args=[category.slug]),
                {"title": payload[:200], "text": "Text", "tags": payload[:60].replace(",", " ")})
    for url in (reverse("forum:index"), category.get_absolute_url(), thread.get_absolute_url(),
                reverse("forum:profile", args=[person.pk]),
                reverse("forum:index") + "?q=" + "alert",
                *(t.get_absolute_url() for t in Thread.objects.all())):
        assert_clean(writer.get(url))
    for tag in Thread.objects.filter(author=writer.user).values_list("tags__slug", flat=True):
        if tag:
            assert_clean(writer.get(reverse("forum:tag", args=[tag])))


@pytest.mark.parametrize("html", [
    '<img src=x onerror=alert(1)>', "<script>alert(1)</script>", '<a href="javascript:x">',
    '<a href=" JaVa script:x">', "<svg></svg>", '<p style="x">', '<img src="https://evil.example/">',
])
def test_the_page_checker_itself_catches_payloads(html):
    checker = PageChecker()
    checker.feed(html)
    assert checker.problems
