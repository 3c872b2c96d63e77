"""Pytest fixtures serving the farm on loopback (register with ``-p sitefarm.pytest_plugin``).

``sitefarm``          session-wide farm as of 2026-02-01 (seed 1, small), served from a child process
``sitefarm_factory``  call with ``as_of=``/``seed=``/``size=``/``challenge_ttl=`` for another farm;
                      farms are built once (cached under ``.cache/sitefarm``) and stopped at session end

Both yield :class:`sitefarm.serve.RunningFarm` (``.manifest`` bound to the served URLs,
``.url(portal, path)``, ``.requests(portal)``, ``.reset()``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

import pytest

from .build import ensure_build
from .config import DEFAULT_AS_OF, FarmConfig
from .serve import RunningFarm, serve_in_process

FarmFactory = Callable[..., RunningFarm]


def _log(message: str) -> None:
    print(f"[sitefarm] {message}", file=sys.stderr)


@pytest.fixture(scope="session")
def sitefarm_factory() -> Iterator[FarmFactory]:
    """Serve farms on demand; the same arguments give the same running farm."""
    running: dict[tuple[object, ...], RunningFarm] = {}

    def make(
        *,
        seed: int = 1,
        as_of: str = DEFAULT_AS_OF.isoformat(),
        size: str = "small",
        challenge_ttl: float | None = None,
    ) -> RunningFarm:
        key = (seed, as_of, size, challenge_ttl)
        if key not in running:
            config = FarmConfig.parse(seed, as_of, size)
            running[key] = serve_in_process(ensure_build(config, log=_log), challenge_ttl=challenge_ttl)
        return running[key]

    yield make
    for farm in running.values():
        farm.stop()


@pytest.fixture(scope="session")
def sitefarm(sitefarm_factory: FarmFactory) -> RunningFarm:
    """The default farm (seed 1, as of 2026-02-01, small), served for the whole session."""
    return sitefarm_factory()
