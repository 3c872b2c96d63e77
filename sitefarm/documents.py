"""Report renderings for the farm: fast ones on the spot, slow ones (LibreOffice) batched and cached.

Portal generators ask for a rendering with :meth:`Documents.later`, which returns a
:class:`DocRef`; :meth:`Documents.resolve_all` renders everything still missing once all portals
are laid out, so the slow conversions run in one soffice call per format instead of one each.
Each rendering is cached under ``<cache>/docs`` by a hash of the spec, format, style and the
content generator's code, so a warm build never starts soffice.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SLOW_FORMATS = frozenset({"pdf", "doc", "wps", "xls", "scan-pdf"})


@dataclass(frozen=True)
class DocRef:
    """A rendering that will exist after :meth:`Documents.resolve_all`."""

    key: str
    fmt: str


def _content() -> Any:
    import sitefarm.content as content

    return content


def _content_version() -> str:
    h = hashlib.sha256()
    for path in sorted((Path(__file__).resolve().parent / "content").glob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


class Documents:
    """Renders specs through ``sitefarm.content`` and remembers slow renderings on disk."""

    def __init__(self, cache_dir: Path) -> None:
        self.dir = cache_dir / "docs"
        self.dir.mkdir(parents=True, exist_ok=True)
        self._version = _content_version()
        self._pending: dict[str, tuple[Any, str, str, int]] = {}
        self._done: dict[str, bytes] = {}
        self.rendered_slow = 0

    def _key(self, spec: Any, fmt: str, style: str, seed: int) -> str:
        text = repr((spec, fmt, style, seed, self._version))
        return hashlib.sha256(text.encode()).hexdigest()[:40] + "." + fmt

    def now(self, spec: Any, fmt: str, style: str = "word", seed: int = 0) -> bytes:
        """A fast rendering (HTML, body, DOCX, XLSX, text), made right away."""
        return bytes(_content().render(spec, fmt, style=style, rng=random.Random(seed)))

    def later(self, spec: Any, fmt: str, style: str = "word", seed: int = 0) -> DocRef:
        """Any rendering, made (or read from the cache) by :meth:`resolve_all`."""
        key = self._key(spec, fmt, style, seed)
        if key not in self._done and not (self.dir / key).exists():
            self._pending[key] = (spec, fmt, style, seed)
        return DocRef(key, fmt)

    def resolve_all(self) -> None:
        """Render every pending document, one ``render_batch`` call per format, so that LibreOffice
        starts once per format rather than once per document. (Two soffice runs side by side were
        measured no faster on the 2-core machines, so batches run one after another.)"""
        if not self._pending:
            return
        content = _content()
        by_fmt: dict[str, list[tuple[str, Any, str]]] = {}
        for key, (spec, fmt, style, _seed) in self._pending.items():
            by_fmt.setdefault(fmt, []).append((key, spec, style))
        for fmt, items in sorted(by_fmt.items()):
            outputs = content.render_batch([(spec, style) for _, spec, style in items], fmt)
            for (key, _, _), data in zip(items, outputs, strict=True):
                tmp = self.dir / f".{key}.tmp"
                tmp.write_bytes(bytes(data))
                tmp.replace(self.dir / key)
                self._done[key] = bytes(data)
        self.rendered_slow += len(self._pending)
        self._pending.clear()

    def data(self, ref: DocRef) -> bytes:
        found = self._done.get(ref.key)
        if found is None:
            path = self.dir / ref.key
            if not path.exists():
                raise RuntimeError(f"document {ref.key}: not rendered yet (call resolve_all first)")
            found = path.read_bytes()
            self._done[ref.key] = found
        return found

    @staticmethod
    def expected(spec: Any, fmt: str, style: str) -> Mapping[str, Any]:
        """What a correct parser reads from this rendering (the content package decides)."""
        return dict(_content().expected_values(spec, fmt, style))
