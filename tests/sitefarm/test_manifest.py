"""The manifest round-trips through JSON and resolves paths only against served URLs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sitefarm.manifest import Manifest
from sitefarm.serve import RunningFarm


def test_json_round_trip(sitefarm: RunningFarm, tmp_path: Path) -> None:
    m = sitefarm.manifest
    path = tmp_path / "m.json"
    m.save(path)
    again = Manifest.load(path)
    assert again == m
    assert json.loads(path.read_text(encoding="utf-8"))["schema"] == 1


def test_urls_need_base_urls(sitefarm: RunningFarm) -> None:
    bare = Manifest.load(sitefarm.build_dir / "manifest.json")
    with pytest.raises(RuntimeError, match="no base URLs"):
        bare.url("trs", "/")
    with pytest.raises(ValueError, match="no URL for portals"):
        bare.with_base_urls({"trs": "http://127.0.0.1:1"})
    assert sitefarm.manifest.url("city", "/x") == sitefarm.base_urls["city"] + "/x"


def test_bad_manifest_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad\.json"):
        Manifest.load(bad)
    bad.write_text('{"schema": 99}', encoding="utf-8")
    with pytest.raises(ValueError, match="schema 99"):
        Manifest.from_json(json.loads(bad.read_text()))


def test_manifest_covers_every_portal_style(sitefarm: RunningFarm) -> None:
    m = sitefarm.manifest
    assert {p.style for p in m.portals} == {
        "trs-wcm",
        "hanweb-jcms",
        "gkmlpt",
        "ruishu",
        "jiasule",
        "city-cms",
        "prov-mixed",
        "county-frames",
    }
    assert {p.challenge for p in m.portals} == {None, "ruishu", "jiasule"}
    city = m.reports_of("city")
    assert len({r.agency.split("市", 1)[-1] for r in city}) >= 30
    assert {r.template for r in city} == {"legacy", "2019", "2021"}
    formats = {loc.format for r in city for loc in r.locations if loc.kind == "attachment"}
    assert {"pdf", "doc", "docx", "wps", "xls", "scan-pdf"} <= formats
    modes = {tuple(sorted({loc.kind for loc in r.locations if loc.holds_values})) for r in city}
    assert {("article",), ("attachment",), ("article", "attachment")} <= modes
    assert any(not r.consistent for r in m.reports)
    assert {r.known for r in m.reports if r.known} >= {
        "realdata/huaian-city-gov-2024",
        "realdata/pingtan-2019.page",
    }
    kinds = {n.kind for n in m.noise}
    assert {
        "government-work-report",
        "statistical-bulletin",
        "budget",
        "final-accounts",
        "rule-of-law-report",
        "news-mentions",
        "enterprise-annual-report",
    } <= kinds
    assert any(loc.role == "repost" for r in m.reports for loc in r.locations)
    for r in m.reports:
        assert r.id.startswith(r.portal + ":") and r.locations, r.id
        for loc in r.locations:
            assert (loc.expected is not None) == loc.holds_values, (r.id, loc.path)
