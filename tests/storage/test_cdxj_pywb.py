"""Our CDXJ as pywb reads it: pywb's own warcserver, with our ``.cdxj`` as its index, finds every
capture — trailing slashes, query strings in any order, upper-case hosts, ``www.``, ports and
Chinese paths — and serves the record's bytes; an index written before the standard keys is
brought up to them by :func:`storage.cdxj.rekey_archive`."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import unquote

import pytest

from storage import cdxj
from tests.storage.warc_helpers import fixed_writer

pytest.importorskip("pywb")
# pywb imports cgi and pkg_resources (deprecated): its warnings are not ours
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# (URL as archived, URL as a reader asks for it): a replay tool's request is rarely byte-identical
URLS = [
    ("http://www.bjchy.gov.cn/zwgk/", "http://www.bjchy.gov.cn/zwgk/"),
    ("http://www.bjchy.gov.cn/", "http://bjchy.gov.cn/"),
    ("http://XXGK.Beijing.GOV.cn/ndbg/Index.html", "http://xxgk.beijing.gov.cn/ndbg/Index.html"),
    ("http://A.GOV.CN/Xxgk/NDBG/", "http://a.gov.cn/Xxgk/NDBG/"),
    ("http://www.a.gov.cn/module/web/jpage/dataproxy.jsp?startrecord=1&endrecord=45&perpage=15&col=1",
     "http://www.a.gov.cn/module/web/jpage/dataproxy.jsp?col=1&perpage=15&startrecord=1&endrecord=45"),
    ("http://127.0.0.1:8001/gk/ndbg/", "http://127.0.0.1:8001/gk/ndbg/"),
    ("https://www.a.gov.cn:8443/年报/2024年政府信息公开工作年度报告.html",
     "https://www.a.gov.cn:8443/%E5%B9%B4%E6%8A%A5/2024%E5%B9%B4%E6%94%BF%E5%BA%9C%E4%BF%A1%E6%81%AF"
     "%E5%85%AC%E5%BC%80%E5%B7%A5%E4%BD%9C%E5%B9%B4%E5%BA%A6%E6%8A%A5%E5%91%8A.html"),
    ("http://a.gov.cn/gkml/index.jsp?", "http://a.gov.cn/gkml/index.jsp"),
]


def _body(i: int) -> bytes:
    return f"<html><title>2024年政府信息公开工作年度报告</title><body>第{i}页</body></html>".encode()


def _archive(tmp_path: Path) -> tuple[Path, Path]:
    archive = tmp_path / "archive"
    with fixed_writer(archive) as w:
        for i, (url, _) in enumerate(URLS):
            w.write_exchange(
                url,
                status=200,
                response_headers=[("Content-Type", "text/html; charset=utf-8")],
                body=_body(i),
                fetched_at=datetime(2026, 2, 1, 3, 0, i, tzinfo=UTC),
            )
    return archive, cdxj.index_path(w.files[0])


def _pywb(archive: Path, index: Path):  # type: ignore[no-untyped-def]
    from pywb.warcserver.warcserver import WarcServer
    from werkzeug.test import Client

    config = {"collections": {"c": {"index_paths": str(index), "archive_paths": f"{archive}/"}}}
    return Client(WarcServer(config_file=None, custom_config=config))


def test_pywb_finds_every_capture_with_our_index(tmp_path: Path) -> None:
    archive, index = _archive(tmp_path)
    client = _pywb(archive, index)
    for i, (url, asked) in enumerate(URLS):
        found = client.get("/c/index", query_string={"url": asked, "output": "json"})
        lines = [json.loads(x) for x in found.get_data(as_text=True).splitlines() if x.strip()]
        assert [unquote(x["url"]) for x in lines] == [url], asked  # pywb prints IRIs percent-encoded
        served = client.get("/c/resource", query_string={"url": asked})
        assert served.status_code == 200, asked
        assert served.get_data().endswith(_body(i)), asked


def test_our_keys_are_pywbs(tmp_path: Path) -> None:
    from pywb.utils.canonicalize import canonicalize

    for url, asked in URLS:
        assert cdxj.surt(url) == canonicalize(asked) == canonicalize(url)


def _old_style(index: Path) -> None:
    """Rewrite the keys as nianbao 0.1.0 did: trailing slash kept, path not percent-encoded."""
    out = []
    for raw in index.read_text(encoding="utf-8").splitlines():
        key, rest = raw.split(" ", 1)
        url = json.loads(rest.split(" ", 1)[1])["url"]
        path = url.split("://", 1)[1].split("/", 1)[1].split("?", 1)[0] if "/" in url.split("://", 1)[1] else ""
        old = key.split(")", 1)[0] + ")/" + path.lower() + (key[key.index("?"):] if "?" in key else "")
        out.append(f"{old} {rest}\n")
    index.write_text("".join(sorted(out, key=str.encode)), encoding="utf-8")


def test_rekey_brings_an_old_index_to_what_pywb_finds(tmp_path: Path) -> None:
    archive, index = _archive(tmp_path)
    standard = index.read_bytes()
    _old_style(index)
    assert index.read_bytes() != standard
    old_client = _pywb(archive, index)
    missed = [a for _, a in URLS if old_client.get("/c/resource", query_string={"url": a}).status_code != 200]
    assert len(missed) >= 3  # the trailing slashes and the Chinese path: the bug this fixes
    assert cdxj.rekey_archive(archive) == [index]
    assert index.read_bytes() == standard == "".join(cdxj.index_warc(archive / index.name[:-5])).encode()
    assert cdxj.rekey_archive(archive) == []  # idempotent: nothing left to rewrite
    client = _pywb(archive, index)
    assert all(client.get("/c/resource", query_string={"url": a}).status_code == 200 for _, a in URLS)


def test_rekey_keeps_lines_it_cannot_read(tmp_path: Path) -> None:
    lines = [b'cn,gov,a)/x/ 20260201030000 {"url": "http://a.gov.cn/x/"}\n', b"torn line\n", b"\n"]
    assert cdxj.rekey_lines(lines) == [b'cn,gov,a)/x 20260201030000 {"url": "http://a.gov.cn/x/"}\n',
                                       b"torn line\n"]
    with pytest.raises(FileNotFoundError, match="nowhere"):
        cdxj.rekey_archive(tmp_path / "nowhere")


def test_reindex_command(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from crawler.cli import app

    archive, index = _archive(tmp_path)
    standard = index.read_bytes()
    _old_style(index)
    runner = CliRunner()
    done = runner.invoke(app, ["reindex", str(archive)])
    assert done.exit_code == 0 and "rewrote 1 of 1 indexes" in done.output
    assert index.read_bytes() == standard
    index.write_text("", encoding="utf-8")
    done = runner.invoke(app, ["reindex", str(archive), "--from-warc"])
    assert done.exit_code == 0 and index.read_bytes() == standard
    missing = runner.invoke(app, ["reindex", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "nowhere" in missing.output
