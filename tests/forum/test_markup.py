"""The one sanitising path (forum.markup.render_markdown)."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

from forum.markup import LINK_REL, MAX_MENTIONS, render_markdown

PAYLOADS = [
    line.encode().decode("unicode_escape") if "\\n" in line else line
    for line in (Path(__file__).parent / "xss_payloads.txt").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
]
ALLOWED_TAGS = {"p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
                "a", "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td", "img"}


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def assert_safe(html: str) -> None:
    """What a browser could execute or load from elsewhere must not survive. Attribute
    values are checked as the browser sees them (entities decoded)."""
    parser = _Collector()
    parser.feed(html)
    for tag, attrs in parser.elements:
        assert tag in ALLOWED_TAGS, f"unexpected <{tag}> in {html!r}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler {name} in {html!r}"
            assert name in {"href", "src", "title", "rel", "alt"}, f"attribute {name} in {html!r}"
            if name in {"href", "src"}:
                scheme = urlparse((value or "").strip()).scheme.lower()
                assert scheme in {"", "http", "https", "mailto"}, f"bad url {value!r} in {html!r}"
                assert ":" not in (value or "").split("/")[0] or scheme, value
        if tag == "img" and "src" in attrs:
            assert attrs["src"].startswith("/media/"), f"off-site image {attrs['src']!r}"


def test_at_least_forty_payloads():
    assert len(PAYLOADS) >= 40


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised(payload):
    assert_safe(render_markdown(payload).html)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_inside_quote_and_list_is_neutralised(payload):
    assert_safe(render_markdown(f"> {payload}\n\n- {payload}\n").html)


def test_markdown_features_render_with_the_allowlist():
    html = render_markdown(
        "# Rubrik\n\n**fet** *kursiv* ~~struken~~ `kod`\n\n> citat\n\n1. ett\n2. två\n\n"
        "| a | b |\n|:-|-:|\n| 1 | 2 |\n\n---\n\n```\n<b>&</b>\n```\n"
    ).html
    assert "<h3>Rubrik</h3>" in html
    assert "<strong>fet</strong>" in html and "<em>kursiv</em>" in html
    assert "<del>struken</del>" in html and "<code>kod</code>" in html
    assert "<blockquote>" in html and "<ol>" in html and "<hr>" in html
    assert "<th>a</th>" in html and "<td>2</td>" in html  # no style="text-align"
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in html  # code escaped exactly once


def test_links_get_rel_and_bare_urls_are_linkified():
    html = render_markdown("Se https://malmo.se/mr och [DO](https://www.do.se)").html
    assert html.count(f'rel="{LINK_REL}"') == 2
    assert 'href="https://malmo.se/mr"' in html


def test_urls_in_code_are_not_linkified():
    html = render_markdown("`https://malmo.se` och\n\n```\nhttps://malmo.se\n```").html
    assert "<a" not in html


def test_local_media_images_are_kept_and_others_dropped():
    html = render_markdown("![karta](/media/images/karta.png) ![x](https://evil.example/x.png)").html
    assert 'src="/media/images/karta.png"' in html
    assert "evil.example" not in html


def test_mentions_are_found_outside_code_and_capped():
    rendered = render_markdown("Hej @anna.lind och @Per! `@inte` @anna.lind")
    assert rendered.mentions == ("anna.lind", "per")
    many = " ".join(f"@person{i}" for i in range(15))
    assert len(render_markdown(many).mentions) == MAX_MENTIONS


def test_mentions_become_links_only_for_resolved_handles():
    html = render_markdown("@anna.lind och @okand", lambda handles: {"anna.lind": "/forum/person/7/"}).html
    assert '<a href="/forum/person/7/" rel="nofollow ugc noopener">@anna.lind</a>' in html
    assert "@okand" in html and 'href="/forum/person/7/">@okand' not in html


def test_email_addresses_are_not_mentions():
    assert render_markdown("skriv till anna@malmo.se").mentions == ()


def test_huge_and_odd_input_does_not_crash():
    assert_safe(render_markdown("a" * 100_000).html)
    assert_safe(render_markdown("\x00\x01\x1b[31m" + "\u202e" * 10 + "🙂" * 1000).html)
    assert render_markdown("").html == ""
