"""The site farm: a deterministic replica of Chinese government portals, served on loopback.

``python -m sitefarm build|serve`` (see ``__main__``), the pytest fixtures in
``sitefarm.pytest_plugin``, and for code::

    from sitefarm import FarmConfig, ensure_build, serve_in_process
    farm = serve_in_process(ensure_build(FarmConfig.parse(seed=1, as_of="2026-02-01")))
    farm.manifest.reports          # ground truth, URLs via farm.url(portal, path)

Report content comes from ``sitefarm.content``; portal styles live in ``sitefarm.portals``.
"""

from .build import build, ensure_build
from .config import FarmConfig
from .manifest import Manifest
from .serve import RunningFarm, serve_in_process, serve_in_thread

__all__ = [
    "FarmConfig",
    "Manifest",
    "RunningFarm",
    "build",
    "ensure_build",
    "serve_in_process",
    "serve_in_thread",
]
