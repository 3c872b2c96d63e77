"""Building a farm: run every portal generator, render documents, write routes, farm.json, manifest.

Layout of a build directory::

    farm.json                 server config: portals, gates, handler data
    manifest.json             ground truth (sitefarm.manifest)
    portals/<id>/routes.json  path → route (sitefarm.routes)
    blobs/<sha1>              bodies, content-addressed
    DONE                      written last: a build without it is incomplete
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .config import FarmConfig, cache_root, code_version
from .documents import Documents
from .manifest import Manifest
from .portal import BuildContext, PortalBuild
from .routes import BlobStore

Generator = Callable[[BuildContext], PortalBuild]


def generators(config: FarmConfig) -> list[Generator]:
    """Portal generators in build order (order matters only for placing known reports)."""
    from .portals import city, gkmlpt, hanweb, jiasule, ruishu, trs

    out: list[Generator] = [trs.build, ruishu.build, jiasule.build, gkmlpt.build, city.build, hanweb.build]
    from .portals import prov

    out.append(prov.build)
    from .portals import county

    out.append(county.build)
    if config.bulk_pages:
        from .portals import bulk

        out.append(bulk.build)
    return out


def _known_reports() -> list[tuple[str, Any]]:
    import sitefarm.content as content

    return list(zip(content.known_report_names(), content.known_reports(), strict=True))


def build(
    config: FarmConfig, out: Path, *, cache_dir: Path | None = None, log: Callable[[str], None] = print
) -> Manifest:
    """Write the farm for ``config`` into ``out`` (created; must not hold another build)."""
    started = time.monotonic()
    cache = cache_dir or cache_root()
    os.environ.setdefault("NIANBAO_CONTENT_CACHE", str(cache / "office"))
    out.mkdir(parents=True, exist_ok=True)
    secret = hashlib.sha256(f"sitefarm-secret|{config.seed}".encode()).hexdigest()
    ctx = BuildContext(config, Documents(cache), BlobStore(out / "blobs"), secret, _known_reports())
    built: list[PortalBuild] = []
    for gen in generators(config):
        pb = gen(ctx)
        built.append(pb)
        log(f"  portal {pb.info.id:8s} {len(pb.routes.routes):6d} routes, {len(pb.reports):4d} reports")
    pending = len(ctx.docs._pending)
    t0 = time.monotonic()
    ctx.docs.resolve_all()
    if pending:
        log(f"  rendered {pending} slow documents in {time.monotonic() - t0:.1f} s")
    portals_spec = []
    for pb in built:
        pb.resolve_docs()
        folder = out / "portals" / pb.info.id
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "routes.json").write_text(
            json.dumps(pb.routes.routes, ensure_ascii=False), encoding="utf-8"
        )
        portals_spec.append(pb.server_spec())
    (out / "farm.json").write_text(
        json.dumps({"portals": portals_spec, "config": config.key()}, ensure_ascii=False), encoding="utf-8"
    )
    manifest = _manifest(config, built)
    manifest.save(out / "manifest.json")
    (out / "DONE").write_text(f"{code_version()}\n", encoding="utf-8")
    log(
        f"built {config.key()} in {time.monotonic() - started:.1f} s: {len(manifest.reports)} reports, "
        f"{sum(len(pb.routes.routes) for pb in built)} routes"
    )
    return manifest


def _manifest(config: FarmConfig, built: list[PortalBuild]) -> Manifest:
    reports = tuple(r for pb in built for r in pb.reports)
    counts: dict[str, Any] = {
        "reports": len(reports),
        "reports_by_portal": dict(Counter(r.portal for r in reports)),
        "routes_by_portal": {pb.info.id: len(pb.routes.routes) for pb in built},
        "pages_by_portal": {
            pb.info.id: pb.data.get("bulk", {}).get("pages", len(pb.routes.routes)) for pb in built
        },
        "noise": len([n for pb in built for n in pb.noise]),
        "traps": len([t for pb in built for t in pb.traps]),
    }
    return Manifest(
        seed=config.seed,
        as_of=config.as_of.isoformat(),
        size=config.size,
        portals=tuple(pb.info for pb in built),
        reports=reports,
        noise=tuple(n for pb in built for n in pb.noise),
        traps=tuple(t for pb in built for t in pb.traps),
        browser_pages=tuple(b for pb in built for b in pb.browser_pages),
        changes=tuple(sorted((c for pb in built for c in pb.changes), key=lambda c: c.date)),
        counts=counts,
    )


def ensure_build(
    config: FarmConfig, *, cache_dir: Path | None = None, log: Callable[[str], None] = print
) -> Path:
    """The build dir of ``config`` in the cache, built now if missing or made by other code."""
    cache = cache_dir or cache_root()
    target = cache / "builds" / f"{config.key()}-{code_version()}"
    if (target / "DONE").exists():
        return target
    tmp = target.with_name(target.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    build(config, tmp, cache_dir=cache, log=log)
    if (target / "DONE").exists():  # another process won the race
        shutil.rmtree(tmp, ignore_errors=True)
    else:
        shutil.rmtree(target, ignore_errors=True)
        tmp.rename(target)
    _prune(target)
    return target


def _prune(current: Path, max_age: float = 3600.0) -> None:
    """Delete builds of the same config made by older code, once nobody is likely to serve them."""
    prefix = current.name.rsplit("-", 1)[0] + "-"
    for old in current.parent.glob(prefix + "*"):
        done = old / "DONE"
        if old != current and done.exists() and time.time() - done.stat().st_mtime > max_age:
            shutil.rmtree(old, ignore_errors=True)
