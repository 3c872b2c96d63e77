"""Chaos mode of the farm server: seeded decisions (pure), and what each fault does on the wire."""

from __future__ import annotations

import gzip
import http.client
import time
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from sitefarm.build import ensure_build
from sitefarm.config import FarmConfig
from sitefarm.serve import RunningFarm, serve_in_process
from sitefarm.server.chaos import KINDS, RECOVERABLE, SILENT, ChaosConfig, decide, request_key
from sitefarm.server.http import Request

SEED = 7


def _req(target: str, method: str = "GET", body: bytes = b"") -> Request:
    return Request(method, target, "HTTP/1.1", {}, body)


def test_parse_spec() -> None:
    assert ChaosConfig.parse("7:0.1") == ChaosConfig(7, 0.1)
    assert ChaosConfig.parse("7:0.1").spec() == "7:0.1"
    for bad in ("7", "x:0.1", "7:1.5", "7:-0.1", "", "7:0.1:a:b"):
        with pytest.raises(ValueError, match="SEED:RATE"):
            ChaosConfig.parse(bad)
    assert ChaosConfig.parse("7:0.1:reset,status").kinds == ("reset", "status")
    assert ChaosConfig.parse("7:0.1:recoverable").kinds == RECOVERABLE
    assert ChaosConfig.parse("7:0.1:reset,status").spec() == "7:0.1:reset,status"
    assert not SILENT & set(RECOVERABLE) and set(RECOVERABLE) | SILENT == set(KINDS)
    with pytest.raises(ValueError, match="unknown kinds"):
        ChaosConfig.parse("7:0.1:reset,nope")
    only = ChaosConfig(7, 1.0, kinds=("status",))
    assert {decide(only, f"k{i}", 1).kind for i in range(100)} == {"status"}  # type: ignore[union-attr]


def test_decisions_are_seeded_and_transient() -> None:
    config = ChaosConfig(SEED, 0.1)
    keys = [request_key("trs", _req(f"/zwgk/{i}.html")) for i in range(20_000)]
    first = [decide(config, k, 1) for k in keys]
    assert first == [decide(ChaosConfig(SEED, 0.1), k, 1) for k in keys]
    assert first != [decide(ChaosConfig(SEED + 1, 0.1), k, 1) for k in keys]
    share = sum(f is not None for f in first) / len(keys)
    assert 0.09 < share < 0.11, share
    kinds = Counter(f.kind for f in first if f is not None)
    assert set(kinds) == set(KINDS)
    assert min(kinds.values()) > len(keys) * 0.1 / len(KINDS) * 0.7, kinds
    # attempt 3 and later are always answered correctly, even at rate 1
    always = ChaosConfig(SEED, 1.0)
    assert all(decide(always, k, 1) is not None and decide(always, k, 2) is not None for k in keys[:200])
    assert all(decide(always, k, a) is None for k in keys[:200] for a in (3, 4, 10))
    assert all(decide(ChaosConfig(SEED, 0.0), k, 1) is None for k in keys[:200])


def test_request_key_tells_targets_methods_and_bodies_apart() -> None:
    keys = {
        request_key("trs", _req("/a.html")),
        request_key("hanweb", _req("/a.html")),
        request_key("trs", _req("/a.html?page=2")),
        request_key("trs", _req("/a.html", "POST", b"page=1")),
        request_key("trs", _req("/a.html", "POST", b"page=2")),
    }
    assert len(keys) == 5


@pytest.fixture(scope="module")
def chaos_farm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningFarm]:
    build = ensure_build(FarmConfig.parse(1, "2026-02-01", "small"), log=lambda m: None)
    log = tmp_path_factory.mktemp("chaos") / "faults.jsonl"
    with serve_in_process(build, chaos=f"{SEED}:1.0", chaos_log=log) as farm:
        farm.log_path = log  # type: ignore[attr-defined]
        yield farm


def _targets(farm: RunningFarm, portal: str, path: str) -> dict[str, str]:
    """A target (``path?n=…``; static routes ignore the query) whose first attempt meets each kind."""
    config = ChaosConfig(SEED, 1.0)
    found: dict[str, str] = {}
    for n in range(1000):
        target = f"{path}?n={n}"
        fault = decide(config, request_key(portal, _req(target)), 1)
        assert fault is not None
        found.setdefault(fault.kind, target)
    assert set(found) == set(KINDS)
    return found


