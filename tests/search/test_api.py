"""The JSON search API (/api/sok/) and suggestions (/api/sok/forslag/), real backend."""

from __future__ import annotations

import pytest

from search.backends.base import FACET_NAMES
from search.documents import group_token

from .ui_helpers import doc, index, standard_set

pytestmark = pytest.mark.django_db

TOP_KEYS = {"query", "total", "page", "num_pages", "results", "facets", "suggestion",
            "corrected", "approximate"}
RESULT_TYPES = {"id": str, "kind": str, "title": str, "url": str, "snippet": str,
                "score": float}


def test_schema_of_results_and_facets(user_client):
    documents = standard_set()
    response = user_client.get("/api/sok/", {"q": "barnkonsekvensanalys"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    data = response.json()
    assert set(data) == TOP_KEYS
    assert data["query"] == "barnkonsekvensanalys"
    assert data["total"] == 3 and data["page"] == 1 and data["num_pages"] == 1
    assert data["suggestion"] is None and data["corrected"] is False
    assert data["approximate"] is False
    assert len(data["results"]) == 3
    for result in data["results"]:
        assert set(result) == set(RESULT_TYPES)
        for key, kind in RESULT_TYPES.items():
            assert isinstance(result[key], kind), (key, result[key])
    first = data["results"][0]
    by_id = {d.public_id: d for d in documents}
    assert first["id"] in by_id
    assert first["url"] == "http://testserver" + by_id[first["id"]].url
    assert "<mark>" in "".join(r["snippet"] for r in data["results"])
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)

    assert set(data["facets"]) == set(FACET_NAMES)
    for name, values in data["facets"].items():
        for value in values:
            assert set(value) == {"value", "label", "count"}
            assert isinstance(value["value"], str) and isinstance(value["label"], str)
            assert isinstance(value["count"], int) and value["count"] > 0
    kinds = {v["value"]: (v["label"], v["count"]) for v in data["facets"]["typ"]}
    assert kinds == {"metod": ("Metod", 1), "gott-exempel": ("Gott exempel", 1),
                     "vagledning": ("Vägledning", 1)}
    units = {v["value"]: v["label"] for v in data["facets"]["forvaltning"]}
    assert units["forskoleforvaltningen"] == "Förskoleförvaltningen"
    years = [v["value"] for v in data["facets"]["ar"]]
    assert years == sorted(years, reverse=True)


def test_filters_and_pages(user_client):
    index(*[doc(f"Tillgänglighet {n}", kind="vagledning" if n % 2 else "metod")
            for n in range(24)])
    data = user_client.get("/api/sok/?q=tillgänglighet&typ=metod&sida=2").json()
    assert data["total"] == 12 and data["page"] == 2 and data["num_pages"] == 2
    assert len(data["results"]) == 2
    assert {r["kind"] for r in data["results"]} == {"metod"}
    # The kind facet is counted without its own filter, so both kinds are offered.
    assert {v["value"]: v["count"] for v in data["facets"]["typ"]} == {"metod": 12,
                                                                       "vagledning": 12}


def test_empty_query_is_an_empty_result(user_client):
    data = user_client.get("/api/sok/").json()
    assert data["total"] == 0 and data["results"] == [] and data["num_pages"] == 1
    assert set(data["facets"]) == set(FACET_NAMES)


def test_suggestion_for_a_misspelt_word(user_client):
    standard_set()
    data = user_client.get("/api/sok/", {"q": "barnkonsekvensanalis"}).json()
    assert data["suggestion"] == "barnkonsekvensanalys"
    assert isinstance(data["corrected"], bool)


@pytest.mark.parametrize("params, fragment", [
    ({"q": "barn", "typ": "okänd"}, "Okänt filtervärde för typ: okänd"),
    ({"q": "barn", "omrade": "<b>"}, "Okänt filtervärde för omrade: <b>"),
    ({"q": "barn", "ar": "tjugo"}, "Okänt filtervärde för ar"),
    ({"q": "barn", "sida": "abc"}, "Ogiltigt sidnummer"),
    ({"q": "barn", "sida": "0"}, "Ogiltigt sidnummer"),
])
def test_bad_parameters_are_400_json(user_client, params, fragment):
    response = user_client.get("/api/sok/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == {"error"}
    assert fragment in data["error"]


def test_results_respect_access(user_client):
    index(doc("Öppen rutin för tolkning"),
          doc("Hemlig rutin för tolkning", access=[group_token(999_999)]))
    data = user_client.get("/api/sok/", {"q": "tolkning"}).json()
    assert [r["title"] for r in data["results"]] == ["Öppen rutin för tolkning"]
    suggestions = user_client.get("/api/sok/forslag/", {"q": "rutin"}).json()["suggestions"]
    assert [s["title"] for s in suggestions] == ["Öppen rutin för tolkning"]


@pytest.mark.parametrize("url", ["/api/sok/?q=barn", "/api/sok/forslag/?q=barn"])
def test_api_requires_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_suggestions_complete_the_last_word(user_client):
    standard_set()
    response = user_client.get("/api/sok/forslag/", {"q": "barnkonsek"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    data = response.json()
    assert data["query"] == "barnkonsek"
    titles = [s["title"] for s in data["suggestions"]]
    assert "Barnkonsekvensanalys steg för steg" in titles
    for suggestion in data["suggestions"]:
        assert set(suggestion) == {"title", "url", "kind", "kind_label"}
        assert suggestion["url"].startswith("http://testserver/test/")
    labels = {s["kind"]: s["kind_label"] for s in data["suggestions"]}
    assert labels.get("gott-exempel") == "Gott exempel"


def test_suggestions_need_two_characters_and_are_capped(user_client):
    index(*[doc(f"Jämlikhet {n}") for n in range(20)])
    assert user_client.get("/api/sok/forslag/", {"q": "j"}).json()["suggestions"] == []
    assert user_client.get("/api/sok/forslag/").json()["suggestions"] == []
    assert len(user_client.get("/api/sok/forslag/", {"q": "jäm"}).json()["suggestions"]) == 8


def test_only_get(user_client):
    assert user_client.post("/api/sok/", {"q": "barn"}).status_code == 405
    assert user_client.post("/api/sok/forslag/", {"q": "barn"}).status_code == 405
