"""Legacy Word (.doc) and WPS files: converted to DOCX by LibreOffice (tables keep their
structure), with antiword's text as the fallback."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from crawler.documents.docx import read_docx
from crawler.documents.model import Document, DocumentError
from crawler.documents.text import read_text

TIMEOUT = 90


def read_doc(data: bytes, name: str, kind: str = "doc") -> Document:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice:
        with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as tmp:
            src = Path(tmp) / f"in.{kind}"
            src.write_bytes(data)
            try:  # a private profile: concurrent conversions must not share one
                subprocess.run([soffice, f"-env:UserInstallation=file://{tmp}/profile", "--headless", "--norestore",
                                "--convert-to", "docx", "--outdir", tmp, str(src)],
                               capture_output=True, timeout=TIMEOUT, check=False)
            except subprocess.TimeoutExpired:
                raise DocumentError(name, f"{kind.upper()} conversion took longer than {TIMEOUT} s") from None
            out = Path(tmp) / "in.docx"
            if out.exists() and out.stat().st_size:
                doc = read_docx(out.read_bytes(), name)
                return Document(name=name, kind=kind, blocks=doc.blocks, title=doc.title)
    antiword = shutil.which("antiword")
    if antiword and kind == "doc":
        run = subprocess.run([antiword, "-m", "UTF-8.txt", "-"], input=data, capture_output=True, timeout=TIMEOUT)
        if run.returncode == 0 and run.stdout.strip():
            doc = read_text(run.stdout, name)
            return Document(name=name, kind=kind, blocks=doc.blocks)
    if not soffice and not antiword:
        raise DocumentError(name, f"reading {kind.upper()} needs LibreOffice (soffice) or antiword; neither is installed")
    raise DocumentError(name, f"damaged {kind.upper()}: LibreOffice could not convert it")
