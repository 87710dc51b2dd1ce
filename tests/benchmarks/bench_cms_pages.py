"""Server-side timing of the knowledge-base pages on a scratch database with many pages.

    DEBUG=false TESTING=true .venv/bin/python tests/benchmarks/bench_cms_pages.py \
        [--pages 2000] [--requests 50] [--corpus ../shared/search-eval/corpus.jsonl] \
        [--database-url postgres://postgres@127.0.0.1:5432/mrnavet_bench]

Builds a database of its own (a temporary SQLite file, or the PostgreSQL database named in
--database-url, which it creates and drops), migrates it, imports the corpus with
cms.importer, adds N generated pages in bulk, then requests each page R times through
django.test.Client as a signed-in user and prints p50/p95/max server time and the number
of SQL queries per request. Not a pytest test (pytest collects test_*.py only).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = ROOT.parent / "shared" / "search-eval" / "corpus.jsonl"
BATCH = 25  # generated pages per bulk insert; each batch gets its own taxonomy mix
KIND_SHARES = (("metod", 0.5), ("vagledning", 0.3), ("gott-exempel", 0.2))


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000,
                        help="generated pages to add (default 2000)")
    parser.add_argument("--requests", type=int, default=50,
                        help="timed requests per URL (default 50)")
    parser.add_argument("--warmup", type=int, default=3,
                        help="untimed requests per URL first (default 3)")
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS,
                        help=f"JSONL corpus to import first (default {DEFAULT_CORPUS})")
    parser.add_argument("--database-url",
                        help="PostgreSQL URL of a scratch database to create and drop "
                             "(default: a temporary SQLite file)")
    parser.add_argument("--replace-existing", action="store_true",
                        help="drop the --database-url database first if it already exists")
    parser.add_argument("--show-queries", action="store_true",
                        help="print the SQL of one request per page")
    parser.add_argument("--keep", action="store_true",
                        help="keep the scratch database afterwards (prints where it is)")
    args = parser.parse_args(argv)
    if args.pages < 0 or args.requests < 1 or args.warmup < 0:
        parser.error("--pages must be >= 0, --requests >= 1, --warmup >= 0")
    return args


# --- Scratch database (before django.setup()) ---------------------------------------------

sys.path.insert(0, str(ROOT / "site"))
from mrnavet.scratchdb import ScratchDatabase  # noqa: E402  (re-exported for the other benches)


def configure_django(database_url: str) -> None:
    sys.path.insert(0, str(ROOT / "site"))
    sys.path.insert(1, str(ROOT))
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mrnavet.settings")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("TESTING", "true")
    os.environ.setdefault("LOG_LEVEL", "WARNING")  # no "Page created" line per page
    os.environ.setdefault("TASKS_BACKEND", "immediate")

    import django

    django.setup()


# --- Content --------------------------------------------------------------------------------

def import_corpus(path: Path) -> str:
    from cms.importer import import_records, parse_lines
    from cms.models import ContentPage

    if not path.exists():
        return f"note: no corpus at {path}; only generated pages"
    started = time.perf_counter()
    before = ContentPage.objects.count()
    records = parse_lines(path.read_text(encoding="utf-8").splitlines())
    result = import_records(records)
    pages = ContentPage.objects.count() - before
    skipped = ", ".join(f"{n} {kind}" for kind, n in sorted(result.skipped.items()))
    return (f"corpus {path}: {len(records)} lines, {pages} content pages"
            f" ({result.created} objects created by the importers"
            f"{f'; no importer for {skipped}' if skipped else ''})"
            f" in {time.perf_counter() - started:.1f} s")


def generate_pages(total: int) -> str:
    """`total` live pages over the three kinds, with rotating taxonomy, in bulk."""
    from django.db import transaction

    from cms.models import OrganisationUnit, Principle, RightsArea, StaircaseStep, TargetGroup
    from tests.cms.factories import (
        GoodExamplePageFactory,
        GuidancePageFactory,
        MethodPageFactory,
        bulk_create_content_pages,
    )

    factories = {"metod": MethodPageFactory, "vagledning": GuidancePageFactory,
                 "gott-exempel": GoodExamplePageFactory}
    areas = list(RightsArea.objects.order_by("sort_order"))
    units = list(OrganisationUnit.objects.order_by("sort_order"))
    steps = list(StaircaseStep.objects.order_by("number"))
    principles = list(Principle.objects.order_by("sort_order"))
    groups = list(TargetGroup.objects.order_by("sort_order"))

    counts = {kind: int(total * share) for kind, share in KIND_SHARES}
    counts["metod"] += total - sum(counts.values())
    started = time.perf_counter()
    batch_no = itertools.count()
    with transaction.atomic():
        for kind, count in counts.items():
            for start in range(0, count, BATCH):
                i = next(batch_no)
                bulk_create_content_pages(
                    factories[kind], min(BATCH, count - start),
                    rights_areas=[areas[i % len(areas)], areas[(3 * i + 1) % len(areas)]],
                    organisation_unit=units[i % len(units)],
                    staircase_steps=[steps[i % len(steps)], steps[(i + 2) % len(steps)]],
                    principles=[principles[i % len(principles)]],
                    target_groups=[groups[i % len(groups)], groups[(i + 4) % len(groups)]],
                )
    made = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    return f"generated {total} pages ({made}) in {time.perf_counter() - started:.1f} s"


def rich_method_page():
    """The method page to time: the corpus's first one, or a generated one with a body."""
    from cms.models import MethodPage, RightsArea, StaircaseStep
    from tests.cms.factories import MethodPageFactory

    page = MethodPage.objects.live().exclude(import_checksum="").order_by("path").first()
    if page is not None:
        return page
    return MethodPageFactory(
        title="Barnkonsekvensanalys i fem steg",
        rights_areas=[RightsArea.objects.get(slug="barnets-rattigheter")],
        staircase_steps=list(StaircaseStep.objects.filter(number__in=[3, 4])),
        steps=json.dumps([
            {"type": "step", "value": {"title": f"Steg {n}", "text": "<p>Gör så här.</p>"}}
            for n in range(1, 6)
        ]),
        body=json.dumps(
            [{"type": "heading", "value": {"text": "Bakgrund", "level": "h2"}}]
            + [{"type": "paragraph", "value": "<p>Ett stycke text om metoden.</p>"}] * 5
        ),
    )


