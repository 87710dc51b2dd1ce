"""The signed-in user's own profile."""

from __future__ import annotations

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .access import has_admin_access
from .forms import ProfileForm


@require_http_methods(["GET", "POST"])
def profile(request):
    """Show and edit one's own profile; other users' profiles are never editable here."""
    user = request.user
    form = ProfileForm(request.POST or None, instance=user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, _("Din profil är sparad."))
            return redirect("accounts:profile")
        messages.error(request, _("Profilen kunde inte sparas. Rätta felen nedan."))
    context = {
        "form": form,
        "mfa_enabled": is_mfa_enabled(user),
        "mfa_required": has_admin_access(user),
        "roles": user.groups.order_by("name").values_list("name", flat=True),
    }
    return render(request, "accounts/profile.html", context, status=400 if form.errors else 200)
