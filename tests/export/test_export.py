"""``nianbao export`` on a real store: every format reread equals the database, the data package
passes ``frictionless validate``, the WACZ passes ``wacz validate``, documents hash to their WARC
records, filters change the rows, and bad input is named."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from crawler.export import ExportFilter, run_export
from crawler.export.documents import hex_of_digest
from tests.export.store import RUN2, BuiltStore

Store = tuple[Engine, BuiltStore]


def _db_facts(engine: Engine) -> dict[tuple[int, str], Any]:
    with engine.connect() as c:
        rows = c.execute(text("SELECT report_id, field, value, value_text FROM v_facts")).all()
    return {(int(r[0]), r[1]): (r[3] if r[2] is None else float(r[2])) for r in rows}


def _num(v: Any) -> Any:
    if v in ("", None):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return v


@pytest.mark.slow
def test_every_format_rereads_as_the_database(store: Store, out: Path) -> None:
    engine, built = store
    result = run_export(engine, out, ExportFilter(), archive_dir=built.archive)
    expected = _db_facts(engine)
    assert result.reports == 6 and result.facts == len(expected) > 1000

    import pyarrow.parquet as pq

    table = pq.read_table(out / "parquet" / "facts.parquet").to_pylist()
    assert {(r["report_id"], r["field"]): (r["value_text"] if r["value"] is None else r["value"]) for r in table} == expected
    schema = pq.read_schema(out / "parquet" / "facts.parquet")
    assert schema.field("row_label").metadata[b"description"].decode().startswith("Row label")

    with (out / "csv" / "facts.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert {(int(r["report_id"]), r["field"]): _num(r["value_text"] or r["value"]) for r in rows} == expected
    assert any(r["row_label"] == "一、本年新收政府信息公开申请数量" and r["column_label"] == "自然人" for r in rows)
    legacy = [r for r in rows if r["kind"] == "legacy"]
    assert legacy and all(r["row_label"] == r["field"] and r["table_label"] == "" for r in legacy)

    from openpyxl import load_workbook

    book = load_workbook(out / "nianbao.xlsx", read_only=True)
    sheet = list(book["facts"].iter_rows(values_only=True))
    head = list(sheet[0])
    i_id, i_field, i_value, i_text = (head.index(n) for n in ("report_id", "field", "value", "value_text"))
    assert {(int(r[i_id]), r[i_field]): _num(r[i_text] or r[i_value]) for r in sheet[1:]} == expected
    assert sorted(book.sheetnames) == sorted(
        ["reports", "facts", "table2_active", "table3_requests", "table4_appeals", "documents"])

    reports = [json.loads(x) for x in (out / "jsonl" / "reports.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["agency"] for r in reports} == set(built.specs)
    assert all(r["captured_at"].endswith("Z") for r in reports)


def test_wide_tables_equal_the_wide_views(store: Store, out: Path) -> None:
    engine, built = store
    run_export(engine, out, ExportFilter(), formats=["csv"], documents=False, wacz=False)
    with engine.connect() as c:
        view = [dict(r) for r in c.execute(text("SELECT * FROM v_table3_requests ORDER BY report_id")).mappings()]
    with (out / "csv" / "table3_requests.csv").open(encoding="utf-8-sig", newline="") as fh:
        exported = sorted(csv.DictReader(fh), key=lambda r: int(r["report_id"]))
    assert len(exported) == len(view) == 5  # every report but the legacy one
    for mine, theirs in zip(exported, view, strict=True):
        assert list(mine) == list(theirs)
        assert {k: _num(v) for k, v in mine.items()} == {k: _num(v) for k, v in theirs.items()}
    spec = built.specs["淮安市交通运输局"]
    row = next(r for r in exported if r["agency"] == "淮安市交通运输局")
    assert _num(row["new_received__natural_person"]) == spec.values["requests.new_received.natural_person"]


@pytest.mark.slow
def test_data_package_and_wacz_validate_and_documents_hash_to_their_records(store: Store, out: Path) -> None:
    engine, built = store
    result = run_export(engine, out, ExportFilter(), archive_dir=built.archive)
    from frictionless import validate

    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["resourcePath", "type", "message"])[:5]
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for r in package["resources"] if r["name"] == "table3_requests-csv"
              for f in r["schema"]["fields"]}
    assert fields["new_received__natural_person"]["title"] == "一、本年新收政府信息公开申请数量 / 自然人"
    paths = {r["path"] for r in package["resources"]}
    assert {d.path for d in result.documents} <= paths and "captures.wacz" in paths

    assert len(result.documents) == 8 and {d.format for d in result.documents} == {"html", "xlsx"}
    sums = (out / "documents" / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert len(sums) == 8
    for d in result.documents:
        data = (out / d.path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == d.sha256 == hex_of_digest(d.warc_payload_digest)
        assert f"{d.sha256}  {d.path.removeprefix('documents/')}" in sums

    done = subprocess.run([sys.executable, "-m", "wacz.main", "validate", "-f", str(result.wacz)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    import zipfile

    with zipfile.ZipFile(result.wacz or "") as z:
        pages = [json.loads(x) for x in z.read("pages/pages.jsonl").decode("utf-8").splitlines()]
    assert len(pages) == 1 + 6 and any("淮安市" in p.get("title", "") for p in pages[1:])


@pytest.mark.parametrize(
    ("flt", "agencies"),
    [
        (ExportFilter(region="鼓楼"), {"南京市鼓楼区教育局", "南京市鼓楼区卫生健康委员会"}),
        (ExportFilter(region="江苏", years=(2023,)), {"淮安市财政局", "淮安市交通运输局"}),
        (ExportFilter(agency="交通"), {"淮安市交通运输局"}),
        (ExportFilter(years=(2011, 2020)), {"平潭综合实验区管委会", "淮安市人民政府办公室"}),
        (ExportFilter(templates=("legacy",)), {"平潭综合实验区管委会"}),
        (ExportFilter(templates=("2019",)), {"淮安市人民政府办公室"}),
        (ExportFilter(failed_checks=True), {"淮安市交通运输局"}),
        (ExportFilter(changed_since=RUN2), {"淮安市财政局", "南京市鼓楼区卫生健康委员会"}),
        (ExportFilter(agency="100%"), set()),
    ],
)
def test_filters_change_the_rows(store: Store, out: Path, flt: ExportFilter, agencies: set[str]) -> None:
    engine, _ = store
    result = run_export(engine, out, flt, formats=["jsonl"], documents=False, wacz=False)
    rows = [json.loads(x) for x in (out / "jsonl" / "reports.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {r["agency"] for r in rows} == agencies and result.reports == len(agencies)
    facts = [json.loads(x) for x in (out / "jsonl" / "facts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert {f["agency"] for f in facts} == agencies


def test_changed_since_a_run(store: Store, out: Path) -> None:
    engine, built = store
    run_export(engine, out, ExportFilter(changed_since_run=built.run_ids[1]), formats=["csv"], documents=False,
               wacz=False)
    with (out / "csv" / "reports.csv").open(encoding="utf-8-sig", newline="") as fh:
        assert {(r["agency"], r["version"]) for r in csv.DictReader(fh)} == {
            ("淮安市财政局", "2"), ("南京市鼓楼区卫生健康委员会", "1")}


@pytest.mark.slow
def test_cli_exports_and_names_bad_input(store: Store, tmp_path: Path) -> None:
    engine, built = store
    if engine.dialect.name != "sqlite":
        pytest.skip("the CLI run is the same on both stores; once is enough")
    from crawler.cli import app

    url = engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    ok = runner.invoke(app, ["export", str(tmp_path / "x"), "--db", url, "--archive", str(built.archive),
                             "--template", "2021", "--changed-since", "2026-01-01", "--quiet"])
    assert ok.exit_code == 0, ok.output
    assert "exported 2 reports" in ok.output and (tmp_path / "x" / "captures.wacz").exists()
    for args, code, words in [
        (["--year", "20x3"], 2, "--year '20x3'"),
        (["--template", "2020"], 2, "--template '2020'"),
        (["--changed-since", "last week"], 2, "--changed-since 'last week'"),
        (["--format", "ods"], 2, "--format 'ods'"),
        (["--archive", str(tmp_path / "nowhere")], 1, "nowhere"),
    ]:
        bad = runner.invoke(app, ["export", str(tmp_path / "y"), "--db", url, "--quiet", *args])
        assert bad.exit_code == code and words in bad.output, (args, bad.output)
    missing = runner.invoke(app, ["export", str(tmp_path / "z"), "--db", f"sqlite:///{tmp_path}/none.sqlite"])
    assert missing.exit_code == 1 and "no store at" in missing.output


@pytest.mark.slow
@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # pywb imports cgi and pkg_resources
def test_the_wacz_replays_in_pywb(store: Store, out: Path, tmp_path: Path) -> None:
    engine, built = store
    if engine.dialect.name != "sqlite":
        pytest.skip("the WACZ does not depend on the store's back end")
    pytest.importorskip("pywb")
    result = run_export(engine, out, ExportFilter(), formats=["jsonl"], archive_dir=built.archive)
    home = tmp_path / "pywb"
    home.mkdir()
    wb = [sys.executable, "-c", "from pywb.manager.manager import main; main()"]
    for args in (["init", "c"], ["add", "--unpack-wacz", "c", str(result.wacz)]):
        done = subprocess.run([*wb, *args], cwd=home, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    from pywb.warcserver.warcserver import WarcServer
    from werkzeug.test import Client

    coll = home / "collections" / "c"
    config = {"collections": {"c": {"index_paths": str(coll / "indexes"), "archive_paths": f"{coll / 'archive'}/"}}}
    client = Client(WarcServer(config_file=None, custom_config=config))
    assert len(result.documents) == 8
    for d in result.documents:
        served = client.get("/c/resource", query_string={"url": d.url, "closest": d.captured_at.strftime("%Y%m%d%H%M%S") if d.captured_at else ""})
        assert served.status_code == 200, d.url
        assert served.get_data().endswith((out / d.path).read_bytes()), d.url


def test_chunks_change_nothing(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    engine, _ = store
    import pyarrow.parquet as pq

    import crawler.export.run as run_module

    whole = run_export(engine, tmp_path / "whole", ExportFilter(), documents=False, wacz=False)
    monkeypatch.setattr(run_module, "CHUNK", 2)
    parts = run_export(engine, tmp_path / "parts", ExportFilter(), documents=False, wacz=False)
    assert (whole.reports, whole.facts) == (parts.reports, parts.facts)
    for name in ("reports", "facts", "table3_requests"):
        for fmt in ("csv", "jsonl"):
            a, b = (r / fmt / f"{name}.{fmt}" for r in (tmp_path / "whole", tmp_path / "parts"))
            assert a.read_bytes() == b.read_bytes(), (name, fmt)
        a, b = (pq.read_table(r / "parquet" / f"{name}.parquet") for r in (tmp_path / "whole", tmp_path / "parts"))
        assert a.to_pylist() == b.to_pylist() and b.num_rows == a.num_rows
