"""Sign-in bookkeeping in the session, and ending every session of one user."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import IntegrityError, transaction

from .models import UserSession

SIGNED_IN_AT = "_mrnavet_signed_in_at"
LAST_SEEN_AT = "_mrnavet_last_seen_at"
TRACKED_KEY = "_mrnavet_tracked_session_key"


def now() -> int:
    return int(time.time())


def start(request, user) -> None:
    """Stamp a fresh sign-in: both clocks start now.

    The session row and cookie outlive the idle limit (they last the absolute age from the
    last write), so it is security.middleware, not a silently vanished session, that ends
    an idle sign-in, and it can say why.
    """
    stamp = now()
    request.session[SIGNED_IN_AT] = stamp
    request.session[LAST_SEEN_AT] = stamp
    request.session.set_expiry(max(settings.SESSION_COOKIE_AGE, settings.SESSION_ABSOLUTE_AGE))
    track(request, user)


def track(request, user) -> None:
    """Map the request's current session key to its user, once per key.

    Called at sign-in and after every request whose session key changed (a password change
    cycles the key and copies the data, so the old mapping would be lost with the old row).
    """
    session = request.session
    key = session.session_key
    if not key or session.get(TRACKED_KEY) == key:
        return
    if not Session.objects.filter(session_key=key).exists():
        session.save()  # the row must exist before it can be pointed to
        key = session.session_key
    try:
        with transaction.atomic():
            UserSession.objects.update_or_create(
                session_id=key, defaults={"user_id": user.pk}
            )
    except IntegrityError:  # the session row was deleted meanwhile (signed out elsewhere)
        return
    session[TRACKED_KEY] = key


def end_sessions_for(user) -> int:
    """Delete every database session of `user`; returns how many were ended."""
    keys = list(UserSession.objects.filter(user_id=user.pk).values_list("session_id", flat=True))
    if not keys:
        return 0
    _, per_model = Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user_id=user.pk).delete()  # rows whose session was gone
    return per_model.get(Session._meta.label, 0)
