"""Offline relevance metrics (search.evaluation) on hand-computed examples, and the
`search_evaluate` command end to end on a tiny corpus in the format of
/work/shared/search-eval/README.md."""

from __future__ import annotations

import json
import math
import os
import re
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from search.evaluation import (
    QueryResult,
    Report,
    evaluate,
    load_queries,
    mrr,
    ndcg,
    percentile,
    recall,
)

LOG2_3 = math.log2(3)

# --- nDCG@10 -----------------------------------------------------------------------------


def test_ndcg_perfect_ranking_is_one():
    assert ndcg(["a", "b", "c"], {"a": 2, "b": 1, "c": 1}) == pytest.approx(1.0)


def test_ndcg_uses_exponential_gains():
    # DCG  = (2^1-1)/log2(2) + 0 + (2^2-1)/log2(4)          = 1 + 1.5      = 2.5
    # IDCG = (2^2-1)/log2(2) + (2^1-1)/log2(3) + (2^1-1)/log2(4) = 3 + 1/log2(3) + 0.5
    expected = 2.5 / (3.5 + 1 / LOG2_3)
    assert ndcg(["a", "x", "c"], {"a": 1, "c": 2, "d": 1}) == pytest.approx(expected)
    assert expected == pytest.approx(0.6052, abs=1e-4)  # linear gains would give 0.639


def test_ndcg_grade_two_first_beats_grade_one_first():
    grades = {"a": 2, "b": 1}
    best = ndcg(["a", "b"], grades)
    swapped = ndcg(["b", "a"], grades)
    # (1 + 3/log2(3)) / (3 + 1/log2(3))
    assert swapped == pytest.approx((1 + 3 / LOG2_3) / (3 + 1 / LOG2_3))
    assert best == pytest.approx(1.0) and swapped < best


def test_ndcg_counts_only_the_top_ten():
    ranked = [f"x{i}" for i in range(10)] + ["a"]
    assert ndcg(ranked, {"a": 2}) == 0.0
    ranked = [f"x{i}" for i in range(9)] + ["a"]
    assert ndcg(ranked, {"a": 2}) == pytest.approx(1 / math.log2(11))


def test_ndcg_ideal_is_truncated_at_ten():
    grades = {f"d{i}": 1 for i in range(12)}
    ranked = [f"d{i}" for i in range(10)]
    assert ndcg(ranked, grades) == pytest.approx(1.0)


def test_ndcg_of_nothing():
    assert ndcg([], {"a": 2}) == 0.0
    assert ndcg(["a"], {}) == 0.0
    assert ndcg(["a"], {"a": 0}) == 0.0


def test_unjudged_documents_count_as_zero():
    assert ndcg(["u", "a"], {"a": 1}) == pytest.approx(1 / LOG2_3)


# --- recall@10 and MRR@10 ----------------------------------------------------------------


def test_recall():
    grades = {"a": 2, "b": 1, "c": 1, "z": 0}
    assert recall(["a", "c", "x"], grades) == pytest.approx(2 / 3)
    assert recall(["z"], grades) == 0.0  # grade 0 is not relevant
    assert recall([f"x{i}" for i in range(10)] + ["a", "b", "c"], grades) == 0.0
    assert recall(["a"], {}) == 0.0
    assert recall(["a"], {"z": 0}) == 0.0


def test_mrr_is_the_first_grade_two_document():
    grades = {"a": 1, "b": 2, "c": 2}
    assert mrr(["a", "x", "b", "c"], grades) == pytest.approx(1 / 3)
    assert mrr(["c"], grades) == 1.0
    assert mrr(["a"], grades) == 0.0  # grade 1 does not count
    assert mrr([f"x{i}" for i in range(10)] + ["b"], grades) == 0.0
    assert mrr([f"x{i}" for i in range(9)] + ["b"], grades) == pytest.approx(0.1)


def test_percentile_nearest_rank():
    values = [5.0, 1.0, 3.0, 2.0, 4.0]
    assert percentile(values, 0.5) == 3.0
    assert percentile(values, 0.95) == 5.0
    assert percentile(values, 0.2) == 1.0
    assert percentile([7.0], 0.95) == 7.0
    assert percentile([], 0.5) == 0.0


