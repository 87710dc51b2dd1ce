"""Whatever is typed or put in the URL: never a 500. A 400 only for an invalid parameter
(unknown filter value, bad page number); anything typed as the query gives a normal page."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from .ui_helpers import standard_set

pytestmark = pytest.mark.django_db

OPERATORS = '"*():^-'
QUERIES = [
    "", "   ", "x" * 2000, "barn " * 400, *OPERATORS, OPERATORS, '"barn*', "(barn) OR ^jäm-",
    "-barn", "barn -jämställdhet", '"""', "***", "()", "^", "barn:", "title:barn", "NEAR(a b)",
    "a AND OR NOT b", "' OR 1=1 --", "'; DROP TABLE search_indexeddocument; --",
    "1' UNION SELECT password FROM accounts_user --", "\x00", "barn\x00analys", "\\", "%",
    "_", "<script>alert(1)</script>", "&amp;", "🙂 barn", "ÅÄÖ åäö", "\u200b", "\t\n",
]
BAD_PARAMETERS = [
    {"typ": "okand"}, {"typ": ""}, {"typ": "\x00"}, {"omrade": "inget-sadant"},
    {"forvaltning": "' OR 1=1 --"}, {"steg": "7"}, {"steg": "0"}, {"ar": "abc"},
    {"ar": "1800"}, {"ar": "-1"}, {"sida": "0"}, {"sida": "abc"}, {"sida": "999"},
    {"sida": "-1"}, {"sida": "1.5"}, {"sida": "1e3"}, {"sida": "\x00"},
]


@pytest.fixture
def corpus(db):
    return standard_set()


@pytest.mark.parametrize("query", QUERIES)
def test_any_query_gives_a_normal_page(user_client, corpus, query):
    response = user_client.get("/sok/", {"q": query})
    assert response.status_code == 200, query
    assert 'id="search-page-q"' in response.content.decode()


@pytest.mark.parametrize("query", QUERIES)
def test_any_query_gives_normal_json(user_client, corpus, query):
    response = user_client.get("/api/sok/", {"q": query})
    assert response.status_code == 200, query
    assert isinstance(response.json()["results"], list)
    suggestions = user_client.get("/api/sok/forslag/", {"q": query})
    assert suggestions.status_code == 200, query
    assert isinstance(suggestions.json()["suggestions"], list)


def test_nul_never_reaches_the_page(user_client, corpus):
    content = user_client.get("/sok/", {"q": "barn\x00analys"}).content.decode()
    assert "\x00" not in content


@pytest.mark.parametrize("extra", BAD_PARAMETERS, ids=lambda p: repr(p))
def test_invalid_parameters_are_400_on_the_page(user_client, corpus, extra):
    response = user_client.get("/sok/", {"q": "barn", **extra})
    content = response.content.decode()
    if extra.get("typ") == "":  # an empty value is no filter at all
        assert response.status_code == 200
        return
    assert response.status_code == 400, extra
    assert 'class="message message--error search-error"' in content
    assert 'id="search-page-q"' in content and "\x00" not in content


@pytest.mark.parametrize("extra", BAD_PARAMETERS, ids=lambda p: repr(p))
def test_invalid_parameters_are_400_in_the_api(user_client, corpus, extra):
    response = user_client.get("/api/sok/", {"q": "barn", **extra})
    expected = 200 if extra.get("typ") == "" else 400
    assert response.status_code == expected, extra
    if expected == 400:
        assert response.json()["error"]


@pytest.mark.parametrize("extra", [{"sida": "1"}, {"sida": "2"}, {"sida": "100"},
                                   {"typ": "metod", "ar": "2024"}, {"steg": "3"}])
def test_valid_parameters_without_hits_are_fine(user_client, corpus, extra):
    for url in ("/sok/", "/api/sok/"):
        assert user_client.get(url, {"q": "barn", **extra}).status_code == 200


def test_invalid_parameters_without_a_query_are_still_reported(user_client, corpus):
    assert user_client.get("/sok/", {"typ": "okand"}).status_code == 400
    assert user_client.get("/sok/", {"sida": "abc"}).status_code == 400


def test_repeated_and_unknown_parameters(user_client, corpus):
    response = user_client.get("/sok/?q=barn&q=jäm&foo=bar&typ=metod&typ=metod")
    assert response.status_code == 200


# --- Hypothesis: generated queries and parameters (profiles: tests/hypothesis_profiles.py) --

PARAMETERS = ("q", "typ", "omrade", "forvaltning", "steg", "ar", "sida")
_TEXT = st.one_of(
    st.text(max_size=80),  # any code point except lone surrogates
    st.text(st.characters(min_codepoint=0, max_codepoint=0x1F), min_size=1, max_size=10),
    st.sampled_from(QUERIES + [p for extra in BAD_PARAMETERS for p in extra.values()]),
    st.builds(lambda piece: piece * (100_000 // len(piece)), st.sampled_from(["a", "å ", '"*'])),
    st.integers().map(str),
)
_VALUES = st.one_of(_TEXT, st.lists(_TEXT, min_size=2, max_size=3))
_PARAMS = st.dictionaries(st.sampled_from([*PARAMETERS, "okand"]), _VALUES, max_size=5)
# Percent-encoded bytes that are not UTF-8 (lone surrogates, stray bytes), in any parameter.
_RAW = st.lists(
    st.builds("{}={}{}".format, st.sampled_from(PARAMETERS), st.sampled_from(["", "barn"]),
              st.sampled_from(["%ED%A0%80", "%ED%BF%BF", "%FF", "%C0%80", "%E2%82", "%", "%zz"])),
    min_size=1, max_size=3).map("&".join)


@given(params=_PARAMS)
def test_generated_parameters_never_break_the_page(user_client, corpus, params):
    response = user_client.get("/sok/", params)
    assert response.status_code in (200, 400), params
    assert "\x00" not in response.content.decode()


@given(params=_PARAMS)
def test_generated_parameters_never_break_the_api(user_client, corpus, params):
    response = user_client.get("/api/sok/", params)
    assert response.status_code in (200, 400), params
    body = response.json()
    assert ("results" in body) if response.status_code == 200 else body["error"]
    suggestions = user_client.get("/api/sok/forslag/", params)
    assert suggestions.status_code in (200, 400), params
    assert suggestions["Content-Type"].startswith("application/json")


@given(raw=_RAW)
def test_query_strings_that_are_not_utf8(user_client, corpus, raw):
    for url in ("/sok/", "/api/sok/", "/api/sok/forslag/"):
        response = user_client.get(url, QUERY_STRING=raw)
        assert response.status_code in (200, 400), (url, raw)
