"""The site registry (``sites.toml``): portals the crawler knows by name.

Each entry: ``name``, ``url`` (home page), optional ``domains`` (further host[:port] in scope),
``hints`` (known annual-report column URLs: they speed a crawl up, discovery does not need
them), ``verified`` (false for real portals nobody has crawled from here), ``farm`` (the
site-farm portal id, for entries that point at ``python -m sitefarm serve --port-base 18700``)
and ``notes``. A bare URL works wherever a key does.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

from crawler.context import Target


class RegistryError(ValueError):
    """An unknown site or a malformed registry entry; the message names it."""


@dataclass(frozen=True)
class SiteEntry:
    key: str
    name: str
    url: str
    domains: tuple[str, ...] = ()
    hints: tuple[str, ...] = ()
    verified: bool = False
    farm: str | None = None
    notes: str = ""

    def target(self) -> Target:
        return Target.from_url(self.url, self.key, self.name, self.domains, self.hints)


def default_path() -> Path:
    return Path(str(files("crawler").joinpath("sites.toml")))


def load(path: Path | None = None) -> dict[str, SiteEntry]:
    """Every entry of the registry, validated."""
    path = path or default_path()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise RegistryError(f"{path}: {e}") from None
    out = {}
    for key, raw in (data.get("sites") or {}).items():
        if not isinstance(raw, dict):
            raise RegistryError(f"{path}: sites.{key}: expected a table")
        unknown = set(raw) - {"name", "url", "domains", "hints", "verified", "farm", "notes"}
        if unknown:
            raise RegistryError(f"{path}: sites.{key}: unknown field(s) {sorted(unknown)}")
        url = raw.get("url", "")
        if urlsplit(url).scheme not in ("http", "https") or not urlsplit(url).netloc:
            raise RegistryError(f"{path}: sites.{key}: url {url!r} is not an http(s) URL")
        if not raw.get("name"):
            raise RegistryError(f"{path}: sites.{key}: name is missing")
        for hint in raw.get("hints", []):
            if urlsplit(hint).netloc not in {urlsplit(url).netloc, *raw.get("domains", [])}:
                raise RegistryError(f"{path}: sites.{key}: hint {hint} is outside the site's domains")
        out[key] = SiteEntry(key, raw["name"], url, tuple(raw.get("domains", [])), tuple(raw.get("hints", [])),
                             bool(raw.get("verified", False)), raw.get("farm"), raw.get("notes", ""))
    return out


def resolve(args: list[str], path: Path | None = None) -> list[Target]:
    """Targets for command-line arguments: registry keys or bare http(s) URLs."""
    registry: dict[str, SiteEntry] | None = None
    targets = []
    for arg in args:
        if urlsplit(arg).scheme in ("http", "https") and urlsplit(arg).netloc:
            targets.append(Target.from_url(arg))
            continue
        registry = registry if registry is not None else load(path)
        if arg not in registry:
            raise RegistryError(f"unknown site {arg!r}: not a key of {path or default_path()} and not an http(s) URL")
        targets.append(registry[arg].target())
    return targets