def _get(farm: RunningFarm, portal: str, target: str, **headers: str) -> tuple[http.client.HTTPResponse, bytes]:
    parts = urlsplit(farm.base_urls[portal])
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    conn.request("GET", target, headers=headers)
    resp = conn.getresponse()
    return resp, resp.read()


@pytest.mark.slow
def test_each_fault_on_the_wire_then_a_clean_answer(chaos_farm: RunningFarm) -> None:
    farm = chaos_farm
    farm.reset(chaos_seed=SEED)
    portal = next(p.id for p in farm.manifest.portals if not p.challenge and not p.client_rendered)
    home = farm.manifest.portal(portal).home
    for _ in range(2):  # attempts 1 and 2 fault at rate 1 …
        try:
            _get(farm, portal, home + "?clean")
        except (OSError, http.client.HTTPException):
            pass
    resp, clean = _get(farm, portal, home + "?clean")  # … attempt 3 never does
    assert resp.status == 200 and b"<html" in clean.lower()
    targets = _targets(farm, portal, home)

    with pytest.raises((ConnectionResetError, http.client.IncompleteRead)):
        _get(farm, portal, targets["reset"])
    with pytest.raises(http.client.IncompleteRead):
        _get(farm, portal, targets["length-long"])
    resp, body = _get(farm, portal, targets["length-short"])
    assert resp.status == 200 and 0 < len(body) < len(clean) and clean.startswith(body)
    resp, body = _get(farm, portal, targets["gzip-cut"], **{"Accept-Encoding": "gzip, deflate"})
    assert resp.getheader("Content-Encoding") == "gzip" and int(resp.getheader("Content-Length", "0")) == len(body)
    with pytest.raises(EOFError):
        gzip.decompress(body)
    for kind in ("stall", "stall-body"):
        started = time.monotonic()
        resp, body = _get(farm, portal, targets[kind])
        assert time.monotonic() - started >= 0.9 and body == clean, kind
    resp, body = _get(farm, portal, targets["status"])
    assert resp.status in (500, 502, 503, 429) and "nginx" in body.decode()
    resp, body = _get(farm, portal, targets["challenge"])
    assert resp.status == 521 and b"document.cookie=" in body and resp.getheader("Set-Cookie", "").startswith("__jsluid_h=")

    # the same target answers correctly from its third attempt on
    for kind, target in targets.items():
        for _ in range(2):
            try:
                _get(farm, portal, target, **{"Accept-Encoding": "gzip"})
            except (OSError, http.client.HTTPException):
                pass
        assert _get(farm, portal, target)[1] == clean, kind

    faults = farm.chaos_faults()
    logged = [line for line in farm.log_path.read_text(encoding="utf-8").splitlines()]  # type: ignore[attr-defined]
    assert len(logged) >= len(faults)
    first = {f["target"]: f for f in faults if f["attempt"] == 1}
    for kind, target in targets.items():
        entry = first[target]
        assert entry["fault"] == kind and entry["portal"] == portal and entry["client"] == "plain"
        assert entry["url"] == farm.base_urls[portal] + target
    assert not [f for f in faults if f["attempt"] >= 3]


@pytest.mark.slow
def test_gated_portal_challenge_is_its_own_gate(chaos_farm: RunningFarm) -> None:
    farm = chaos_farm
    farm.reset(chaos_seed=SEED)
    gated = next(p for p in farm.manifest.portals if p.challenge == "ruishu")
    target = _targets(farm, gated.id, gated.home)["challenge"]
    resp, body = _get(farm, gated.id, target)
    assert resp.status == 412 and b"$_ts" in body


@pytest.mark.slow
def test_reset_reseeds(chaos_farm: RunningFarm) -> None:
    farm = chaos_farm
    portal = farm.manifest.portals[0]

    def quick(target: str) -> bool:  # no stall on either seed: the test stays fast
        return all(decide(ChaosConfig(seed, 1.0), request_key(portal.id, _req(target)), 1).kind  # type: ignore[union-attr]
                   not in ("stall", "stall-body") for seed in (11, 12))

    targets = [t for t in (f"{portal.home}?r={i}" for i in range(60)) if quick(t)][:20]
    runs = []
    for seed in (11, 11, 12):
        farm.reset(chaos_seed=seed)
        for t in targets:
            try:
                _get(farm, portal.id, t)
            except (OSError, http.client.HTTPException):
                pass
        runs.append([(f["target"], f["fault"]) for f in farm.chaos_faults()])
    assert runs[0] == runs[1] and runs[0] != runs[2]
    assert len(runs[0]) == len(targets)
