"""The seed corpus: generated reports rendered in every format a reader handles.

Seeds come from the site farm's round-trip generator (:mod:`sitefarm.content`), so they are
real-shaped reports in each published form: HTML (UTF-8 and GBK, full page and bare body, and
one wrapped as Word's single-file web page), tab-separated, one-cell-per-line and flattened
text, DOCX, XLSX, XLS, a text PDF, a Word 97 DOC and a page image. PDF, DOC and XLS go through
LibreOffice (seconds each), so the corpus is built once and kept under ``fuzz/corpus/``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

#: Reader family → the seeds' file extension (what the crawler would see).
FORMATS = ("html", "text", "mht", "docx", "xlsx", "xls", "pdf", "doc", "image")
EXTENSIONS = {
    "html": "html",
    "text": "txt",
    "mht": "mht",
    "docx": "docx",
    "xlsx": "xlsx",
    "xls": "xls",
    "pdf": "pdf",
    "doc": "doc",
    "image": "png",
}
CORPUS = Path(__file__).resolve().parent / "corpus"
#: (agency, year, template, scale) of the generated reports the seeds publish.
_REPORTS = (
    ("示范市交通运输局", 2023, "2021", "department"),
    ("示范市人民政府办公室", 2020, "2019", "city"),
    ("示范县教育局", 2016, "legacy", "department"),
)
#: (render format, layout style) per reader family; slow formats get one report only.
_CHEAP = {
    "html": (("html", "word"), ("html-gbk", "clean"), ("body", "sparse"), ("html", "sidebar")),
    "text": (("txt", "word"), ("txt-cells", "word"), ("txt-flat", "split"), ("txt", "appeals-split")),
    "docx": (("docx", "word"), ("docx", "lost-column")),
    "xlsx": (("xlsx", "word"), ("xlsx", "split")),
}
_SLOW = {"xls": "xls", "pdf": "pdf", "doc": "doc"}


@dataclass(frozen=True)
class Seed:
    """One seed file: its reader family, file name and bytes."""

    family: str
    """Which reader it feeds (a key of :data:`EXTENSIONS`)."""
    name: str
    """File name, with the extension a crawler would see."""
    data: bytes


def build_seeds(families: tuple[str, ...] = FORMATS) -> list[Seed]:
    """Render the seed reports in each family asked for (LibreOffice for PDF, DOC and XLS)."""
    from sitefarm.content import generate_report, render

    specs = [
        generate_report(random.Random(i), agency, year, template=template, scale=scale)
        for i, (agency, year, template, scale) in enumerate(_REPORTS)
    ]
    seeds: list[Seed] = []
    for family in families:
        ext = EXTENSIONS[family]
        if family in _CHEAP:
            for s, spec in enumerate(specs):
                for fmt, style in _CHEAP[family]:
                    data = render(spec, fmt, style=style)
                    seeds.append(Seed(family, f"{spec.template}-{fmt}-{style}-{s}.{ext}", data))
        elif family in _SLOW:
            for spec in specs[:2]:
                seeds.append(Seed(family, f"{spec.template}-{family}.{ext}", render(spec, _SLOW[family])))
        elif family == "mht":
            html = render(specs[0], "html", style="word")
            seeds.append(Seed(family, "2021-word.mht", as_mht(html)))
        elif family == "image":
            pdf = render(specs[0], "pdf")
            seeds.append(Seed(family, "2021-page1.png", pdf_page_png(pdf, dpi=110)))
    return seeds


def as_mht(html: bytes) -> bytes:
    """An HTML page wrapped as Word's single-file web page (MIME, quoted-printable body)."""
    import quopri

    body = quopri.encodestring(html)
    return (
        b"MIME-Version: 1.0\r\n"
        b'Content-Type: multipart/related; boundary="----=_NextPart_01D9"\r\n\r\n'
        b"------=_NextPart_01D9\r\n"
        b"Content-Location: file:///C:/report.htm\r\n"
        b"Content-Transfer-Encoding: quoted-printable\r\n"
        b'Content-Type: text/html; charset="utf-8"\r\n\r\n' + body + b"\r\n------=_NextPart_01D9--\r\n"
    )


def pdf_page_png(pdf: bytes, *, dpi: int) -> bytes:
    """The first page of ``pdf`` as a grayscale PNG (a photographed or scanned page)."""
    import io

    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    try:
        bitmap = doc[0].render(scale=dpi / 72, grayscale=True)
        image = bitmap.to_pil()
    finally:
        doc.close()
    out = io.BytesIO()
    image.convert("L").save(out, "PNG")
    return out.getvalue()


def load_seeds(families: tuple[str, ...] = FORMATS, corpus: Path = CORPUS) -> list[Seed]:
    """The seeds of ``families`` from ``corpus/<family>/``, building (and saving) missing ones."""
    seeds: list[Seed] = []
    missing = tuple(f for f in families if not any((corpus / f).glob("*")))
    if missing:
        for seed in build_seeds(missing):
            folder = corpus / seed.family
            folder.mkdir(parents=True, exist_ok=True)
            (folder / seed.name).write_bytes(seed.data)
    for family in families:
        for path in sorted((corpus / family).iterdir()):
            seeds.append(Seed(family, path.name, path.read_bytes()))
    return seeds
