"""Text extraction from attached documents (pdf, docx, xlsx, pptx, odt), for search.

Each format uses its kept library; a file that cannot be read yields an empty string and a
log line, never an exception into the request or the task worker.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import BinaryIO

from django.utils import timezone

logger = logging.getLogger(__name__)
MAX_CHARS = 500_000  # enough for any guidance document; protects the index from huge files


def _pdf(stream: BinaryIO) -> str:
    from pypdf import PdfReader

    return "\n\n".join((page.extract_text() or "") for page in PdfReader(stream).pages)


def _docx(stream: BinaryIO) -> str:
    import docx

    document = docx.Document(stream)
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def _xlsx(stream: BinaryIO) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(stream, read_only=True, data_only=True)
    lines = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells = [str(value) for value in row if value not in (None, "")]
            if cells:
                lines.append(" ".join(cells))
    return "\n".join(lines)


def _pptx(stream: BinaryIO) -> str:
    from pptx import Presentation

    texts = []
    for slide in Presentation(stream).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
    return "\n".join(texts)


def _odt(stream: BinaryIO) -> str:
    from odf import teletype, text
    from odf.opendocument import load

    document = load(stream)
    return "\n".join(teletype.extractText(p) for p in document.getElementsByType(text.P))


EXTRACTORS: dict[str, Callable[[BinaryIO], str]] = {
    "pdf": _pdf, "docx": _docx, "xlsx": _xlsx, "pptx": _pptx, "odt": _odt,
}


def extract_text(stream: BinaryIO, extension: str) -> str:
    extractor = EXTRACTORS.get(extension.lower().lstrip("."))
    if extractor is None:
        return ""
    try:
        text = extractor(stream)
    except Exception:  # corrupt or encrypted files are common; never fail the caller
        logger.warning("Could not extract text from a .%s document", extension, exc_info=True)
        return ""
    return re.sub(r"[ \t]+", " ", text)[:MAX_CHARS].strip()


def store_extracted_text(document_id: int) -> None:
    from .models import MRDocument

    document = MRDocument.objects.filter(pk=document_id).first()
    if document is None:
        return
    try:
        with document.open_file() as handle:
            text = extract_text(handle, document.file_extension)
    except OSError:  # the file is missing from storage: keep the row, store no text
        logger.warning("Document %s: file could not be opened for text extraction", document_id)
        text = ""
    MRDocument.objects.filter(pk=document_id).update(
        extracted_text=text, text_extracted_at=timezone.now()
    )
