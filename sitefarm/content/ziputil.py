"""Byte-stable OOXML: python-docx and openpyxl stamp zip entries with the current time, which
would make every rendering differ and defeat the conversion cache."""

from __future__ import annotations

import io
import zipfile

_EPOCH = (2020, 1, 1, 0, 0, 0)


def normalise_zip(data: bytes) -> bytes:
    """The same archive with every entry dated ``_EPOCH`` and deflated, in the original order."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, _EPOCH), src.read(info), zipfile.ZIP_DEFLATED)
    return out.getvalue()
