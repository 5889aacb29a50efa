"""Library benchmark: how long the upload check, the text extraction and the first-page preview take per
file type, on files made here (a 40-page PDF, a 400-paragraph Word file, a 5,000-row workbook, a 60-slide
presentation), and how fast a 300 MB zip bomb renamed .docx is refused. No database: these are the pure
functions that run on every upload (library/files.py) and in the Celery task (library/extraction.py).

Run it with `make bench` (or `.venv/bin/python tests/bench/library_bench.py`); prints a markdown table and
writes it to `bench-results/library.md`.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from library import extraction  # noqa: E402
from library.files import check_upload  # noqa: E402
from tests.factories.library import docx_bytes, pdf_bytes, pptx_bytes, xlsx_bytes  # noqa: E402

RUNS = 5
PARAGRAPH = (
    "Mentoring host-State investigators on sexual and gender-based violence cases: agree on goals, sit in on "
    "interviews with consent, review the case file together and keep the referral services informed."
)


def zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * (300 * 1024 * 1024))
    return out.getvalue()


def timed(function) -> float:
    """Median of RUNS runs, in milliseconds."""
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    files = {
        "PDF, 40 pages": ("bench.pdf", pdf_bytes(*[f"Page {n}. {PARAGRAPH}" for n in range(40)])),
        "DOCX, 400 paragraphs": ("bench.docx", docx_bytes(*[PARAGRAPH] * 400)),
        "XLSX, 5,000 rows": ("bench.xlsx", xlsx_bytes([(n, "Officer", "MINUSCA", 2011) for n in range(5000)])),
        "PPTX, 60 slides": ("bench.pptx", pptx_bytes(*[f"Slide {n}: community policing" for n in range(60)])),
    }
    rows = []
    for label, (name, data) in files.items():
        extension = name.rsplit(".", 1)[1]
        check = timed(lambda data=data, name=name: check_upload(io.BytesIO(data), name))
        extract = timed(lambda data=data, extension=extension: extraction.extract(data, extension))
        chars = len(extraction.extract(data, extension).text)
        preview = f"{timed(lambda data=data: extraction.render_pdf_preview(data)):.1f}" if extension == "pdf" else "–"
        rows.append(f"| {label} | {len(data) / 1024:.0f} KB | {chars:,} | {check:.1f} | {extract:.1f} | {preview} |")
    bomb = zip_bomb()

    def refuse_bomb():
        try:
            check_upload(io.BytesIO(bomb), "bomb.docx")
        except Exception:  # noqa: BLE001 - the refusal is what is timed
            return
        raise SystemExit("the zip bomb was accepted")

    rows.append(
        f"| zip bomb as DOCX (300 MB inflated) | {len(bomb) / 1024:.0f} KB | – | {timed(refuse_bomb):.1f} (refused) | – | – |"
    )
    table = "\n".join(
        [
            f"Library file handling, median of {RUNS} runs (ms)",
            "",
            "| file | size | text chars | upload check | text extraction | preview PNG |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
            *rows,
        ]
    )
    print(table)
    results = ROOT / "bench-results"
    results.mkdir(exist_ok=True)
    (results / "library.md").write_text(table + "\n")


if __name__ == "__main__":
    main()
