"""Strict reading of environment variables.

django-environ parses the values; this module makes a malformed value stop start-up with
an ImproperlyConfigured error that names the variable, instead of silently falling back
(django-environ treats any unknown boolean string as False, for example).

Error messages quote the offending value so it can be fixed, but never a secret: URL
credentials and secret-looking query parameters are masked, and the values of variables
whose name says they are secret are not shown at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE_VALUES = {"1", "true", "yes", "on"}
FALSE_VALUES = {"0", "false", "no", "off", ""}
SECRET_NAME_PARTS = ("SECRET", "PASSWORD", "TOKEN", "KEY")
MASK = "***"
_URL_USERINFO = re.compile(r"(?<=://)[^\s'\"]*@")  # greedy: a '/' or '@' in a password
_SECRET_PARAMETER = re.compile(
    r"((?:password|passwd|pwd|secret|token|key|api_key)=)[^&\s'\"]*", re.IGNORECASE
)


def mask_secrets(text: str) -> str:
    """`text` with URL user names/passwords and secret query parameters replaced by ***."""
    text = _SECRET_PARAMETER.sub(rf"\g<1>{MASK}", text)
    return _URL_USERINFO.sub(f"{MASK}@", text)


def _credential_fragments(value: str) -> list[str]:
    """Pieces of a URL's user-info: a parser may quote one of them alone (as a "port")."""
    match = re.search(r"://(.*)@", value)
    if not match:
        return []
    return sorted(
        (piece for piece in re.split(r"[:/@]", match.group(1)) if len(piece) >= 3),
        key=len, reverse=True,
    )


def shown(name: str, value: str) -> str:
    """How a rejected value appears in an error message."""
    if any(part in name.upper() for part in SECRET_NAME_PARTS):
        return "(hidden)"
    return repr(mask_secrets(value))


class StrictEnv:
    """Typed accessors over os.environ that fail loudly, naming the variable."""

    def __init__(self, environ_obj: environ.Env | None = None):
        self._env = environ_obj or environ.Env()

    def _raw(self, name: str) -> str | None:
        return self._env.ENVIRON.get(name)

    def _fail(self, name: str, problem: str) -> ImproperlyConfigured:
        return ImproperlyConfigured(
            f"Environment variable {name} is invalid: {mask_secrets(problem)}"
        )

    def str(self, name: str, default: str | None = None) -> str | None:
        value = self._raw(name)
        return default if value is None else value

    def required_str(self, name: str) -> str:
        value = self._raw(name)
        if not value:
            raise ImproperlyConfigured(f"Environment variable {name} must be set.")
        return value

    def bool(self, name: str, default: bool = False) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in TRUE_VALUES:
            return True
        if lowered in FALSE_VALUES:
            return False
        raise self._fail(name, f"expected true/false, got {shown(name, value)}")

    def int(self, name: str, default: int, minimum: int | None = None) -> int:
        value = self._raw(name)
        if value is None or value.strip() == "":
            return default
        try:
            number = int(value)
        except ValueError:
            raise self._fail(name, f"expected a whole number, got {shown(name, value)}") from None
        if minimum is not None and number < minimum:
            raise self._fail(name, f"must be at least {minimum}, got {number}")
        return number

    def list(self, name: str, default: list[str]) -> list[str]:
        value = self._raw(name)
        if value is None:
            return list(default)
        return [item.strip() for item in value.split(",") if item.strip()]

    def url(self, name: str, schemes: set[str], default: str | None = None) -> str | None:
        value = self._raw(name)
        if value is None or value.strip() == "":
            return default
        parsed = urlparse(value)
        if parsed.scheme not in schemes or not (parsed.netloc or parsed.path):
            allowed = ", ".join(sorted(schemes))
            raise self._fail(
                name, f"expected a URL with scheme {allowed}, got {shown(name, value)}"
            )
        return value

    def parsed(self, name: str, parser: Callable[[str], Any], default: str) -> Any:
        """Parse a URL-style value with one of django-environ's parsers (db_url, email_url)."""
        value = self._raw(name) or default
        try:
            return parser(value)
        except Exception as exc:  # environ raises several types for bad URLs
            problem = str(exc) or type(exc).__name__
            if value in problem:
                problem = problem.replace(value, shown(name, value))
            for fragment in _credential_fragments(value):
                problem = problem.replace(fragment, MASK)
            raise self._fail(name, problem) from None
