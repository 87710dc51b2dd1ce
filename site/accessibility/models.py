"""What a reader reports through the accessibility statement's feedback form."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PAGE_URL_MAX_LENGTH = 500
DESCRIPTION_MAX_LENGTH = 5000


class AccessibilityFeedback(models.Model):
    """A reported shortcoming or a request for content in an accessible form.

    The user link is nulled when the account is deleted, so the report itself (which the
    authority must be able to follow up) survives without pointing at a person.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("Inskickad av"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="accessibility_feedback",
    )
    page_url = models.CharField(_("Sidans adress"), max_length=PAGE_URL_MAX_LENGTH)
    description = models.TextField(_("Beskrivning"), max_length=DESCRIPTION_MAX_LENGTH)
    wants_contact = models.BooleanField(_("Vill bli kontaktad"), default=False)
    created_at = models.DateTimeField(_("Inskickad"), auto_now_add=True)
    email_sent_at = models.DateTimeField(_("E-post skickad"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("Synpunkt om tillgänglighet")
        verbose_name_plural = _("Synpunkter om tillgänglighet")

    def __str__(self) -> str:
        return f"{self.page_url} ({self.created_at:%Y-%m-%d})" if self.created_at else self.page_url
