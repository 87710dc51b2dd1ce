"""Upload checks: the content must be what the extension says, from a short allowlist.

Documents: pdf, docx, xlsx, pptx, odt. Images: gif, jpg/jpeg, png, webp. SVG is refused
everywhere (it is XML that can carry script). The first bytes are sniffed with `filetype`;
the zip-based office formats are then opened and must have their OOXML/ODF structure, so a
renamed zip, HTML or SVG file is refused with a Swedish message.
"""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
import zipfile

import filetype
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SNIFF_BYTES = 8192
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_UNCOMPRESSED = 512 * 1024 * 1024  # guards text extraction against zip bombs

# extension -> the part that proves the format (OOXML) or the ODF mimetype.
OOXML_MAIN_PARTS = {
    "docx": "word/document.xml",
    "xlsx": "xl/workbook.xml",
    "pptx": "ppt/presentation.xml",
}
ODF_MIMETYPES = {"odt": "application/vnd.oasis.opendocument.text"}
DOCUMENT_EXTENSIONS = ("pdf", *OOXML_MAIN_PARTS, *ODF_MIMETYPES)
IMAGE_KINDS = {"gif": "gif", "jpg": "jpg", "jpeg": "jpg", "png": "png", "webp": "webp"}

SVG_REFUSED = _(
    "SVG-filer tillåts inte eftersom de kan innehålla skript. Spara bilden som PNG eller JPEG."
)


def extension_of(name: str) -> str:
    return os.path.splitext(name or "")[1].lstrip(".").lower()


def _head(file) -> bytes:
    file.seek(0)
    head = file.read(SNIFF_BYTES)
    file.seek(0)
    return head


def _looks_like_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith(b"<") and b"<svg" in text


def _mismatch(extension: str) -> ValidationError:
    return ValidationError(
        _(
            "Filens innehåll stämmer inte med filändelsen .%(extension)s. Filen kan vara "
            "skadad eller ha bytt namn. Spara den på nytt i rätt format och försök igen."
        ),
        code="content_mismatch",
        params={"extension": extension},
    )


def _not_allowed(extension: str, allowed) -> ValidationError:
    return ValidationError(
        _("Filtypen .%(extension)s är inte tillåten. Tillåtna filtyper: %(allowed)s."),
        code="extension_not_allowed",
        params={"extension": extension or "?", "allowed": ", ".join(allowed)},
    )


def _check_zip_structure(file, extension: str) -> None:
    try:
        with zipfile.ZipFile(file) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES or (
                sum(entry.file_size for entry in entries) > MAX_ZIP_UNCOMPRESSED
            ):
                raise _mismatch(extension)
            names = {entry.filename for entry in entries}
            if extension in OOXML_MAIN_PARTS:
                if "[Content_Types].xml" not in names or OOXML_MAIN_PARTS[extension] not in names:
                    raise _mismatch(extension)
                content_types = archive.read("[Content_Types].xml")
                if b"macroEnabled" in content_types or any(
                    name.endswith("vbaProject.bin") for name in names
                ):
                    raise ValidationError(
                        _("Filer med makron tillåts inte. Spara filen utan makron och "
                          "försök igen."),
                        code="macros",
                    )
            else:
                # ODF: the first entry is an uncompressed "mimetype" naming the format.
                first = entries[0] if entries else None
                if (
                    first is None
                    or first.filename != "mimetype"
                    or archive.read(first).strip() != ODF_MIMETYPES[extension].encode()
                    or "content.xml" not in names
                ):
                    raise _mismatch(extension)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, EOFError, ValueError):
        raise _mismatch(extension) from None
    finally:
        file.seek(0)


def check_document(file, name: str | None = None) -> None:
    """Raise ValidationError unless `file` is an allowlisted document by its content."""
    extension = extension_of(name or file.name)
    head = _head(file)
    if extension == "svg" or _looks_like_svg(head):
        raise ValidationError(SVG_REFUSED, code="svg")
    if extension not in DOCUMENT_EXTENSIONS:
        raise _not_allowed(extension, DOCUMENT_EXTENSIONS)
    kind = filetype.guess(head)
    if extension == "pdf":
        if not head.startswith(b"%PDF-") or kind is None or kind.extension != "pdf":
            raise _mismatch(extension)
        return
    if not head.startswith(b"PK\x03\x04"):
        raise _mismatch(extension)
    _check_zip_structure(file, extension)


def check_image(file, name: str | None = None) -> None:
    """Raise ValidationError unless `file` is a gif, jpeg, png or webp image by content."""
    extension = extension_of(name or file.name)
    head = _head(file)
    if extension == "svg" or _looks_like_svg(head):
        raise ValidationError(SVG_REFUSED, code="svg")
    if extension not in IMAGE_KINDS:
        raise _not_allowed(extension, sorted(IMAGE_KINDS))
    kind = filetype.guess(head)
    if kind is None or kind.extension != IMAGE_KINDS[extension]:
        raise _mismatch(extension)


# --- Stored names -------------------------------------------------------------------------

_UNSAFE_IN_NAME = re.compile(r'[\x00-\x1f\x7f"\\/:;*?<>|]+')


def safe_original_name(name: str, fallback_stem: str = "dokument") -> str:
    """The uploaded file's own name, fit for a Content-Disposition header."""
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    name = _UNSAFE_IN_NAME.sub("", name)
    name = re.sub(r"\s+", " ", name).strip()
    stem, _, extension = name.rpartition(".") if "." in name else (name, "", "")
    stem = stem[:150].strip(" .") or fallback_stem
    extension = extension.lower()
    return f"{stem}.{extension}" if re.fullmatch(r"[a-z0-9]{1,8}", extension) else stem


def random_stored_name(name: str) -> str:
    """A random file name that keeps only the (lower-cased, allowlisted) extension."""
    extension = extension_of(name)
    if not re.fullmatch(r"[a-z0-9]{1,8}", extension):
        extension = "bin"
    return f"{secrets.token_hex(16)}.{extension}"


def disable_admin_avatar_upload() -> None:
    """Wagtail's account page lets editors upload a profile picture; MR-navet has none.

    It is the one upload point that would bypass the checks above (Pillow accepts many more
    formats), so the panel is switched off; avatars fall back to Wagtail's initials.
    """
    from wagtail.admin.views.account import AvatarSettingsPanel

    AvatarSettingsPanel.is_active = lambda self: False
