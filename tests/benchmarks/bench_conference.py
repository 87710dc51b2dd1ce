"""Registration latency under concurrency: 1 000 registrations against 300 places.

    DEBUG=false TESTING=true .venv/bin/python tests/benchmarks/bench_conference.py \
        [--registrants 1000] [--places 300] [--threads 50] \
        [--database-url postgres://postgres@127.0.0.1:5432/mrnavet_bench_conference]

Builds a PostgreSQL database of its own (created here and dropped afterwards; SQLite has no
row locks, so it is refused), migrates it, creates an open edition with a programme of
three slots of four sessions (40 seats each) plus a workshop of 20, and N accounts. Then
`--threads` threads, each with its own connection, start together at a barrier and call
cms.conference.booking.register for every account, each choosing one session per slot.
Prints p50/p95/max latency of register() (lock wait included), the throughput, and checks
the outcome: exactly `--places` confirmed, the rest waitlisted, no session over capacity.

Emails are enqueued as in production (TASKS_BACKEND=database: one task row per email,
written after commit, no sending). PostgreSQL's max_connections (default 100) bounds
--threads. Not a pytest test (pytest collects test_*.py only).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks.bench_cms_pages import ScratchDatabase, configure_django  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/mrnavet_bench_conference"
SLOTS, SESSIONS_PER_SLOT, SESSION_SEATS, WORKSHOP_SEATS = 3, 4, 40, 20


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--registrants", type=int, default=1000)
    parser.add_argument("--places", type=int, default=300)
    parser.add_argument("--threads", type=int, default=50,
                        help="concurrent connections (default 50; PostgreSQL allows 100)")
    parser.add_argument("--database-url", default=DEFAULT_URL,
                        help=f"PostgreSQL URL of a scratch database to create and drop "
                             f"(default {DEFAULT_URL})")
    parser.add_argument("--replace-existing", action="store_true",
                        help="drop the --database-url database first if it already exists")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args(argv)
    if min(args.registrants, args.places, args.threads) < 1:
        parser.error("--registrants, --places and --threads must be at least 1")
    return args


def build(registrants: int, places: int):
    """Migrate; return (edition, {slot id: [session ids]}, users)."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from cms.conference.models import EditionPage, Room, Session, TimeSlot
    from cms.site_structure import ensure_conference_index

    call_command("migrate", verbosity=0, interactive=False)
    now = timezone.now()
    starts = now + datetime.timedelta(days=40)
    edition = EditionPage(
        title="Spridningskonferensen (mätning)", slug="2099", year=2099, starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=7), venue="Malmö Live", capacity=places,
        registration_opens_at=now - datetime.timedelta(days=1),
        registration_closes_at=now + datetime.timedelta(days=30),
        change_deadline=now + datetime.timedelta(days=20),
        privacy_notice="<p>Mätning.</p>", contact_email="konferens@malmo.se")
    ensure_conference_index().add_child(instance=edition)
    room = Room.objects.create(name="Mätsal", capacity=SESSION_SEATS)
    programme: dict[int, list[int]] = {}
    for number in range(SLOTS + 1):
        slot = TimeSlot.objects.create(
            edition=edition, starts_at=starts + datetime.timedelta(hours=number),
            ends_at=starts + datetime.timedelta(hours=number, minutes=45))
        workshop = number == SLOTS
        sessions = [Session.objects.create(
            edition=edition, slot=slot, title=f"Pass {number}.{i}", room=room,
            kind=Session.Kind.WORKSHOP if workshop else Session.Kind.PARALLEL,
            capacity=WORKSHOP_SEATS if workshop else None)
            for i in range(1 if workshop else SESSIONS_PER_SLOT)]
        programme[slot.pk] = [s.pk for s in sessions]
    users = get_user_model()
    users.objects.bulk_create(
        users(email=f"matning{n:05d}@malmo.se", display_name=f"Deltagare {n}", password="!")
        for n in range(registrants))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return edition, programme, list(users.objects.order_by("email"))


