"""The challenge gates decide correctly without a browser: tokens, UA binding, expiry, two jsl steps."""

from __future__ import annotations

import hashlib
import json
import re

from sitefarm.antibot.common import fnv, parse_cookies
from sitefarm.antibot.jiasule import CLEARANCE, UID, JiasuleGate
from sitefarm.antibot.ruishu import RuishuGate

UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/130.0 Safari/537.36"


def _cookie(set_cookie: str) -> tuple[str, str]:
    name, _, rest = set_cookie.partition("=")
    return name, rest.split(";")[0]


def test_fnv_matches_known_vectors() -> None:
    # FNV-1a 32-bit reference values for ASCII input.
    assert fnv("", 2166136261) == "811c9dc5"
    assert fnv("a", 2166136261) == "e40c292c"
    assert fnv("foobar", 2166136261) == "bf9cf968"


def test_ruishu_first_request_gets_412_and_s_cookie() -> None:
    gate = RuishuGate("k", "AbCdEf", "/x/y.js")
    verdict = gate.check("", UA, now=1_000_000)
    assert not verdict.passed and verdict.status == 412
    name, s = _cookie(verdict.set_cookies[0])
    assert name == "AbCdEfS" and s.startswith("60")
    page = verdict.body.decode()
    assert "$_ts.cd=" in page and 'src="/x/y.js"' in page and "r='m'" in page
    assert re.search(r"_\$[a-p]{2}\(\);", page)


def test_ruishu_admits_only_the_right_t_for_the_same_user_agent() -> None:
    gate = RuishuGate("k", "AbCdEf", "/x/y.js", ttl=60)
    s = _cookie(gate.check("", UA, now=1_000_000).set_cookies[0])[1]
    t = gate.expected_t(s, UA)
    assert gate.check(f"AbCdEfS={s}; AbCdEfT={t}", UA, now=1_000_010).passed
    assert not gate.check(f"AbCdEfS={s}; AbCdEfT={t}", UA + " other", now=1_000_010).passed
    assert not gate.check(f"AbCdEfS={s}; AbCdEfT=0{'0' * 32}", UA, now=1_000_010).passed
    expired = gate.check(f"AbCdEfS={s}; AbCdEfT={t}", UA, now=1_000_061)
    assert not expired.passed and expired.set_cookies and _cookie(expired.set_cookies[0])[1] != s


def test_ruishu_rejects_forged_s() -> None:
    gate = RuishuGate("k", "P", "/a.js")
    forged = "60" + "f" * 8 + "0" * 30
    assert gate.s_age(forged, 0) is None
    assert not gate.check(f"PS={forged}; PT={gate.expected_t(forged, UA)}", UA).passed


def test_jiasule_two_steps_then_pass() -> None:
    gate = JiasuleGate("k", ttl=100)
    first = gate.check("", now=5_000)
    assert first.status == 521 and first.stage == "521-1"
    uid = _cookie(first.set_cookies[0])[1]
    assert _cookie(first.set_cookies[0])[0] == UID
    assert "document.cookie=" in first.body.decode() and "location.href=" in first.body.decode()
    second = gate.check(f"{UID}={uid}; {CLEARANCE}={gate.step1_value(uid)}", now=5_001)
    assert second.status == 521 and second.stage == "521-2"
    args = json.loads(re.search(r"go\((\{.*\})\)", second.body.decode()).group(1))  # type: ignore[union-attr]
    assert args["ha"] == "sha1" and args["tn"] == CLEARANCE
    found = [
        args["bts"][0] + a + b + args["bts"][1]
        for a in args["chars"]
        for b in args["chars"]
        if hashlib.sha1((args["bts"][0] + a + b + args["bts"][1]).encode()).hexdigest() == args["ct"]
    ]
    assert len(found) == 1
    assert gate.check(f"{UID}={uid}; {CLEARANCE}={found[0]}", now=5_002).passed
    assert not gate.check(f"{UID}={uid}; {CLEARANCE}={found[0]}", now=5_200).passed


def test_cookie_parsing_keeps_values_with_equals() -> None:
    assert parse_cookies("a=1; b=x=y; c") == {"a": "1", "b": "x=y"}
