"""Legacy Word (.doc), Kingsoft WPS and RTF files: converted to DOCX by LibreOffice (tables keep
their structure), with antiword's text as the fallback. The only reader that starts a process."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from crawler.documents.docx import read_docx
from crawler.documents.model import Document, DocumentError
from crawler.documents.text import text_blocks

TIMEOUT = 60


def read_doc(data: bytes, name: str, kind: str = "doc") -> Document:
    """A DOC/WPS/RTF file as paragraphs and tables; ``kind`` (doc or wps) is what sniffing found."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    antiword = shutil.which("antiword")
    if not soffice and not antiword:
        raise DocumentError(
            name, f"reading {kind.upper()} needs LibreOffice (soffice) or antiword; neither is installed"
        )
    warnings: list[str] = []
    if soffice:
        converted, problem = _convert(soffice, data, kind, name)
        if converted is not None:
            doc = read_docx(converted, name)
            return Document(name=name, kind=kind, blocks=doc.blocks, title=doc.title)
        warnings.append(problem)
    if antiword and data.startswith(b"\xd0\xcf\x11\xe0"):
        try:
            run = subprocess.run(
                [antiword, "-m", "UTF-8.txt", "-"],
                input=data,
                capture_output=True,
                timeout=TIMEOUT,
                check=False,
            )
        except subprocess.TimeoutExpired:
            run = None
        if run is not None and run.returncode == 0 and run.stdout.strip():
            # antiword draws tables as |cell|cell| rows, which the text reader turns into grids
            blocks = text_blocks(run.stdout.decode("utf-8", "replace"))
            return Document(
                name=name, kind=kind, blocks=tuple(blocks), warnings=(*warnings, "read with antiword")
            )
    reason = warnings[0] if warnings else "antiword could not read it"
    raise DocumentError(name, f"damaged {kind.upper()}: {reason}")


def _convert(soffice: str, data: bytes, kind: str, name: str) -> tuple[bytes | None, str]:
    """DOCX bytes converted by LibreOffice, or None and why not."""
    with tempfile.TemporaryDirectory(prefix="nianbao-lo-") as tmp:
        suffix = "rtf" if data.lstrip().startswith(b"{\\rtf") else kind
        source = Path(tmp) / f"in.{suffix}"
        source.write_bytes(data)
        command = [
            soffice,
            # a private profile per call: concurrent conversions sharing one silently do nothing
            f"-env:UserInstallation=file://{tmp}/profile",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--convert-to",
            "docx",
            "--outdir",
            str(Path(tmp) / "out"),
            str(source),
        ]
        env = dict(os.environ, HOME=tmp)
        # its own process group, so a hung conversion is ended with all of soffice's children
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
        try:
            process.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return None, f"LibreOffice took longer than {TIMEOUT} s"
        out = Path(tmp) / "out" / "in.docx"
        if out.is_file() and out.stat().st_size:
            return out.read_bytes(), ""
    return None, "LibreOffice could not convert it"
