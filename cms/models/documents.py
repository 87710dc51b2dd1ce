"""Documents with their text extracted for search."""

from __future__ import annotations

import os

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document


class MRDocument(AbstractDocument):
    extracted_text = models.TextField(_("utdragen text"), blank=True, editable=False)
    text_extracted_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Files are stored under a random name (security.signals); this is the uploader's own
    # name, cleaned, used in the download URL and its Content-Disposition.
    original_filename = models.CharField(
        _("ursprungligt filnamn"), max_length=255, blank=True, editable=False
    )

    admin_form_fields = Document.admin_form_fields

    @property
    def filename(self) -> str:
        return self.original_filename or os.path.basename(self.file.name)

    class Meta(AbstractDocument.Meta):
        verbose_name = _("dokument")
        verbose_name_plural = _("dokument")