# --- Report and runner -------------------------------------------------------------------


def make_report() -> Report:
    report = Report(backend="database", database="sqlite (3 documents)")
    report.results = [
        QueryResult("q1", "barn", "inflection", ["a", "b"], {"a": 2}, 0.010),
        QueryResult("q2", "skola", "inflection", ["b", "a"], {"a": 2}, 0.030),
        QueryResult("q3", "xyz", "typo", [], {"c": 2}, 0.020),
    ]
    return report


def test_report_summary_macro_averages():
    summary = make_report().summary()
    assert summary["queries"] == 3
    assert summary["ndcg@10"] == pytest.approx((1 + 1 / LOG2_3 + 0) / 3)
    assert summary["recall@10"] == pytest.approx(2 / 3)
    assert summary["mrr@10"] == pytest.approx((1 + 0.5 + 0) / 3)
    assert summary["zero_result_rate"] == pytest.approx(1 / 3)
    assert summary["p50_ms"] == pytest.approx(20.0)
    assert summary["p95_ms"] == pytest.approx(30.0)


def test_report_by_category_and_outputs():
    report = make_report()
    categories = report.by_category()
    assert list(categories) == ["inflection", "typo"]
    assert categories["inflection"]["mrr@10"] == pytest.approx(0.75)
    assert categories["typo"]["zero_result_rate"] == 1.0
    data = report.as_json()
    assert data["overall"]["queries"] == 3
    assert [q["qid"] for q in data["queries"]] == ["q1", "q2", "q3"]
    assert data["queries"][1]["top10"] == ["b", "a"] and data["queries"][1]["ms"] == 30.0
    table = report.as_table()
    assert "nDCG@10" in table and "Backend: database on sqlite (3 documents)" in table
    assert re.search(r"^ALL\s+3\s+0\.544\s+0\.667\s+0\.500\s+0\.33", table, re.MULTILINE)


def test_evaluate_runs_every_query_after_a_warmup(tmp_path):
    path = tmp_path / "queries.jsonl"
    path.write_text(
        '{"qid": "q1", "query": "barn", "category": "inflection", "relevant": {"a": 2}}\n\n'
        '{"qid": "q2", "query": "skola", "relevant": {"b": 1}}\n', encoding="utf-8")
    queries = load_queries(path)
    assert [q["qid"] for q in queries] == ["q1", "q2"]
    calls = []

    def search(text):
        calls.append(text)
        return {"barn": ["a"], "skola": ["x", "b"]}[text]

    report = evaluate(queries, search, "database", "sqlite")
    assert calls == ["barn", "skola", "barn", "skola"]  # warm-up pass, then timed
    assert [r.ranked for r in report.results] == [["a"], ["x", "b"]]
    assert report.results[1].category == ""
    assert report.summary()["recall@10"] == 1.0
    assert report.summary()["mrr@10"] == 0.5  # q2 has no grade-2 document


# --- search_evaluate ---------------------------------------------------------------------

