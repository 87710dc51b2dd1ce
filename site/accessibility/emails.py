"""The email that tells the accessibility contact about a new report."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import AccessibilityFeedback


def send_feedback_email(feedback_id: int) -> bool:
    """Send the report to ACCESSIBILITY_FEEDBACK_EMAIL once; False if already sent or gone."""
    feedback = AccessibilityFeedback.objects.select_related("user").filter(pk=feedback_id).first()
    if feedback is None or feedback.email_sent_at is not None:
        return False
    user = feedback.user
    from .wagtail_hooks import feedback_viewset

    admin_path = reverse(feedback_viewset.get_url_name("inspect"), args=[feedback.pk])
    body = render_to_string("accessibility/email/feedback.txt", {
        "feedback": feedback,
        "user": user,
        "admin_url": settings.BASE_URL.rstrip("/") + admin_path,
    })
    message = EmailMessage(
        subject=_("[MR-navet] Synpunkt om tillgänglighet: %(page)s") % {"page": feedback.page_url[:80]},
        body=body,
        to=[settings.ACCESSIBILITY_FEEDBACK_EMAIL],
        reply_to=[user.email] if user and feedback.wants_contact and user.email else None,
    )
    message.send()
    AccessibilityFeedback.objects.filter(pk=feedback.pk).update(email_sent_at=timezone.now())
    return True
