"""Demo documents for seed_demo: real small PDFs and Word files generated here, with text written from the
network's own material (the Gender Toolkit modules, the SGBV investigation curriculum, the 2011 pilot
reports), some in French and one open only to the Community of Practice. Idempotent: a document already
there (by title) is left as it is."""

import io


def make_pdf(pages: list[str], *, password: str | None = None) -> bytes:
    """A PDF with one page per text (fpdf2), encrypted with `password` if given."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text.encode("latin-1", "replace").decode("latin-1"))
    if password:
        pdf.set_encryption(owner_password=password + "-owner", user_password=password)
    return bytes(pdf.output())


def make_docx(title: str, paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading(title, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
