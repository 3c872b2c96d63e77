"""Cheap job functions the scheduler tests store (importable as ``module:function``)."""

from __future__ import annotations

import os


def record(path: str, label: str) -> None:
    """Append ``label pid`` to ``path`` (one small O_APPEND write, safe across processes)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, f"{label} {os.getpid()}\n".encode())
    finally:
        os.close(fd)
