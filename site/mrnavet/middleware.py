"""Site-wide middleware."""

from __future__ import annotations

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

# The Wagtail admin still uses inline styles and scripts, and frames its own previews.
ADMIN_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:"],
    "font-src": [SELF, "data:"],
    "connect-src": [SELF],
    "frame-src": [SELF],
    "form-action": [SELF],
    "object-src": [NONE],
    "base-uri": [NONE],
    "frame-ancestors": [SELF],
}


class PathAwareCSPMiddleware(CSPMiddleware):
    """Strict nonce policy on site pages, a separate policy for the admin interfaces."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path.startswith(settings.CSP_ADMIN_PATH_PREFIXES):
            # PolicyParts.config holds the directives themselves, not a settings-style
            # {"DIRECTIVES": ...} wrapper (that crashed every admin response).
            parts.config = ADMIN_POLICY
            parts.nonce = None  # a nonce would make browsers ignore 'unsafe-inline'
        return parts
