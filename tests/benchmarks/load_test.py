"""Load test: gunicorn (2 workers, production settings, PostgreSQL) driven by wrk on loopback.

    .venv/bin/python tests/benchmarks/load_test.py [--duration 30] [--concurrency 8] \
        [--database-url postgres://postgres@127.0.0.1:5432/mrnavet_load] [--fresh] \
        [--forum-threads 2000] [--forum-posts 20000] [--workers 2] [--redis-url …|none]

Needs wrk (`apt-get install wrk`) and a PostgreSQL server. Steps:

1. creates the database if it does not exist (`--fresh` drops it first), migrates, loads
   the demo content (`load_demo` with DEMO_MODE on) and, once, extra forum threads and
   posts (tests/benchmarks/bench_forum.py's generator) plus load-test users;
2. collects static files (production storage: hashed, compressed names);
3. starts gunicorn with gunicorn.conf.py: DEBUG off, a random SECRET_KEY, ALLOWED_HOSTS
   127.0.0.1, Redis cache (unless `--redis-url none`), JSON logs;
4. signs in several users through the real sign-in form to get session cookies;
5. checks every planned URL answers 200, then runs wrk for the fixed duration with one
   connection per wrk thread, walking a shuffled plan that mixes home, method pages,
   searches (Swedish queries), forum threads and conference edition pages, rotating the
   users' cookies (tests/benchmarks/load_test.lua);
6. prints requests per second, p50/p95/p99 client latency per page type and overall,
   the server's own time per page type (from gunicorn's JSON access log, so without the
   wait for a free worker), each page type's latency one request at a time (before the
   run), status counts, the workers' memory and the load average. Exits non-zero if any
   response was not 2xx.

Not a pytest test (pytest collects test_*.py only). The database is kept for the next run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]
LUA_SCRIPT = Path(__file__).with_name("load_test.lua")
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/mrnavet_load"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/13"
LOAD_USER_PREFIX = "lasttest-"
LOAD_USER_PASSWORD = "Lasttest-MR-navet-2026"
DEMO_USERS = ["medarbetare@malmo.se", "moderator@malmo.se"]  # no admin access, so no MFA
SEARCH_QUERIES = [
    "barnkonsekvensanalys", "jämställdhet", "tillgänglighet", "diskriminering",
    "barnets rättigheter", "nationella minoriteter", "funktionsnedsättning", "hbtq",
    "våld i nära relationer", "samisk förvaltning", "delaktighet förskola", "bka",
]
KINDS = ["home", "method", "search", "forum_thread", "conference"]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL,
                        help="PostgreSQL database to create or reuse "
                             f"(default {DEFAULT_DATABASE_URL})")
    parser.add_argument("--fresh", action="store_true",
                        help="drop and recreate the database first")
    parser.add_argument("--duration", type=int, default=30, help="seconds of load (default 30)")
    parser.add_argument("--concurrency", type=int, default=8,
                        help="connections, one per wrk thread (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--users", type=int, default=6,
                        help="load-test users signed in besides the demo users (default 6)")
    parser.add_argument("--forum-threads", type=int, default=2000,
                        help="extra forum threads added once (default 2000; 0 for none)")
    parser.add_argument("--forum-posts", type=int, default=20000,
                        help="posts in those threads (default 20000)")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL,
                        help=f"cache and rate limits (default {DEFAULT_REDIS_URL}; 'none' for "
                             "the local-memory cache)")
    parser.add_argument("--port", type=int, default=0, help="gunicorn port (default: a free one)")
    parser.add_argument("--seed", type=int, default=7, help="plan shuffle seed (default 7)")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args(argv)
    if args.duration < 1 or args.concurrency < 1 or args.workers < 1 or args.users < 0:
        parser.error("--duration, --concurrency and --workers must be >= 1, --users >= 0")
    if args.forum_threads and args.forum_posts < args.forum_threads:
        parser.error("--forum-posts must be >= --forum-threads")
    return args


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- Environment ------------------------------------------------------------------------------

def server_environment(args, port: int, work_dir: Path) -> dict[str, str]:
    """Production-like settings for both the setup steps and gunicorn."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("GUNICORN_", "DJANGO_", "OIDC_"))
           and key not in {"TESTING", "DEBUG", "MFA_TOTP_INSECURE_BYPASS_CODE", "ELASTICSEARCH_URL",
                           "ACCOUNT_RATE_LIMITS_DISABLED", "BASE_URL", "DATABASE_URL",
                           "EMAIL_URL", "REDIS_URL"}}
    env.update({
        "DJANGO_SETTINGS_MODULE": "mrnavet.settings",
        "DEBUG": "false",
        "DEMO_MODE": "true",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BASE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": args.database_url,
        "DATABASE_CONN_MAX_AGE": "60",
        "TASKS_BACKEND": "immediate",
        "VAR_DIR": str(work_dir / "var"),
        "STATIC_ROOT": str(work_dir / "static"),
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_WORKERS": str(args.workers),
        "GUNICORN_MAX_REQUESTS": "0",  # no worker restarts inside a short run
        "PYTHONUNBUFFERED": "1",
    })
    if args.redis_url != "none":
        env["REDIS_URL"] = args.redis_url
    return env


