"""Mutators: from a seed file to a damaged, truncated or hostile variant of it.

Each mutator is a pure function of (bytes, rng). Generic ones work on any bytes (flips,
truncation, chunk duplication and deletion, splicing in tokens readers look for); structural
ones build what a hostile or broken publisher produces: absurd ``rowspan``/``colspan`` and
``gridSpan``, markup nested 10^5 deep, merged ranges over a whole sheet, zip members mutated,
dropped or swapped, and sizes declared far beyond the data (zip headers, PDF object counts and
stream lengths, PNG dimensions, OLE sector shifts). :func:`mutate` picks 1–3 of them.
"""

from __future__ import annotations

import io
import random
import re
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable

Mutator = Callable[[bytes, random.Random], bytes]

#: Tokens readers branch on: markup, PDF syntax, zip and OLE magic, numbers and labels.
TOKENS = (
    b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"<table>", b"</table>", b"<tr>", b"<td rowspan=\"999999\">",
    b"<script>", b"<!--", b"]]>", b"&#x0;", b"&amp;", b"%PDF-1.7", b"%%EOF", b"endobj", b"stream\n",
    b"xref", b"trailer<</Size 999999999/Root 1 0 R>>", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    b"999999999999999999999999", b"-1", b"\xef\xbc\x91\xef\xbc\x92", "合计".encode(), "总计".encode(),
    "（一）".encode(), "其中：".encode(), b"\t\t\t", b"|---|---|", b"\r", b"\n" * 50,
    "政府信息公开工作年度报告".encode(), "2019年".encode(), b"\xe4\xb8", b"\x81\x30",
)


def flip_bytes(data: bytes, rng: random.Random) -> bytes:
    """1–16 bytes flipped by one bit or replaced by a random byte."""
    if not data:
        return bytes([rng.randrange(256)])
    out = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        i = rng.randrange(len(out))
        out[i] = out[i] ^ (1 << rng.randrange(8)) if rng.random() < 0.5 else rng.randrange(256)
    return bytes(out)


def truncate(data: bytes, rng: random.Random) -> bytes:
    """The file cut short (a download that stopped), anywhere from the first byte on."""
    return data[: rng.randrange(len(data))] if len(data) > 1 else data


def duplicate_chunk(data: bytes, rng: random.Random) -> bytes:
    """A chunk of up to 4 KB repeated 1–50 times where it stands."""
    if not data:
        return data
    i = rng.randrange(len(data))
    chunk = data[i : i + rng.randint(1, 4096)]
    return data[:i] + chunk * rng.randint(1, 50) + data[i:]


def delete_chunk(data: bytes, rng: random.Random) -> bytes:
    """A chunk of up to 8 KB removed."""
    if len(data) < 2:
        return data
    i = rng.randrange(len(data))
    return data[:i] + data[i + rng.randint(1, 8192) :]


def insert_token(data: bytes, rng: random.Random) -> bytes:
    """1–4 tokens readers branch on, inserted at random places."""
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(data) + 1)
        data = data[:i] + rng.choice(TOKENS) + data[i:]
    return data


def swap_chunks(data: bytes, rng: random.Random) -> bytes:
    """Two chunks of the file exchanged (pages or records out of order)."""
    if len(data) < 16:
        return data
    a, b = sorted(rng.sample(range(len(data)), 2))
    n = min(rng.randint(1, 2048), b - a)
    return data[:a] + data[b : b + n] + data[a + n : b] + data[a : a + n] + data[b + n :]


GENERIC: tuple[Mutator, ...] = (flip_bytes, truncate, duplicate_chunk, delete_chunk, insert_token, swap_chunks)

_HUGE = ("1000000", "999999999", "4294967297", "-5", "0", "1e9", "９９９", "20０", "  3000000abc")


def absurd_spans(data: bytes, rng: random.Random) -> bytes:
    """rowspan/colspan set to 10^6, 2^32+1, negative or garbage on some cells."""
    def one(m: re.Match[bytes]) -> bytes:
        if rng.random() < 0.3:
            attr = rng.choice((b"rowspan", b"colspan"))
            return m.group(0) + b" " + attr + b'="' + rng.choice(_HUGE).encode() + b'"'
        return m.group(0)

    out = re.sub(rb"<t[dh]\b", one, data, flags=re.I)
    return out if out != data else data + b'<table><tr><td rowspan="1000000" colspan="1000000">1</td></tr></table>'


