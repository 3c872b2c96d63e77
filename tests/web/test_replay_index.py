"""The replay index nianbao hands pywb (merged from the crawl's own per-WARC CDXJ) finds what
pywb's own indexer finds: every record, under the same key, at the same offset."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from crawler.web.replay import index_archive
from storage.cdxj import index_path
from tests.web.conftest import Store


def _entries(path: Path) -> set[tuple[str, str, str, str, str]]:
    out = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        key, stamp, fields = raw.split(" ", 2)
        f = json.loads(fields)
        out.add((key, stamp, f["url"], f["offset"], f["filename"]))
    return out


def _pywb_index(archive: Path, out: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from pywb.indexer.cdxindexer import write_multi_cdx_index
    warcs = sorted(str(p) for p in archive.glob("*.warc.gz"))
    write_multi_cdx_index(str(out), warcs, sort=True, cdxj=True, rel_root=str(archive))


def test_the_merged_index_is_pywbs_own(store: Store, tmp_path: Path) -> None:
    if store.engine.dialect.name != "sqlite":  # the archive does not depend on the store's back end
        return
    ours, theirs = tmp_path / "ours.cdxj", tmp_path / "pywb.cdxj"
    n = index_archive(store.archive, ours)
    _pywb_index(store.archive, theirs)
    mine, pywb = _entries(ours), _entries(theirs)
    assert n == len(mine) > 10
    assert mine == pywb
    assert ours.read_bytes() == b"".join(sorted(ours.read_bytes().splitlines(keepends=True)))


def test_a_warc_without_its_index_and_a_stale_key_are_both_covered(store: Store, tmp_path: Path) -> None:
    if store.engine.dialect.name != "sqlite":
        return
    archive = tmp_path / "copy"
    archive.mkdir()
    warcs = sorted(store.archive.glob("*.warc.gz"))
    for warc in warcs:
        (archive / warc.name).write_bytes(warc.read_bytes())
    first = index_path(archive / warcs[0].name)
    # a key that is not what the line's URL makes (as in indexes written before 0.1.1)
    lines = index_path(warcs[0]).read_text(encoding="utf-8").splitlines(keepends=True)
    stale = ["cn,gov,js)/stale/ " + line.split(" ", 1)[1] if i % 2 else line for i, line in enumerate(lines)]
    first.write_text("".join(stale), encoding="utf-8")
    assert first.read_text(encoding="utf-8") != "".join(lines)
    expected = tmp_path / "expected.cdxj"
    _pywb_index(store.archive, expected)
    ours = tmp_path / "ours.cdxj"
    index_archive(archive, ours)  # the other WARCs have no index here
    assert _entries(ours) == _entries(expected)
