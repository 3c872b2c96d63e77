"""Line charts as SVG geometry, computed on the server so the compare page needs no JavaScript."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Chart:
    """An SVG line chart: the polyline, its points with their labels, and the axis ticks."""

    width: int
    height: int
    polyline: str
    """``x,y x,y …`` of the known values (a gap where a year has none)."""
    points: list[tuple[float, float, str, str]]
    """(x, y, year label, value label) of every known value."""
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]


def line_chart(
    xs: Sequence[int], ys: Sequence[Any], *, width: int = 480, height: int = 200, pad: int = 36
) -> Chart:
    """A chart of ``ys`` over ``xs``; non-numeric values are left out."""
    known = [(x, float(y)) for x, y in zip(xs, ys, strict=True) if isinstance(y, int | float) and not isinstance(y, bool)]
    lo = min((y for _, y in known), default=0.0)
    hi = max((y for _, y in known), default=1.0)
    lo = min(lo, 0.0)
    hi = hi if hi > lo else lo + 1.0
    n = max(len(xs) - 1, 1)
    index = {x: i for i, x in enumerate(xs)}

    def px(x: int) -> float:
        return round(pad + (width - 2 * pad) * (index[x] / n if len(xs) > 1 else 0.5), 1)

    def py(y: float) -> float:
        return round(height - pad - (height - 2 * pad) * (y - lo) / (hi - lo), 1)

    points = [(px(x), py(y), str(x), _fmt(y)) for x, y in known]
    ticks = [lo + (hi - lo) * i / 4 for i in range(5)]
    return Chart(
        width, height, " ".join(f"{x},{y}" for x, y, _, _ in points), points,
        [(px(x), str(x)) for x in xs], [(py(t), _fmt(t)) for t in ticks],
    )


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.2f}"
