"""``python -m sitefarm build|serve``: build a farm into a directory, or serve it on loopback ports."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from pathlib import Path

from .build import build, ensure_build
from .config import FarmConfig
from .manifest import Manifest
from .server.chaos import ChaosConfig
from .server.run import FarmServer


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m sitefarm", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("build", "generate a farm into a directory"),
        ("serve", "build (if needed) and serve"),
    ):
        s = sub.add_parser(name, help=help_text)
        s.add_argument("--seed", default="1", help="generator seed (default 1)")
        s.add_argument("--as-of", default="2026-02-01", help="date the farm is seen on (default 2026-02-01)")
        s.add_argument(
            "--size", default="small", help="small, large (adds a ≥50,000-page portal) or a page count"
        )
        s.add_argument(
            "--out", type=Path, help="build directory (default: the cache, .cache/sitefarm/builds/…)"
        )
    serve = sub.choices["serve"]
    serve.add_argument("--build-dir", type=Path, help="serve this existing build instead of building")
    serve.add_argument(
        "--port-base", type=int, default=0, help="first port (portals take consecutive ports); 0 = random"
    )
    serve.add_argument("--challenge-ttl", type=float, help="seconds an anti-bot cookie stays valid")
    serve.add_argument(
        "--chaos",
        metavar="SEED:RATE[:KINDS]",
        type=ChaosConfig.parse,
        help="inject seeded transient faults into a share RATE of answers (sitefarm/server/chaos.py)",
    )
    serve.add_argument("--chaos-log", type=Path, help="append each injected fault to this JSONL file")
    serve.add_argument(
        "--ready-json", action="store_true", help="print one JSON line of URLs when ready (for tools)"
    )
    return p


def _build_dir(args: argparse.Namespace) -> Path:
    config = FarmConfig.parse(args.seed, args.as_of, args.size)
    log = (lambda msg: print(msg, file=sys.stderr)) if getattr(args, "ready_json", False) else print
    if args.out:
        if not (args.out / "DONE").exists():
            build(config, args.out, log=log)
        return Path(args.out)
    return ensure_build(config, log=log)


def describe(manifest: Manifest, base_urls: dict[str, str], control_url: str) -> str:
    """What a person reads after ``serve``: one block per portal."""
    lines = [
        f"sitefarm seed={manifest.seed} as_of={manifest.as_of} size={manifest.size}: "
        f"{len(manifest.reports)} reports on {len(manifest.portals)} portals",
        "",
    ]
    for p in manifest.portals:
        base = base_urls[p.id]
        extra = []
        if p.challenge:
            extra.append(f"anti-bot: {p.challenge} (open in a browser)")
        if p.client_rendered:
            extra.append("client-rendered (needs JavaScript)")
        lines.append(f"{p.id:8s} {base}{p.home}   {p.name} ({p.domain})")
        lines.append(f"         imitates: {p.imitates}")
        lines.append(
            f"         信息公开: {base}{p.disclosure}   年报: "
            + "  ".join(base + c for c in p.report_columns)
        )
        lines.append(
            f"         {len(manifest.reports_of(p.id))} reports" + ("; " + "; ".join(extra) if extra else "")
        )
        lines.append("")
    lines.append(f"control  {control_url}/log  {control_url}/portals  (POST {control_url}/reset)")
    lines.append("Ctrl-C stops.")
    return "\n".join(lines)


async def _serve(build_dir: Path, args: argparse.Namespace) -> None:
    server = FarmServer(
        build_dir,
        port_base=args.port_base,
        challenge_ttl=args.challenge_ttl,
        chaos=args.chaos,
        chaos_log=args.chaos_log,
    )
    urls = await server.start()
    if args.ready_json:
        print(json.dumps({"portals": urls, "control": server.control_url}), flush=True)
    else:
        print(describe(Manifest.load(build_dir / "manifest.json"), urls, server.control_url), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    if args.ready_json:
        loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not sys.stdin.readline() else None)
    await stop.wait()
    await server.stop()


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            print(_build_dir(args))
            return 0
        build_dir = args.build_dir or _build_dir(args)
        asyncio.run(_serve(Path(build_dir), args))
    except (ValueError, OSError) as exc:
        print(f"sitefarm: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
