"""A year later the farm shows new reports, one edit in place, one removal and one move; validators hold."""

from __future__ import annotations

import pytest

from sitefarm.serve import RunningFarm

from .walker import decode, fetch

pytestmark = pytest.mark.slow

LATER = "2027-02-01"


@pytest.fixture(scope="module")
def later(sitefarm_factory) -> RunningFarm:  # type: ignore[no-untyped-def]
    return sitefarm_factory(as_of=LATER)


def test_report_ids_are_stable_and_new_ones_appear(sitefarm: RunningFarm, later: RunningFarm) -> None:
    before = {r.id: r for r in sitefarm.manifest.reports}
    after = {r.id: r for r in later.manifest.reports}
    changes = {c.kind: c for c in later.manifest.changes}
    assert set(changes) == {"edited", "removed", "moved"}
    assert sitefarm.manifest.changes == ()
    assert set(before) - set(after) == {changes["removed"].report}
    new = set(after) - set(before)
    assert new and all("2026-02-01" <= after[i].published < LATER for i in new)
    assert {after[i].year for i in new} <= {2025, 2026}
    assert all(after[i].published < LATER for i in after)
    unchanged = [i for i in before if i in after and i not in {c.report for c in later.manifest.changes}]
    assert all(
        before[i].values == after[i].values and before[i].paths() == after[i].paths() for i in unchanged
    )


def test_edited_report_keeps_its_url_and_changes_numbers(sitefarm: RunningFarm, later: RunningFarm) -> None:
    edit = next(c for c in later.manifest.changes if c.kind == "edited")
    old, new = sitefarm.manifest.report(edit.report), later.manifest.report(edit.report)
    assert old.paths() == new.paths() and edit.old_path == edit.new_path == old.locations[0].path
    assert old.values != new.values and not old.consistent and new.consistent
    assert [v.since for v in new.versions] == [old.published, edit.date]
    a, b = fetch(sitefarm.url("city", edit.old_path)), fetch(later.url("city", edit.old_path))
    assert a.status == b.status == 200 and a.body != b.body
    assert a.headers["etag"] != b.headers["etag"]
    assert fetch(later.url("city", edit.old_path), headers={"If-None-Match": a.headers["etag"]}).status == 200
    changed = [k for k in old.values if old.values[k] != new.values[k]]
    assert 1 <= len(changed) <= 3


def test_removed_and_moved_reports_404_at_the_old_url(sitefarm: RunningFarm, later: RunningFarm) -> None:
    for change in later.manifest.changes:
        if change.kind == "edited":
            continue
        assert fetch(sitefarm.url(change.portal, change.old_path)).status == 200
        assert fetch(later.url(change.portal, change.old_path)).status == change.old_status == 404
        if change.kind == "moved":
            moved = later.manifest.report(change.report)
            assert moved.locations[0].path == change.new_path
            page = fetch(later.url(change.portal, change.new_path))
            assert page.status == 200 and moved.title in decode(page)
            column = decode(fetch(later.url(change.portal, moved.column + "index.html")))
            assert (
                change.new_path.rsplit("/", 1)[1] in column
                and change.old_path.rsplit("/", 1)[1] not in column
            )


def test_unchanged_files_keep_their_validators(sitefarm: RunningFarm, later: RunningFarm) -> None:
    report = sitefarm.manifest.reports_of("trs")[0]
    path = report.locations[0].path
    a, b = fetch(sitefarm.url("trs", path)), fetch(later.url("trs", path))
    assert a.headers["etag"] == b.headers["etag"] and a.headers["last-modified"] == b.headers["last-modified"]
    assert fetch(later.url("trs", path), headers={"If-None-Match": a.headers["etag"]}).status == 304
    home_a, home_b = fetch(sitefarm.url("trs", "/")), fetch(later.url("trs", "/"))
    assert home_a.headers["etag"] != home_b.headers["etag"]
