"""Crash recovery of WARC files: cut a torn last record, or everything the database never committed.

A crawl killed mid-write leaves a partial gzip member at the end of its current file; a crawl
killed between writing a record and committing its capture row leaves a whole record that no
row points to (the URL is still pending in the frontier and will be fetched again). Both are
cut off here before a resumed run starts its next file, so every file stays readable and no
record is archived twice.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from storage import cdxj
from storage.warc import series_files

_CHUNK = 1 << 20


def member_ends(path: Path) -> tuple[list[int], int]:
    """End offsets of the complete gzip members holding a WARC record, and the file size.

    Scanning stops at the first member that is torn, corrupt or does not start a WARC record.
    """
    ends: list[int] = []
    size = path.stat().st_size
    with path.open("rb") as fh:
        offset = 0  # file offset of the first byte of ``buf``
        buf = b""
        dec = zlib.decompressobj(zlib.MAX_WBITS | 16)
        head = b""
        while True:
            if not buf:
                buf = fh.read(_CHUNK)
                if not buf:
                    break
            try:
                out = dec.decompress(buf, _CHUNK)  # bounded output: members may hold 100 MB PDFs
            except zlib.error:
                break
            head += out[: 5 - len(head)]
            if dec.eof:
                rest = dec.unused_data
                if not head.startswith(b"WARC/"):
                    break
                offset += len(buf) - len(rest)
                ends.append(offset)
                buf, head = rest, b""
                dec = zlib.decompressobj(zlib.MAX_WBITS | 16)
            else:
                tail = dec.unconsumed_tail
                offset += len(buf) - len(tail)
                buf = tail
    return ends, size


def recover(path: str | Path, keep_until: int | None = None) -> int:
    """Truncate a WARC file to its last complete record (or to ``keep_until``); returns bytes cut.

    ``keep_until`` must be the end of a complete record (e.g. from
    :func:`storage.repo.committed_warc_ends`); the warcinfo record is always kept. The file's
    CDXJ index loses the lines of the records cut off.
    """
    path = Path(path)
    ends, size = member_ends(path)
    end = ends[-1] if ends else 0
    if keep_until is not None:
        if keep_until > end or (keep_until not in ends and keep_until != 0):
            raise ValueError(
                f"{path.name}: cannot keep up to byte {keep_until}; complete records end at "
                f"{ends[-3:]} (file size {size})"
            )
        end = max(keep_until, ends[0] if ends else 0)
    cut = size - end
    if cut:
        with path.open("r+b") as fh:
            fh.truncate(end)
    cdxj.drop_from(cdxj.index_path(path), end)
    return cut


@dataclass(frozen=True)
class RecoveredFile:
    """What recovery did to one WARC file."""

    path: Path
    """The WARC file."""
    bytes_cut: int
    """Bytes removed from its end."""


def recover_run(
    archive_dir: str | Path, prefix: str, run_id: int | str, committed_ends: Mapping[str, int]
) -> list[RecoveredFile]:
    """Recover every WARC file of a run before it resumes.

    Files with committed captures are cut back to the end of the last committed record; files
    without any keep only their warcinfo (nothing in them is referenced by the database), and
    files without even a complete warcinfo are deleted.
    """
    results = []
    for path in series_files(archive_dir, prefix, run_id):
        ends, size = member_ends(path)
        if not ends:
            # Killed while the file's warcinfo was being written: nothing in it to keep.
            path.unlink()
            cdxj.index_path(path).unlink(missing_ok=True)
            results.append(RecoveredFile(path, size))
            continue
        keep = committed_ends.get(path.name, ends[0])
        results.append(RecoveredFile(path, recover(path, keep_until=keep)))
    return results


def prepare_resume(
    session: Session, run_id: int, archive_dir: str | Path, prefix: str = "nianbao"
) -> list[RecoveredFile]:
    """Everything a killed run needs before it carries on, in order.

    Cuts the run's WARC files back to what the database committed, returns its claimed-but-
    unfinished requests to pending and reopens the run (outcome ``running``, resume count +1).
    The caller commits, then starts a new :class:`~storage.warc.WarcWriter` for the run.
    """
    from storage import repo

    recovered = recover_run(archive_dir, prefix, run_id, repo.committed_warc_ends(session, run_id))
    repo.resume_run(session, run_id)
    return recovered