def ensure_database(url: str, fresh: bool) -> bool:
    """Create the database if needed; True when it was (re)created."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if parts.scheme not in {"postgres", "postgresql", "pgsql"} or not name:
        raise SystemExit(f"--database-url must name a PostgreSQL database, got {url!r}")
    maintenance = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and not fresh:
            return False
        if exists:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0")
                     .format(sql.Identifier(name)))
    return True


def run_step(label: str, argv: list[str], env: dict[str, str]) -> str:
    started = time.perf_counter()
    result = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"{label} failed (exit {result.returncode})")
    say(f"{label}: {time.perf_counter() - started:.0f} s")
    return result.stdout


# The data step runs in its own process (Django set up with the server's settings).
DATA_STEP = r'''
import json, random, sys, types
sys.path[:0] = ["site", "."]
import django
django.setup()
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.urls import reverse
from datetime import timedelta
from django.utils import timezone
from accounts.roles import MEDARBETARE
from cms.conference.models import EditionPage
from cms.models import MethodPage
from forum.models import Thread

options = json.loads(sys.argv[1])
User = get_user_model()
notes = []
staff = Group.objects.get(name=MEDARBETARE)
for i in range(options["users"]):
    user, created = User.objects.get_or_create(
        email=f"{options['prefix']}{i}@malmo.se",
        defaults={"display_name": f"Lasttestare {i}"},
    )
    if created:
        user.set_password(options["password"])
        user.save()
        user.groups.add(staff)
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)

if options["forum_threads"] and not Thread.objects.filter(title__startswith="Lasttest: ").exists():
    # Threads of many lengths in the open categories, written by the load-test users, with
    # bench_forum.py's texts and length distribution.
    from django.db.models import OuterRef, Subquery
    from forum.markup import SANITIZER_VERSION, render_markdown
    from forum.models import Category, Post
    from forum.services import refresh_category_counts
    from tests.benchmarks import bench_forum
    rng = random.Random(4)
    now = timezone.now()
    categories = list(Category.objects.filter(is_closed=False).order_by("pk"))
    authors = list(User.objects.filter(email__startswith=options["prefix"]).order_by("pk"))
    rendered = [(text, render_markdown(text).html) for text in bench_forum.TEMPLATE_TEXTS]
    counts = bench_forum._spread(options["forum_posts"], options["forum_threads"], rng)
    with transaction.atomic():
        threads = []
        for i, n in enumerate(counts):
            started = now - timedelta(days=rng.uniform(1, 365))
            threads.append(Thread(
                category=categories[i % len(categories)], author=rng.choice(authors),
                title=f"Lasttest: {rng.choice(bench_forum.TITLES)} ({i + 1})",
                created_at=started, last_post_at=started + timedelta(hours=n),
                post_count=n, last_number=n))
        Thread.objects.bulk_create(threads, batch_size=500)
        posts = []
        for thread, n in zip(threads, counts):
            for number in range(1, n + 1):
                markdown, html = rendered[rng.randrange(len(rendered))]
                posts.append(Post(thread=thread, number=number, author=rng.choice(authors),
                                  markdown=markdown, html=html,
                                  sanitizer_version=SANITIZER_VERSION,
                                  created_at=thread.created_at + timedelta(hours=number - 1)))
        Post.objects.bulk_create(posts, batch_size=2000)
        Thread.objects.filter(title__startswith="Lasttest: ").update(last_post=Subquery(
            Post.objects.filter(thread=OuterRef("pk"), number=OuterRef("last_number"))
            .values("pk")[:1]))
        refresh_category_counts(*(c.pk for c in categories))
    notes.append(f"added {len(threads)} forum threads with {len(posts)} posts")
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")

methods = [page.url for page in MethodPage.objects.live().order_by("pk")[:40]]
editions = [page.url for page in EditionPage.objects.live().order_by("pk")]
# Demo threads (short, realistic) and a spread of generated ones, long threads included.
demo_threads = list(Thread.objects.filter(category__is_closed=False)
                    .exclude(title__startswith="Lasttest: ")
                    .order_by("pk").values_list("pk", flat=True)[:20])
busy_threads = list(Thread.objects.filter(title__startswith="Lasttest: ")
                    .order_by("-post_count").values_list("pk", flat=True)[:20])
threads = [reverse("forum:thread", args=[pk]) for pk in demo_threads + busy_threads]
counts = {"methods": MethodPage.objects.live().count(), "threads": Thread.objects.count(),
          "editions": len(editions)}
print("PLAN " + json.dumps({"method": methods, "conference": editions,
                            "forum_thread": threads, "notes": notes, "counts": counts}))
'''


# --- gunicorn ---------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict[str, str], log_dir: Path) -> subprocess.Popen:
    access = open(log_dir / "access.log", "a")  # O_APPEND: truncating it later is safe
    errors = open(log_dir / "error.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "gunicorn.conf.py")],
        cwd=ROOT, env=env, stdout=access, stderr=errors, start_new_session=True,
    )
    port = int(env["GUNICORN_BIND"].rsplit(":", 1)[1])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited: see {log_dir / 'error.log'}")
        try:
            if get(port, "/healthz")[0] == 200:
                return process
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz within 120 s")


def stop_gunicorn(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)  # its own session: the arbiter and workers
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


# --- HTTP helpers -----------------------------------------------------------------------------

def get(port: int, path: str, cookie: str = "") -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        return response.status, response, response.read()
    finally:
        conn.close()


def cookies_from(response) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def sign_in(port: int, email: str, password: str) -> str | None:
    """The session cookie after signing in through allauth's form; None if MFA is asked."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", "/konto/login/")
        response = conn.getresponse()
        page = response.read().decode()
        cookies = cookies_from(response)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urlencode({"login": email, "password": password, "csrfmiddlewaretoken": token})
        conn.request("POST", "/konto/login/", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        })
        response = conn.getresponse()
        response.read()
        cookies.update(cookies_from(response))
    finally:
        conn.close()
    location = response.getheader("Location", "")
    if response.status != 302 or "2fa" in location:
        return None
    return f"sessionid={cookies['sessionid']}"


