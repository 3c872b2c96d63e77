"""Search benchmark: how fast ``nianbao serve`` answers a search over a large store.

    python bench/bench_serve.py --n 100000 [--db sqlite:///data/bench-serve.sqlite]

Generates ``--n`` reports (site-farm agencies and prose across provinces, years 2019–2024, one
in twelve with a failed check, one in ten edited) straight into the store's tables and the
search index (bulk inserts: building through the crawler would take hours; the agency names combine
provinces, cities and counties freely, so some places do not exist), then times the
search the UI runs — the hit page and all eight facet counts — through the ASGI app for a set
of Chinese queries with and without facets. Prints the median and 95th percentile per query
kind against the target (median under 300 ms). Reuses an existing bench store of the same size.
Run on demand; not part of the tests.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import sqlalchemy as sa  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from crawler.web.app import WebConfig, create_app  # noqa: E402
from crawler.web.fulltext import SEARCH, _insert_text, ensure_tables  # noqa: E402
from crawler.web.regions import PROVINCES as REGION_PROVINCES  # noqa: E402
from crawler.web.regions import region_of  # noqa: E402
from sitefarm.content.prose import generate_prose  # noqa: E402
from storage import db  # noqa: E402
from storage.models import Agency, CrawlRun, Report, ReportVersion, Site  # noqa: E402

PROVINCES = tuple(p for p in REGION_PROVINCES if not p.endswith("特别行政区") and p != "台湾省")
CITIES = ("南京市", "苏州市", "杭州市", "宁波市", "广州市", "成都市", "济南市", "郑州市", "武汉市", "福州市")
COUNTIES = ("鼓楼区", "吴中区", "西湖区", "天河区", "武侯区", "历下区", "金水区", "江岸区", "仓山区", "")
DEPTS = ("人民政府办公室", "财政局", "教育局", "公安局", "民政局", "司法局", "自然资源局", "生态环境局",
         "住房和城乡建设局", "交通运输局", "农业农村局", "卫生健康委员会", "市场监督管理局", "统计局")
QUERIES = {
    "word": [{"q": "依申请公开"}, {"q": "行政复议"}, {"q": "政府信息"}, {"q": "不予公开"}],
    "rare": [{"q": "吴中区财政局"}, {"q": "西湖区教育局"}],
    "facet": [{"province": "江苏省"}, {"year": "2023", "failed": "yes"}, {"status": "changed"}],
    "word+facet": [{"q": "行政诉讼", "province": "浙江省", "year": "2022"}, {"q": "主动公开", "failed": "yes"}],
}


def build(engine: sa.engine.Engine, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    db.create_all(engine)
    ensure_tables(engine)
    now = datetime(2025, 3, 1, tzinfo=UTC)
    names = sorted({f"{p}{c}{k}{d}" for p in PROVINCES for c in CITIES for k in COUNTIES for d in DEPTS})
    rng.shuffle(names)
    years = list(range(2019, 2025))
    agencies_needed = -(-n // len(years))
    if len(names) < agencies_needed:
        raise SystemExit(f"--n {n}: at most {len(names) * len(years)} reports can be generated")
    names = names[:agencies_needed]
    with engine.begin() as conn:
        conn.execute(sa.insert(Site.__table__), [{"id": 1, "key": "bench", "name": "基准门户", "base_url": "http://bench.gov.cn/",  # type: ignore[attr-defined]
                                                  "created_at": now}])
        conn.execute(sa.insert(CrawlRun.__table__), [{"id": 1, "trigger": "manual", "outcome": "ok", "started_at": now,  # type: ignore[attr-defined]
                                                      "settings": {}, "software_version": "bench", "counts": {},
                                                      "resume_count": 0}])
        conn.execute(sa.insert(Agency.__table__), [  # type: ignore[attr-defined]
            {"id": i + 1, "site_id": 1, "name": name, "normalized_name": name} for i, name in enumerate(names)
        ])
    rid = 0
    batch_reports: list[dict] = []
    batch_versions: list[dict] = []
    batch_search: list[dict] = []
    batch_text: list[tuple[int, str]] = []

    def flush() -> None:
        with engine.begin() as conn:
            conn.execute(sa.insert(Report.__table__), batch_reports)  # type: ignore[attr-defined]
            conn.execute(sa.insert(ReportVersion.__table__), batch_versions)  # type: ignore[attr-defined]
            conn.execute(sa.insert(SEARCH), batch_search)
            _insert_text(conn, batch_text)
        for b in (batch_reports, batch_versions, batch_search, batch_text):
            b.clear()

    for aid, name in enumerate(names, start=1):
        for year in years:
            rid += 1
            if rid > n:
                break
            edited = rng.random() < 0.1
            values = {"requests.new_received.total": rng.randint(0, 400), "requests.granted.total": rng.randint(0, 200),
                      "appeals.review.total": rng.randint(0, 9)}
            batch_reports.append({"id": rid, "agency_id": aid, "year": year, "variant": "", "identity": f"bench/{name}/{year}",
                                  "first_seen": now, "last_seen": now, "status": "changed" if edited else "unchanged",
                                  "status_run_id": 1, "latest_version": 2 if edited else 1})
            batch_versions.append({"id": rid, "report_id": rid, "number": 2 if edited else 1, "values_digest": str(rid),
                                   "values": values, "first_seen": now, "last_seen": now, "first_run_id": 1,
                                   "last_run_id": 1})
            region = region_of(name)
            title = f"{name}{year}年政府信息公开工作年度报告"
            batch_search.append({"report_id": rid, "version_id": rid, "site_id": 1, "agency_id": aid, "agency": name,
                                 "year": year, "template": "2021" if year >= 2021 else "2019",
                                 "failed_checks": 1 if rng.random() < 1 / 12 else 0, "province": region.province,
                                 "city": region.city, "county": region.county, "title": title,
                                 "text_chars": 0, "text_note": None})
            prose = generate_prose(rng, name, year, "2021", {}, {})
            batch_text.append((rid, "\n".join([title, name, *prose])))
            if len(batch_reports) >= 2000:
                flush()
    if batch_reports:
        flush()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--db", default=None, help="store URL (default sqlite:///data/bench-serve-N.sqlite)")
    ap.add_argument("--repeat", type=int, default=15)
    args = ap.parse_args()
    url = args.db or f"sqlite:///{REPO / 'data' / f'bench-serve-{args.n}.sqlite'}"
    engine = db.make_engine(url)
    ensure_tables(engine)
    with engine.connect() as conn:
        have = conn.execute(sa.select(sa.func.count()).select_from(SEARCH)).scalar_one()
    if have != args.n:
        if have:
            db.drop_all(engine)
            from crawler.web.fulltext import drop_tables

            drop_tables(engine)
        t0 = time.perf_counter()
        build(engine, args.n)
        if engine.dialect.name == "sqlite":  # searches must not read through a 700 MB write-ahead log
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        print(f"built {args.n} reports in {time.perf_counter() - t0:.0f} s ({url})")
    client = TestClient(create_app(WebConfig(engine, None, None)))
    print(f"{'query':<12} {'median ms':>10} {'p95 ms':>8}  target median < 300 ms")
    medians = []
    for kind, queries in QUERIES.items():
        times = []
        for params in queries:
            client.get("/", params=params)  # warm the page cache once
            for _ in range(args.repeat):
                t = time.perf_counter()
                r = client.get("/", params=params)
                times.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200
        times.sort()
        med = statistics.median(times)
        medians.append(med)
        print(f"{kind:<12} {med:>10.1f} {times[int(len(times) * 0.95) - 1]:>8.1f}  {'ok' if med < 300 else 'SLOW'}")
    print(f"overall median of kinds {statistics.median(medians):.1f} ms")


if __name__ == "__main__":
    main()
