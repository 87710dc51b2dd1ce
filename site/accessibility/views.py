"""The feedback form of the accessibility statement. Works without JavaScript: a plain POST,
then a redirect to a confirmation page; invalid input re-renders the form with status 400."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.db import transaction
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from .forms import AccessibilityFeedbackForm
from .tasks import send_feedback_email_task


def _page_from_request(request) -> str:
    """The page the reader reports about: ?sida=, else the page they came from (same host)."""
    page = request.GET.get("sida", "")
    if page:
        return page[:500]
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    if referer.netloc == request.get_host() and referer.path:
        return referer.path + (f"?{referer.query}" if referer.query else "")
    return ""


@require_http_methods(["GET", "HEAD", "POST"])
def feedback(request):
    if request.method == "POST":
        form = AccessibilityFeedbackForm(request.POST)
        if form.is_valid():
            report = form.save(commit=False)
            report.user = request.user
            report.save()
            transaction.on_commit(lambda: send_feedback_email_task.enqueue(report.pk))
            return redirect("accessibility:feedback_thanks")
        return render(request, "accessibility/feedback.html", {"form": form}, status=400)
    form = AccessibilityFeedbackForm(initial={"page_url": _page_from_request(request)})
    return render(request, "accessibility/feedback.html", {"form": form})


@require_safe
def feedback_thanks(request):
    return render(request, "accessibility/feedback_thanks.html")
