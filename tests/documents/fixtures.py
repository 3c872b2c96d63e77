"""Fixture builders for the document readers: files are made here, never checked in."""

from __future__ import annotations

import hashlib
import io
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from tests.conftest import shared_dir

SHARED = shared_dir()


def shared_files(folder: str, *patterns: str) -> list[Path]:
    """Files of ../shared/<folder> matching the patterns ([] when shared/ is absent)."""
    if SHARED is None:
        return []
    return sorted(p for pattern in patterns for p in (SHARED / folder).glob(pattern))


def docx_with_merges() -> bytes:
    """A DOCX: heading, a 4x4 table with a horizontal and a vertical merge and a blank cell,
    a paragraph after it, and a report-like core title."""
    import docx

    document = docx.Document()
    document.core_properties.title = "示范局2023年政府信息公开工作年度报告"
    document.add_paragraph("一、总体情况")
    table = document.add_table(rows=4, cols=4)
    table.style = "Table Grid"  # ruled, so a PDF made from it has a table to find
    table.cell(0, 0).merge(table.cell(0, 3)).text = "第二十条第（一）项"
    for c, text in enumerate(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]):
        table.cell(1, c).text = text
    label = table.cell(2, 0).merge(table.cell(3, 0))
    label.text = "三"
    label.add_paragraph("、")
    label.add_paragraph("本年")
    table.cell(2, 1).text = "1"
    table.cell(2, 2).text = "2"
    run_cell = table.cell(2, 3).paragraphs[0]
    run_cell.add_run("1")  # Word splits numbers into runs: "12" as "1" + "2"
    run_cell.add_run("2")
    table.cell(3, 1).text = "347.92"
    table.cell(3, 2).text = "0"
    document.add_paragraph("二、主动公开政府信息情况")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def soffice_convert(data: bytes, source_ext: str, target: str, tmp_path: Path) -> bytes:
    """Convert with LibreOffice (tests marked slow); skips when it is not installed."""
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice not installed")
    src = tmp_path / f"fixture.{source_ext}"
    src.write_bytes(data)
    out = tmp_path / "out"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--norestore",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(src),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return (out / f"fixture.{target.split(':')[0]}").read_bytes()


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def build_pdf(objects: list[bytes], trailer_extra: bytes = b"") -> bytes:
    """A PDF from object bodies (object 1 must be the catalog), with a correct xref table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        trailer_extra,
        xref,
    )
    return bytes(out)


def encrypted_pdf() -> bytes:
    """A one-page PDF protected by the standard RC4 handler with user password "secret"."""
    file_id = hashlib.md5(b"nianbao").digest()
    permissions = -4
    owner_key = hashlib.md5((b"owner" + _PAD)[:32]).digest()[:5]
    o_value = _rc4(owner_key, (b"secret" + _PAD)[:32])
    key = hashlib.md5((b"secret" + _PAD)[:32] + o_value + struct.pack("<i", permissions) + file_id).digest()[
        :5
    ]
    u_value = _rc4(key, _PAD)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
        % (o_value.hex().encode(), u_value.hex().encode(), permissions),
    ]
    return build_pdf(
        objects, b"/Encrypt 4 0 R /ID [<%s> <%s>] " % (file_id.hex().encode(), file_id.hex().encode())
    )


def image_only_pdf(png: bytes, dpi: int = 150) -> bytes:
    """A PDF whose single page is an image (a scan: no text layer), made with Pillow."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").save(buffer, "PDF", resolution=dpi)
    return buffer.getvalue()


def blank_png(width: int = 200, height: int = 100) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (width, height), 255).save(buffer, "PNG")
    return buffer.getvalue()
