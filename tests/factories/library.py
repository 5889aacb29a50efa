"""Real small files of every type the library takes (made with the same libraries people's tools write them
with), and library documents made through the services."""

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

from library import services
from library.demo import make_docx, make_pdf
from network.choices import AccessLevel


def pdf_bytes(*pages: str, password: str | None = None) -> bytes:
    return make_pdf(list(pages) or ["Gender Toolkit module one"], password=password)


def docx_bytes(*paragraphs: str) -> bytes:
    return make_docx("Curriculum", list(paragraphs) or ["Investigating sexual and gender-based violence"])


def xlsx_bytes(rows) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Participants"
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def pptx_bytes(*slides: str) -> bytes:
    import pptx

    presentation = pptx.Presentation()
    for text in slides:
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = text
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def odt_bytes(text: str) -> bytes:
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:text><text:h>Title</text:h><text:p>{text}</text:p></office:text></office:body>"
        "</office:document-content>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    return out.getvalue()


def png_bytes() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (4, 4), "navy").save(out, format="PNG")
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def make_library_document(
    title: str = "Gender Toolkit: module 1",
    *,
    data: bytes | None = None,
    name: str = "module-1.pdf",
    level: AccessLevel = AccessLevel.PUBLIC,
    actor=None,
    **fields,
):
    """A document uploaded through the service (its version, audit entry and extraction, run inline)."""
    data = pdf_bytes(title) if data is None else data
    return services.upload_document(
        actor=actor, upload=upload(name, data), name=name, title=title, access_level=level, **fields
    )
