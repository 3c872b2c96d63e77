"""Farm configs parse CLI values and name the bad one; keyed generators are independent of order."""

from __future__ import annotations

from datetime import date

import pytest

from sitefarm.config import FarmConfig


def test_parse_values() -> None:
    cfg = FarmConfig.parse("7", "2027-02-01", "large")
    assert cfg == FarmConfig(7, date(2027, 2, 1), "large")
    assert cfg.bulk_pages == 50_000
    assert FarmConfig.parse(1, "2026-02-01", "1200").bulk_pages == 1200
    assert FarmConfig.parse().bulk_pages == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("x", "2026-02-01", "small"), "seed 'x'"),
        ((1, "2026-13-01", "small"), "as_of '2026-13-01'"),
        ((1, "2040-01-01", "small"), "as_of 2040-01-01"),
        ((1, "2026-02-01", "huge"), "size 'huge'"),
        ((1, "2026-02-01", "50"), "size '50'"),
    ],
)
def test_bad_values_name_the_input(args: tuple[object, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FarmConfig.parse(*args)  # type: ignore[arg-type]


def test_keyed_rng_is_stable_and_independent() -> None:
    a, b = FarmConfig(1), FarmConfig(1, date(2030, 1, 1))
    assert a.rng("x", 1).random() == b.rng("x", 1).random()
    assert a.rng("x", 1).random() != a.rng("x", 2).random()
    assert FarmConfig(2).rng("x", 1).random() != a.rng("x", 1).random()
