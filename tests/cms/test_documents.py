"""Documents: text extraction per format, extraction on upload, upload rules and serving."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.models import Collection

from cms.extraction import extract_text, store_extracted_text
from cms.models import MRDocument
from tests.factories import SuperuserFactory, enable_totp

PDF_TEXT = "Barnkonsekvensanalys i praktiken"
SWEDISH = "Åtgärder för jämställdhet och barnets bästa i förskolan"


# --- Real, small files ------------------------------------------------------------------

def make_pdf(text: str = PDF_TEXT) -> bytes:
    """A minimal valid one-page PDF with Helvetica text, xref offsets computed here."""
    content = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref_at = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref_at)
    return bytes(out)


def make_docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph(SWEDISH)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Målgrupp"
    table.rows[0].cells[1].text = "Äldre personer"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Åtgärd", "Ansvarig"])
    sheet.append(["Kartlägga löneskillnader", "Förskoleförvaltningen"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def make_pptx() -> bytes:
    from pptx import Presentation

    presentation = Presentation()
    slide = presentation.slides.add_slide(presentation.slide_layouts[1])
    slide.shapes.title.text = "Mänskliga rättigheter i Malmö"
    slide.placeholders[1].text = "Dialog med barn och unga"
    buffer = io.BytesIO()
    presentation.save(buffer)
    return buffer.getvalue()


def make_odt() -> bytes:
    from odf import text
    from odf.opendocument import OpenDocumentText

    document = OpenDocumentText()
    document.text.addElement(text.P(text="Nationella minoriteters rättigheter och samråd"))
    document.text.addElement(text.P(text="Språket är en del av identiteten – även på jiddisch"))
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


# --- extract_text ------------------------------------------------------------------------

def test_hand_written_pdf_is_valid_for_pypdf():
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(make_pdf()))
    assert len(reader.pages) == 1
    assert PDF_TEXT in reader.pages[0].extract_text()


def test_extract_pdf():
    assert extract_text(io.BytesIO(make_pdf()), "pdf") == PDF_TEXT


def test_extract_docx_paragraphs_and_tables():
    extracted = extract_text(io.BytesIO(make_docx()), "docx")
    assert SWEDISH in extracted
    assert "Målgrupp | Äldre personer" in extracted


def test_extract_xlsx():
    extracted = extract_text(io.BytesIO(make_xlsx()), "xlsx")
    assert "Åtgärd Ansvarig" in extracted
    assert "Kartlägga löneskillnader Förskoleförvaltningen" in extracted


def test_extract_pptx():
    extracted = extract_text(io.BytesIO(make_pptx()), ".PPTX")  # dot and case ignored
    assert "Mänskliga rättigheter i Malmö" in extracted
    assert "Dialog med barn och unga" in extracted


def test_extract_odt():
    extracted = extract_text(io.BytesIO(make_odt()), "odt")
    assert "Nationella minoriteters rättigheter och samråd" in extracted
    assert "Språket är en del av identiteten – även på jiddisch" in extracted


@pytest.mark.parametrize("extension", ["pdf", "docx", "xlsx", "pptx", "odt"])
def test_corrupt_file_yields_empty_text(extension):
    assert extract_text(io.BytesIO(b"detta ar ingen riktig fil \x00\x01\x02"), extension) == ""


def test_corrupt_zip_container_yields_empty_text():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<inte xml")
    assert extract_text(io.BytesIO(buffer.getvalue()), "docx") == ""


@pytest.mark.parametrize("extension", ["txt", "exe", "", "doc"])
def test_unknown_extension_yields_empty_text(extension):
    assert extract_text(io.BytesIO(make_docx()), extension) == ""


# --- Extraction on upload ----------------------------------------------------------------

@pytest.mark.django_db
@pytest.mark.parametrize(
    ("filename", "make", "expected"),
    [
        ("vagledning.docx", make_docx, SWEDISH),
        ("analys.pdf", make_pdf, PDF_TEXT),
        ("minoriteter.odt", make_odt, "Nationella minoriteters rättigheter och samråd"),
    ],
)
def test_saved_document_gets_its_text_extracted(django_capture_on_commit_callbacks, filename,
                                                make, expected):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        document = MRDocument.objects.create(title="Ett dokument",
                                             file=ContentFile(make(), name=filename))
    assert len(callbacks) == 1
    document.refresh_from_db()
    assert expected in document.extracted_text
    assert document.text_extracted_at is not None


@pytest.mark.django_db
def test_extraction_waits_for_the_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document = MRDocument.objects.create(title="Ett dokument",
                                             file=ContentFile(make_docx(), name="a.docx"))
    assert len(callbacks) == 1
    document.refresh_from_db()
    assert document.extracted_text == ""
    assert document.text_extracted_at is None


@pytest.mark.django_db
def test_corrupt_upload_is_stored_with_empty_text(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = MRDocument.objects.create(title="Trasig",
                                             file=ContentFile(b"\x00trasig", name="trasig.pdf"))
    document.refresh_from_db()
    assert document.extracted_text == ""
    assert document.text_extracted_at is not None


@pytest.mark.django_db
def test_store_extracted_text_ignores_a_deleted_document():
    store_extracted_text(987654)  # no exception


# --- Admin upload and serving ------------------------------------------------------------

@pytest.fixture
def admin_client(client, db):
    user = SuperuserFactory()
    enable_totp(user)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("filename", "payload"),
    # SVG has its own message (tests/security/test_uploads.py).
    [("program.exe", b"MZ\x90\x00"), ("skript.html", b"<html><script>1</script></html>")],
)
def test_admin_refuses_disallowed_extension(admin_client, filename, payload):
    response = admin_client.post(reverse("wagtaildocs:add"), {
        "title": "Otillåten fil",
        "file": SimpleUploadedFile(filename, payload),
        "collection": Collection.get_first_root_node().pk,
    })
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    extension = filename.rsplit(".", 1)[1]
    assert f"Filändelsen “{extension}” är inte giltig" in response.content.decode()
    assert not MRDocument.objects.exists()


def test_admin_accepts_allowed_extension(admin_client, django_capture_on_commit_callbacks):
    """Control for the test above: the same post with a .docx is saved."""
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("wagtaildocs:add"), {
            "title": "Tillåten fil",
            "file": SimpleUploadedFile("mall.docx", make_docx()),
            "collection": Collection.get_first_root_node().pk,
        })
    assert response.status_code == 302
    document = MRDocument.objects.get()
    assert document.title == "Tillåten fil"
    assert SWEDISH in document.extracted_text


@pytest.fixture
def stored_document(db):
    return MRDocument.objects.create(title="Mall", file=ContentFile(make_docx(), name="mall.docx"))


def test_document_serve_requires_login(client, stored_document):
    url = stored_document.url
    assert url == f"/dokument/{stored_document.pk}/{stored_document.filename}"
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")
    assert "next=" in response["Location"]


def test_document_is_served_to_signed_in_user(db, signed_in_client, stored_document):
    response = signed_in_client.get(stored_document.url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert stored_document.filename in response["Content-Disposition"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body == make_docx_bytes_of(stored_document)


def make_docx_bytes_of(document) -> bytes:
    with document.open_file() as handle:
        return handle.read()


@pytest.mark.django_db
def test_title_edit_does_not_extract_again(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as first:
        doc = MRDocument.objects.create(
            title="A", file=ContentFile(b"%PDF-broken", name="a.pdf"),
            collection=Collection.get_first_root_node(),
        )
    assert len(first) == 1
    with django_capture_on_commit_callbacks(execute=True) as second:
        doc.title = "B"
        doc.save()
    assert second == []
