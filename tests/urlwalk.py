"""Walking the URL conf: every pattern, with a concrete URL built for it.

Shared by tests/site/test_login_required.py (login everywhere) and
tests/site/test_authz_matrix.py (who may open what). A new view is covered the moment its
URLs are included.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, PathConverter, SlugConverter, StringConverter
from django.urls.converters import UUIDConverter
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern

try:  # Python 3.11+
    from re import _constants as sre_constants
    from re import _parser as sre_parse
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants
    import sre_parse

DUMMY_UUID = "0b1e7a52-7c5e-4c8e-9d2a-5a3c1f0e9b11"
CONVERTER_VALUES = {
    IntConverter: "1",
    SlugConverter: "x",
    StringConverter: "x",
    UUIDConverter: DUMMY_UUID,
    PathConverter: "x/y",
}


class CannotInstantiate(Exception):
    pass


# --- Building concrete URLs ---------------------------------------------------------------


def _char_for_in(items) -> str:
    """A character matching a character class ([...]) from the regex parser."""
    negate = any(op is sre_constants.NEGATE for op, _ in items)
    if negate:
        excluded = set()
        for op, arg in items:
            if op is sre_constants.LITERAL:
                excluded.add(chr(arg))
            elif op is sre_constants.RANGE:
                excluded.update(chr(c) for c in range(arg[0], arg[1] + 1))
        for candidate in "xyz1":
            if candidate not in excluded:
                return candidate
        raise CannotInstantiate("negated class excludes every candidate")
    for op, arg in items:
        if op is sre_constants.LITERAL:
            return chr(arg)
        if op is sre_constants.RANGE:
            low, high = arg
            for candidate in "x1":
                if low <= ord(candidate) <= high:
                    return candidate
            return chr(low)
        if op is sre_constants.CATEGORY:
            return _char_for_category(arg)
    raise CannotInstantiate(f"character class {items!r}")


def _char_for_category(category) -> str:
    if category is sre_constants.CATEGORY_DIGIT:
        return "1"
    if category in (sre_constants.CATEGORY_WORD, sre_constants.CATEGORY_NOT_SPACE,
                    sre_constants.CATEGORY_NOT_DIGIT):
        return "x"
    raise CannotInstantiate(f"category {category!r}")


def _generate(parsed, groups: dict[int, str]) -> str:
    out = []
    for op, arg in parsed:
        if op is sre_constants.LITERAL:
            out.append(chr(arg))
        elif op is sre_constants.NOT_LITERAL:
            out.append("x" if chr(arg) != "x" else "y")
        elif op is sre_constants.ANY:
            out.append("x")
        elif op is sre_constants.IN:
            out.append(_char_for_in(arg))
        elif op is sre_constants.CATEGORY:
            out.append(_char_for_category(arg))
        elif op is sre_constants.AT:
            continue  # ^ and $
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT):
            low, high, item = arg
            count = max(low, 1) if high != 0 else 0
            out.append("".join(_generate(item, groups) for _ in range(count)))
        elif op is sre_constants.SUBPATTERN:
            group, _add_flags, _del_flags, item = arg
            text = _generate(item, groups)
            if group is not None:
                groups[group] = text
            out.append(text)
        elif op is sre_constants.BRANCH:
            out.append(_generate(arg[1][0], groups))
        elif op is sre_constants.GROUPREF:
            out.append(groups[arg])
        else:
            raise CannotInstantiate(f"regex operation {op!r}")
    return "".join(out)


def regex_example(regex: str) -> str:
    text = _generate(sre_parse.parse(regex), {})
    if not re.fullmatch(regex.removeprefix("^").removesuffix("$"), text):
        raise CannotInstantiate(f"generated {text!r} does not match {regex!r}")
    return text


_ROUTE_PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def route_example(pattern: RoutePattern) -> str:
    def fill(match: re.Match) -> str:
        converter = pattern.converters[match["name"]]
        for converter_class, value in CONVERTER_VALUES.items():
            if type(converter) is converter_class:
                return value
        raise CannotInstantiate(f"converter {type(converter).__name__}")

    return _ROUTE_PARAMETER.sub(fill, str(pattern._route))


def pattern_example(pattern) -> str:
    if isinstance(pattern, RoutePattern):
        return route_example(pattern)
    if isinstance(pattern, RegexPattern):
        return regex_example(pattern._regex)
    if isinstance(pattern, LocalePrefixPattern):
        return pattern.language_prefix
    raise CannotInstantiate(f"pattern type {type(pattern).__name__}")


@dataclass(frozen=True)
class Endpoint:
    description: str  # the pattern as written, for messages
    name: str | None  # namespaced URL name
    url: str | None  # None when it cannot be instantiated
    problem: str = ""


def walk(resolver: URLResolver, parts=(), namespace=None):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from walk(entry, (*parts, entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield (*parts, entry.pattern), (
                (f"{namespace}:{entry.name}" if namespace else entry.name) if entry.name else None
            )


def collect_endpoints() -> list[Endpoint]:
    endpoints = []
    for patterns, name in walk(get_resolver()):
        description = "".join(str(p) for p in patterns)
        try:
            url = "/" + "".join(pattern_example(p) for p in patterns)
        except CannotInstantiate as exc:
            endpoints.append(Endpoint(description, name, None, str(exc)))
            continue
        endpoints.append(Endpoint(description, name, url))
    return endpoints


ENDPOINTS = collect_endpoints()
ALL_URL_NAMES = {endpoint.name for endpoint in ENDPOINTS if endpoint.name}
UNINSTANTIABLE = [endpoint for endpoint in ENDPOINTS if endpoint.url is None]
# Several patterns can produce the same URL (a pattern shadowed by an earlier one); the URL
# is what a visitor can request, so each distinct URL is requested once.
URLS = sorted({endpoint.url for endpoint in ENDPOINTS if endpoint.url is not None})
