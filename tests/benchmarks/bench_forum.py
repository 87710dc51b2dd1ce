"""Server-side timing of the forum's busiest pages on a scratch database with a large forum.

    DEBUG=false TESTING=true .venv/bin/python tests/benchmarks/bench_forum.py \
        [--threads 20000] [--posts 150000] [--users 400] [--requests 50] [--rounds 1] \
        [--sqlite-analyze] [--database-url postgres://postgres@127.0.0.1:5432/mrnavet_bench_forum]

(--requests 30 --rounds 4 is what README's figures use.)

One run measures one database: run it once for SQLite and once with --database-url.

The issue's requirement: with 20 000 threads, 150 000 posts and 400 users' read marks, a
first visit to a thread by a new user and the category list each take at most 50 ms server
time (p50), on SQLite and on PostgreSQL.

Builds a database of its own (a temporary SQLite file, or the PostgreSQL database named in
--database-url, which it creates and drops; see bench_cms_pages.ScratchDatabase), migrates
it, and fills the default categories in bulk: threads with a long-tailed number of posts
(numbered 1..n, HTML rendered once per template text by forum.markup), consistent thread and
category counters, tags, reactions, watches (posting makes you watch, as services does),
notifications, 50–300 read marks per user and some "mark all read" rows. Then it requests
each page R times through django.test.Client and prints p50/p95/max server time and the
number of SQL queries per request:

- a thread's first and last page, each request by a brand-new account (no read marks; the
  view writes one, so every timed request is a real first visit);
- the forum index (the category list), a busy category's first page and its page 50, by the
  user with the most read marks.

Not a pytest test (pytest collects test_*.py only).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_cms_pages import ScratchDatabase, configure_django, percentile  # noqa: E402

TARGET_MS = 50.0
BUSY_CATEGORY_PAGE = 50
BATCH = 5000  # rows per bulk insert
HEAVY_READER_MARKS = 300
# Share of threads per default category slug; the rights-area categories share the rest.
CATEGORY_SHARES = {"allmant": 0.30, "konferensen": 0.05, "samordnarnatverket": 0.03}

TEMPLATE_TEXTS = [
    "Tack, det här hjälper oss mycket!",
    "Vi har provat samma sak i vår förvaltning. Det som fungerade bäst var att börja "
    "med en kort workshop där alla fick beskriva ett konkret ärende.",
    "Bra fråga. Några saker vi har lärt oss:\n\n"
    "- gör barnkonsekvensanalysen **innan** beslutet, inte efteråt\n"
    "- låt barnen själva komma till tals\n"
    "- dokumentera hur synpunkterna vägdes in\n\n"
    "Mer finns på https://malmo.se/barnkonventionen",
    "> Hur gör ni med tolk vid samråd?\n\nVi bokar alltid tolk i förväg och skickar "
    "kallelsen på finska och meänkieli. Se *Minoritetslagen* 5 §.",
    "### Sammanfattning från mötet\n\n1. Årsanalysen lämnas in i mars\n"
    "2. Indikatorerna ses över\n3. Nästa träff i maj\n\n"
    "| Förvaltning | Klar |\n|---|---|\n| Stadskontoret | ja |\n| Fritid | nej |\n",
    "Någon som har en mall för aktiva åtgärder enligt diskrimineringslagen? "
    "Vi behöver underlag till `HR-rutin 4.2` före sommaren.",
    "Jag håller med. " * 40,
    "Här är vår checklista för tillgänglighet vid möten:\n\n"
    "- [ ] hörslinga\n- [ ] ramp\n- [ ] material i förväg\n\n~~Gammal länk~~ borttagen.",
]
TITLES = [
    "Barnkonsekvensanalys vid budgetbeslut", "Tolk vid samråd med minoriteter",
    "Mall för aktiva åtgärder", "Erfarenheter av hbtqi-certifiering",
    "Jämställd resursfördelning i fritidsverksamheten", "Tillgänglighet vid digitala möten",
    "Årsanalysen: vilka indikatorer använder ni?", "Antirasistiska rutiner i skolan",
    "MR-trappan steg 3 i praktiken", "Frågor inför spridningskonferensen",
]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=20_000, help="threads (default 20000)")
    parser.add_argument("--posts", type=int, default=150_000,
                        help="posts in all, opening posts included (default 150000)")
    parser.add_argument("--users", type=int, default=400,
                        help="users with posts and read marks (default 400)")
    parser.add_argument("--days", type=int, default=730,
                        help="threads start over this many days back (default 730)")
    parser.add_argument("--requests", type=int, default=50,
                        help="timed requests per page (default 50)")
    parser.add_argument("--warmup", type=int, default=3,
                        help="untimed requests per page first (default 3)")
    parser.add_argument("--rounds", type=int, default=1,
                        help="measure every page this many times and keep, per page, the "
                             "round with the lowest p50: on a shared machine that is the "
                             "least disturbed one (default 1)")
    parser.add_argument("--seed", type=int, default=4, help="random seed (default 4)")
    parser.add_argument("--database-url",
                        help="PostgreSQL URL of a scratch database to create and drop "
                             "(default: a temporary SQLite file)")
    parser.add_argument("--replace-existing", action="store_true",
                        help="drop the --database-url database first if it already exists")
    parser.add_argument("--sqlite-analyze", action="store_true",
                        help="run ANALYZE on SQLite too (PostgreSQL always gets VACUUM "
                             "ANALYZE, as autovacuum would do)")
    parser.add_argument("--show-queries", action="store_true",
                        help="print the SQL of one request per page")
    parser.add_argument("--explain", action="store_true",
                        help="print the query plan of the slowest query of each page")
    parser.add_argument("--keep", action="store_true",
                        help="keep the scratch database afterwards (prints where it is)")
    args = parser.parse_args(argv)
    if args.users < 1 or args.threads < 1 or args.posts < args.threads:
        parser.error("--users and --threads must be >= 1 and --posts >= --threads")
    if args.requests < 1 or args.warmup < 0 or args.days < 1 or args.rounds < 1:
        parser.error("--requests, --days and --rounds must be >= 1, --warmup >= 0")
    return args


# --- Content --------------------------------------------------------------------------------

def _spread(total: int, parts: int, rng: random.Random) -> list[int]:
    """`total` split into `parts` counts of at least 1 with a long tail (log-normal weights,
    largest remainders), like a forum where a few threads run to hundreds of posts."""
    weights = [rng.lognormvariate(0, 1.2) for _ in range(parts)]
    extra = total - parts
    scale = extra / sum(weights)
    shares = [w * scale for w in weights]
    counts = [1 + int(s) for s in shares]
    by_remainder = sorted(range(parts), key=lambda i: shares[i] - int(shares[i]), reverse=True)
    for i in by_remainder[:total - sum(counts)]:
        counts[i] += 1
    return counts


def _category_weights(categories) -> list[float]:
    rest = [c for c in categories if c.slug not in CATEGORY_SHARES]
    left = 1.0 - sum(CATEGORY_SHARES.get(c.slug, 0) for c in categories)
    # Rights areas: decreasing interest (1, 1/2, 1/3, …), normalised to what is left.
    harmonic = {c.pk: 1 / (i + 1) for i, c in enumerate(rest)}
    norm = sum(harmonic.values()) or 1
    return [CATEGORY_SHARES.get(c.slug, left * harmonic.get(c.pk, 0) / norm) for c in categories]


def _bulk(model, rows, **kwargs) -> None:
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start:start + BATCH], **kwargs)


def make_users(count: int, rng: random.Random, now) -> list:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from accounts.roles import MEDARBETARE, MODERATOR, SAMORDNARE

    User = get_user_model()
    users = [
        User(email=f"forum-bench-{i}@malmo.se", display_name=f"Bänkanvändare {i}",
             password="!", date_joined=now - datetime.timedelta(days=rng.uniform(60, 1500)))
        for i in range(count)
    ]
    _bulk(User, users)
    users = list(User.objects.filter(email__startswith="forum-bench-").order_by("pk"))
    groups = {g.name: g for g in Group.objects.filter(name__in=[MEDARBETARE, SAMORDNARE,
                                                                MODERATOR])}
    through = User.groups.through
    links = [through(user_id=u.pk, group_id=groups[MEDARBETARE].pk) for u in users]
    # A few coordinators (the closed category) and moderators, never the measured reader.
    links += [through(user_id=u.pk, group_id=groups[SAMORDNARE].pk) for u in users[1:21]]
    links += [through(user_id=u.pk, group_id=groups[MODERATOR].pk) for u in users[21:26]]
    _bulk(through, links)
    return users


def make_threads(args, users, rng: random.Random, now) -> dict:
    """Threads, posts, tags and counters. Returns facts the measurements need."""
    from django.db.models import OuterRef, Subquery

    from forum.defaults import GENERAL_SLUG, ensure_defaults
    from forum.markup import SANITIZER_VERSION, render_markdown
    from forum.models import Category, Post, Tag, Thread
    from forum.services import refresh_category_counts

    ensure_defaults()
    categories = list(Category.objects.order_by("sort_order", "pk"))
    busy = next(c for c in categories if c.slug == GENERAL_SLUG)
    rendered = [(text, render_markdown(text).html) for text in TEMPLATE_TEXTS]
    counts = _spread(args.posts, args.threads, rng)
    weights = _category_weights(categories)

    # One thread spec per thread; the busiest one is the measured thread: in the busy
    # category, started 90 days ago and active until an hour ago.
    specs = []
    for i, n in enumerate(counts):
        created = now - datetime.timedelta(days=rng.uniform(0.05, args.days))
        span = min(rng.expovariate(1 / (7 * 86400)), (now - created).total_seconds() - 60)
        specs.append({"n": n, "created": created, "span": max(span, 0.0),
                      "category": rng.choices(categories, weights)[0]})
    hot = max(range(len(specs)), key=lambda i: specs[i]["n"])
    specs[hot].update(category=busy, created=now - datetime.timedelta(days=90),
                      span=(datetime.timedelta(days=90) - datetime.timedelta(hours=1))
                      .total_seconds())
    specs[hot]["hot"] = True
    specs.sort(key=lambda s: s["created"])  # ids follow time, as in a real forum

    for spec in specs:
        offsets = sorted(rng.random() * spec["span"] for _ in range(spec["n"] - 1))
        spec["times"] = [spec["created"]] + [spec["created"] + datetime.timedelta(seconds=s)
                                             for s in offsets]
        spec["authors"] = [rng.choice(users) for _ in range(spec["n"])]

    started = time.perf_counter()

    def pin(i: int) -> str:  # three global pins, and a category pin every 1500 threads
        if i in {len(specs) // 4, len(specs) // 2, len(specs) - 2}:
            return Thread.Pin.GLOBAL
        return Thread.Pin.CATEGORY if i % 1500 == 7 else Thread.Pin.NONE

    threads = [
        Thread(category=s["category"], title=f"{rng.choice(TITLES)} ({i + 1})",
               author=s["authors"][0], created_at=s["created"], last_post_at=s["times"][-1],
               post_count=s["n"], last_number=s["n"], pin=pin(i))
        for i, s in enumerate(specs)
    ]
    _bulk(Thread, threads)
    thread_ids = list(Thread.objects.order_by("pk").values_list("pk", flat=True))
    for spec, pk in zip(specs, thread_ids, strict=True):
        spec["pk"] = pk

    posts = []
    for spec in specs:
        for number in range(1, spec["n"] + 1):
            markdown, html = rendered[rng.randrange(len(rendered))]
            posts.append(Post(thread_id=spec["pk"], number=number,
                              author=spec["authors"][number - 1], markdown=markdown, html=html,
                              sanitizer_version=SANITIZER_VERSION,
                              created_at=spec["times"][number - 1]))
            if len(posts) >= BATCH:
                Post.objects.bulk_create(posts)
                posts = []
    Post.objects.bulk_create(posts)
    Thread.objects.update(last_post=Subquery(
        Post.objects.filter(thread=OuterRef("pk"), number=OuterRef("last_number"))
        .values("pk")[:1]))

    tags = [Tag(name=f"Ämne {i}", slug=f"amne-{i}") for i in range(25)]
    Tag.objects.bulk_create(tags)
    tags = list(Tag.objects.order_by("pk"))
    through = Thread.tags.through
    links = []
    for spec in specs:
        if rng.random() < 0.5:
            for tag in rng.sample(tags, rng.randint(1, 2)):
                links.append(through(thread_id=spec["pk"], tag_id=tag.pk))
    _bulk(through, links)

    for category in categories:
        last = (Thread.objects.filter(category=category).order_by("-last_post_at")
                .values_list("last_post_at", flat=True).first())
        Category.objects.filter(pk=category.pk).update(last_post_at=last)
    refresh_category_counts(*(c.pk for c in categories))
    hot_spec = next(s for s in specs if s.get("hot"))
    return {
        "specs": specs, "categories": categories, "busy": busy, "hot_thread_id": hot_spec["pk"],
        "hot_posts": hot_spec["n"],
        "note": f"{len(specs)} threads, {args.posts} posts ({len(links)} thread tags) in "
                f"{time.perf_counter() - started:.1f} s; longest thread {hot_spec['n']} posts",
    }


def make_activity(args, users, facts, rng: random.Random, now) -> list[str]:
    """Reactions, watches, notifications, read marks and "mark all read" rows."""
    from forum.models import (
        CategoryRead,
        Notification,
        Post,
        Reaction,
        ThreadRead,
        Watch,
        WatchLevel,
    )

    started = time.perf_counter()
    specs, categories = facts["specs"], facts["categories"]
    post_rows = list(Post.objects.values_list("pk", "thread_id", "number", "author_id",
                                              "created_at"))
    kinds = [k for k, _label in Reaction.Kind.choices]
    seen = set()
    reactions = []
    for pk, _thread, _number, author_id, created in rng.sample(post_rows, len(post_rows) // 10):
        for user in rng.sample(users, rng.randint(1, 3)):
            key = (pk, user.pk, rng.choice(kinds))
            if user.pk != author_id and key not in seen:
                seen.add(key)
                reactions.append(Reaction(post_id=pk, user_id=user.pk, kind=key[2],
                                          created_at=created))
    _bulk(Reaction, reactions)

    # Posting makes you watch the thread (services._watch); a few threads are muted.
    pairs = {(spec["pk"], author.pk) for spec in specs for author in spec["authors"]}
    watches = [Watch(user_id=u, thread_id=t,
                     level=WatchLevel.MUTED if rng.random() < 0.01 else WatchLevel.WATCHING)
               for t, u in sorted(pairs)]
    for user in users:
        for category in rng.sample(categories, rng.randint(0, 2)):
            level = rng.choice([WatchLevel.MUTED, WatchLevel.TRACKING, WatchLevel.WATCHING,
                                WatchLevel.WATCHING])
            watches.append(Watch(user_id=user.pk, category_id=category.pk, level=level))
    _bulk(Watch, watches)

    notifications = []
    for user in users:
        for pk, thread_id, _number, author_id, created in rng.sample(post_rows, 30):
            read = rng.random() < 0.7
            notifications.append(Notification(
                user_id=user.pk, kind=Notification.Kind.REPLY, thread_id=thread_id, post_id=pk,
                actor_id=author_id, created_at=created,
                read_at=created + datetime.timedelta(hours=5) if read else None))
    _bulk(Notification, notifications)

    # Read marks: 50–300 threads per user (the first user, the measured reader, has 300),
    # two thirds among recently active threads; most read to the end.
    recent = [s for s in specs if s["times"][-1] >= now - datetime.timedelta(days=90)]
    reads = []
    for i, user in enumerate(users):
        want = HEAVY_READER_MARKS if i == 0 else rng.randint(50, 300)
        chosen = {}
        while len(chosen) < min(want, len(specs)):
            pool = recent if recent and rng.random() < 2 / 3 else specs
            spec = rng.choice(pool)
            chosen[spec["pk"]] = spec
        for spec in chosen.values():
            n = spec["n"]
            number = n if rng.random() < 0.7 else rng.randint(1, n)
            reads.append(ThreadRead(user_id=user.pk, thread_id=spec["pk"], last_read_number=number,
                                    updated_at=spec["times"][number - 1]
                                    + datetime.timedelta(minutes=10)))
    _bulk(ThreadRead, reads)

    category_reads = []
    for i, user in enumerate(users):
        if i == 0 or rng.random() < 0.3:
            for category in rng.sample(categories, rng.randint(1, 4)):
                category_reads.append(CategoryRead(
                    user_id=user.pk, category_id=category.pk,
                    marked_at=now - datetime.timedelta(days=rng.uniform(1, 60))))
    _bulk(CategoryRead, category_reads)
    return [f"{len(reactions)} reactions, {len(watches)} watches, {len(notifications)} "
            f"notifications, {len(reads)} read marks ({len(reads) / len(users):.0f} per user), "
            f"{len(category_reads)} category read rows in {time.perf_counter() - started:.1f} s"]


def build_forum(args) -> tuple[list[dict], list[str]]:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.urls import reverse
    from django.utils import timezone

    from forum.models import POSTS_PER_PAGE, Thread, ThreadRead
    from forum.views.common import THREADS_PER_PAGE

    notes = []
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    notes.append(f"migrated in {time.perf_counter() - started:.1f} s")
    rng = random.Random(args.seed)
    now = timezone.now()
    with transaction.atomic():
        users = make_users(args.users, rng, now)
        facts = make_threads(args, users, rng, now)
        notes.append(facts["note"])
        notes.extend(make_activity(args, users, facts, rng, now))
    if connection.vendor == "postgresql":
        # Autovacuum does both soon after a bulk load in production: ANALYZE for the
        # planner's statistics (without them it guesses from empty tables), VACUUM for the
        # visibility map (without it an index-only scan still visits every row, e.g. a
        # category's thread count). Outside a transaction: VACUUM cannot run in one.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        notes.append("ran VACUUM ANALYZE")
    elif args.sqlite_analyze:
        # Nothing runs ANALYZE on a SQLite database (Django does not), so by default
        # SQLite plans without sqlite_stat1. `manage.py dbshell` then `ANALYZE;` (or
        # `PRAGMA optimize;`) writes them; the forum's list queries are written so that
        # SQLite picks the same indexes with and without them.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        notes.append("ran ANALYZE")
    else:
        notes.append("no ANALYZE (no sqlite_stat1, as in a migrated SQLite database; "
                     "--sqlite-analyze to compare)")

    reader = users[0]
    busy = facts["busy"]
    hot = facts["hot_thread_id"]
    last_page = -(-facts["hot_posts"] // POSTS_PER_PAGE)
    busy_threads = Thread.objects.filter(category=busy).count()
    busy_page = min(BUSY_CATEGORY_PAGE, max(1, -(-busy_threads // THREADS_PER_PAGE)))
    notes.append(f"measured thread {hot}: {facts['hot_posts']} posts, {last_page} pages; busy "
                 f"category {busy.slug!r}: {busy_threads} threads")
    marks = ThreadRead.objects.filter(user=reader).count()
    thread_url = reverse("forum:thread", args=[hot])
    category_url = reverse("forum:category", args=[busy.slug])
    pages = [
        {"label": "thread p1, first visit", "url": thread_url, "who": "new user", "target": True},
        {"label": f"thread p{last_page} (last), first visit",
         "url": f"{thread_url}?sida={last_page}", "who": "new user", "target": True},
        {"label": "forum index (category list)", "url": reverse("forum:index"),
         "who": f"reader, {marks} marks", "target": True},
        {"label": "category p1", "url": category_url, "who": f"reader, {marks} marks",
         "target": False},
        {"label": f"category p{busy_page}", "url": f"{category_url}?sida={busy_page}",
         "who": f"reader, {marks} marks", "target": False},
    ]
    for page in pages:
        page["reader"] = None if page["who"] == "new user" else reader
    return pages, notes


# --- Measurement ----------------------------------------------------------------------------

def new_users(count: int) -> list:
    """Accounts that have never visited the forum (joined a year ago: the 30-day unread
    cutoff applies, not the join date), in the everyone-role."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.roles import MEDARBETARE

    User = get_user_model()
    tag = f"{time.monotonic_ns()}"
    joined = timezone.now() - datetime.timedelta(days=365)
    users = [User(email=f"forum-new-{tag}-{i}@malmo.se", display_name=f"Ny användare {i}",
                  password="!", date_joined=joined) for i in range(count)]
    _bulk(User, users)
    users = list(User.objects.filter(email__startswith=f"forum-new-{tag}-").order_by("pk"))
    group = Group.objects.get(name=MEDARBETARE)
    _bulk(User.groups.through, [User.groups.through(user_id=u.pk, group_id=group.pk)
                                for u in users])
    return users


