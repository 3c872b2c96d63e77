"""Replay of archived pages with pywb, on an origin of its own.

Archived pages carry the portals' scripts. Served from the UI's origin they could read its
cookies, call its API or frame it; so they replay from a separate pywb process bound to another
host and port (default 127.0.0.2 — browsers scope cookies by host, not port, so another port
alone would still share the UI's cookies). pywb's own rewriting (wombat) keeps archived scripts
inside the replay, and its Content-Security-Policy header here adds ``frame-ancestors 'none'``
and keeps every fetch to the replay origin itself. The UI links there with
``rel="noopener noreferrer"`` and sends ``Referrer-Policy: no-referrer``.

The collection is the store's WARC folder as it is, with one CDXJ beside the config merged from
the crawl's own per-WARC indexes (:func:`index_archive`).
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

COLLECTION = "nianbao"
"""The pywb collection name in replay URLs."""

REPLAY_CSP = (
    "default-src 'unsafe-eval' 'unsafe-inline' 'self' data: blob:; form-action 'self'; "
    "frame-ancestors 'self'; base-uri 'self'"
)
"""CSP pywb sends with replayed documents: scripts may run, but only against the replay origin."""


def index_archive(archive_dir: str | Path, cdxj_path: str | Path) -> int:
    """Write one sorted CDXJ of every WARC in ``archive_dir`` for pywb; return the lines.

    The crawl already keeps an index beside each WARC (``<warc>.cdxj``, :mod:`storage.cdxj`), keyed
    with the canonicaliser pywb uses and tested against pywb's own lookups: those are merged, with
    each key recomputed from its line's URL (so an archive from before ``nianbao reindex`` replays
    too). A WARC without one is indexed from its records. pywb itself only runs as its own
    process (:func:`replay_command`); nothing of it is imported here.
    """
    from storage.cdxj import index_path, index_warc, rekey_lines

    archive = Path(archive_dir)
    out = Path(cdxj_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    lines: list[bytes] = []
    for warc in sorted(archive.glob("*.warc.gz")) + sorted(archive.glob("*.warc")):
        index = index_path(warc)
        if index.exists():  # a line still being written by a running crawl has no newline yet
            lines += [line for line in index.read_bytes().splitlines(keepends=True) if line.endswith(b"\n")]
        else:
            lines += [line.encode("utf-8") for line in index_warc(warc)]
    merged = rekey_lines(lines)
    out.write_bytes(b"".join(merged))
    return len(merged)


def write_config(work_dir: str | Path, archive_dir: str | Path, cdxj_path: str | Path) -> Path:
    """A pywb config.yaml in ``work_dir`` with one collection over ``archive_dir``."""
    work = Path(work_dir)
    work.mkdir(parents=True, exist_ok=True)
    archive = str(Path(archive_dir).resolve()).rstrip("/") + "/"
    lines = [
        "collections:",
        f"  {COLLECTION}:",
        f"    index_paths: {_yaml(str(Path(cdxj_path).resolve()))}",
        f"    archive_paths: {_yaml(archive)}",
        "framed_replay: false",
        "enable_memento: true",
        f"csp-header: {_yaml(REPLAY_CSP)}",
        "",
    ]
    config = work / "config.yaml"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config


def _yaml(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def replay_command(host: str, port: int) -> list[str]:
    """The command that runs pywb's ``wayback`` server (in the config folder as working dir)."""
    return [sys.executable, "-c", "from pywb.apps.cli import wayback; wayback()", "-b", host, "-p", str(port), "-t", "4"]


def start_replay(
    archive_dir: str | Path, work_dir: str | Path, host: str, port: int, *, wait_s: float = 30.0
) -> subprocess.Popen[bytes]:
    """Index the archive, write the config and start pywb; return once it answers (or raise)."""
    work = Path(work_dir)
    cdxj = work / "index.cdxj"
    index_archive(archive_dir, cdxj)
    write_config(work, archive_dir, cdxj)
    log = (work / "pywb.log").open("ab")
    proc = subprocess.Popen(
        replay_command(host, port), cwd=work, stdout=log, stderr=subprocess.STDOUT,
        env={**os.environ, "PYTHONWARNINGS": "ignore"}, preexec_fn=_die_with_parent,
    )
    log.close()
    deadline = time.monotonic() + wait_s
    url = f"http://{host}:{port}/{COLLECTION}/"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"pywb exited with {proc.returncode} ({shlex.join(replay_command(host, port))}); see {work / 'pywb.log'}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError(f"pywb did not answer on {url} within {wait_s:.0f}s; see {work / 'pywb.log'}")


def _die_with_parent() -> None:
    """In the child: ask Linux to end pywb when the serving process dies, however it dies."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:  # not Linux: stop_replay() is the only way out
        pass


def stop_replay(proc: subprocess.Popen[bytes]) -> None:
    """Stop a pywb process started by :func:`start_replay`."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def replay_url(base: str, fetched_at_14: str, url: str) -> str:
    """The replay address of ``url`` as captured at ``fetched_at_14`` (YYYYMMDDhhmmss)."""
    return f"{base.rstrip('/')}/{COLLECTION}/{fetched_at_14}/{url}"
