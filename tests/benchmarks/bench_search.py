"""Latency of the database search backend (facets and snippets) on a scratch index of N documents.

    DEBUG=false TESTING=true .venv/bin/python tests/benchmarks/bench_search.py \
        [--documents 10000] [--requests 3] [--warmup 1] [--seed 1] \
        [--corpus ../shared/search-eval/corpus.jsonl] \
        [--queries ../shared/search-eval/dev-queries.jsonl] \
        [--database-url postgres://postgres@127.0.0.1:5432/mrnavet_bench_search] \
        [--max-queries K] [--sqlite-analyze] [--profile] [--profile-build] [--keep]

One run measures one database: run it once for SQLite and once with --database-url.

Builds a database of its own (a temporary SQLite file, or the PostgreSQL database named in
--database-url, which it creates and drops; see mrnavet.scratchdb), migrates it (which
loads the taxonomy), and indexes the corpus's documents plus N synthetic ones made by
recombining the corpus (seeded): a title from one document with words from another, the
summary of a third, three to five paragraphs from different bodies, and kind, rights areas,
department, staircase steps and date sampled independently. About half of the forum threads
are readable in one forum category only (`forumkategori-<k>`). SearchDocuments are built
here directly and written with the database backend's rebuild() (batches of 500); the build
time, where rebuild() spends it (analysis, word counts, inserts) and the database size are
printed.

Then it times, after a warm-up pass, R passes of:

- every query of --queries through search.service.run_search (the page's code path: access
  tokens {alla, forumkategori-1}, pinned results, typo correction, facets and snippets);
- the same with the filter typ=metod (one more facet count for the filtered facet);
- the same without facets, to show what the facet counts cost;
- suggestions (backend.suggest) for one- and two-word prefixes taken from the queries;

and prints p50/p95/max wall time, CPU time and SQL statements per call, the slowest queries,
and with --profile a cProfile and the SQL timings of the slowest query.
Not a pytest test (pytest collects test_*.py only); it asserts no timings.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cms_pages import ScratchDatabase, configure_django, percentile
from bench_forum import calibration_ms

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = ROOT.parent / "shared" / "search-eval" / "corpus.jsonl"
DEFAULT_QUERIES = ROOT.parent / "shared" / "search-eval" / "dev-queries.jsonl"
VIEWER_TOKENS = frozenset({"alla", "forumkategori-1"})
FORUM_CATEGORIES = 8              # restricted threads get forumkategori-1 … -8
RESTRICTED_FORUM_SHARE = 0.5      # of forum threads; forum is ~20 % of the corpus -> ~10 %
CORPUS_KINDS = {"metod": "metod", "vagledning": "vagledning", "gott-exempel": "gott-exempel",
                "forum": "forumtrad", "konferens": "konferenspass"}
URL_PREFIXES = {"metod": "/kunskapsbank/metoder", "vagledning": "/kunskapsbank/vagledning",
                "gott-exempel": "/kunskapsbank/goda-exempel", "forumtrad": "/forum/trad",
                "konferenspass": "/konferens/program"}
MAX_PREFIXES = 30


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=10_000,
                        help="synthetic documents to index besides the corpus's (default 10000)")
    parser.add_argument("--requests", type=int, default=3,
                        help="timed passes over every query (default 3)")
    parser.add_argument("--warmup", type=int, default=1,
                        help="untimed passes first (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the corpus (default 1)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help=f"JSONL corpus to recombine (default {DEFAULT_CORPUS})")
    parser.add_argument("--queries", type=Path, default=DEFAULT_QUERIES,
                        help=f"JSONL queries, field `query` (default {DEFAULT_QUERIES})")
    parser.add_argument("--database-url",
                        help="PostgreSQL URL of a scratch database to create and drop "
                             "(default: a temporary SQLite file)")
    parser.add_argument("--replace-existing", action="store_true",
                        help="drop the --database-url database first if it already exists")
    parser.add_argument("--sqlite-analyze", action="store_true",
                        help="run ANALYZE on SQLite after indexing (PostgreSQL always is)")
    parser.add_argument("--max-queries", type=int, default=0,
                        help="time only this many queries (and prefixes), spread over the "
                             "file (default: all)")
    parser.add_argument("--profile", action="store_true",
                        help="cProfile the slowest query and print its SQL statements' times")
    parser.add_argument("--profile-build", action="store_true",
                        help="cProfile the index build (slows it down) and print the top")
    parser.add_argument("--keep", action="store_true",
                        help="keep the scratch database afterwards (prints where it is)")
    args = parser.parse_args(argv)
    if args.documents < 0 or args.requests < 1 or args.warmup < 0 or args.max_queries < 0:
        parser.error("--documents must be >= 0, --requests >= 1, --warmup >= 0, "
                     "--max-queries >= 0")
    for name in ("corpus", "queries"):
        if not getattr(args, name).is_file():
            parser.error(f"no file {getattr(args, name)}")
    return args


# --- Documents ------------------------------------------------------------------------------

def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


class Taxonomy:
    """Names of units and rights areas by slug, for `meta` (as cms.search_source does)."""

    def __init__(self):
        from cms.models import OrganisationUnit, RightsArea

        self.units = dict(OrganisationUnit.objects.values_list("slug", "name"))
        self.areas = dict(RightsArea.objects.values_list("slug", "name"))
        if not self.units or not self.areas:
            raise SystemExit("no taxonomy after migrate: expected the data migration to load it")

    def meta(self, unit: str | None, areas: list[str]) -> str:
        parts = [self.units.get(unit or "", ""), *(self.areas.get(a, "") for a in areas)]
        return "\n".join(p for p in parts if p)


def _document(number: int, public_id: str, kind: str, title: str, summary: str, body: str,
              tags: list[str], meta_of: dict, taxonomy: Taxonomy, access: list[str]):
    import datetime

    from search.documents import SearchDocument

    published = datetime.date.fromisoformat(meta_of["published"]) if meta_of.get("published") \
        else None
    areas = sorted(a for a in meta_of["areas"] if a in taxonomy.areas)
    unit = meta_of["department"] if meta_of["department"] in taxonomy.units else None
    return SearchDocument(
        key=f"page:{number}", public_id=public_id, kind=kind, title=title,
        url=f"{URL_PREFIXES[kind]}/{public_id}/", summary=summary, body=body,
        tags=sorted(set(tags)), meta=taxonomy.meta(unit, areas), rights_areas=areas,
        organisation_unit=unit, staircase_steps=sorted(set(meta_of["steps"])),
        year=published.year if published else None, date=published, access=access)


def _metadata(record: dict) -> dict:
    return {"areas": record.get("rights_areas") or [], "department": record.get("department"),
            "steps": record.get("trappsteg") or [], "published": record.get("published")}


def corpus_documents(records: list[dict], taxonomy: Taxonomy):
    """The corpus as it is, keys page:1 … page:len(records), all readable by everyone."""
    for number, record in enumerate(records, start=1):
        yield _document(number, record["id"], CORPUS_KINDS[record["type"]], record["title"],
                        record.get("summary") or "", record.get("body") or "",
                        record.get("tags") or [], _metadata(record), taxonomy, ["alla"])


def synthetic_title(rng: random.Random, first: str, second: str) -> str:
    """The start of one title (at least half of it) and one to three words of another."""
    head, tail = first.split(), second.split()
    keep = rng.randint(max(1, (len(head) + 1) // 2), len(head))
    start = rng.randrange(len(tail))
    extra = tail[start:start + rng.randint(1, 3)]
    words = head[:keep] + [w.strip("?:–") for w in extra if w.strip("?:–")]
    return " ".join(words).rstrip(" –,:")


def synthetic_documents(records: list[dict], count: int, seed: int, taxonomy: Taxonomy):
    """`count` recombined documents, keys after the corpus's, reproducible for a seed."""
    from search.documents import forum_category_token

    rng = random.Random(seed)
    paragraphs = [[p.strip() for p in (r.get("body") or "").split("\n\n") if p.strip()]
                  for r in records]
    with_body = [i for i, ps in enumerate(paragraphs) if ps]
    for n in range(1, count + 1):
        title_from, words_from, summary_from = (rng.choice(records) for _ in range(3))
        kind = CORPUS_KINDS[rng.choice(records)["type"]]
        metadata = {"areas": rng.choice(records).get("rights_areas") or [],
                    "department": rng.choice(records).get("department"),
                    "steps": rng.choice(records).get("trappsteg") or [],
                    "published": rng.choice(records).get("published")}
        sources = rng.sample(with_body, rng.randint(3, 5))
        body = "\n\n".join(rng.choice(paragraphs[i]) for i in sources)
        tags = list(title_from.get("tags") or [])
        if words_from.get("tags") and rng.random() < 0.5:
            tags.append(rng.choice(words_from["tags"]))
        access = ["alla"]
        if kind == "forumtrad" and rng.random() < RESTRICTED_FORUM_SHARE:
            access = [forum_category_token(rng.randint(1, FORUM_CATEGORIES))]
        yield _document(len(records) + n, f"{title_from['id']}-{n}", kind,
                        synthetic_title(rng, title_from["title"], words_from["title"]),
                        summary_from.get("summary") or "", body, tags, metadata, taxonomy,
                        access)


