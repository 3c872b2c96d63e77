"""Every report the manifest lists is reachable from the portal's home page by what a browser user does."""

from __future__ import annotations

import pytest

from sitefarm.serve import RunningFarm

from .walker import Walker, decode, fetch

pytestmark = pytest.mark.slow  # the module walks ~2,000 pages once (about 10 s)

OPEN = ["trs", "hanweb", "gkmlpt", "city"]


@pytest.fixture(scope="module")
def walks(sitefarm: RunningFarm) -> dict[str, Walker]:
    sitefarm.reset()
    out = {}
    for pid in OPEN:
        walker = Walker(sitefarm.base_urls[pid])
        walker.walk(sitefarm.manifest.portal(pid).home)
        out[pid] = walker
    return out


@pytest.mark.parametrize("portal", OPEN)
def test_every_report_location_is_reached(
    sitefarm: RunningFarm, walks: dict[str, Walker], portal: str
) -> None:
    seen = walks[portal].seen
    ok = {path for path, f in seen.items() if f.status == 200}
    for report in sitefarm.manifest.reports_of(portal):
        for loc in report.locations:
            assert loc.path in ok, (report.id, loc.path, seen.get(loc.path))
    assert sitefarm.manifest.reports_of(portal)


@pytest.mark.parametrize("portal", OPEN)
def test_report_pages_hold_their_title(sitefarm: RunningFarm, walks: dict[str, Walker], portal: str) -> None:
    for report in sitefarm.manifest.reports_of(portal):
        article = next(loc for loc in report.locations if loc.kind == "article")
        text = decode(walks[portal].seen[article.path])
        if portal == "gkmlpt":
            assert report.title not in text  # only in \\u-escaped DETAIL JSON
            assert report.title.encode("unicode_escape").decode("ascii").lower()[:30] in text.lower()
        else:
            assert report.title in text, report.id


def test_noise_pages_are_reachable_and_are_not_reports(
    sitefarm: RunningFarm, walks: dict[str, Walker]
) -> None:
    report_paths = {loc.path for r in sitefarm.manifest.reports for loc in r.locations}
    for noise in sitefarm.manifest.noise:
        if noise.portal not in walks:
            continue
        assert noise.path not in report_paths
        assert walks[noise.portal].seen.get(noise.path) is not None, noise
        assert walks[noise.portal].seen[noise.path].status == 200


def test_robots_disallowed_pages_are_linked_but_never_fetched(
    sitefarm: RunningFarm, walks: dict[str, Walker]
) -> None:
    assert "/bak/zfxxgknb/" in walks["city"].blocked
    fetched = {e["target"].split("?")[0] for e in sitefarm.requests("city")}
    assert not any(t.startswith(("/bak/", "/search/")) for t in fetched)
    bak = next(t for t in sitefarm.manifest.traps if t.kind == "robots-disallowed" and t.portal == "city")
    assert fetch(sitefarm.url("city", bak.detail["pages"][1])).status == 200


def test_offsite_links_exist(walks: dict[str, Walker], sitefarm: RunningFarm) -> None:
    home = decode(walks["city"].seen["/index.html"])
    assert "http://www.gov.cn/" in home
    assert sitefarm.base_urls["gkmlpt"] + "/" in home  # a sibling farm portal on another port


@pytest.mark.parametrize("portal", ["ruishu", "jiasule"])
def test_challenge_portals_refuse_plain_clients(sitefarm: RunningFarm, portal: str) -> None:
    walker = Walker(sitefarm.base_urls[portal])
    seen = walker.walk(sitefarm.manifest.portal(portal).home)
    statuses = {f.status for f in seen.values()}
    assert statuses == {412 if portal == "ruishu" else 521}
    report = sitefarm.manifest.reports_of(portal)[0]
    for loc in report.locations:
        got = fetch(sitefarm.url(portal, loc.path))
        assert got.status in (412, 521) and report.title not in decode(got)
    # Replaying the first answer's cookies (what a client without JS can do) is not enough either.
    first = fetch(sitefarm.url(portal, "/"))
    cookie = first.headers.get("set-cookie", "").split(";")[0]
    again = fetch(sitefarm.url(portal, "/"), headers={"Cookie": cookie})
    assert again.status in (412, 521) and sitefarm.manifest.portal(portal).name not in decode(again)