def run(edition, programme, people, threads: int):
    """Register everyone from `threads` threads; return (latencies ms, statuses, errors)."""
    from django.db import connections

    from cms.conference import booking

    rng = random.Random(1000)
    choices = {user.pk: [rng.choice(ids) for ids in programme.values() if rng.random() < 0.8]
               for user in people}
    latencies, statuses, errors = [], [], []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def work(chunk):
        try:
            barrier.wait()
            for user in chunk:
                started = time.perf_counter()
                try:
                    registration, _ = booking.register(user, edition, None, choices[user.pk])
                except Exception as exc:  # noqa: BLE001 — reported below
                    with lock:
                        errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                with lock:
                    latencies.append((time.perf_counter() - started) * 1000)
                    statuses.append(registration.status)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=(people[i::threads],)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return latencies, statuses, errors


def check(edition, places: int, registrants: int) -> list[str]:
    from django.db.models import Count, Q

    from cms.conference.models import Registration, Session

    problems = []
    counts = Counter(Registration.objects.filter(edition=edition).values_list("status", flat=True))
    if counts != {"confirmed": min(places, registrants),
                  "waitlisted": max(0, registrants - places)}:
        problems.append(f"registrations: {dict(counts)}")
    for session in Session.objects.filter(edition=edition).select_related("room").annotate(
            taken=Count("bookings", filter=Q(bookings__status="confirmed"))):
        if session.taken > session.effective_capacity:
            problems.append(f"{session.title}: {session.taken} > {session.effective_capacity}")
    return problems


def main(argv=None) -> None:
    args = parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        raise SystemExit("This benchmark needs PostgreSQL (row locks); pass --database-url.")
    os.environ["TASKS_BACKEND"] = "database"  # emails as task rows, as in production
    scratch = ScratchDatabase(args.database_url, args.replace_existing)
    scratch.create()
    try:
        configure_django(scratch.url)
        from django import get_version
        from django.db import connection, connections

        started = time.perf_counter()
        edition, programme, people = build(args.registrants, args.places)
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            db_version = cursor.fetchone()[0]
            cursor.execute("SHOW max_connections")
            max_connections = cursor.fetchone()[0]
        connections.close_all()
        print(f"database: {scratch.description} (PostgreSQL {db_version}, max_connections "
              f"{max_connections}); Python {platform.python_version()}, Django {get_version()}")
        print(f"  built in {time.perf_counter() - started:.1f} s: {args.registrants} accounts, "
              f"an edition of {args.places} places, {SLOTS} slots x {SESSIONS_PER_SLOT} "
              f"sessions of {SESSION_SEATS} seats and a workshop of {WORKSHOP_SEATS}")
        print(f"load average before timing: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs "
              "(other work on the machine skews the figures)\n")

        started = time.perf_counter()
        latencies, statuses, errors = run(edition, programme, people, args.threads)
        elapsed = time.perf_counter() - started
        latencies.sort()
        print(f"{len(latencies)} registrations from {args.threads} threads in {elapsed:.1f} s "
              f"({len(latencies) / elapsed:.0f} per second)")
        if latencies:
            p95 = statistics.quantiles(latencies, n=20)[-1] if len(latencies) > 1 else latencies[0]
            print(f"register() latency: p50 {statistics.median(latencies):.0f} ms, "
                  f"p95 {p95:.0f} ms, max {latencies[-1]:.0f} ms")
        print(f"outcome: {dict(Counter(str(s) for s in statuses))}")
        problems = [*errors[:10], *check(edition, args.places, args.registrants)]
        connections.close_all()
        if problems:
            raise SystemExit("FAILED:\n  " + "\n  ".join(problems))
        print("checks: exact capacity, no session over capacity, no errors")
    finally:
        if args.keep:
            print(f"\nkept the database: {scratch.url}")
        else:
            scratch.drop()


if __name__ == "__main__":
    main()