CORPUS = [
    {"id": "bka-modell", "type": "metod",
     "title": "Barnkonsekvensanalys inför beslut",
     "summary": "Så gör förvaltningen en barnkonsekvensanalys innan nämnden fattar beslut.",
     "body": "Analysen prövar barnets bästa.\n\nBarn ska komma till tals.",
     "rights_areas": ["barnets-rattigheter"], "department": "stadskontoret",
     "principles": ["malmobon-i-centrum"], "trappsteg": [3], "tags": ["barnets bästa"],
     "published": "2023-03-14"},
    {"id": "snorojning", "type": "gott-exempel", "title": "Jämställd snöröjning",
     "summary": "Gatukontoret röjer gångvägar först.",
     "body": "Prioriteringen av snöröjningen ändrades efter en jämställdhetsanalys.",
     "rights_areas": ["jamstalldhet"], "department": "fastighets-och-gatukontoret",
     "principles": [], "trappsteg": [5], "tags": [], "published": "2022-01-10"},
    {"id": "minoritet-samrad", "type": "vagledning", "title": "Samråd med nationella minoriteter",
     "summary": "Minoritetslagen kräver samråd om minoritetsspråk.",
     "body": "Finska och meänkieli har särskilt skydd.",
     "rights_areas": ["nationella-minoriteter"], "department": "kulturforvaltningen",
     "principles": [], "trappsteg": [4], "tags": [], "published": "2021-05-01"},
]
QUERIES = [
    {"qid": "t1", "query": "barnkonsekvensanalys", "category": "exact-title",
     "relevant": {"bka-modell": 2}},
    {"qid": "t2", "query": "snöröjningsprioritering", "category": "compound",
     "relevant": {"snorojning": 2}},
    # The grade-1 document cannot be found: recall 0.5, nDCG 3 / (3 + 1/log2 3) = 0.826.
    {"qid": "t3", "query": "minoritetsspråken", "category": "inflection",
     "relevant": {"minoritet-samrad": 2, "bka-modell": 1}},
    {"qid": "t4", "query": "xylofonorkester", "category": "typo",
     "relevant": {"snorojning": 2}},
]


def write_jsonl(path, rows):
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows),
                    encoding="utf-8")
    return path


def scratch_postgres_url() -> str | None:
    """On a PostgreSQL run, a scratch database next to the test database (created and
    dropped by the command), so the evaluation exercises the PostgreSQL engine too."""
    url = os.environ.get("DATABASE_URL", "")
    parts = urlsplit(url)
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        return None
    name = f"{parts.path.lstrip('/') or 'mrnavet'}_eval_{os.getpid()}"
    return urlunsplit(parts._replace(path=f"/{name}"))


def test_search_evaluate_on_a_tiny_corpus(tmp_path, capfd):
    corpus = write_jsonl(tmp_path / "corpus.jsonl", CORPUS)
    queries = write_jsonl(tmp_path / "queries.jsonl", QUERIES)
    arguments = ["--corpus", str(corpus), "--queries", str(queries), "--show"]
    database_url = scratch_postgres_url()
    if database_url:
        arguments += ["--database-url", database_url]
    call_command("search_evaluate", *arguments)
    # The evaluation runs in a child process that writes to the inherited stdout.
    out = capfd.readouterr().out
    assert "nDCG@10" in out
    vendor = "postgresql" if database_url else "sqlite"
    assert f"Backend: database on {vendor} (3 documents)" in out
    assert re.search(r"^t1 exact-title\s+nDCG 1\.00 R 1\.00\s+barnkonsekvensanalys$", out, re.M)
    assert re.search(r"^t2 compound\s+nDCG 1\.00 R 1\.00", out, re.M)
    assert re.search(r"^t3 inflection\s+nDCG 0\.83 R 0\.50", out, re.M)
    assert re.search(r"^t4 typo\s+nDCG 0\.00 R 0\.00", out, re.M)
    # nDCG (1 + 1 + 0.826 + 0) / 4, recall 2.5 / 4, MRR 3 / 4, one query of four found nothing.
    assert re.search(r"^ALL\s+4\s+0\.707\s+0\.625\s+0\.750\s+0\.25\s", out, re.M), out


def test_search_evaluate_needs_existing_files(tmp_path):
    queries = write_jsonl(tmp_path / "queries.jsonl", QUERIES)
    with pytest.raises(CommandError, match="finns inte"):
        call_command("search_evaluate", "--corpus", str(tmp_path / "saknas.jsonl"),
                     "--queries", str(queries))


def test_search_evaluate_elasticsearch_needs_a_url(tmp_path, settings):
    settings.ELASTICSEARCH_URL = None
    corpus = write_jsonl(tmp_path / "corpus.jsonl", CORPUS)
    queries = write_jsonl(tmp_path / "queries.jsonl", QUERIES)
    with pytest.raises(CommandError, match="ELASTICSEARCH_URL"):
        call_command("search_evaluate", "--corpus", str(corpus), "--queries", str(queries),
                     "--backend", "elasticsearch")
