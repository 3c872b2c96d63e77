"""Helpers shared by the challenges: cookie parsing, keyed MACs, and the hash the JS computes."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    """What a gate decided for one request: pass, or answer with this challenge."""

    passed: bool
    status: int = 200
    body: bytes = b""
    set_cookies: tuple[str, ...] = ()
    stage: str = ""


def parse_cookies(header: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for part in header.split(";"):
        name, sep, value = part.strip().partition("=")
        if sep and name:
            out[name] = value
    return out


def mac(secret: str, *parts: object) -> str:
    msg = "|".join(str(p) for p in parts).encode()
    return hmac.new(secret.encode(), msg, hashlib.sha256).hexdigest()


def fnv(text: str, offset: int) -> str:
    """32-bit FNV-1a over UTF-16 code units, as the challenge JS computes it with Math.imul."""
    x = offset & 0xFFFFFFFF
    units = text.encode("utf-16-le")
    for i in range(0, len(units), 2):
        x ^= units[i] | units[i + 1] << 8
        x = (x * 16777619) & 0xFFFFFFFF
    return f"{x:08x}"


def letters(hexdigits: str) -> str:
    """Hex digits mapped to a–p, so a MAC can be part of a JS identifier."""
    return "".join(chr(ord("a") + int(c, 16)) for c in hexdigits)


def obfuscate_string(text: str) -> str:
    """A JS expression that evaluates to ``text`` without the text appearing literally."""
    parts = []
    for i, ch in enumerate(text):
        code = ord(ch)
        if i % 3 == 0:
            parts.append(f"String.fromCharCode({code})")
        elif i % 3 == 1:
            parts.append(f"'\\x{code:02x}'" if code < 256 else f"'\\u{code:04x}'")
        else:
            parts.append(f"('{ch}')" if ch not in "'\\" else f"'\\x{code:02x}'")
    return "+".join(parts)
