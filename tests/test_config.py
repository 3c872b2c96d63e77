"""The crawl settings object (crawler.config)."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.config import ConfigError, CrawlConfig


def test_env_then_overrides() -> None:
    env = {
        "NIANBAO_DB_URL": "postgresql+psycopg://u@127.0.0.1/x",
        "NIANBAO_MAX_PAGES": "50",
        "NIANBAO_YEARS": "2023,2024",
        "NIANBAO_OBEY_ROBOTS": "no",
        "NIANBAO_BROWSER": "0",
    }
    cfg = CrawlConfig.from_env(env, max_pages=10, archive_dir=Path("/tmp/w"))
    assert cfg.db_url.startswith("postgresql+psycopg://")
    assert cfg.max_pages == 10
    assert cfg.years == frozenset({2023, 2024})
    assert cfg.obey_robots is False
    assert cfg.archive_dir == Path("/tmp/w")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NIANBAO_MAX_PAGES": "many"}, "NIANBAO_MAX_PAGES='many': expected a int"),
        ({"NIANBAO_OBEY_ROBOTS": "perhaps"}, "NIANBAO_OBEY_ROBOTS='perhaps'"),
        ({"NIANBAO_DB_URL": "nianbao.sqlite"}, "db_url 'nianbao.sqlite'"),
        ({"NIANBAO_PER_HOST": "20", "NIANBAO_CONCURRENCY": "4"}, "per_host 20 is larger than concurrency 4"),
        ({"NIANBAO_YEARS": "23"}, "years [23]"),
        ({"NIANBAO_USER_AGENT": "年报爬虫"}, "must be non-empty ASCII"),
        (
            {"NIANBAO_CHROMIUM_PATH": "/nonexistent/chromium"},
            "chromium_path /nonexistent/chromium: not found",
        ),
    ],
)
def test_bad_values_name_the_setting(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        CrawlConfig.from_env({"NIANBAO_BROWSER": "0", **env} if "chromium_path" not in message else env)
