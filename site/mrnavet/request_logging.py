"""Request ids and structured (JSON) logs.

`RequestIDMiddleware` gives every request an id: the proxy's `X-Request-ID` when the
proxy is trusted (`REQUEST_ID_FROM_PROXY`) and the value is well formed, otherwise a new
one. The id goes back in the response's `X-Request-ID` header, where gunicorn's access log
picks it up (`mrnavet.gunicorn_logging`).

`RequestContextFilter` copies the id, the signed-in user's numeric id, the path (without
the query string, which can hold search words) and the method onto every log record made
while the request runs. The request is kept in a context variable, so this works for any
logger, in threads and in async code alike. Emails and names are never added.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid

from django.conf import settings
from django.utils.functional import empty
from django.utils.log import log_response
from pythonjsonlogger.json import JsonFormatter as _BaseJsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# Letters, digits and . _ : - only, 1 to 128 of them: covers UUIDs, nginx's $request_id
# and most tracing ids, and keeps control characters and log injection out.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_current_request = contextvars.ContextVar("mrnavet_current_request", default=None)

# Record attributes the filter sets; "-" when there is no request (commands, workers).
CONTEXT_FIELDS = ("request_id", "user_id", "path", "method")


def new_request_id() -> str:
    return uuid.uuid4().hex


def request_id_from_header(value: str | None) -> str | None:
    """The header's value if it is a well-formed request id, else None."""
    if value and _VALID_REQUEST_ID.fullmatch(value):
        return value
    return None


class RequestIDMiddleware:
    """Assigns `request.request_id` and echoes it in the `X-Request-ID` response header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        trusted = getattr(settings, "REQUEST_ID_FROM_PROXY", False)
        incoming = request.headers.get(REQUEST_ID_HEADER) if trusted else None
        request.request_id = request_id_from_header(incoming) or new_request_id()
        token = _current_request.set(request)
        try:
            response = self.get_response(request)
            if response.status_code >= 400:
                # Django's handler would log this after the middleware, outside the
                # request's context; logged here it carries the request id.
                log_response(
                    "%s: %s", response.reason_phrase, request.path,
                    response=response, request=request,
                )
        finally:
            _current_request.reset(token)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


def current_request_id() -> str | None:
    request = _current_request.get()
    return getattr(request, "request_id", None) if request is not None else None


def _user_id(request) -> int | str:
    """The user's id if authentication has already run; never triggers a lookup itself.

    Resolving the lazy user here would query the database from inside a log call (and
    recurse through the database logger), so a user not yet loaded is logged as "-".
    """
    user = request.__dict__.get("user")
    if user is None:
        return "-"
    wrapped = getattr(user, "_wrapped", user)
    if wrapped is empty or not getattr(wrapped, "is_authenticated", False):
        return "-"
    return wrapped.pk


class RequestContextFilter(logging.Filter):
    """Adds request_id, user_id, path and method to every record (never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = _current_request.get()
        if request is None:
            for field in CONTEXT_FIELDS:
                if not hasattr(record, field):
                    setattr(record, field, "-")
            return True
        record.request_id = getattr(request, "request_id", "-")
        record.user_id = _user_id(request)
        record.path = request.path
        record.method = request.method
        return True


class JsonFormatter(_BaseJsonFormatter):
    """One JSON object per line: time, level, logger, message and the request context.

    Django's request logger passes the request object as `extra`; its repr holds the query
    string, so it is dropped rather than serialised.
    """

    DROPPED_EXTRAS = ("request", "color_message")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("timestamp", "time")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("json_ensure_ascii", False)
        fmt = kwargs.pop("fmt", None) or ["levelname", "name", "message"]
        super().__init__(fmt, *args, **kwargs)

    def add_fields(self, log_record, record, message_dict):
        super().add_fields(log_record, record, message_dict)
        for name in self.DROPPED_EXTRAS:
            log_record.pop(name, None)
        # Time first, for people reading the raw lines.
        fields = list(log_record.items())
        log_record.clear()
        log_record.update(sorted(fields, key=lambda item: item[0] != "time"))
