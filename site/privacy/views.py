"""Mina uppgifter (view and JSON export), Radera mitt konto, and the retention register."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods

from . import erasure, export, presentation
from .forms import EraseAccountForm
from .registry import installed_entries


def _private(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response


@require_GET
def my_data(request):
    data = export.collect(request.user)
    return _private(render(request, "privacy/my_data.html", {
        "sections": presentation.sections(data),
        "page_rows": presentation.PAGE_ROWS,
        "schema_version": export.VERSION,
    }))


@require_GET
def my_data_export(request):
    body = export.to_json(export.collect(request.user))
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"mina-uppgifter-mr-navet-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return _private(response)


@require_http_methods(["GET", "POST"])
@reauthentication_required
def erase_account(request):
    """Asks to sign in again (allauth), then for an explicit confirmation."""
    form = EraseAccountForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        erasure.erase(user, actor=user, via="self-service")
        logout(request)
        return _private(render(request, "privacy/erased.html"))
    status = 400 if form.errors else 200
    return _private(render(request, "privacy/erase_account.html", {
        "form": form, "counts": _erase_summary(request.user)}, status=status))


def _erase_summary(user) -> dict:
    from cms.conference.models import Registration
    from cms.models import ContentPage
    from forum.models import Post

    return {
        "posts": Post.objects.filter(author=user).count(),
        "registrations": Registration.objects.filter(user=user, status__in=Registration.ACTIVE,
                                                     edition__ends_at__gt=timezone.now()).count(),
        "pages": ContentPage.objects.filter(content_owner=user).count(),
    }


@require_GET
def retention(request):
    """The register of personal data. Every signed-in member of staff may read it: it is
    the detailed form of the Personuppgifter page (GDPR art. 13 information)."""
    return render(request, "privacy/retention.html", {"entries": installed_entries()})
