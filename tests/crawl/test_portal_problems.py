"""A portal that yields nothing is named in the summary with its reason in one line, the exit
status says so (5), the store and the crawl log record it, and no traceback reaches the terminal."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import sqlalchemy as sa

from storage.db import make_engine

pytestmark = pytest.mark.slow

HOME = ('<!DOCTYPE html><html><head><meta charset="utf-8"><title>清河县人民政府</title></head><body>'
        '<h1>清河县人民政府</h1><ul><li><a href="/news/1.html">县政府召开常务会议</a></li>'
        '<li><a href="/about.html">走进清河</a></li></ul></body></html>')


class _Portal(BaseHTTPRequestHandler):
    """A home page with no way to a disclosure section."""

    def do_GET(self) -> None:
        body = HOME.encode() if self.path in ("/", "/index.html") else b"<html><body>news</body></html>"
        if self.path == "/robots.txt":
            body = b"User-agent: *\nAllow: /\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_portals_that_yield_nothing_are_named_with_their_reason(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Portal)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        live = f"http://127.0.0.1:{server.server_address[1]}/index.html"
        dead = f"http://127.0.0.1:{_closed_port()}/"
        db = f"sqlite:///{tmp_path / 'n.sqlite'}"
        env = dict(os.environ, NIANBAO_LOG_DIR=str(tmp_path / "logs"), NIANBAO_RETRIES="0",
                   NIANBAO_ALLOW_INTERNAL="127.0.0.1/32")
        proc = subprocess.run(
            [sys.executable, "-m", "crawler", "crawl", live, dead, "--db", db, "--archive", str(tmp_path / "warc"),
             "--quiet", "--no-browser"],
            capture_output=True, text=True, timeout=300, env=env, cwd=tmp_path,
        )
    finally:
        server.shutdown()
    out = proc.stdout + proc.stderr
    assert proc.returncode == 5, out
    assert "Traceback" not in out, out
    assert "possible miss" in out
    dead_key = dead.split("//")[1].rstrip("/")
    live_key = live.split("//")[1].split("/")[0]
    assert f"{dead_key}: no reports: unreachable:" in " ".join(out.split()), out
    assert f"{live_key}: no reports: no disclosure section" in " ".join(out.split()), out
    engine = make_engine(db)
    with engine.connect() as conn:
        problems = dict(conn.execute(sa.text(
            "SELECT s.key, r.problem FROM crawl_run_sites r JOIN sites s ON s.id = r.site_id")).all())
    engine.dispose()
    assert problems[dead_key].startswith("unreachable:") and "\n" not in problems[dead_key]
    assert problems[live_key].startswith("no disclosure section")
    log = next((tmp_path / "logs").glob("crawl-*.jsonl"))
    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert {e["site"] for e in events if e["event"] == "portal"} == {dead_key, live_key}
    assert list((tmp_path / "logs").glob("crawl-*.scrapy.log")), "Scrapy's log (tracebacks) goes to a file"