def build_site(args) -> tuple[list[tuple[str, str]], list[str]]:
    from django.core.management import call_command
    from django.db import connection

    from cms.models import (
        ContentPage,
        MethodIndexPage,
        OrganisationUnit,
        Principle,
        RightsArea,
        RightsAreaPage,
        StaircaseStep,
        TargetGroup,
    )
    from cms.site_structure import ensure_rights_area_pages, ensure_section_indexes
    from cms.taxonomy_data import load_taxonomy

    notes = []
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    notes.append(f"migrated in {time.perf_counter() - started:.1f} s")
    load_taxonomy(RightsArea, OrganisationUnit, Principle, StaircaseStep, TargetGroup)
    indexes = ensure_section_indexes()
    ensure_rights_area_pages()
    notes.append(import_corpus(args.corpus))
    notes.append(generate_pages(args.pages))
    notes.append(f"{ContentPage.objects.live().count()} live content pages in the database")
    if connection.vendor == "postgresql":
        # Autovacuum would do this soon after a bulk load; without it the planner guesses
        # from empty-table statistics.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        notes.append("ran ANALYZE")

    method = rich_method_page()
    index_url = indexes[MethodIndexPage].url
    area_page = RightsAreaPage.objects.get(rights_area__slug="barnets-rattigheter")
    urls = [
        ("method page", method.url),
        ("method index, filtered", f"{index_url}?omrade=barnets-rattigheter&steg=3"),
        ("method index, page 5", f"{index_url}?sida=5"),
        ("rights-area page", area_page.url),
    ]
    return urls, notes


# --- Measurement ----------------------------------------------------------------------------

def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def measure(urls, requests: int, warmup: int, show_queries: bool = False) -> list[dict]:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    user = get_user_model().objects.create_user(email="bench@malmo.se", display_name="Bench")
    client = Client()
    client.force_login(user)

    rows = []
    for label, url in urls:
        for _ in range(warmup):
            client.get(url)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        # Count now: the next request clears the log that captured_queries reads.
        query_count = len(queries.captured_queries)
        if show_queries:
            print(f"--- {label}: {url} ({query_count} queries)")
            for query in queries.captured_queries:
                print(f"  {query['time']}s  {query['sql'][:300]}")
        if response.status_code != 200:
            raise SystemExit(f"{label}: {url} answered {response.status_code}")
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{label}: {url} answered {response.status_code}")
        timings.sort()
        rows.append({
            "label": label, "url": url, "queries": query_count,
            "p50": statistics.median(timings), "p95": percentile(timings, 0.95),
            "max": timings[-1], "bytes": len(response.content),
        })
    return rows


def print_table(rows: list[dict]) -> None:
    header = (f"{'page':<24} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8} "
              f"{'KiB':>6}  url")
    print(header)
    print("-" * len(header))
    for r in rows:
        print(f"{r['label']:<24} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['max']:>8.1f} "
              f"{r['queries']:>8} {r['bytes'] / 1024:>6.0f}  {r['url']}")


def main(argv=None) -> None:
    args = parse_args(argv)
    scratch = ScratchDatabase(args.database_url, args.replace_existing)
    scratch.create()
    try:
        configure_django(scratch.url)
        from django import get_version
        from django.conf import settings
        from django.db import connection, connections

        if settings.DEBUG:
            print("warning: DEBUG is on, which slows every request; run with DEBUG=false")
        urls, notes = build_site(args)
        with connection.cursor() as cursor:
            cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite"
                           else "SHOW server_version")
            db_version = cursor.fetchone()[0]
        print(f"database: {scratch.description} ({connection.vendor} {db_version}); "
              f"Python {platform.python_version()}, Django {get_version()}")
        for note in notes:
            print(f"  {note}")
        print(f"{args.requests} timed requests per page after {args.warmup} untimed; "
              "server time through django.test.Client (no network), signed in")
        print(f"load average before timing: {os.getloadavg()[0]:.2f} "
              f"on {os.cpu_count()} CPUs (other work on the machine skews the figures)\n")
        rows = measure(urls, args.requests, args.warmup, args.show_queries)
        print_table(rows)
        connections.close_all()
    finally:
        if args.keep:
            print(f"\nkept the database: {scratch.url}")
        else:
            scratch.drop()


if __name__ == "__main__":
    main()
