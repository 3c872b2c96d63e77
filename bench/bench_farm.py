"""How many requests per second the farm serves on loopback, so crawler throughput can be read against it.

    .venv/bin/python bench/bench_farm.py [--requests 20000] [--connections 32] [--size large]

Builds (or reuses) the farm, serves it in a child process, and fires a bounded number of GET
requests over keep-alive connections from an asyncio client in this process: static pages of
the city portal, and generated pages of the large portal. Prints requests/second per target.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
from urllib.parse import urlsplit

from sitefarm.build import ensure_build
from sitefarm.config import FarmConfig
from sitefarm.portals.bulk import article_path
from sitefarm.serve import RunningFarm, serve_in_process


async def _client(host: str, port: int, paths: list[str], counter: list[int]) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    for path in paths:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUser-Agent: bench\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        counter[0] += 1
    writer.close()


async def _run(base: str, paths: list[str], connections: int) -> tuple[int, float]:
    parts = urlsplit(base)
    counter = [0]
    chunks = [paths[i::connections] for i in range(connections)]
    started = time.perf_counter()
    await asyncio.gather(
        *(_client(parts.hostname or "127.0.0.1", parts.port or 80, c, counter) for c in chunks)
    )
    return counter[0], time.perf_counter() - started


def _paths(farm: RunningFarm, portal: str, n: int) -> list[str]:
    rng = random.Random(1)
    if portal == "bulk":
        as_of = FarmConfig.parse(as_of=farm.manifest.as_of).as_of
        per = farm.manifest.counts["pages_by_portal"]["bulk"] // 52
        pool = [article_path(as_of, rng.randrange(1, 50), rng.randrange(per)) for _ in range(2000)]
        pool += [f"/c{rng.randrange(1, 50):02d}/index_{rng.randrange(1, 40)}.html" for _ in range(500)]
    else:
        pool = [
            loc.path for r in farm.manifest.reports_of(portal) for loc in r.locations if loc.kind == "article"
        ]
    return [rng.choice(pool) for _ in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=20000)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--size", default="large")
    args = ap.parse_args()
    config = FarmConfig.parse(size=args.size)
    started = time.perf_counter()
    build_dir = ensure_build(config, log=lambda m: None)
    print(
        f"build ({config.key()}): {time.perf_counter() - started:.1f} s; "
        f"bulk portal pages: {config.bulk_pages}"
    )
    farm = serve_in_process(build_dir)
    try:
        for portal in ("city", "bulk"):
            paths = _paths(farm, portal, args.requests)
            done, elapsed = asyncio.run(_run(farm.base_urls[portal], paths, args.connections))
            print(
                f"{portal:5s}: {done} requests over {args.connections} keep-alive connections in {elapsed:.2f} s "
                f"= {done / elapsed:,.0f} requests/s"
            )
    finally:
        farm.stop()


if __name__ == "__main__":
    main()