def deep_nesting(data: bytes, rng: random.Random) -> bytes:
    """10^3–10^5 nested elements (div, table cells, font, list items) spliced in."""
    depth = rng.choice((1000, 20000, 100000))
    opener, closer = rng.choice(
        ((b"<div>", b"</div>"), (b"<table><tr><td>", b"</td></tr></table>"), (b"<font>", b""),
         (b"<ul><li>", b""), (b"<span style=\"display:none\">", b"</span>"))
    )
    i = rng.randrange(len(data) + 1)
    return data[:i] + opener * depth + "深层嵌套1234".encode() + closer * depth + data[i:]


def many_cells(data: bytes, rng: random.Random) -> bytes:
    """A table of up to 300 × 300 cells each spanning up to 200 rows and columns (issue 13's
    page). The huge ones cost a worker its whole CPU allowance, so they are 2 % of the draws."""
    if rng.random() < 0.02:
        n, span = rng.choice((150, 300)), 200
    else:
        n, span = rng.choice((5, 20, 40)), rng.choice((1, 3, 10))
    cell = b'<td rowspan="%d" colspan="%d">7</td>' % (span, span)
    table = b"<table>" + (b"<tr>" + cell * n + b"</tr>") * n + b"</table>"
    i = rng.randrange(len(data) + 1)
    return data[:i] + table + data[i:]


HTML: tuple[Mutator, ...] = (absurd_spans, deep_nesting, many_cells)


def _zip_members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(info, archive.read(info)) for info in archive.infolist()]
    except Exception:
        return None


