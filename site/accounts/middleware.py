"""MFA is required for anyone with admin access, before they reach an admin page.

Signed-in users without admin access get a 403 on the admin paths.
"""

from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .access import has_admin_access


class AdminRequiresMFAMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_admin_path = request.path.startswith(settings.CSP_ADMIN_PATH_PREFIXES)
        if is_admin_path and request.user.is_authenticated and not has_admin_access(request.user):
            # Wagtail would send a signed-in user without admin access to the login page,
            # which sends a signed-in user straight back to ?next=/admin/: a redirect loop.
            raise PermissionDenied
        if is_admin_path and has_admin_access(request.user) and not is_mfa_enabled(request.user):
            messages.warning(
                request,
                _("Du behöver slå på tvåstegsverifiering innan du kan använda administrationen."),
            )
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_activate_totp')}?{query}")
        return self.get_response(request)
