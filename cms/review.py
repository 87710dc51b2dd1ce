"""Content review: which pages are due, and one reminder email per owner."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from .models import ContentPage

DUE_WITHIN = datetime.timedelta(days=14)


def pages_due_for_review(today: datetime.date | None = None, owner=None):
    """Live content pages whose next review date has passed or falls within 14 days."""
    today = today or timezone.localdate()
    queryset = (
        ContentPage.objects.live()
        .filter(next_review_date__lte=today + DUE_WITHIN, content_owner__isnull=False)
        .select_related("content_owner")
        .order_by("next_review_date", "title")
    )
    if owner is not None:
        queryset = queryset.filter(content_owner=owner)
    return queryset


def send_review_reminders(today: datetime.date | None = None) -> int:
    """Email each owner once, listing all their overdue and soon-due pages. Returns emails sent."""
    today = today or timezone.localdate()
    by_owner: dict = defaultdict(list)
    for page in pages_due_for_review(today):
        if page.content_owner.is_active and page.content_owner.email:
            by_owner[page.content_owner].append(page)
    for owner, pages in by_owner.items():
        context = {
            "owner": owner,
            "overdue": [p for p in pages if p.next_review_date < today],
            "due": [p for p in pages if p.next_review_date >= today],
            "total": len(pages),
            "base_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/"),
        }
        send_mail(
            subject=render_to_string("cms/email/review_reminder_subject.txt", context).strip(),
            message=render_to_string("cms/email/review_reminder.txt", context),
            from_email=None,
            recipient_list=[owner.email],
        )
    return len(by_owner)
