"""Idle and absolute session timeouts, and sign-out of accounts that are no longer active.

Replaces SESSION_SAVE_EVERY_REQUEST: the last-seen time is written back only when it is
older than SESSION_LAST_SEEN_INTERVAL, so a busy user costs one session write per few
minutes instead of one per request.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import sessions


def _duration(seconds: int) -> str:
    if seconds >= 3600 and seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("%(count)d timme", "%(count)d timmar", hours) % {"count": hours}
    minutes = max(1, seconds // 60)
    return ngettext("%(count)d minut", "%(count)d minuter", minutes) % {"count": minutes}


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.check(request)
        if response is not None:
            return response
        response = self.get_response(request)
        if request.session.get(SESSION_KEY) and request.user.is_authenticated:
            sessions.track(request, request.user)  # the view may have cycled the session key
        return response

    def check(self, request):
        session = request.session
        if not session.get(SESSION_KEY):
            return None  # anonymous: nothing to time out, no user lookup
        if not request.user.is_authenticated:
            # Signed in once, but the account has been deactivated or removed since.
            session.flush()
            messages.info(request, _("Du har loggats ut. Logga in igen för att fortsätta."))
            return None  # anonymous now: LoginRequiredMiddleware decides what follows
        now = sessions.now()
        signed_in_at = session.get(sessions.SIGNED_IN_AT)
        last_seen_at = session.get(sessions.LAST_SEEN_AT)
        if signed_in_at is None or last_seen_at is None:
            sessions.start(request, request.user)  # a session from before these limits existed
            return None
        idle, absolute = settings.SESSION_COOKIE_AGE, settings.SESSION_ABSOLUTE_AGE
        if now - last_seen_at >= idle:
            return self.end(request, _(
                "Du har loggats ut eftersom du inte har varit aktiv på %(duration)s. "
                "Logga in igen för att fortsätta."
            ) % {"duration": _duration(idle)})
        if now - signed_in_at >= absolute:
            return self.end(request, _(
                "Du har loggats ut eftersom det har gått %(duration)s sedan du loggade in. "
                "Logga in igen för att fortsätta."
            ) % {"duration": _duration(absolute)})
        if now - last_seen_at >= settings.SESSION_LAST_SEEN_INTERVAL:
            session[sessions.LAST_SEEN_AT] = now  # saved, and the cookie renewed
        return None

    def end(self, request, message: str):
        logout(request)
        messages.info(request, message)
        return redirect_to_login(request.get_full_path())
