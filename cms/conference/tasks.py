"""Conference tasks (django-tasks) and the booking-event subscriptions that enqueue them.

booking.py emits events inside its transaction; events.py runs the handlers below on commit,
so a rolled-back change never sends anything. Each handler enqueues send_email_task with ids
only; the task reads the rows again (emails.py).

The one exception is the self-service token of "registered" and "link_reissued": it is never
stored on the registration (only its hash), so it travels as a task argument. With the
database backend (production: `manage.py db_worker`) that argument sits in the task table
until the worker has sent the email; nothing else is kept. Delete finished task rows
regularly (django-tasks-db's `prune_db_task_results`) so sent tokens do not linger there.
"""

from __future__ import annotations

from django_tasks import task

from . import events

EVENTS = ("registered", "confirmed", "changed", "cancelled", "offered", "offer_expired",
          "session_offered", "session_offer_expired", "link_reissued")

_subscribed = False


@task()
def send_email_task(event: str, **arguments) -> bool:
    """Send the email for a booking event (or "reminder"); False if it no longer applies."""
    from .emails import SENDERS

    return SENDERS[event](**arguments)


def _handler(event: str):
    def enqueue(**payload):
        send_email_task.enqueue(event, **payload)

    enqueue.__name__ = f"email_on_{event}"
    return enqueue


def subscribe_all() -> None:
    """Called once from ConferenceConfig.ready()."""
    global _subscribed
    if _subscribed:
        return
    for event in EVENTS:
        events.subscribe(event, _handler(event))
    _subscribed = True