class Counted:
    """Wraps the document generator: counts documents, restricted ones, and the time spent
    making them (so the build time can be split into generating and indexing)."""

    def __init__(self, iterable):
        self.iterable = iterable
        self.seconds = 0.0
        self.documents = 0
        self.restricted = 0
        self.characters = 0

    def __iter__(self):
        iterator = iter(self.iterable)
        while True:
            started = time.perf_counter()
            try:
                document = next(iterator)
            except StopIteration:
                self.seconds += time.perf_counter() - started
                return
            self.seconds += time.perf_counter() - started
            self.documents += 1
            self.restricted += "alla" not in document.access
            self.characters += len(document.title) + len(document.summary) + len(document.body)
            yield document


class Phases:
    """Wall time spent in the steps of rebuild(), by wrapping them (restored afterwards):
    analysis, the full-text insert and the row inserts (SearchWord's are the word counts for
    typo correction, written once at the end)."""

    def __init__(self, backend):
        from django.db.models import QuerySet

        from search import analysis

        self.seconds: dict[str, float] = {}
        self.patches = [(analysis, "document_terms", "analysis (document_terms)"),
                        (backend.engine, "insert", "full-text insert (engine.insert)"),
                        (backend.engine, "optimise", "engine.optimise"),
                        (QuerySet, "bulk_create", "bulk_create {model}"),
                        (QuerySet, "bulk_update", "bulk_update {model}")]
        self.originals = []

    def _wrap(self, original, label):
        seconds = self.seconds

        def timed(*args, **kwargs):
            name = label
            if "{model}" in label:
                name = label.format(model=args[0].model.__name__)
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - started
        return timed

    def __enter__(self):
        for owner, name, label in self.patches:
            if not hasattr(owner, name):
                continue
            original = owner.__dict__.get(name, getattr(owner, name))
            self.originals.append((owner, name, name in vars(owner), original))
            setattr(owner, name, self._wrap(getattr(owner, name), label))
        return self

    def __exit__(self, *exc):
        for owner, name, own, original in reversed(self.originals):
            if own:
                setattr(owner, name, original)
            else:
                delattr(owner, name)

    def summary(self, total: float) -> str:
        parts = [f"{label} {s:.1f} s ({100 * s / total:.0f} %)"
                 for label, s in sorted(self.seconds.items(), key=lambda i: -i[1])]
        return "where rebuild() time goes: " + "; ".join(parts)