def _explain(sql: str, params) -> str:
    from django.db import connection

    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        rows = cursor.fetchall()
    return "\n".join("    " + " | ".join(str(c) for c in row) for row in rows)


def _one_request(client, url, label, show_queries: bool, explain: bool) -> tuple[int, object]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    # Count now: the next request clears the log that captured_queries reads.
    captured = list(queries.captured_queries)
    if show_queries or explain:
        print(f"--- {label}: {url} ({len(captured)} queries)")
    if show_queries:
        for query in captured:
            print(f"  {query['time']}s  {query['sql'][:400]}")
    if explain and captured:
        slowest = max(captured, key=lambda q: float(q["time"]))
        print(f"  slowest ({slowest['time']}s): {slowest['sql'][:600]}")
        if slowest["sql"].lstrip().upper().startswith("SELECT"):
            print(_explain_captured(slowest["sql"]))
    return len(captured), response


def _explain_captured(sql: str) -> str:
    """The plan of a captured query (its parameters are already interpolated)."""
    try:
        return _explain(sql, None)
    except Exception as error:  # a query whose interpolated form does not parse
        return f"    (no plan: {error})"


def measure(pages, requests: int, warmup: int, show_queries: bool, explain: bool) -> list[dict]:
    from django.conf import settings
    from django.test import Client

    from forum.models import ThreadRead

    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]

    rows = []
    for page in pages:
        label, url = page["label"], page["url"]
        client = Client()
        if page["reader"] is not None:
            client.force_login(page["reader"])
            for _ in range(warmup):
                client.get(url)
            query_count, response = _one_request(client, url, label, show_queries, explain)
            visitors = [None] * requests
        else:
            # A brand-new account for every request (warm-up and query count included):
            # every request is a first visit that finds no read mark and writes one.
            fresh = new_users(warmup + 1 + requests)
            for user in fresh[:warmup]:
                client.force_login(user)
                client.get(url)
            client.force_login(fresh[warmup])
            query_count, response = _one_request(client, url, label, show_queries, explain)
            visitors = fresh[warmup + 1:]
        if response.status_code != 200:
            raise SystemExit(f"{label}: {url} answered {response.status_code}")
        timings, cpu = [], []
        for visitor in visitors:
            if visitor is not None:
                client.force_login(visitor)  # outside the timing
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - cpu_started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{label}: {url} answered {response.status_code}")
        if page["reader"] is None:
            marked = ThreadRead.objects.filter(user__in=visitors).count()
            if marked != len(visitors):
                raise SystemExit(f"{label}: {marked} of {len(visitors)} first visits wrote a "
                                 "read mark")
        timings.sort()
        rows.append({
            **page, "queries": query_count, "p50": statistics.median(timings),
            "p95": percentile(timings, 0.95), "max": timings[-1], "cpu": statistics.median(cpu),
            "bytes": len(response.content),
        })
    return rows


