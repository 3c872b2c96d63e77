"""Shared test fixtures: where the team's shared, hand-checked reports live."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

pytest_plugins = ["sitefarm.pytest_plugin"]

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path | None:
    """../shared beside the checkout (as in CI), or NIANBAO_SHARED."""
    cand = Path(os.environ.get("NIANBAO_SHARED", REPO.parent / "shared"))
    return cand if (cand / "seeds").is_dir() else None


@pytest.fixture(scope="session")
def shared() -> Path:
    d = shared_dir()
    if d is None:
        pytest.skip("../shared (seeds, realdata) is not beside this checkout")
    return d
