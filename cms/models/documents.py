"""Documents with their text extracted for search."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document


class MRDocument(AbstractDocument):
    extracted_text = models.TextField(_("utdragen text"), blank=True, editable=False)
    text_extracted_at = models.DateTimeField(null=True, blank=True, editable=False)

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = _("dokument")
        verbose_name_plural = _("dokument")