def database_size() -> tuple[int, dict[str, int]]:
    """(bytes of the whole database, bytes per search table including its indexes)."""
    from django.db import connection

    tables = ("search_indexeddocument", "search_indexedfacet", "search_searchword")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.execute("SELECT page_count * page_size FROM pragma_page_count(), "
                           "pragma_page_size()")
            total = cursor.fetchone()[0]
            try:
                cursor.execute("SELECT name, tbl_name FROM sqlite_master WHERE tbl_name LIKE "
                               "'search_%'")
                owner = dict(cursor.fetchall())
                cursor.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name")
                per_table: dict[str, int] = {}
                for name, size in cursor.fetchall():
                    table = owner.get(name, name)
                    if table.startswith("search_fts"):
                        table = "search_fts (FTS5)"
                    if table in tables or table == "search_fts (FTS5)":
                        per_table[table] = per_table.get(table, 0) + size
                return total, per_table
            except Exception:  # noqa: BLE001 - SQLite built without dbstat
                return total, {}
        cursor.execute("SELECT pg_database_size(current_database())")
        total = cursor.fetchone()[0]
        per_table = {}
        for table in (*tables, "search_vector"):
            cursor.execute("SELECT pg_total_relation_size(%s)", [table])
            per_table[table] = cursor.fetchone()[0]
        return total, per_table