def _zip(members: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members:
            archive.writestr(name, body)
    return buffer.getvalue()


def _xml_absurd(body: bytes, rng: random.Random) -> bytes:
    """Hostile Office XML: huge spans and merges, deep nesting, entity declarations."""
    choice = rng.randrange(6)
    if choice == 0:
        return re.sub(rb'(<w:gridSpan w:val=")\d+', lambda m: m.group(1) + rng.choice(_HUGE).encode(), body) \
            .replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="1000000"/>', 3)
    if choice == 1:
        return body.replace(b"<w:tcPr>", b"<w:tcPr><w:vMerge/>").replace(b"<w:trPr>", b'<w:trPr><w:gridBefore w:val="999999"/>')
    if choice == 2:
        ref = rng.choice((b"A1:XFD1048576", b"A1:ZZ99999", b"B2:A1", b"A0:A-1"))
        if b"<mergeCells" in body:
            return re.sub(rb'ref="[A-Z]+\d+:[A-Z]+\d+"', b'ref="' + ref + b'"', body, count=1)
        return body.replace(b"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="' + ref + b'"/></mergeCells>')
    if choice == 3:
        return re.sub(rb'<(row|c) r="(?:[A-Z]*)\d+"', lambda m: m.group(0)[:-1] + b'9"' if rng.random() < 0.2 else m.group(0), body) \
            .replace(b'<dimension ref="', b'<dimension ref="A1:XFD1048576" x="')
    if choice == 4:
        depth = rng.choice((1000, 50000))
        i = body.rfind(b"</w:body>") if b"</w:body>" in body else body.rfind(b"</sheetData>")
        if i < 0:
            i = len(body) // 2
        nest = b"<w:tbl><w:tr><w:tc>" * depth + b"<w:p><w:r><w:t>1</w:t></w:r></w:p>" + b"</w:tc></w:tr></w:tbl>" * depth
        return body[:i] + nest + body[i:]
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
            + b"".join(b'<!ENTITY %c "&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;&%c;">' % ((98 + i,) + (97 + i,) * 10) for i in range(8))
            + b'<!ENTITY ext SYSTEM "file:///etc/passwd">]>')
    return bomb + re.sub(rb"^<\?xml[^>]*\?>", b"", body).replace(b"<w:t>", b"<w:t>&i;&ext;", 1).replace(b"<v>", b"<v>&i;", 1)


def zip_member(data: bytes, rng: random.Random) -> bytes:
    """One member of a DOCX/XLSX mutated (bytes or hostile XML), dropped, emptied or doubled."""
    members = _zip_members(data)
    if not members:
        return flip_bytes(data, rng)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Duplicate name": wanted here
        return _zip_member(members, rng)


def _zip_member(members: list[tuple[zipfile.ZipInfo, bytes]], rng: random.Random) -> bytes:
    parts = [(info.filename, body) for info, body in members]
    xml = [i for i, (name, _) in enumerate(parts) if name.endswith(".xml")] or list(range(len(parts)))
    i = rng.choice(xml)
    name, body = parts[i]
    action = rng.randrange(6)
    if action == 0:
        del parts[i]
    elif action == 1:
        parts[i] = (name, b"")
    elif action == 2:
        parts.append((name, body))  # a duplicate name: which one a reader takes is its business
    elif action == 3:
        parts[i] = (name, rng.choice(GENERIC)(body, rng))
    else:
        main = [k for k, (n, _) in enumerate(parts) if n in ("word/document.xml", "xl/worksheets/sheet1.xml")]
        k = main[0] if main and rng.random() < 0.8 else i
        parts[k] = (parts[k][0], _xml_absurd(parts[k][1], rng))
    return _zip(parts)


def zip_declared_sizes(data: bytes, rng: random.Random) -> bytes:
    """Sizes in the zip headers (local and central) set far beyond the data, or to zero."""
    out = bytearray(data)
    for sig, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        for m in re.finditer(re.escape(sig), data):
            if rng.random() < 0.4 and m.start() + offset + 4 <= len(out):
                struct.pack_into("<I", out, m.start() + offset, rng.choice((0, 0xFFFFFFFF, 2**31, 10**9)))
    return bytes(out)


ZIP: tuple[Mutator, ...] = (zip_member, zip_member, zip_declared_sizes)


def pdf_declared(data: bytes, rng: random.Random) -> bytes:
    """PDF counts, lengths and sizes declared absurdly: /Count, /Length, /Size, /W, xref offsets."""
    huge = rng.choice((b"999999999", b"2147483648", b"-1", b"0", b"99999999999999999999"))
    key = rng.choice((rb"/Count \d+", rb"/Length \d+", rb"/Size \d+", rb"/N \d+", rb"/Columns \d+"))
    out = re.sub(key, lambda m: m.group(0).split(b" ")[0] + b" " + huge, data, count=rng.randint(1, 3))
    if rng.random() < 0.3:
        out = re.sub(rb"startxref\s+\d+", b"startxref\n" + huge, out)
    if rng.random() < 0.2:  # a page tree that points at itself
        out = re.sub(rb"/Kids\s*\[", b"/Kids [1 0 R 2 0 R ", out, count=1)
    return out


def png_declared(data: bytes, rng: random.Random) -> bytes:
    """A PNG whose header declares up to 2^31 × 2^31 pixels (CRC fixed, so it is believed)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 33:
        return flip_bytes(data, rng)
    width = rng.choice((1, 65535, 100000, 2**31 - 1))
    height = rng.choice((1, 65535, 100000, 2**31 - 1))
    ihdr = b"IHDR" + struct.pack(">II", width, height) + data[24:29]
    return data[:12] + ihdr + struct.pack(">I", zlib.crc32(ihdr)) + data[33:]


def ole_declared(data: bytes, rng: random.Random) -> bytes:
    """An OLE2 header with absurd sector shift, FAT sector count or directory start."""
    if len(data) < 76:
        return flip_bytes(data, rng)
    out = bytearray(data)
    field = rng.choice(((30, "<H", (0, 31, 0xFFFF)), (44, "<I", (0, 0xFFFFFFFF, 10**6)), (48, "<I", (0xFFFFFFFE, 10**6)),
                        (60, "<I", (0xFFFFFFFE, 10**7)), (68, "<I", (10**6, 0xFFFFFFFF))))
    offset, fmt, values = field
    struct.pack_into(fmt, out, offset, rng.choice(values))
    return bytes(out)


def text_absurd(data: bytes, rng: random.Random) -> bytes:
    """Text shapes that stress the mapper: endless digit runs, huge tab rows, one-line tables."""
    choice = rng.randrange(4)
    i = rng.randrange(len(data) + 1)
    if choice == 0:
        extra = "主动公开文件数条".encode() + b"1" * rng.choice((50, 500, 5000))
    elif choice == 1:
        extra = ("\t".join(str(rng.randrange(10**6)) for _ in range(rng.choice((10, 300, 3000))))).encode()
    elif choice == 2:
        extra = ("|" + "|".join("9" for _ in range(3000)) + "|\n").encode() * 50
    else:
        extra = "（一）其中：".encode() * rng.choice((100, 2000))
    return data[:i] + b"\n" + extra + b"\n" + data[i:]


#: Mutators per reader family, besides the generic ones.
BY_FAMILY: dict[str, tuple[Mutator, ...]] = {
    "html": (*HTML, text_absurd),
    "mht": HTML,
    "text": (text_absurd,),
    "docx": ZIP,
    "xlsx": ZIP,
    "pdf": (pdf_declared,),
    "image": (png_declared,),
    "doc": (ole_declared,),
    "xls": (ole_declared,),
}


def mutate(data: bytes, family: str, rng: random.Random) -> tuple[bytes, list[str]]:
    """``data`` with 1–3 mutations (structural ones for its family about half the time), and
    the names of the mutators applied, for the crash report."""
    special = BY_FAMILY.get(family, ())
    applied: list[str] = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
        pool = special if special and rng.random() < 0.5 else GENERIC
        mutator = rng.choice(pool)
        data = mutator(data, rng)
        applied.append(mutator.__name__)
    return data, applied
