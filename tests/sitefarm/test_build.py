"""Builds are deterministic, cached by config and code, and the CLI speaks to people and tools."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitefarm.__main__ import describe, main
from sitefarm.build import build, ensure_build
from sitefarm.config import FarmConfig
from sitefarm.serve import RunningFarm, serve_in_thread


@pytest.mark.slow
def test_same_config_same_bytes(sitefarm: RunningFarm, tmp_path: Path) -> None:
    build(FarmConfig(), tmp_path / "again", log=lambda m: None)
    for name in ("manifest.json", "farm.json", "portals/city/routes.json", "portals/hanweb/routes.json"):
        assert (tmp_path / "again" / name).read_bytes() == (sitefarm.build_dir / name).read_bytes(), name
    assert sorted(p.name for p in (tmp_path / "again" / "blobs").iterdir()) == sorted(
        p.name for p in (sitefarm.build_dir / "blobs").iterdir()
    )


def test_warm_build_is_reused(sitefarm: RunningFarm) -> None:
    assert ensure_build(FarmConfig(), log=lambda m: pytest.fail(f"rebuilt: {m}")) == sitefarm.build_dir
    assert (sitefarm.build_dir / "DONE").exists()


def test_describe_names_every_portal_and_url(sitefarm: RunningFarm) -> None:
    text = describe(sitefarm.manifest, sitefarm.base_urls, "http://127.0.0.1:1")
    for p in sitefarm.manifest.portals:
        assert f"{sitefarm.base_urls[p.id]}{p.home}" in text and p.name in text and p.imitates in text
    assert "anti-bot: ruishu" in text and "client-rendered" in text


def test_cli_rejects_bad_values_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--seed", "x"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == "sitefarm: seed 'x': expected an integer"
    assert main(["serve", "--build-dir", "/nonexistent"]) == 2
    assert "no readable farm.json" in capsys.readouterr().err


def test_thread_server_serves_the_same_build(sitefarm: RunningFarm) -> None:
    with serve_in_thread(sitefarm.build_dir) as farm:
        assert set(farm.base_urls) == set(sitefarm.base_urls)
        farm.reset()
        assert farm.requests() == []
        spec = json.loads((sitefarm.build_dir / "farm.json").read_text(encoding="utf-8"))
        assert [p["id"] for p in spec["portals"]] == list(farm.base_urls)