def build_index(args) -> list[str]:
    from django.core.management import call_command
    from django.db import connection

    from search.backends import get_backend
    from search.models import IndexedFacet, SearchWord

    notes = []
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    notes.append(f"migrated in {time.perf_counter() - started:.1f} s")
    records = load_jsonl(args.corpus)
    taxonomy = Taxonomy()

    def generate():
        yield from corpus_documents(records, taxonomy)
        yield from synthetic_documents(records, args.documents, args.seed, taxonomy)

    documents = Counted(generate())
    total = len(records) + args.documents
    step = max(5000, (total // 10) // 500 * 500)
    started = time.perf_counter()
    next_report = [step]

    def progress(count: int) -> None:
        if count >= next_report[0] or count == total:
            elapsed = time.perf_counter() - started
            print(f"  indexed {count:>7} / {total} in {elapsed:6.1f} s "
                  f"({count / elapsed:,.0f} documents/s)", flush=True)
            while next_report[0] <= count:
                next_report[0] += step

    backend = get_backend("database")
    profiler = cProfile.Profile() if args.profile_build else None
    if profiler:
        profiler.enable()
    with Phases(backend) as phases:
        count = backend.rebuild(documents, progress=progress)
    if profiler:
        profiler.disable()
    build = time.perf_counter() - started
    notes.append(
        f"indexed {count} documents ({len(records)} from the corpus, {args.documents} "
        f"recombined with seed {args.seed}; {documents.restricted} readable in one forum "
        f"category only; {documents.characters / max(1, count):,.0f} characters each on "
        f"average) in {build:.1f} s = {count / build:,.0f} documents/s"
        f"{' (under cProfile)' if profiler else ''}: {documents.seconds:.1f} s making the "
        f"documents, {build - documents.seconds:.1f} s in rebuild() (analysis and writes, "
        f"incl. the final optimise)")
    notes.append(phases.summary(build))
    notes.append(f"{IndexedFacet.objects.count():,} facet rows, "
                 f"{SearchWord.objects.count():,} words for typo correction")
    if connection.vendor == "postgresql" or args.sqlite_analyze:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        notes.append(f"ran ANALYZE in {time.perf_counter() - started:.1f} s"
                     + (" (autovacuum would do this soon after a bulk load; rebuild() "
                        "itself analyses only search_vector)"
                        if connection.vendor == "postgresql" else ""))
    size, per_table = database_size()
    notes.append(f"database size {size / 2**20:,.1f} MiB"
                 + (": " + ", ".join(f"{name} {b / 2**20:,.1f}" for name, b in
                                     sorted(per_table.items(), key=lambda i: -i[1]))
                    if per_table else ""))
    if profiler:
        notes.append("profile of the build (top 25 by own time):\n"
                     + profile_text(profiler, "tottime", 25))
    return notes


# --- Measurement ----------------------------------------------------------------------------

def load_queries(path: Path) -> list[str]:
    return list(dict.fromkeys(record["query"] for record in load_jsonl(path)
                              if record.get("query", "").strip()))


def spread(items: list, count: int) -> list:
    """`count` items evenly spaced over `items` (all of them when count is 0)."""
    if not count or count >= len(items):
        return items
    return [items[i * len(items) // count] for i in range(count)]


def prefixes_of(queries: list[str], seed: int) -> list[str]:
    """One- and two-word prefixes as someone types them: the first word cut after 3–6
    letters, or the first word and the start of the second."""
    from search.analysis import is_stop_word, tokenize

    rng = random.Random(seed)
    prefixes = []
    for query in queries:
        words = [w for w in tokenize(query) if w.isalpha() and not is_stop_word(w)]
        if not words:
            continue
        if len(words) > 1 and rng.random() < 0.5 and len(words[1]) >= 3:
            prefixes.append(f"{words[0]} {words[1][:rng.randint(2, min(6, len(words[1])))]}")
        elif len(words[0]) >= 3:
            prefixes.append(words[0][:rng.randint(3, min(6, len(words[0])))])
    return list(dict.fromkeys(prefixes))[:MAX_PREFIXES]


def operations(queries: list[str], prefixes: list[str]) -> list[tuple[str, list[str], object]]:
    from search.backends import get_backend
    from search.service import run_search

    def search(text):
        return run_search(text, tokens=VIEWER_TOKENS, facets=True).results.total

    def search_filtered(text):
        return run_search(text, tokens=VIEWER_TOKENS, filters={"typ": ["metod"]},
                          facets=True).results.total

    def search_no_facets(text):
        return run_search(text, tokens=VIEWER_TOKENS, facets=False).results.total

    def suggest(prefix):
        return len(get_backend().suggest(prefix, VIEWER_TOKENS))

    return [
        ("search (facets, snippets)", queries, search),
        ("search typ=metod", queries, search_filtered),
        ("search without facets", queries, search_no_facets),
        ("suggest (prefix)", prefixes, suggest),
    ]


def measure(ops, requests: int, warmup: int) -> tuple[list[dict], dict]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = []
    per_input: dict[tuple[str, str], list[float]] = {}
    for label, inputs, call in ops:
        for _ in range(warmup):
            for text in inputs:
                call(text)
        with CaptureQueriesContext(connection) as queries:
            results = [call(text) for text in inputs]
        statements = len(queries.captured_queries) / len(inputs)
        timings, cpu = [], []
        for _ in range(requests):
            for text in inputs:
                started, started_cpu = time.perf_counter(), time.process_time()
                call(text)
                timings.append((time.perf_counter() - started) * 1000)
                cpu.append((time.process_time() - started_cpu) * 1000)
                per_input.setdefault((label, text), []).append(timings[-1])
        timings.sort()
        rows.append({
            "label": label, "calls": len(timings), "statements": statements,
            "p50": statistics.median(timings), "p95": percentile(timings, 0.95),
            "max": timings[-1], "cpu": statistics.median(cpu),
            "hits": statistics.mean(results), "empty": sum(1 for r in results if not r),
            "inputs": len(inputs),
        })
    medians = {key: statistics.median(values) for key, values in per_input.items()}
    return rows, medians


def print_table(rows: list[dict]) -> None:
    header = (f"{'operation':<26} {'calls':>5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} "
              f"{'cpu p50':>8} {'SQL/call':>8} {'hits avg':>9} {'empty':>6}")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['label']:<26} {r['calls']:>5} {r['p50']:>8.1f} {r['p95']:>8.1f} "
              f"{r['max']:>8.1f} {r['cpu']:>8.1f} {r['statements']:>8.1f} {r['hits']:>9,.0f} "
              f"{r['empty']:>3}/{r['inputs']:<2}")
    print("calls: inputs x timed passes; cpu p50: CPU time of this process per call (Python "
          "and SQLite's own work, not PostgreSQL's);\nhits avg: mean total matches per input "
          "(suggest: suggestions returned); empty: inputs with none.")


def print_slowest(medians: dict, count: int = 8) -> list[tuple[str, str]]:
    slowest = sorted(medians.items(), key=lambda item: -item[1])[:count]
    print("\nslowest inputs (median of the timed passes):")
    for (label, text), ms in slowest:
        print(f"  {ms:8.1f} ms  {label:<26} {text!r}")
    return [key for key, _ in slowest]


def profile_text(profiler: cProfile.Profile, sort: str, limit: int) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats(sort).print_stats(limit)
    lines = out.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return "\n".join(lines[start:]).rstrip()


def profile_query(ops, label: str, text: str, requests: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call = next(call for op_label, _, call in ops if op_label == label)
    print(f"\n--- profile: {label} {text!r}")
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        call(text)
        elapsed = (time.perf_counter() - started) * 1000
    # Django times only execute(); SQLite does most of a statement's work while rows are
    # fetched, so each statement is run again here with fetchall() to time it whole.
    timed = []
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            started = time.perf_counter()
            cursor.execute(query["sql"])
            cursor.fetchall()
            timed.append(((time.perf_counter() - started) * 1000, query["sql"]))
    print(f"one call {elapsed:.1f} ms; its {len(timed)} SQL statements, each run again alone "
          f"with fetchall(), take {sum(ms for ms, _ in timed):.1f} ms:")
    for ms, sql in timed:
        print(f"  {ms:8.1f} ms  {sql[:240]}")
    if timed:
        slowest_sql = max(timed)[1]
        print("plan of the slowest statement:")
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + slowest_sql)
                for row in cursor.fetchall():
                    print(f"  {row[-1]}")
            else:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest_sql)
                for row in cursor.fetchall():
                    print(f"  {row[0]}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        call(text)
    profiler.disable()
    print(f"cProfile of {requests} calls, top 20 by cumulative time:")
    print(profile_text(profiler, "cumulative", 20))


def code_version() -> str:
    """The commit, and uncommitted changes under search/ (others edit the tree meanwhile)."""
    import subprocess

    def git(*args):
        result = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True,
                                text=True, check=False)
        return result.stdout.rstrip("\n") if result.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    changed = [line[3:] for line in git("status", "--porcelain", "--", "search").splitlines()
               if line[:2].strip() == "M"]
    return f"code: commit {commit}" + (f", uncommitted changes in {', '.join(changed)}"
                                       if changed else "")


def main(argv=None) -> None:
    args = parse_args(argv)
    scratch = ScratchDatabase(args.database_url, args.replace_existing)
    scratch.create()
    try:
        configure_django(scratch.url)
        from django import get_version
        from django.db import connection, connections

        print(f"building the index at {scratch.description} …", flush=True)
        notes = build_index(args)
        with connection.cursor() as cursor:
            cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite"
                           else "SHOW server_version")
            db_version = cursor.fetchone()[0]
        queries = load_queries(args.queries)
        prefixes = spread(prefixes_of(queries, args.seed), args.max_queries)
        queries = spread(queries, args.max_queries)
        ops = operations(queries, prefixes)
        print(f"\ndatabase: {scratch.description} ({connection.vendor} {db_version}); "
              f"Python {platform.python_version()}, Django {get_version()}")
        print(f"  {code_version()}")
        for note in notes:
            print(f"  {note}")
        print(f"{len(queries)} queries from {args.queries.name}, {len(prefixes)} prefixes for "
              f"suggestions; {args.requests} timed passes after {args.warmup} untimed; "
              f"access tokens {sorted(VIEWER_TOKENS)}; in-process (no HTTP)")
        load, fixed = os.getloadavg()[0], calibration_ms()
        rows, medians = measure(ops, args.requests, args.warmup)
        print(f"{os.cpu_count()} CPUs; load average {load:.2f} → {os.getloadavg()[0]:.2f}, "
              f"fixed CPU task {fixed:.1f} → {calibration_ms():.1f} ms (other work on the "
              "machine skews the figures)\n")
        print_table(rows)
        slowest = print_slowest(medians)
        if args.profile and slowest:
            label, text = slowest[0]
            profile_query(ops, label, text, args.requests)
        connections.close_all()
    finally:
        if args.keep:
            print(f"\nkept the database: {scratch.url}")
        else:
            scratch.drop()


if __name__ == "__main__":
    main()
