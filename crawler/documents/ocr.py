"""Scanned pages and images through tesseract (chi_sim), one process per page."""

from __future__ import annotations

import io
import os
import shutil
import subprocess

from crawler.documents.model import Block, Document, DocumentError
from crawler.documents.text import text_blocks

TIMEOUT = 120


def _tesseract(png: bytes, name: str) -> str:
    exe = shutil.which("tesseract")
    if exe is None:
        raise DocumentError(name, "OCR needs tesseract (with chi_sim), which is not installed")
    # OMP_THREAD_LIMIT=1: tesseract's OpenMP threads thrash on small machines (5x slower)
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    run = subprocess.run([exe, "stdin", "stdout", "-l", "chi_sim", "--psm", "6"], input=png, capture_output=True,
                         timeout=TIMEOUT, env=env)
    if run.returncode != 0:
        raise DocumentError(name, f"OCR failed: {run.stderr.decode('utf-8', 'replace').strip()[:120]}")
    # tesseract puts spaces between CJK characters; keep them only around digits and Latin
    text = run.stdout.decode("utf-8", "replace")
    import re

    return re.sub(r"(?<=[\u4e00-\u9fff（），、：；。“”]) (?=[\u4e00-\u9fff（），、：；。“”])", "", text)


def ocr_image(data: bytes, name: str) -> Document:
    from PIL import Image

    try:
        img = Image.open(io.BytesIO(data))
        buf = io.BytesIO()
        img.convert("L").save(buf, "PNG")
    except Exception as e:
        raise DocumentError(name, f"unreadable image ({type(e).__name__})") from None
    return Document(name=name, kind="image", blocks=tuple(text_blocks(_tesseract(buf.getvalue(), name))), ocr=True)


def ocr_pdf_page(data: bytes, index: int, name: str) -> list[Block]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        image = pdf[index].render(scale=300 / 72).to_pil().convert("L")
    finally:
        pdf.close()
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return text_blocks(_tesseract(buf.getvalue(), name))
