"""A whole-farm crawl, run once per database back end, in its own process (Twisted's reactor
cannot be restarted, and the crawl must not share the test process)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from sitefarm.serve import RunningFarm
from storage.db import make_engine


@dataclass
class FarmCrawl:
    farm: RunningFarm
    db_url: str
    archive: Path
    log: Path
    exit_code: int
    output: str


def run_crawl_process(farm: RunningFarm, db_url: str, folder: Path, *extra: str, timeout: int = 900) -> FarmCrawl:
    urls = [farm.manifest.home_url(p.id) for p in farm.manifest.portals]
    env = dict(os.environ, NIANBAO_LOG_DIR=str(folder / "logs"), NIANBAO_OPERATOR="pytest",
               NIANBAO_ALLOW_INTERNAL="127.0.0.1/32")
    proc = subprocess.run(
        [sys.executable, "-m", "crawler", "crawl", *urls, "--db", db_url, "--archive", str(folder / "warc"),
         "--quiet", *extra],
        capture_output=True, text=True, timeout=timeout, env=env, cwd=folder,
    )
    logs = sorted((folder / "logs").glob("crawl-*.jsonl"))
    return FarmCrawl(farm, db_url, folder / "warc", logs[-1] if logs else folder / "logs" / "none",
                     proc.returncode, proc.stdout + proc.stderr)


def _fresh_pg(url: str) -> str:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(scope="session", params=["sqlite", "postgres"])
def farm_crawl(request: pytest.FixtureRequest, sitefarm: RunningFarm, tmp_path_factory: pytest.TempPathFactory) -> FarmCrawl:
    folder = tmp_path_factory.mktemp(f"crawl-{request.param}")
    if request.param == "sqlite":
        db_url = f"sqlite:///{folder / 'nianbao.sqlite'}"
    else:
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgresql"):
            pytest.skip("DATABASE_URL is not a PostgreSQL URL (scripts/test.sh starts one)")
        db_url = _fresh_pg(url)
    sitefarm.reset()
    return run_crawl_process(sitefarm, db_url, folder)
