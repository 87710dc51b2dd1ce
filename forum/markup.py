"""The one path from user-written Markdown to safe HTML.

markdown-it-py (raw HTML off) renders; one bleach.Cleaner pass then keeps an allowlist and
linkifies bare URLs. Cleaning and linkifying in one pass matters: linkifying after cleaning
double-escapes code blocks. Every place that shows user text (posts, previews, profile
fields) goes through `render_markdown`; the stored HTML carries SANITIZER_VERSION, and is
re-rendered when the version changes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlparse

import bleach
from bleach.linkifier import LinkifyFilter, build_url_re
from django.conf import settings
from django.urls import reverse
from markdown_it import MarkdownIt

# Bump when the allowlist or the renderer changes; stored posts are re-rendered lazily.
SANITIZER_VERSION = 1

ALLOWED_TAGS = frozenset({
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td", "img",
})
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"
MAX_MENTIONS = 10
MENTION_RE = re.compile(r"(?<![\w@/])@([a-z0-9][a-z0-9._-]{0,63}[a-z0-9]|[a-z0-9])", re.IGNORECASE)


def _is_local_media(url: str) -> bool:
    """Images may only come from this site's media (no third-party hotlinking)."""
    parsed = urlparse(url)
    if parsed.scheme or parsed.netloc:
        base = urlparse(settings.BASE_URL)
        if (parsed.scheme, parsed.netloc) != (base.scheme, base.netloc):
            return False
    return parsed.path.startswith(settings.MEDIA_URL) and ".." not in parsed.path


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in {"href", "title", "rel"}
    if tag == "img":
        return name == "alt" or (name == "src" and _is_local_media(value))
    return False


def _set_rel(attrs, new=False):
    attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[partial(
        LinkifyFilter,
        callbacks=[_set_rel],
        skip_tags={"pre", "code"},
        parse_email=False,  # quadratic on long words; mailto: links still work
        url_re=build_url_re(protocols=["http", "https"]),
    )],
)


def _build_parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.enable(["table", "strikethrough"])
    rules = parser.renderer.rules

    # Strikethrough as <del> (markdown-it writes <s>), headings as h3/h4 only (the page
    # owns h1/h2), table cells without inline style alignment.
    rules["s_open"] = lambda *a, **k: "<del>"
    rules["s_close"] = lambda *a, **k: "</del>"

    def heading_open(tokens, idx, options, env):
        return "<h3>" if tokens[idx].tag in {"h1", "h2", "h3"} else "<h4>"

    def heading_close(tokens, idx, options, env):
        return "</h3>" if tokens[idx].tag in {"h1", "h2", "h3"} else "</h4>"

    rules["heading_open"] = heading_open
    rules["heading_close"] = heading_close
    for cell in ("th", "td"):
        rules[f"{cell}_open"] = lambda tokens, idx, options, env, cell=cell: f"<{cell}>"
    return parser


_parser = _build_parser()


@dataclass(frozen=True)
class Rendered:
    html: str
    mentions: tuple[str, ...]  # handles (lowercased), in order of first appearance


def _mentions_in(tokens) -> list[str]:
    """@handles in text tokens only (not in code spans or code blocks)."""
    found: list[str] = []
    for token in tokens:
        if token.type == "inline" and token.children:
            found.extend(_mentions_in(token.children))
        elif token.type == "text":
            for match in MENTION_RE.finditer(token.content):
                handle = match.group(1).lower()
                if handle not in found:
                    found.append(handle)
    return found


def _link_mentions(html: str, handles: dict[str, str]) -> str:
    """Turn @handle into a profile link for handles that resolve to a user."""
    if not handles:
        return html

    def replace(match: re.Match) -> str:
        url = handles.get(match.group(1).lower())
        return f'<a href="{url}">@{match.group(1)}</a>' if url else match.group(0)

    # Only outside tags, code and existing links: split on those and rewrite text parts.
    parts = re.split(r"(<pre>.*?</pre>|<code>.*?</code>|<a\b.*?</a>|<[^>]+>)", html, flags=re.S)
    return "".join(part if part.startswith("<") else MENTION_RE.sub(replace, part) for part in parts)


def render_markdown(text: str, resolve_mentions=None) -> Rendered:
    """Markdown → sanitised HTML. `resolve_mentions(handles) -> {handle: profile_url}`."""
    tokens = _parser.parse(text or "")
    html = _cleaner.clean(_parser.renderer.render(tokens, _parser.options, {}))
    mentions = tuple(_mentions_in(tokens)[:MAX_MENTIONS])
    if resolve_mentions and mentions:
        html = _link_mentions(html, resolve_mentions(mentions))
        html = _cleaner.clean(html)  # the links we added pass the same allowlist
    return Rendered(html=html, mentions=mentions)


def count_mentions(text: str) -> int:
    return len(_mentions_in(_parser.parse(text or "")))


def profile_url_for(user) -> str:
    return reverse("forum:profile", args=[user.pk])
