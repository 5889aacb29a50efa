"""Certificates of attendance: a print-ready page and a PDF (fpdf2, pure Python), each with the verification
code and a QR code (segno) of the public verification address."""

import io

import segno
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF

from network.services.templated_mail import site_address


def verification_url(code: str) -> str:
    return site_address() + reverse("events:verify_certificate", args=[code])


def qr_png(code: str, *, scale: int = 5) -> bytes:
    buffer = io.BytesIO()
    segno.make(verification_url(code), error="m").save(buffer, kind="png", scale=scale, border=2)
    return buffer.getvalue()


def qr_svg_data_uri(code: str) -> str:
    return segno.make(verification_url(code), error="m").svg_data_uri(scale=4, border=2)


def session_dates(session) -> str:
    zone = session.zone
    start = date_format(timezone.localtime(session.starts_at, zone), "DATE_FORMAT")
    end = date_format(timezone.localtime(session.ends_at, zone), "DATE_FORMAT")
    return start if start == end else f"{start} – {end}"


def _latin1(text: str) -> str:
    """The PDF's core fonts take Latin-1: other characters are replaced rather than failing."""
    replacements = {"\u2013": "-", "\u2014": "-", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2026": "..."}
    for char, plain in replacements.items():
        text = text.replace(char, plain)
    return text.encode("latin-1", "replace").decode("latin-1")


def certificate_pdf(registration) -> bytes:
    session = registration.session
    page = session.page
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_title(_latin1(_("Certificate of attendance")))
    pdf.set_draw_color(11, 79, 138)
    pdf.set_line_width(1.2)
    pdf.rect(10, 10, 277, 190)
    pdf.set_y(30)
    pdf.set_font("Helvetica", "B", 28)
    pdf.cell(0, 14, _latin1(_("Certificate of attendance")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    pdf.set_font("Helvetica", "", 14)
    pdf.cell(0, 10, _latin1(_("This certifies that")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 22)
    name = registration.user.get_full_name() or registration.user.email
    pdf.cell(0, 14, _latin1(name), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 14)
    pdf.cell(0, 10, _latin1(_("attended")), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 18)
    pdf.multi_cell(0, 10, _latin1(page.title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 14)
    where = _("online") if session.online else session.place
    pdf.cell(
        0,
        10,
        _latin1(f"{session_dates(session)} · {where}".replace("·", "-")),
        align="C",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    if page.organiser:
        pdf.cell(
            0,
            10,
            _latin1(_("Organised by %(name)s") % {"name": page.organiser}),
            align="C",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    pdf.image(io.BytesIO(qr_png(registration.certificate_code)), x=235, y=150, w=40, h=40)
    pdf.set_xy(20, 165)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(
        200,
        6,
        _latin1(
            _("Verification code: %(code)s\nCheck it at %(url)s")
            % {"code": registration.certificate_code, "url": verification_url(registration.certificate_code)}
        ),
    )
    return bytes(pdf.output())
