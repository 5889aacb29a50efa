"""Text, page count and first-page preview of a library file: pure functions of the file's bytes, run by the
Celery task in library/tasks.py. A file that cannot be read raises ExtractionError with the reason shown to
editors; the file itself stays downloadable.
"""

import io
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

# Enough for search; a longer text is cut (the index stores the start of very long documents).
MAX_TEXT_CHARS = 2_000_000
PREVIEW_WIDTH = 420


class ExtractionError(Exception):
    """The file could not be read; the message says why, for the people who manage the library."""


@dataclass(frozen=True)
class Extracted:
    text: str
    page_count: int | None = None


def _tidy(parts) -> str:
    text = "\n".join(part.strip() for part in parts if part and part.strip())
    return re.sub(r"[ \t]+", " ", text)[:MAX_TEXT_CHARS]


def extract_pdf(data: bytes) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            # Encrypted with an empty user password only (a "do not print" PDF) still opens; with a password, not.
            try:
                opened = reader.decrypt("")
            except Exception as error:  # noqa: BLE001 - pypdf raises several kinds for unsupported encryption
                raise ExtractionError("The PDF is encrypted and cannot be read without its password.") from error
            if not opened:
                raise ExtractionError("The PDF is encrypted and cannot be read without its password.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ExtractionError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError) as error:
        raise ExtractionError(f"The PDF is damaged or not a PDF: {str(error)[:200]}") from error
    return Extracted(text=_tidy(pages), page_count=len(pages))


def _open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise ExtractionError(f"The {kind} file is damaged: {error}") from error


def extract_docx(data: bytes) -> Extracted:
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - python-docx raises many kinds for a broken package
        raise ExtractionError(f"The Word file is damaged: {str(error)[:200]}") from error
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" ".join(cell.text for cell in row.cells))
    return Extracted(text=_tidy(parts), page_count=_docx_pages(data))


def _docx_pages(data: bytes) -> int | None:
    """The page count Word wrote in docProps/app.xml, when it did."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            root = ElementTree.fromstring(archive.read("docProps/app.xml"))  # noqa: S314 - size checked on upload
    except (KeyError, zipfile.BadZipFile, ElementTree.ParseError):
        return None
    for element in root.iter():
        if element.tag.endswith("}Pages") and (element.text or "").isdigit():
            return int(element.text)
    return None


def extract_xlsx(data: bytes) -> Extracted:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds for a broken workbook
        raise ExtractionError(f"The Excel file is damaged: {str(error)[:200]}") from error
    parts = []
    try:
        for sheet in workbook.worksheets:
            parts.append(sheet.title)
            for row in sheet.iter_rows(values_only=True):
                cells = [str(value) for value in row if value is not None]
                if cells:
                    parts.append(" ".join(cells))
    finally:
        workbook.close()
    return Extracted(text=_tidy(parts), page_count=None)


def extract_pptx(data: bytes) -> Extracted:
    import pptx

    try:
        presentation = pptx.Presentation(io.BytesIO(data))
    except Exception as error:  # noqa: BLE001 - python-pptx raises many kinds for a broken package
        raise ExtractionError(f"The PowerPoint file is damaged: {str(error)[:200]}") from error
    parts = []
    slides = list(presentation.slides)
    for slide in slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
    return Extracted(text=_tidy(parts), page_count=len(slides))


def extract_odt(data: bytes) -> Extracted:
    with _open_zip(data, "OpenDocument") as archive:
        try:
            root = ElementTree.fromstring(archive.read("content.xml"))  # noqa: S314 - size checked on upload
        except (KeyError, ElementTree.ParseError) as error:
            raise ExtractionError(f"The OpenDocument file is damaged: {error}") from error
    text_ns = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
    parts = ["".join(element.itertext()) for element in root.iter() if element.tag in (f"{text_ns}p", f"{text_ns}h")]
    return Extracted(text=_tidy(parts), page_count=None)


def extract_txt(data: bytes) -> Extracted:
    return Extracted(text=_tidy(data.decode("utf-8", errors="replace").splitlines()))


def extract_image(data: bytes) -> Extracted:
    return Extracted(text="", page_count=1)


EXTRACTORS = {
    "pdf": extract_pdf,
    "docx": extract_docx,
    "xlsx": extract_xlsx,
    "pptx": extract_pptx,
    "odt": extract_odt,
    "txt": extract_txt,
    "png": extract_image,
    "jpg": extract_image,
    "jpeg": extract_image,
}


def extract(data: bytes, extension: str) -> Extracted:
    extractor = EXTRACTORS.get(extension.lower())
    if extractor is None:
        raise ExtractionError(f"No text extraction for .{extension} files.")
    return extractor(data)


def render_pdf_preview(data: bytes, width: int = PREVIEW_WIDTH) -> bytes | None:
    """The first page of a PDF as a PNG `width` pixels wide (pypdfium2), or None when it cannot be drawn."""
    import pypdfium2

    try:
        pdf = pypdfium2.PdfDocument(data)
    except pypdfium2.PdfiumError:
        return None
    try:
        if len(pdf) == 0:
            return None
        page = pdf[0]
        scale = width / max(page.get_width(), 1)
        image = page.render(scale=scale).to_pil()
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
        return out.getvalue()
    finally:
        pdf.close()
