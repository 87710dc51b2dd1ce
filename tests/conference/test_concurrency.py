"""Capacity under concurrency, on PostgreSQL with real connections (issue "Performance and
reliability"): 200 registrations for 50 places, all choosing the same workshop of 20, give
exactly 50 confirmed and 150 waitlisted registrations and exactly 20 workshop seats, with no
errors — 20 times, each time with a fresh edition.

Threads, each with its own database connection, start together at a barrier and register
back to back. PostgreSQL's default max_connections is 100, shared with the test database
connection and whatever else runs, so 200 simultaneous connections are not possible there:
CONFERENCE_CONCURRENCY_THREADS (default 40) threads share the 200 registrations, every one
of them contending for the edition's row lock. Booking events are muted in the threads: the
emails they trigger run after commit, outside every lock (tests/conference/test_emails.py),
and with the test settings' immediate task backend they would be rendered and sent inside
these threads, which production (a task row per email) does not do.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mrnavet .venv/bin/python -m pytest \
        -p no:cacheprovider tests/conference/test_concurrency.py
"""

from __future__ import annotations

import os
import statistics
import threading
import time
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections

from cms.conference import booking, events
from cms.conference.models import Registration, SessionBooking

from .factories import EditionFactory, SessionFactory

REPETITIONS = 20
REGISTRANTS = 200
PLACES = 50
WORKSHOP_SEATS = 20
THREADS = int(os.environ.get("CONFERENCE_CONCURRENCY_THREADS", "40"))

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL (row locks and real concurrent connections); "
                              "run with DATABASE_URL=postgres://…"),
]


@pytest.fixture
def page_tree():
    """The flush after each transactional test takes the migrations' page tree with it."""
    from wagtail.models import Locale, Page

    if not Page.objects.filter(depth=1).exists():
        locale, _ = Locale.objects.get_or_create(language_code="sv")
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


@pytest.fixture
def registrants():
    users = get_user_model()
    users.objects.bulk_create(
        users(email=f"samtidig{n:03d}@malmo.se", display_name=f"Deltagare {n}", password="!")
        for n in range(REGISTRANTS))
    return list(users.objects.filter(email__startswith="samtidig").order_by("email"))


def register_concurrently(people, edition, session_ids, threads=THREADS):
    """Register everyone from `threads` threads started together; return (statuses,
    errors, latencies in seconds)."""
    statuses, errors, latencies = [], [], []
    lock = threading.Lock()
    barrier = threading.Barrier(threads)

    def register_all(chunk):
        for user in chunk:
            started = time.perf_counter()
            try:
                registration, _ = booking.register(user, edition, None, session_ids)
            except Exception as exc:  # noqa: BLE001 — every error is a test failure
                with lock:
                    errors.append(f"{type(exc).__name__}: {exc}")
                continue
            with lock:
                latencies.append(time.perf_counter() - started)
                statuses.append(registration.status)

    def work(chunk):
        try:
            barrier.wait()
            with events.muted():
                register_all(chunk)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=(people[i::threads],))
               for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return statuses, errors, latencies


def test_capacity_holds_under_concurrent_registration(registrants, page_tree):
    """20 rounds in one test: the flush after a transactional test costs seconds, so the
    rounds share the 200 accounts and each registers them for a new edition."""
    for repetition in range(1, REPETITIONS + 1):
        edition = EditionFactory(capacity=PLACES)
        workshop = SessionFactory(edition=edition, kind="workshop", capacity=WORKSHOP_SEATS)

        started = time.perf_counter()
        statuses, errors, latencies = register_concurrently(registrants, edition, [workshop.pk])
        elapsed = time.perf_counter() - started

        where = f"round {repetition} of {REPETITIONS}"
        assert errors == [], where
        assert Counter(statuses) == {Registration.Status.CONFIRMED: PLACES,
                                     Registration.Status.WAITLISTED: REGISTRANTS - PLACES}, where
        in_db = Counter(Registration.objects.filter(edition=edition)
                        .values_list("status", flat=True))
        assert in_db == Counter(statuses), where
        seats = SessionBooking.objects.filter(session=workshop)
        confirmed = seats.filter(status=SessionBooking.Status.CONFIRMED)
        assert confirmed.count() == WORKSHOP_SEATS, where
        assert seats.filter(status=SessionBooking.Status.WAITLISTED).count() == (
            REGISTRANTS - WORKSHOP_SEATS), where
        assert not confirmed.exclude(
            registration__status=Registration.Status.CONFIRMED).exists(), where
        print(f"\n{where}: {REGISTRANTS} registrations from {THREADS} threads in "
              f"{elapsed:.2f} s; latency p50 {statistics.median(latencies) * 1000:.0f} ms, "
              f"p95 {statistics.quantiles(latencies, n=20)[-1] * 1000:.0f} ms")
