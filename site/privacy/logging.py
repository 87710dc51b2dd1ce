"""Keep health data (conference needs) and secrets out of logs and error reports.

- `RedactSensitiveFilter`: a logging filter for handlers. It replaces the values of known
  sensitive names wherever a record carries them: dict arguments, `extra` attributes,
  "name=value" / "name": "value" text in the message, and the parameters of SQL statements that touch the needs table (Django
  logs SQL with parameters at DEBUG when DEBUG is on).
- `PrivacyExceptionReporterFilter` (DEFAULT_EXCEPTION_REPORTER_FILTER): Django's safe
  filter, plus the same names in POST data and frame variables of every view, decorated or
  not, so error pages and admin emails never show them.
"""

from __future__ import annotations

import logging
import re

from django.views.debug import SafeExceptionReporterFilter

REDACTED = "********************"

# Form and model field names of conference needs (cms.conference.forms / models), plus
# credentials. Lower case; matched exactly and as "name" inside longer keys below.
SENSITIVE_FIELD_NAMES = frozenset({
    "diet", "diet_other", "access", "access_other", "needs", "attendeeneeds",
    "password", "password1", "password2", "oldpassword", "token", "code", "secret",
})
# Keys containing one of these are sensitive as well (e.g. "needs_text", "api_secret").
_SENSITIVE_PARTS = ("diet", "access_other", "needs", "password", "secret", "token")
# The table whose SQL parameters are always redacted.
SENSITIVE_TABLES = ("conference_attendeeneeds",)

_TEXT_PATTERN = re.compile(
    r"""(?P<key>["']?\b(?:%s)\b["']?\s*[:=]\s*)(?P<value>"[^"]*"|'[^']*'|\[[^\]]*\]|[^&\s,;}]+)"""
    % "|".join(sorted((re.escape(n) for n in SENSITIVE_FIELD_NAMES), key=len, reverse=True)),
    re.IGNORECASE,
)


def is_sensitive(key) -> bool:
    name = str(key).lower()
    return name in SENSITIVE_FIELD_NAMES or any(part in name for part in _SENSITIVE_PARTS)


def redact_text(text: str) -> str:
    return _TEXT_PATTERN.sub(lambda m: m.group("key") + REDACTED, text)


def redact(value, depth: int = 0):
    """A copy of `value` with sensitive keys' values replaced (dicts, lists, text)."""
    if depth > 5:
        return value
    if isinstance(value, dict):
        return {k: (REDACTED if is_sensitive(k) else redact(v, depth + 1)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        items = [redact(v, depth + 1) for v in value]
        return type(value)(items) if isinstance(value, tuple) else items
    if isinstance(value, str):
        return redact_text(value)
    return value


class RedactSensitiveFilter(logging.Filter):
    """Never drops a record; rewrites what it carries. Attach to handlers (LOGGING)."""

    # Attributes every LogRecord has; anything else came in through `extra=`.
    _STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
        "message", "asctime", "request", "sql", "params", "duration", "alias"}

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("django.db.backends"):
            self._redact_sql(record)
        if isinstance(record.msg, dict | list | tuple):
            record.msg = redact(record.msg)
        if isinstance(record.args, dict):
            record.args = redact(record.args)
        elif isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, dict | list | tuple) else a
                                for a in record.args)
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is logging's to report, not ours
            message = None
        if message is not None:
            redacted = redact_text(message)
            if redacted != message:
                # Format once, here: a placeholder's value may be what must not be shown.
                record.msg, record.args = redacted, ()
        for key in list(vars(record)):
            if key not in self._STANDARD:
                value = getattr(record, key)
                setattr(record, key, REDACTED if is_sensitive(key) else redact(value))
        return True

    @staticmethod
    def _redact_sql(record: logging.LogRecord) -> None:
        sql = str(getattr(record, "sql", "") or "")
        if not any(table in sql for table in SENSITIVE_TABLES):
            return
        record.params = REDACTED
        if isinstance(record.args, tuple) and len(record.args) >= 3:
            # django.db.backends: "(%.3f) %s; args=%s; alias=%s" % (duration, sql, params, alias)
            args = list(record.args)
            args[1] = re.sub(r"'(?:[^']|'')*'", f"'{REDACTED}'", str(args[1]))
            args[2] = REDACTED
            record.args = tuple(args)


class PrivacyExceptionReporterFilter(SafeExceptionReporterFilter):
    """Django's filter, plus the sensitive names everywhere (not only decorated views)."""

    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL|EMAIL_URL|REDIS_URL",
        flags=re.IGNORECASE)

    def is_active(self, request):
        return True  # also with DEBUG on: needs must not show on a debug page either

    def get_post_parameters(self, request):
        params = super().get_post_parameters(request)
        if request is None:
            return params
        cleansed = params.copy()
        for key in cleansed:
            if is_sensitive(key):
                cleansed[key] = self.cleansed_substitute
        return cleansed

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleansed_substitute if is_sensitive(name)
                 else redact(value) if isinstance(value, dict | list | tuple) else value)
                for name, value in variables]
