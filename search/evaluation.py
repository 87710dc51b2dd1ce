"""Offline relevance metrics (nDCG@10, recall@10, MRR@10) as defined in
../shared/search-eval/README.md, and a runner over a judged query set."""

from __future__ import annotations

import json
import math
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

CUTOFF = 10


def ndcg(ranked: list[str], grades: dict[str, int], k: int = CUTOFF) -> float:
    dcg = sum((2 ** grades.get(doc, 0) - 1) / math.log2(i + 2) for i, doc in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[str], grades: dict[str, int], k: int = CUTOFF) -> float:
    relevant = {doc for doc, grade in grades.items() if grade >= 1}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def mrr(ranked: list[str], grades: dict[str, int], k: int = CUTOFF) -> float:
    for i, doc in enumerate(ranked[:k]):
        if grades.get(doc, 0) >= 2:
            return 1 / (i + 1)
    return 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


@dataclass
class QueryResult:
    qid: str
    query: str
    category: str
    ranked: list[str]
    grades: dict[str, int]
    seconds: float

    @property
    def metrics(self) -> dict[str, float]:
        return {"ndcg@10": ndcg(self.ranked, self.grades),
                "recall@10": recall(self.ranked, self.grades),
                "mrr@10": mrr(self.ranked, self.grades),
                "zero": 0.0 if self.ranked else 1.0}


@dataclass
class Report:
    backend: str
    database: str
    results: list[QueryResult] = field(default_factory=list)

    def summary(self, results: list[QueryResult] | None = None) -> dict[str, float]:
        results = self.results if results is None else results
        metrics = [r.metrics for r in results]
        return {
            "queries": len(results),
            "ndcg@10": statistics.fmean(m["ndcg@10"] for m in metrics),
            "recall@10": statistics.fmean(m["recall@10"] for m in metrics),
            "mrr@10": statistics.fmean(m["mrr@10"] for m in metrics),
            "zero_result_rate": statistics.fmean(m["zero"] for m in metrics),
            "p50_ms": percentile([r.seconds * 1000 for r in results], 0.5),
            "p95_ms": percentile([r.seconds * 1000 for r in results], 0.95),
        }

    def by_category(self) -> dict[str, dict[str, float]]:
        groups = defaultdict(list)
        for result in self.results:
            groups[result.category].append(result)
        return {name: self.summary(items) for name, items in sorted(groups.items())}

    def as_json(self) -> dict:
        return {
            "backend": self.backend, "database": self.database,
            "overall": self.summary(), "categories": self.by_category(),
            "queries": [{"qid": r.qid, "query": r.query, "category": r.category,
                         "top10": r.ranked[:CUTOFF], **r.metrics,
                         "ms": round(r.seconds * 1000, 2)} for r in self.results],
        }

    def as_table(self) -> str:
        lines = [f"Backend: {self.backend} on {self.database}", "",
                 f"{'category':<22} {'n':>3} {'nDCG@10':>8} {'R@10':>6} {'MRR':>6} "
                 f"{'zero':>5} {'p50 ms':>7} {'p95 ms':>7}"]
        rows = [*self.by_category().items(), ("ALL", self.summary())]
        for name, s in rows:
            lines.append(f"{name:<22} {s['queries']:>3} {s['ndcg@10']:>8.3f} {s['recall@10']:>6.3f} "
                         f"{s['mrr@10']:>6.3f} {s['zero_result_rate']:>5.2f} {s['p50_ms']:>7.1f} "
                         f"{s['p95_ms']:>7.1f}")
        return "\n".join(lines)


def load_queries(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def evaluate(queries: list[dict], search, backend: str, database: str,
             warmup: int = 1) -> Report:
    """`search(text)` returns the ranked public ids; timed per query (after `warmup`
    untimed passes over the first queries, so caches are warm as in production)."""
    for item in queries[:warmup * 5]:
        search(item["query"])
    report = Report(backend=backend, database=database)
    for item in queries:
        started = time.perf_counter()
        ranked = search(item["query"])
        elapsed = time.perf_counter() - started
        report.results.append(QueryResult(item["qid"], item["query"], item.get("category", ""),
                                          ranked, item["relevant"], elapsed))
    return report
