"""Wagtail's document and image forms with the content checks of security.uploads.

Set as WAGTAILDOCS_DOCUMENT_FORM_BASE / WAGTAILIMAGES_IMAGE_FORM_BASE, so the single and
multiple upload views, the chooser's upload tab and "replace file" all use them.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from .uploads import DOCUMENT_EXTENSIONS, check_document, check_image, extension_of


class CheckedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        file = self.cleaned_data.get("file")
        if isinstance(file, UploadedFile):
            extension = extension_of(file.name)
            # Other extensions get Wagtail's own message (WAGTAILDOCS_EXTENSIONS).
            if extension in DOCUMENT_EXTENSIONS or extension == "svg":
                check_document(file)
        return file


class CheckedImageForm(BaseImageForm):
    """Checks run before WagtailImageField's own, so an SVG gets the SVG message."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None:
            wagtail_to_python = field.to_python

            def to_python(data):
                if isinstance(data, UploadedFile):
                    check_image(data)
                return wagtail_to_python(data)

            field.to_python = to_python
