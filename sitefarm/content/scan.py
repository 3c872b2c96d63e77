"""Scanned PDFs: pages rasterised and re-wrapped as images, with no text layer, so only OCR reads them."""

from __future__ import annotations

import io
import random
import subprocess
import tempfile
from pathlib import Path

from PIL import Image


def rasterise_pdf(pdf: bytes, rng: random.Random, *, dpi: int = 200, timeout: float = 120.0) -> bytes:
    """``pdf`` as an image-only PDF: grey pages, slightly skewed as a flatbed scanner leaves them."""
    with tempfile.TemporaryDirectory(prefix="nianbao-scan-") as tmp:
        src = Path(tmp) / "in.pdf"
        src.write_bytes(pdf)
        subprocess.run(
            ["pdftoppm", "-r", str(dpi), "-gray", "-png", str(src), str(Path(tmp) / "p")],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
        pages = []
        for path in sorted(Path(tmp).glob("p-*.png")):
            with Image.open(path) as img:
                page = img.convert("L").rotate(rng.uniform(-0.6, 0.6), fillcolor=255, expand=False)
                pages.append(page)
    if not pages:
        raise ValueError("rasterise_pdf: the PDF has no pages")
    out = io.BytesIO()
    pages[0].save(out, "PDF", resolution=float(dpi), save_all=True, append_images=pages[1:])
    return out.getvalue()
