"""Fuzzing every user-facing form and JSON endpoint: never a 500.

Hypothesis draws values for each form's fields (found by reading the form the page itself
renders, so new fields are fuzzed too) and for the query parameters of GET endpoints:
unicode, 100 kB strings, control characters and NUL, numbers where text is expected and
text where numbers are, lists where one value is expected, unknown fields, and raw query
strings and bodies that are not UTF-8 at all (lone surrogates, stray bytes). Invalid input
must give a 4xx or the form again; nothing may give a 5xx (the test client re-raises a view's
exception, which fails the example too).

Profiles: tests/hypothesis_profiles.py (HYPOTHESIS_PROFILE=ci by default, =thorough for more).
The data is the authorisation matrix's (tests/site/authz_world.py), built once per module.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from .authz_world import World

ALLOWED = {200, 204, 301, 302, 303, 400, 403, 404, 405, 409, 413, 429}
SKIP_FIELDS = {"csrfmiddlewaretoken"}

# --- strategies ---------------------------------------------------------------------------

HUGE = st.builds(lambda piece: piece * (100_000 // len(piece)),
                 st.sampled_from(["a", "å", "🙂", "\x00", "<b>", "1", "%", " "]))
SPECIAL = st.sampled_from([
    "", " ", "0", "-1", "1.5", "1e9", "NaN", "inf", "99999999999999999999", "abc", "null",
    "[]", "{}", "true", "' OR 1=1 --", "<script>alert(1)</script>", "%00", "\u202e", "\ufeff",
    "../../etc/passwd", "😀" * 10, "x" * 300, "2024-13-45", "https://example.com",
    "javascript:alert(1)", "0b1e7a52-7c5e-4c8e-9d2a-5a3c1f0e9b11",
])
CONTROL = st.text(st.characters(min_codepoint=0, max_codepoint=0x1F), min_size=1, max_size=20)
UNICODE = st.text(max_size=60)  # every code point but lone surrogates (the test client
# cannot encode those; RAW_QUERY sends them percent-encoded)
SCALAR = st.one_of(SPECIAL, UNICODE, CONTROL, HUGE, st.integers().map(str))
VALUE = st.one_of(SCALAR, st.lists(SCALAR, min_size=2, max_size=3))  # a list for a scalar
# Query strings that are not UTF-8: CESU-style lone surrogates, stray continuation bytes,
# an overlong NUL, a truncated escape.
RAW_BYTES = st.sampled_from(["%ED%A0%80", "%ED%BF%BF", "%FF", "%C0%80", "%80%80", "%E2%82",
                             "%", "%zz", "%00"])


def payloads(fields: list[str]) -> st.SearchStrategy[dict]:
    names = st.sampled_from([*fields, "okant_falt"]) if fields else st.just("okant_falt")
    return st.dictionaries(names, VALUE, max_size=len(fields) + 1)


def raw_query(fields: list[str]) -> st.SearchStrategy[str]:
    name = st.sampled_from(fields or ["q"])
    pair = st.builds(lambda n, b, t: f"{n}={t}{b}", name, RAW_BYTES, st.sampled_from(["", "a"]))
    return st.lists(pair, min_size=1, max_size=3).map("&".join)


# --- endpoints ----------------------------------------------------------------------------

UrlFor = Callable[[World], str]


@dataclass(frozen=True)
class Endpoint:
    name: str
    role: str
    method: str
    url: UrlFor
    fields: tuple[str, ...] = ()  # GET parameters; POST forms are read from `form_page`
    form_page: UrlFor | None = None  # the page that renders the form (default: `url`)
    json: bool = False
    extra: dict = field(default_factory=dict)  # always sent, e.g. a submit button's name


def u(name: str, *args: Callable[[World], object]) -> UrlFor:
    return lambda world: reverse(name, args=[arg(world) for arg in args])


def own(role: str, attribute: str, pk: bool = True):
    def get(world):
        value = getattr(world.own[role], attribute)
        return value.pk if pk and hasattr(value, "pk") else value
    return get


def objects(name: str, attribute: str = "pk"):
    return lambda world: getattr(world.objects[name], attribute)


def fixed(value):
    return lambda world: value


YEAR = objects("edition", "year")
SEARCH_FIELDS = ("q", "typ", "omrade", "forvaltning", "steg", "ar", "sida")
INDEX_FIELDS = ("omrade", "forvaltning", "steg", "princip", "malgrupp", "sida")

ENDPOINTS = [
    # Search
    Endpoint("search page", "medarbetare", "GET", fixed("/sok/"), SEARCH_FIELDS),
    Endpoint("search API", "medarbetare", "GET", fixed("/api/sok/"), SEARCH_FIELDS, json=True),
    Endpoint("suggestions API", "medarbetare", "GET", fixed("/api/sok/forslag/"), ("q",),
             json=True),
    # Content index filters
    Endpoint("method index filters", "medarbetare", "GET", fixed("/metoder/"), INDEX_FIELDS),
    # Forum reading (lists and the thread page take a page number, quoting an id)
    Endpoint("forum index", "medarbetare", "GET", fixed("/forum/"), ("sida", "filter")),
    Endpoint("forum category", "medarbetare", "GET",
             u("forum:category", objects("open_category", "slug")), ("sida", "filter")),
    Endpoint("forum tag", "medarbetare", "GET", u("forum:tag", objects("tag", "slug")),
             ("sida",)),
    Endpoint("forum thread", "medarbetare", "GET", lambda w: w.other.thread.get_absolute_url(),
             ("sida", "citera")),
    Endpoint("forum moderation log", "moderator", "GET", fixed("/forum/moderering/logg/"),
             ("sida",)),
    # Forum writing
    Endpoint("new thread", "medarbetare", "POST",
             u("forum:new_thread", objects("open_category", "slug"))),
    Endpoint("new thread preview", "medarbetare", "POST",
             u("forum:new_thread", objects("open_category", "slug")),
             extra={"forhandsgranska": "1"}),
    Endpoint("reply", "medarbetare", "POST", lambda w: reverse("forum:reply",
                                                               args=[w.other.thread.pk])),
    Endpoint("reply draft", "medarbetare", "POST",
             lambda w: reverse("forum:reply", args=[w.other.thread.pk]),
             extra={"spara_utkast": "1"}),
    Endpoint("save draft", "medarbetare", "POST",
             lambda w: reverse("forum:save_draft", args=[w.other.thread.pk]), ("text",)),
    Endpoint("preview", "medarbetare", "POST", fixed("/forum/forhandsvisning/"), ("text",)),
    Endpoint("edit post", "medarbetare", "POST", u("forum:edit_post", own("medarbetare",
                                                                           "post"))),
    Endpoint("edit opening post", "medarbetare", "POST",
             lambda w: reverse("forum:edit_post", args=[w.own["medarbetare"].thread.posts
                                                        .get(number=1).pk])),
    Endpoint("flag post", "medarbetare", "POST",
             lambda w: reverse("forum:flag_post", args=[w.other.post.pk])),
    Endpoint("reaction", "samordnare", "POST",
             lambda w: reverse("forum:react", args=[w.other.post.pk]), ("kind",)),
    Endpoint("accept answer", "medarbetare", "POST",
             u("forum:accept_answer", own("medarbetare", "thread")), ("post",)),
    Endpoint("watch thread", "medarbetare", "POST",
             lambda w: reverse("forum:watch_thread", args=[w.other.thread.pk]),
             ("level", "next")),
    Endpoint("watch category", "medarbetare", "POST",
             u("forum:watch_category", objects("open_category", "slug")), ("level", "next")),
    Endpoint("notification settings", "medarbetare", "POST", fixed("/forum/installningar/")),
    Endpoint("unsubscribe", "anonymous", "POST", fixed("/forum/avregistrera/x/"), ("token",)),
    Endpoint("hide post", "moderator", "POST",
             lambda w: reverse("forum:hide_post", args=[w.other.post.pk])),
    Endpoint("thread tools", "moderator", "POST",
             lambda w: reverse("forum:thread_tools", args=[w.other.thread.pk])),
    Endpoint("resolve flag", "moderator", "POST", u("forum:resolve_flag", objects("flag")),
             ("decision", "reason")),
    # Conference
    Endpoint("registration", "fresh", "POST", u("conference:register", YEAR)),
    Endpoint("new personal link", "medarbetare", "POST",
             u("conference:my_registration", YEAR), ("x",)),
    Endpoint("change sessions", "medarbetare", "POST",
             u("conference:change_sessions", own("medarbetare", "token")),
             form_page=u("conference:manage", own("medarbetare", "token"))),
    Endpoint("answer offer", "medarbetare", "POST",
             u("conference:respond_to_offer", own("medarbetare", "token")),
             ("action", "booking")),
    Endpoint("cancel", "granskare", "POST", u("conference:cancel", own("granskare", "token")),
             ("x",)),
    Endpoint("feedback", "medarbetare", "POST", u("conference:feedback", YEAR),
             ("betyg", "kommentar", "session")),
    Endpoint("proposal", "medarbetare", "POST", u("conference:submit_proposal", YEAR)),
    Endpoint("proposal review", "konferensarrangor", "POST",
             u("conference:review", YEAR, own("medarbetare", "proposal"))),
    Endpoint("check-in search", "konferensarrangor", "GET", u("conference:checkin", YEAR),
             ("q", "sida")),
    Endpoint("check-in one", "konferensarrangor", "POST",
             lambda w: reverse("conference:checkin_one",
                               args=[w.objects["edition"].year,
                                     w.own["medarbetare"].registration.uid]), ("action",)),
    Endpoint("participants", "konferensarrangor", "GET", u("conference:participants", YEAR),
             ("q", "sida", "status", "forvaltning")),
    # Accounts and site
    Endpoint("profile", "moderator", "POST", fixed("/profil/")),
    Endpoint("accessibility feedback", "medarbetare", "POST",
             fixed("/tillganglighet/synpunkter/")),
]

FORM_FIELD = re.compile(r'<(?:input|select|textarea|button)\b[^>]*\bname="([^"]+)"')


_FIELDS: dict[str, list[str]] = {}


def form_fields(client, world, endpoint: Endpoint) -> list[str]:
    """The form's field names, read once per endpoint: the page may change as examples post
    to it (a hidden post, a cancelled registration), and the strategy must not."""
    if endpoint.method == "GET":
        return list(endpoint.fields)
    if endpoint.name not in _FIELDS:
        page = (endpoint.form_page or endpoint.url)(world)
        html = client.get(page).content.decode(errors="replace")
        names = {name for name in FORM_FIELD.findall(html) if name not in SKIP_FIELDS}
        _FIELDS[endpoint.name] = sorted(names | set(endpoint.fields))
    return _FIELDS[endpoint.name]


def check(response, endpoint: Endpoint, sent) -> None:
    assert response.status_code in ALLOWED, (endpoint.name, response.status_code, sent)
    if endpoint.json:
        assert response["Content-Type"].startswith("application/json"), endpoint.name


@pytest.fixture(scope="module")
def fuzz_clients(world, clients):
    """The matrix's clients plus a user with no registration yet."""
    from django.test import Client

    from tests.factories import UserFactory

    fresh = Client()
    fresh.force_login(UserFactory(email="fuzz-ny@malmo.se"))
    return {**clients, "fresh": fresh}


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
@given(data=st.data())
def test_no_input_gives_a_server_error(endpoint, world, fuzz_clients, data):
    client = fuzz_clients[endpoint.role]
    fields = form_fields(client, world, endpoint)
    payload = {**endpoint.extra, **data.draw(payloads(fields), label="payload")}
    target = endpoint.url(world)
    if endpoint.method == "GET":
        response = client.get(target, payload)
    else:
        response = client.post(target, payload)
    check(response, endpoint, payload)


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
@given(data=st.data())
def test_bytes_that_are_not_utf8(endpoint, world, fuzz_clients, data):
    """Lone surrogates and stray bytes in the query string, or in a form-encoded body."""
    client = fuzz_clients[endpoint.role]
    fields = form_fields(client, world, endpoint)
    raw = data.draw(raw_query(fields), label="raw")
    target = endpoint.url(world)
    if endpoint.method == "GET":
        response = client.get(target, QUERY_STRING=raw)
    else:
        response = client.post(target, data=raw.encode("ascii"),
                               content_type="application/x-www-form-urlencoded")
    check(response, endpoint, raw)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/forum/trad/abc/", "/forum/inlagg/1e3/redigera/",
                                  "/konferens/abc/anmalan/", "/forum/kategori/%00/",
                                  "/forum/trad/99999999999999999999999/",
                                  "/konferens/99999999999/anmalan/",
                                  "/konferens/2091/arrangor/incheckning/not-a-uuid/"])
def test_non_numeric_and_huge_ids_in_the_path_are_404(path, world, fuzz_clients):
    response = fuzz_clients["superuser"].get(path)
    assert response.status_code == 404, (path, response.status_code)
