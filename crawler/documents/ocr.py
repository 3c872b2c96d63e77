"""Scanned pages and images through tesseract (chi_sim), one single-threaded process per page."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from typing import Any

from crawler.documents.model import Block, Document, DocumentError
from crawler.documents.normalize import squeeze_cjk_spaces
from crawler.documents.text import text_blocks

TIMEOUT = 120
DPI = 300
#: Dark runs this long (pixels; 1/3 inch at 300 dpi) are table rules, never glyph strokes.
RULE_RUN = 100
_RULE_DEBRIS = re.compile(r"(?:(?<=\s)|^)[|_]+(?=\s|$)", re.M)
# quote marks, dashes and bars tesseract glues to a number in a ruled cell ("0-", "”0", "|3")
_NUMBER_DEBRIS = re.compile(r"(?:(?<=\s)|^)[“”\"'|_]+(?=\d)|(?<=\d)[-—“”\"'|_]+(?=\s|$)", re.M)
_RULE = re.compile(rb"\x00{%d,}" % RULE_RUN)


def tesseract(png: bytes, name: str) -> str:
    """Text of a PNG image: CJK spacing, tabs and stray rule marks removed."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise DocumentError(name, "OCR needs tesseract (with the chi_sim language), which is not installed")
    # OMP_THREAD_LIMIT=1: tesseract's OpenMP threads thrash on small machines (5-10x slower);
    # pages are parallelised as processes instead
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        run = subprocess.run(
            # --psm 4 (one column of lines of varying size): --psm 6 drops whole parts of a
            # report page with a table, and the automatic layout (3) is slower and no better
            [exe, "stdin", "stdout", "-l", "chi_sim", "--psm", "4"],
            input=png,
            capture_output=True,
            timeout=TIMEOUT,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise DocumentError(name, f"OCR took longer than {TIMEOUT} s") from None
    if run.returncode != 0:
        raise DocumentError(name, f"OCR failed: {run.stderr.decode('utf-8', 'replace').strip()[:120]}")
    # chi_sim puts a space between CJK glyphs; spaces next to digits and Latin stay (cell gaps)
    text = run.stdout.decode("utf-8", "replace").replace("\t", " ")
    # what is left of a rule after without_rules: lone bars and underscores between words
    text = _RULE_DEBRIS.sub("", text)
    text = _NUMBER_DEBRIS.sub("", text)
    return squeeze_cjk_spaces(text)


def ocr_image(data: bytes, name: str) -> Document:
    """An image file (every frame of a multi-page TIFF) as OCR text blocks."""
    from PIL import Image, ImageSequence, UnidentifiedImageError

    blocks: list[Block] = []
    try:
        with Image.open(io.BytesIO(data)) as image:
            for frame in ImageSequence.Iterator(image):
                blocks.extend(text_blocks(tesseract(_png(without_rules(frame.convert("L"))), name)))
    except (UnidentifiedImageError, OSError, ValueError) as e:
        raise DocumentError(name, f"unreadable image ({type(e).__name__})") from None
    return Document(name=name, kind="image", blocks=tuple(blocks), ocr=True)


def ocr_pdf_page(page: Any, name: str) -> list[Block]:
    """Blocks of a PDF page (a pypdfium2 ``PdfPage``) rendered at :data:`DPI` and OCRed."""
    bitmap = page.render(scale=DPI / 72, grayscale=True)
    try:
        image = bitmap.to_pil()
    finally:
        bitmap.close()
    return text_blocks(tesseract(_png(without_rules(image.convert("L"))), name))


def without_rules(image: Any) -> Any:
    """A grayscale page with its table rules painted white: tesseract reads ruled cells as
    runs of "0|0|0" and drops neighbouring digits; text between the rules reads cleanly."""
    from PIL import Image

    width, height = image.size
    mask = image.point(lambda v: 0 if v < 160 else 255)
    # both directions are found on the original, else erasing one cuts the other into short pieces
    horizontal = [m.span() for m in _RULE.finditer(mask.tobytes())]
    vertical = [m.span() for m in _RULE.finditer(mask.transpose(Image.Transpose.ROTATE_90).tobytes())]
    pixels = bytearray(image.tobytes())
    _paint(pixels, horizontal)
    turned = bytearray(
        Image.frombytes("L", (width, height), bytes(pixels)).transpose(Image.Transpose.ROTATE_90).tobytes()
    )
    _paint(turned, vertical)
    return Image.frombytes("L", (height, width), bytes(turned)).transpose(Image.Transpose.ROTATE_270)


def _paint(pixels: bytearray, runs: list[tuple[int, int]]) -> None:
    for start, end in runs:
        pixels[start:end] = b"\xff" * (end - start)


def _png(image: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()