# --- Load -------------------------------------------------------------------------------------

def build_plan(urls: dict[str, list[str]], cookies: list[str], rng: random.Random,
               per_kind: int = 120) -> list[tuple[str, str, str]]:
    """An equal share of requests per page type, users rotating, shuffled."""
    plan = []
    for kind in KINDS:
        paths = urls[kind]
        for i in range(per_kind):
            plan.append((kind, paths[i % len(paths)], cookies[i % len(cookies)]))
    rng.shuffle(plan)
    return plan


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def run_wrk(args, port: int, plan_file: Path) -> str:
    argv = ["wrk", "-t", str(args.concurrency), "-c", str(args.concurrency),
            "-d", f"{args.duration}s", "--timeout", "30s", "-s", str(LUA_SCRIPT),
            f"http://127.0.0.1:{port}", "--", str(plan_file), str(args.concurrency)]
    say("wrk " + " ".join(argv[1:]))
    result = subprocess.run(argv, capture_output=True, text=True, timeout=args.duration + 120)
    if result.returncode != 0:
        raise SystemExit(f"wrk failed: {result.stderr}")
    return result.stdout


def summarise(wrk_output: str, access_log: Path, path_kinds: dict[str, str]) -> dict:
    samples = defaultdict(list)
    statuses = defaultdict(Counter)
    summary = {}
    for line in wrk_output.splitlines():
        if line.startswith("SAMPLE "):
            _, kind, status, micros = line.split()
            samples[kind].append(int(micros) / 1000)
            statuses[kind][int(status)] += 1
        elif line.startswith("WRK_SUMMARY "):
            summary = {k: int(v) for k, v in (p.split("=") for p in line.split()[1:])}
    seconds = summary["duration_us"] / 1e6
    server = defaultdict(list)
    for line in access_log.read_text().splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue
        kind = path_kinds.get(record.get("path"))
        if kind:
            server[kind].append(record["duration_ms"])
    rows = {}
    for kind in KINDS + ["all"]:
        values = (sum((samples[k] for k in KINDS), []) if kind == "all" else samples[kind])
        codes = (sum((statuses[k] for k in KINDS), Counter()) if kind == "all"
                 else statuses[kind])
        served = sum((server[k] for k in KINDS), []) if kind == "all" else server[kind]
        rows[kind] = {
            "requests": len(values),
            "rps": len(values) / seconds,
            "p50": percentile(values, 50), "p95": percentile(values, 95),
            "p99": percentile(values, 99),
            "server_p50": statistics.median(served) if served else float("nan"),
            "non_2xx": sum(n for code, n in codes.items() if not 200 <= code < 300),
            "statuses": dict(codes),
        }
    return {"seconds": seconds, "wrk": summary, "pages": rows}