def calibration_ms() -> float:
    """CPU time of a fixed pure-Python task. On a shared machine the CPU's speed varies with
    other work (and a VM's neighbours): compare runs by this figure too."""
    def once() -> float:
        started = time.process_time()
        sum(i * i for i in range(300_000))
        return (time.process_time() - started) * 1000

    return statistics.median(once() for _ in range(7))


def print_table(rows: list[dict]) -> None:
    header = (f"{'page':<30} {'who':<20} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} "
              f"{'cpu p50':>7} {'queries':>7} {'KiB':>5}  {'≤ 50 ms p50':<12} url")
    print(header)
    print("-" * len(header))
    for r in rows:
        verdict = ("met" if r["p50"] <= TARGET_MS else "MISSED") if r["target"] else \
            f"({'under' if r['p50'] <= TARGET_MS else 'over'})"
        print(f"{r['label']:<30} {r['who']:<20} {r['p50']:>7.1f} {r['p95']:>7.1f} "
              f"{r['max']:>7.1f} {r['cpu']:>7.1f} {r['queries']:>7} {r['bytes'] / 1024:>5.0f}  "
              f"{verdict:<12} {r['url']}")
    targeted = [r for r in rows if r["target"]]
    missed = [r["label"] for r in targeted if r["p50"] > TARGET_MS]
    print()
    if missed:
        print(f"target ≤ {TARGET_MS:.0f} ms p50 MISSED on: {', '.join(missed)}")
    else:
        print(f"target ≤ {TARGET_MS:.0f} ms p50 met on all {len(targeted)} target pages "
              "(thread first visits and the category list)")
    print("Rows in parentheses have no target of their own; they are compared with the same "
          "figure for information.\ncpu p50: CPU time of this process per request (Python, "
          "and SQLite's own work, but not PostgreSQL's);\nwall time minus it is waiting, for "
          "PostgreSQL or for a CPU that other work on the machine holds.")


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
        pages, notes = build_forum(args)
        with connection.cursor() as cursor:
            cursor.execute("SELECT sqlite_version()" if connection.vendor == "sqlite"
                           else "SHOW server_version")
            db_version = cursor.fetchone()[0]
        print(f"database: {scratch.description} ({connection.vendor} {db_version}); "
              f"Python {platform.python_version()}, Django {get_version()}")
        for note in notes:
            print(f"  {note}")
        print(f"{args.requests} timed requests per page after {args.warmup} untimed"
              f"{f', in {args.rounds} rounds' if args.rounds > 1 else ''}; server time "
              "through django.test.Client (no network; the connection stays open)")
        print(f"{os.cpu_count()} CPUs; other work on the machine skews the figures: see the "
              "load average and the CPU time of a fixed task (lower is a faster CPU)")
        best: dict[str, dict] = {}
        for round_no in range(1, args.rounds + 1):
            before = (os.getloadavg()[0], calibration_ms())
            rows = measure(pages, args.requests, args.warmup,
                           args.show_queries and round_no == 1, args.explain and round_no == 1)
            print(f"round {round_no}: load {before[0]:.2f} → {os.getloadavg()[0]:.2f}, fixed "
                  f"task {before[1]:.1f} → {calibration_ms():.1f} ms; p50 "
                  + ", ".join(f"{r['p50']:.0f}" for r in rows) + " ms")
            for row in rows:
                if row["label"] not in best or row["p50"] < best[row["label"]]["p50"]:
                    best[row["label"]] = row
        if args.rounds > 1:
            print(f"\nper page, the round with the lowest p50 of {args.rounds}:")
        print()
        print_table([best[page["label"]] for page in pages])
        connections.close_all()
    finally:
        if args.keep:
            print(f"\nkept the database: {scratch.url}")
        else:
            scratch.drop()


if __name__ == "__main__":
    main()
