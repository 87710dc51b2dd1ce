"""The conference audit log: every export, every view of needs data, check-ins and decisions.

Details hold counts, kinds and formats only: never needs values, and never free text.
"""

from __future__ import annotations

from .models import AuditEvent

# Keys that would carry needs data; refused outright.
FORBIDDEN_KEYS = frozenset({"diet", "diet_other", "access", "access_other", "needs"})
MAX_TEXT = 100


def _check(value, key: str = "details") -> None:
    """Plain values (numbers, short strings), possibly in lists or dicts; no needs keys."""
    if isinstance(value, dict):
        for sub_key, sub_value in value.items():
            if str(sub_key) in FORBIDDEN_KEYS:
                raise ValueError(f"audit details must not contain needs data ({sub_key!r})")
            _check(sub_value, str(sub_key))
    elif isinstance(value, list | tuple):
        for item in value:
            _check(item, key)
    elif isinstance(value, str):
        if len(value) > MAX_TEXT:
            raise ValueError(f"audit detail {key!r} is too long: no free text in the log")
    elif not isinstance(value, int | float | bool | type(None)):
        raise ValueError(f"audit detail {key!r} must be a plain value, not {type(value).__name__}")


def log(actor, edition, action: str, details: dict | None = None) -> AuditEvent:
    """Record `action` by `actor` (a user or None for the system) on `edition`."""
    details = dict(details or {})
    _check(details)
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(actor=user, edition=edition, action=action, details=details)
