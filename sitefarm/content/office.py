"""LibreOffice conversions (DOCX → PDF/DOC, XLSX → XLS), cached on disk by content hash.

soffice is slow (seconds per call, most of it start-up), so conversions are cached under a
cache directory and :func:`convert_many` converts a whole batch in one soffice run. Each run
gets a private profile directory: concurrent soffice processes sharing a profile block each other.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

#: Target extension → LibreOffice filter.
FILTERS = {"pdf": "pdf:writer_pdf_Export", "doc": "doc:MS Word 97", "xls": "xls:MS Excel 97"}


class ConversionError(RuntimeError):
    """soffice failed, timed out or produced no output."""


def default_cache_dir() -> Path:
    """``$NIANBAO_CONTENT_CACHE`` or a fixed folder in the system temp dir."""
    return Path(
        os.environ.get("NIANBAO_CONTENT_CACHE") or Path(tempfile.gettempdir()) / "nianbao-content-cache"
    )


def _key(data: bytes, src_ext: str, dst_ext: str) -> str:
    return hashlib.sha256(data).hexdigest()[:32] + f".{src_ext}.{dst_ext}"


def convert_many(
    items: Sequence[bytes],
    src_ext: str,
    dst_ext: str,
    *,
    cache_dir: Path | None = None,
    timeout: float = 600.0,
) -> list[bytes]:
    """Convert every document in ``items`` (all of type ``src_ext``) to ``dst_ext``; cached ones are
    read from disk and the rest go through a single soffice call."""
    if dst_ext not in FILTERS:
        raise ValueError(f"cannot convert to {dst_ext!r}: expected one of {', '.join(FILTERS)}")
    cache = cache_dir or default_cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    keys = [_key(d, src_ext, dst_ext) for d in items]
    todo = {k: d for k, d in zip(keys, items, strict=True) if not (cache / k).exists()}
    # soffice now and then dies part-way through a long batch; the rest gets a second run.
    for attempt in range(3):
        if not todo:
            break
        problem = _run_soffice(todo, src_ext, dst_ext, cache, timeout)
        todo = {k: d for k, d in todo.items() if not (cache / k).exists()}
        if todo and attempt == 2:
            raise ConversionError(problem)
    return [(cache / k).read_bytes() for k in keys]


def convert(
    data: bytes, src_ext: str, dst_ext: str, *, cache_dir: Path | None = None, timeout: float = 180.0
) -> bytes:
    """Convert one document (see :func:`convert_many`)."""
    return convert_many([data], src_ext, dst_ext, cache_dir=cache_dir, timeout=timeout)[0]


def _run_soffice(todo: dict[str, bytes], src_ext: str, dst_ext: str, cache: Path, timeout: float) -> str:
    """Convert ``todo`` in one soffice run into the cache; returns what went wrong ("" if nothing)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise ConversionError("soffice not found: install LibreOffice (writer and calc)")
    with tempfile.TemporaryDirectory(prefix="nianbao-soffice-") as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        (work / "out").mkdir()
        inputs = []
        for i, (key, data) in enumerate(todo.items()):
            path = work / "in" / f"r{i:05d}.{src_ext}"
            path.write_bytes(data)
            inputs.append((key, path))
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            FILTERS[dst_ext],
            "--outdir",
            str(work / "out"),
            *(str(p) for _, p in inputs),
        ]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise ConversionError(
                f"soffice timed out after {timeout:.0f} s converting {len(inputs)} files"
            ) from exc
        missing = []
        for key, path in inputs:
            out = work / "out" / f"{path.stem}.{dst_ext}"
            if not out.exists() or not out.stat().st_size:
                missing.append(path.name)
                continue
            tmp_target = cache / f".{key}.{os.getpid()}"
            shutil.copyfile(out, tmp_target)
            tmp_target.replace(cache / key)  # atomic: parallel runs never see half a file
        if not missing:
            return ""
        err = [x for x in proc.stderr.decode("utf-8", "replace").splitlines() if "javaldx" not in x][-1:]
        return (
            f"soffice (exit {proc.returncode}) made no {dst_ext} for {len(missing)} of {len(inputs)} files "
            f"({', '.join(missing[:3])}): {err[0] if err else 'no message'}"
        )
