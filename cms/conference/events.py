"""What happens after a booking change commits: emails (and later, anything else).

booking.py calls these inside its transaction; each one defers its work to on_commit, so an
email is only ever sent for a change that was really saved. The email engineer fills in the
sending through the task queue (emails.py/tasks.py); until a handler is registered, events
are no-ops by design of the registry.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import contextmanager

from django.db import transaction

_handlers: dict[str, list[Callable]] = {}


def subscribe(event: str, handler: Callable) -> None:
    _handlers.setdefault(event, []).append(handler)


_local = threading.local()


@contextmanager
def muted():
    """No handlers run for events emitted inside (demo data: no emails to made-up people)."""
    previous = getattr(_local, "muted", False)
    _local.muted = True
    try:
        yield
    finally:
        _local.muted = previous


def _emit(event: str, **payload) -> None:
    if getattr(_local, "muted", False):
        return
    for handler in _handlers.get(event, []):
        transaction.on_commit(lambda handler=handler: handler(**payload))


def registered(registration, token: str) -> None:
    _emit("registered", registration_id=registration.pk, token=token, status=registration.status)


def confirmed(registration) -> None:
    _emit("confirmed", registration_id=registration.pk)


def changed(registration) -> None:
    _emit("changed", registration_id=registration.pk)


def cancelled(registration) -> None:
    _emit("cancelled", registration_id=registration.pk)


def offered(registration) -> None:
    _emit("offered", registration_id=registration.pk)


def offer_expired(registration) -> None:
    _emit("offer_expired", registration_id=registration.pk)


def session_offered(booking) -> None:
    _emit("session_offered", booking_id=booking.pk)


def session_offer_expired(booking) -> None:
    _emit("session_offer_expired", booking_id=booking.pk)


def link_reissued(registration, token: str) -> None:
    """A new personal link was made (the old one stopped working): send it to the attendee."""
    _emit("link_reissued", registration_id=registration.pk, token=token)
