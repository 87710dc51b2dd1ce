"""Uploads: allowlisted types checked by content, size limits, random stored names,
downloads as attachments with the original name, SVG refused everywhere."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Collection

from cms.models import MRDocument
from security.uploads import check_document, check_image, safe_original_name
from tests.cms.test_documents import make_docx, make_odt, make_pptx, make_xlsx
from tests.factories import SuperuserFactory, enable_totp

SVG = (b'<?xml version="1.0"?>\n'
       b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
RANDOM_NAME = re.compile(r"[0-9a-f]{32}\.\w+")


def make_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_image(fmt: str) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_macros(docx: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx))
    entries = {info.filename: source.read(info) for info in source.infolist()}
    entries["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0"
    return zip_of(entries)


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def refusal(check, name: str, data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        check(upload(name, data))
    return " ".join(caught.value.messages)


# --- The checks themselves -----------------------------------------------------------------

@pytest.mark.parametrize("name, make", [
    ("rapport.pdf", make_pdf), ("mall.docx", make_docx), ("budget.xlsx", make_xlsx),
    ("bildspel.pptx", make_pptx), ("text.odt", make_odt), ("VERSALER.PDF", make_pdf),
])
def test_real_documents_pass(name, make):
    check_document(upload(name, make()))


@pytest.mark.parametrize("name, fmt", [
    ("foto.png", "PNG"), ("foto.jpg", "JPEG"), ("foto.jpeg", "JPEG"), ("anim.gif", "GIF"),
    ("modern.webp", "WEBP"),
])
def test_real_images_pass(name, fmt):
    check_image(upload(name, make_image(fmt)))


@pytest.mark.parametrize("name, data", [
    ("faktura.pdf", HTML),                                     # HTML renamed to .pdf
    ("faktura.pdf", make_docx()),                              # a docx renamed to .pdf
    ("mall.docx", zip_of({"word/document.xml": b"<w/>"})),    # zip without [Content_Types].xml
    ("mall.docx", zip_of({"index.html": HTML})),               # any zip renamed to .docx
    ("mall.docx", make_xlsx()),                                # the wrong OOXML kind
    ("budget.xlsx", make_docx()),
    ("bildspel.pptx", make_odt()),
    ("text.odt", make_docx()),
    ("text.odt", zip_of({"mimetype": b"application/zip", "content.xml": b"<x/>"})),
    ("rapport.pdf", b""),
    ("mall.docx", b"PK\x03\x04 truncated"),
])
def test_renamed_and_polyglot_documents_are_refused(name, data):
    message = refusal(check_document, name, data)
    assert "Filens innehåll stämmer inte med filändelsen" in message


@pytest.mark.parametrize("name, data", [
    ("ikon.png", SVG),               # SVG renamed to .png
    ("ikon.svg", SVG),
    ("bild.jpg", make_image("PNG")),  # a PNG named .jpg
    ("bild.png", HTML),
    ("bild.gif", make_pdf()),
])
def test_renamed_images_are_refused(name, data):
    message = refusal(check_image, name, data)
    assert "SVG-filer tillåts inte" in message or "stämmer inte med filändelsen" in message


@pytest.mark.parametrize("check", [check_document, check_image])
@pytest.mark.parametrize("name", ["logo.svg", "logo.pdf", "logo.png", "logo.docx"])
def test_svg_is_refused_everywhere_by_content_too(check, name):
    assert "SVG-filer tillåts inte" in refusal(check, name, SVG)


def test_macro_documents_are_refused():
    assert "makron" in refusal(check_document, "mall.docx", with_macros(make_docx()))


def test_unlisted_types_are_refused():
    assert "Filtypen .exe är inte tillåten" in refusal(check_document, "a.exe", b"MZ")
    assert "Filtypen .bmp är inte tillåten" in refusal(check_image, "a.bmp", make_image("BMP"))


def test_safe_original_name():
    assert safe_original_name('..\\..\\Rapport "slutlig";.PDF') == "Rapport slutlig.pdf"
    assert safe_original_name("Handbok för barnrätt.docx") == "Handbok för barnrätt.docx"
    assert safe_original_name("\x00\n.pdf") == "dokument.pdf"


# --- Through the Wagtail admin -------------------------------------------------------------

@pytest.fixture
def admin_client(client, db):
    user = SuperuserFactory()
    enable_totp(user)
    client.force_login(user)
    return client


def root_collection() -> int:
    return Collection.get_first_root_node().pk


def post_document(client, name: str, data: bytes):
    return client.post(reverse("wagtaildocs:add"), {
        "title": "Underlag", "file": upload(name, data), "collection": root_collection(),
    })


def post_image(client, name: str, data: bytes):
    return client.post(reverse("wagtailimages:add"), {
        "title": "Bild", "file": upload(name, data), "collection": root_collection(),
    })


@pytest.mark.django_db
@pytest.mark.parametrize("name, data, message", [
    ("faktura.pdf", HTML, "stämmer inte med filändelsen .pdf"),
    ("mall.docx", zip_of({"word/document.xml": b"<w/>"}), "stämmer inte med filändelsen .docx"),
    ("ritning.svg", SVG, "SVG-filer tillåts inte"),
])
def test_admin_refuses_document_by_content(admin_client, name, data, message):
    response = post_document(admin_client, name, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MRDocument.objects.exists()


@pytest.mark.django_db
def test_multiple_upload_refuses_by_content_too(admin_client):
    response = admin_client.post(reverse("wagtaildocs:add_multiple"), {
        "files[]": upload("faktura.pdf", HTML), "collection": root_collection(),
    })
    assert response.status_code == 200
    assert response.json()["success"] is False
    assert "stämmer inte med filändelsen" in response.json()["error_message"]
    assert not MRDocument.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name, data, message", [
    ("ikon.png", SVG, "SVG-filer tillåts inte"),
    ("ikon.svg", SVG, "SVG-filer tillåts inte"),
    ("bild.png", HTML, "stämmer inte med filändelsen .png"),
])
def test_admin_refuses_image_by_content(admin_client, name, data, message):
    response = post_image(admin_client, name, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not get_image_model().objects.exists()


@pytest.mark.django_db
def test_document_size_limit(admin_client, settings):
    settings.WAGTAILDOCS_MAX_UPLOAD_SIZE = 1000
    response = post_document(admin_client, "rapport.pdf", make_pdf() + b"\n%" + b"x" * 2000)
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not MRDocument.objects.exists()


def test_default_size_limits(settings):
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE == 20 * 1024 * 1024
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * 1024 * 1024


@pytest.mark.django_db
def test_image_size_limit(admin_client, settings):
    settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE = 100
    response = post_image(admin_client, "foto.png", make_image("PNG") + b"\0" * 200)
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not get_image_model().objects.exists()


@pytest.mark.django_db
def test_accepted_document_gets_a_random_stored_name(admin_client):
    response = post_document(admin_client, "Handbok för barnrätt.docx", make_docx())
    assert response.status_code == 302
    document = MRDocument.objects.get()
    assert document.title == "Underlag"
    stored = document.file.name
    assert stored.startswith("documents/") and RANDOM_NAME.fullmatch(stored.split("/")[-1])
    assert stored.endswith(".docx")
    assert document.original_filename == "Handbok för barnrätt.docx"
    assert document.filename == "Handbok för barnrätt.docx"


@pytest.mark.django_db
def test_accepted_image_gets_a_random_stored_name(admin_client):
    response = post_image(admin_client, "Semesterbild.PNG", make_image("PNG"))
    assert response.status_code == 302, response.context["form"].errors
    image = get_image_model().objects.get()
    assert image.title == "Bild"
    assert RANDOM_NAME.fullmatch(image.file.name.split("/")[-1])
    assert image.file.name.endswith(".png")


@pytest.mark.django_db
@pytest.mark.parametrize("name, make", [
    ("Slutrapport åäö.pdf", make_pdf), ("Mall.docx", make_docx),
])
def test_download_is_an_attachment_with_the_original_name(user_client, name, make):
    document = MRDocument.objects.create(
        title="Dokument", file=ContentFile(make(), name=name),
        collection=Collection.get_first_root_node(),
    )
    response = user_client.get(document.url)

    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")  # PDFs too: never rendered inline
    assert f'filename="{name.replace("åäö", "aao")}"' in disposition
    if name != name.encode("ascii", "ignore").decode():
        assert "filename*=UTF-8''Slutrapport%20%C3%A5%C3%A4%C3%B6.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'"
    with document.open_file() as stored:
        assert b"".join(response.streaming_content) == stored.read()


@pytest.mark.django_db
def test_document_under_its_stored_name_is_not_found(user_client):
    document = MRDocument.objects.create(
        title="Dokument", file=ContentFile(make_docx(), name="Mall.docx"),
        collection=Collection.get_first_root_node(),
    )
    stored = document.file.name.split("/")[-1]
    assert user_client.get(f"/dokument/{document.pk}/{stored}").status_code == 404


@pytest.mark.django_db
def test_admin_account_page_has_no_avatar_upload_nor_email_change(admin_client):
    page = admin_client.get(reverse("wagtailadmin_account")).content.decode()
    assert 'type="file"' not in page
    assert 'name="name_email-email"' not in page
    assert admin_client.get("/admin/password_reset/").status_code == 404