def print_report(result: dict, args, notes: list[str]) -> None:
    print()
    print(f"MR-navet load test: {args.workers} gunicorn workers, {args.concurrency} connections, "
          f"{result['seconds']:.1f} s, PostgreSQL, "
          f"{'Redis' if args.redis_url != 'none' else 'local-memory'} cache")
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}; load average before {notes[0]}, after {notes[1]}")
    for note in notes[2:]:
        print(f"  {note}")
    print()
    header = (f"{'page type':<14}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}"
              f"{'p99 ms':>9}{'server p50':>12}{'alone p50':>11}{'non-2xx':>9}")
    print(header)
    print("-" * len(header))
    for kind, row in result["pages"].items():
        print(f"{kind:<14}{row['requests']:>9}{row['rps']:>8.1f}{row['p50']:>9.0f}"
              f"{row['p95']:>9.0f}{row['p99']:>9.0f}{row['server_p50']:>12.0f}"
              f"{row['single_p50']:>11.0f}{row['non_2xx']:>9}")
    print("\np50/p95/p99: client latency under load (wrk); server p50: gunicorn's own time "
          "(access log), without the wait for a free worker; alone p50: one request at a "
          "time before the run.")
    wrk = result["wrk"]
    print(f"wrk socket errors: connect {wrk['connect']}, read {wrk['read']}, write "
          f"{wrk['write']}, timeout {wrk['timeout']}")


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def main(argv=None) -> int:
    args = parse_args(argv)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    work_dir = Path(tempfile.mkdtemp(prefix="mrnavet-load-"))
    port = args.port or free_port()
    env = server_environment(args, port, work_dir)
    python = sys.executable

    created = ensure_database(args.database_url, args.fresh)
    say(f"database {urlsplit(args.database_url).path.lstrip('/')}: "
        f"{'created' if created else 'reused'}; work folder {work_dir}")
    run_step("migrate", [python, "manage.py", "migrate", "--noinput"], env)
    run_step("load_demo", [python, "manage.py", "load_demo"], env)
    output = run_step("extra data", [python, "-c", DATA_STEP, json.dumps({
        "users": args.users, "prefix": LOAD_USER_PREFIX, "password": LOAD_USER_PASSWORD,
        "forum_threads": args.forum_threads, "forum_posts": args.forum_posts,
    })], env)
    data = json.loads(next(line for line in output.splitlines()
                           if line.startswith("PLAN "))[5:])
    run_step("collectstatic", [python, "manage.py", "collectstatic", "--noinput"], env)

    urls = {
        "home": ["/"],
        "method": data["method"],
        "search": ["/sok/?" + urlencode({"q": q}) for q in SEARCH_QUERIES],
        "forum_thread": data["forum_thread"],
        "conference": data["conference"],
    }
    for kind, paths in urls.items():
        if not paths:
            raise SystemExit(f"no URLs for {kind}: is the demo content loaded?")
    path_kinds = {urlsplit(p).path: kind for kind, paths in urls.items() for p in paths}

    gunicorn = start_gunicorn(env, work_dir)
    try:
        say(f"gunicorn on 127.0.0.1:{port} ({args.workers} workers)")
        emails = DEMO_USERS + [f"{LOAD_USER_PREFIX}{i}@malmo.se" for i in range(args.users)]
        cookies = []
        for email in emails:
            password = (LOAD_USER_PASSWORD if email.startswith(LOAD_USER_PREFIX)
                        else "Demo-MR-navet-2026")
            cookie = sign_in(port, email, password)
            if cookie:
                cookies.append(cookie)
            else:
                say(f"could not sign in {email} without MFA; left out")
        if not cookies:
            raise SystemExit("no user could sign in")
        say(f"{len(cookies)} users signed in")

        # Every URL must answer 200 before the run (warms the workers' caches too); a
        # second pass, one request at a time, gives each page type's latency without load.
        single = defaultdict(list)
        for attempt in range(2):
            for kind, paths in urls.items():
                for path in paths:
                    started = time.perf_counter()
                    status = get(port, path, cookies[0])[0]
                    if attempt:
                        single[kind].append((time.perf_counter() - started) * 1000)
                    if status != 200:
                        raise SystemExit(f"{kind} {path} answered {status} before the run")
        plan = build_plan(urls, cookies, random.Random(args.seed))
        plan_file = work_dir / "plan.tsv"
        plan_file.write_text("".join(f"{k}\t{p}\t{c}\n" for k, p, c in plan))

        before = load_average()
        access_log = work_dir / "access.log"
        access_log.write_text("")  # the run's lines only (gunicorn appends; O_APPEND)
        output = run_wrk(args, port, plan_file)
        after = load_average()
        rss = subprocess.run(["ps", "-o", "rss=", "--ppid", str(gunicorn.pid)],
                             capture_output=True, text=True).stdout.split()
    finally:
        stop_gunicorn(gunicorn)
    notes = [before, after, f"data: {data['counts']}; {len(cookies)} signed-in users; "
             f"{sum(len(p) for p in urls.values())} distinct URLs"] + data["notes"]
    if rss:
        notes.append("gunicorn worker memory (RSS): "
                     + ", ".join(f"{int(kb) // 1024} MB" for kb in rss))
    result = summarise(output, access_log, path_kinds)
    for kind, row in result["pages"].items():
        values = sum(single.values(), []) if kind == "all" else single[kind]
        row["single_p50"] = statistics.median(values)
    print_report(result, args, notes)
    if args.json:
        print(json.dumps({"load_average": [before, after], **result}, indent=2))
    failures = result["pages"]["all"]["non_2xx"]
    if failures:
        print(f"\n{failures} responses were not 2xx: "
              f"{ {k: r['statuses'] for k, r in result['pages'].items()} }")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
