"""Only the allowed types reach the library, recognised by their content, with a clear message otherwise."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from library.files import check_upload
from tests.factories.library import docx_bytes, odt_bytes, pdf_bytes, png_bytes, pptx_bytes, upload, xlsx_bytes


def refusal(name: str, data: bytes) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        check_upload(upload(name, data), name)
    return caught.value


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("module.pdf", lambda: pdf_bytes("Module one")),
        ("curriculum.docx", lambda: docx_bytes("Interviewing survivors")),
        ("participants.xlsx", lambda: xlsx_bytes([("Name", "Mission"), ("A. Diallo", "MINUSMA")])),
        ("briefing.pptx", lambda: pptx_bytes("Community policing")),
        ("notes.odt", lambda: odt_bytes("Lessons learned")),
        ("readme.txt", lambda: "Plain notes, with accents: équipe.".encode()),
        ("logo.png", png_bytes),
    ],
)
def test_each_allowed_type_is_accepted(name, make):
    checked = check_upload(upload(name, make()), name)
    assert checked.extension == name.rsplit(".", 1)[1]


def test_html_renamed_pdf_is_refused():
    error = refusal("report.pdf", b"<html><body><script>alert(1)</script></body></html>")
    assert error.code == "content"
    assert "is named .pdf but its content is not a PDF file" in error.messages[0]


def test_pdf_signature_after_html_is_still_refused():
    assert refusal("report.pdf", b"<script>x</script>%PDF-1.4").code == "content"


def test_script_renamed_txt_is_refused():
    assert refusal("notes.txt", b"  <script>document.location='//evil'</script>").code == "content"


def test_svg_is_refused_by_its_extension():
    error = refusal("chart.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    assert error.code == "extension"
    assert "not a file type taken here" in error.messages[0]


def test_svg_renamed_png_is_refused():
    assert refusal("chart.png", b'<svg xmlns="http://www.w3.org/2000/svg"></svg>').code == "content"


def test_pdf_renamed_docx_is_refused():
    assert refusal("curriculum.docx", pdf_bytes("Not Word")).code == "content"


def test_plain_zip_renamed_docx_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("photo.txt", "hello")
    assert refusal("curriculum.docx", out.getvalue()).code == "content"


def test_zip_bomb_renamed_docx_is_refused_without_being_inflated():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (300 * 1024 * 1024))
    data = out.getvalue()
    assert len(data) < 1024 * 1024
    error = refusal("curriculum.docx", data)
    assert error.code == "zip_bomb"
    assert "zip bomb" in error.messages[0]


def test_zip_with_too_many_members_is_refused(settings):
    settings.UPLOAD_ZIP_MAX_MEMBERS = 10
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
        for number in range(20):
            archive.writestr(f"word/media/{number}.xml", "<x/>")
    assert refusal("curriculum.docx", out.getvalue()).code == "zip_members"


def test_oversize_file_is_refused_with_the_limit(settings):
    settings.LIBRARY_MAX_UPLOAD_BYTES = 1000
    error = refusal("module.pdf", b"%PDF-1.4 " + b"0" * 2000)
    assert error.code == "too_large"
    assert "1000\xa0bytes" in error.messages[0] or "1000 bytes" in error.messages[0]


def test_empty_file_is_refused():
    assert refusal("module.pdf", b"").code == "empty"


def test_binary_renamed_txt_is_refused():
    assert refusal("notes.txt", b"\x00\x01\x02binary").code == "content"
