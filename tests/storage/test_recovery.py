"""Crash recovery: torn last records are cut off, uncommitted records too, and files stay readable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator

from storage import cdxj
from storage.recovery import member_ends, recover, recover_run
from tests.storage.warc_helpers import PDF_BODY, fixed_writer, write_html, write_pdf

WARCIO = Path(sys.executable).with_name("warcio")


def record_types(path: Path) -> list[str]:
    with path.open("rb") as fh:
        return [r.rec_type for r in ArchiveIterator(fh)]


def warcio_check(path: Path) -> int:
    return subprocess.run([str(WARCIO), "check", str(path)], capture_output=True).returncode


def _three_exchanges(tmp_path: Path, run_id: int = 1) -> tuple[Path, list[int]]:
    with fixed_writer(tmp_path, run_id=run_id) as w:
        ends = [(r := write_pdf(w, url=f"http://x.gov.cn/{i}.pdf")).offset + r.length for i in range(3)]
    return w.files[0], ends


def test_member_ends_are_record_boundaries(tmp_path: Path) -> None:
    path, ends = _three_exchanges(tmp_path)
    found, size = member_ends(path)
    assert len(found) == 7  # warcinfo + 3 × (request, response)
    assert set(ends) <= set(found)
    assert found[-1] == size == ends[-1]


@pytest.mark.parametrize("cut", [1, 17, 500, 4_000])
def test_torn_last_record_is_cut_off(tmp_path: Path, cut: int) -> None:
    path, ends = _three_exchanges(tmp_path)
    data = path.read_bytes()
    last_request_end = member_ends(path)[0][-2]
    assert ends[1] < last_request_end < ends[2]
    path.write_bytes(data[: len(data) - cut])  # killed in the middle of the last response
    assert recover(path) == len(data) - cut - last_request_end
    assert path.stat().st_size == last_request_end
    assert record_types(path) == ["warcinfo", "request", "response", "request", "response", "request"]
    assert warcio_check(path) == 0


def test_garbage_after_the_last_record_is_cut(tmp_path: Path) -> None:
    path, ends = _three_exchanges(tmp_path)
    with path.open("ab") as fh:
        fh.write(b"\x1f\x8b\x08\x00garbage" + b"\0" * 100)  # 111 bytes
    assert recover(path) == 111
    assert path.stat().st_size == ends[-1]
    assert warcio_check(path) == 0


def test_intact_file_is_left_alone(tmp_path: Path) -> None:
    path, _ = _three_exchanges(tmp_path)
    before = path.read_bytes()
    assert recover(path) == 0
    assert path.read_bytes() == before


def test_keep_until_cuts_uncommitted_records_and_their_index_lines(tmp_path: Path) -> None:
    path, ends = _three_exchanges(tmp_path)
    assert len(cdxj.read(cdxj.index_path(path))) == 3
    cut = recover(path, keep_until=ends[0])
    assert cut == ends[2] - ends[0]
    assert record_types(path) == ["warcinfo", "request", "response"]
    entries = cdxj.read(cdxj.index_path(path))
    assert [e.url for e in entries] == ["http://x.gov.cn/0.pdf"]
    assert warcio_check(path) == 0


def test_keep_until_must_be_a_record_boundary(tmp_path: Path) -> None:
    path, ends = _three_exchanges(tmp_path)
    with pytest.raises(ValueError, match=r"nianbao-1-00000.warc.gz: cannot keep up to byte"):
        recover(path, keep_until=ends[0] + 5)
    with pytest.raises(ValueError, match="cannot keep"):
        recover(path, keep_until=ends[-1] + 1)


def test_recover_run_uses_committed_ends_and_keeps_warcinfo(tmp_path: Path) -> None:
    with fixed_writer(tmp_path, run_id=4, max_size=12_000) as w:
        placed = [write_pdf(w, url=f"http://x.gov.cn/{i}.pdf") for i in range(3)]
    first, second, third = w.files
    # Killed after writing the third file's warcinfo but before its warcinfo was complete.
    third.write_bytes(third.read_bytes()[:40])
    committed = {placed[0].filename: placed[0].offset + placed[0].length}
    results = {r.path.name: r.bytes_cut for r in recover_run(tmp_path, "nianbao", 4, committed)}
    assert results[first.name] == 0
    assert results[second.name] > len(PDF_BODY)  # its uncommitted exchange is gone
    assert results[third.name] == 40
    assert not third.exists() and not cdxj.index_path(third).exists()
    assert record_types(first) == ["warcinfo", "request", "response"]
    assert record_types(second) == ["warcinfo"]
    assert cdxj.read(cdxj.index_path(second)) == []
    # A resumed writer continues with the next serial; the old files stay valid.
    with fixed_writer(tmp_path, run_id=4) as w2:
        write_html(w2)
    assert w2.files[0].name == "nianbao-4-00002.warc.gz"
    assert all(warcio_check(p) == 0 for p in (first, second, w2.files[0]))
