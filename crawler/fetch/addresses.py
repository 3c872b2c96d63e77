"""Which addresses a crawl may connect to: only globally routable ones, unless the operator allows more.

A portal nobody controls can link or redirect to ``http://10.0.0.5/``, to ``169.254.169.254``
(cloud metadata), or to a name whose DNS answer is ``127.0.0.1``. The crawler runs inside
newsrooms' and universities' networks, so such a request would reach machines the portal's
author could never reach. Every address that is not globally routable is refused, with the
reason named: loopback, private (RFC 1918), unique-local (ULA), link-local, multicast, shared
(CGNAT, 100.64/10), unspecified or "this network", and the other reserved ranges. IPv6
addresses that carry an IPv4 address (IPv4-mapped ``::ffff:a.b.c.d``, NAT64 ``64:ff9b::/96``,
6to4 ``2002::/16``) are judged by the IPv4 address they carry. The operator's allowlist
(``--allow-internal CIDR``) is checked first.

Pure: no lookups here (the resolver and the browser guard resolve, then ask :func:`refusal`).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("unspecified", ("0.0.0.0/32", "::/128")),
    ("this network (0.0.0.0/8)", ("0.0.0.0/8",)),
    ("loopback", ("127.0.0.0/8", "::1/128")),
    ("private (RFC 1918)", ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")),
    ("unique-local (ULA)", ("fc00::/7",)),
    ("shared address space (CGNAT)", ("100.64.0.0/10",)),
    ("link-local", ("169.254.0.0/16", "fe80::/10")),
    ("multicast", ("224.0.0.0/4", "ff00::/8")),
    ("broadcast", ("255.255.255.255/32",)),
)
"""Named kinds of internal address, in the order they are told apart; any other address that is
not globally routable (documentation, benchmarking, 240/4, site-local…) is ``reserved``."""

_NETWORKS: tuple[tuple[str, tuple[IPNetwork, ...]], ...] = tuple(
    (kind, tuple(ipaddress.ip_network(n) for n in nets)) for kind, nets in _KINDS
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def parse_ip(text: str) -> IPAddress | None:
    """The address ``text`` names (IPv6 with or without brackets, zone id dropped), or None."""
    text = text.strip().strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (IPv4-mapped, NAT64 well-known prefix, 6to4)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return ip.sixtofour


def internal_kind(ip: IPAddress) -> str | None:
    """What kind of internal address ``ip`` is (``"loopback"``, ``"private (RFC 1918)"``…), or
    None for a globally routable one."""
    inner = embedded_ipv4(ip)
    if inner is not None:
        kind = internal_kind(inner)
        return f"{kind} (in IPv6 {ip})" if kind else None
    for kind, networks in _NETWORKS:
        if any(ip in net for net in networks if net.version == ip.version):
            return kind
    return None if ip.is_global else "reserved"


@dataclass(frozen=True)
class Allowlist:
    """Networks the operator allows despite being internal (``--allow-internal CIDR``)."""

    networks: tuple[IPNetwork, ...] = ()

    @classmethod
    def parse(cls, entries: Iterable[str]) -> Allowlist:
        """From CIDR texts (a bare address means just it); ValueError names a bad entry."""
        nets = []
        for entry in entries:
            text = entry.strip()
            if not text:
                continue
            try:
                nets.append(ipaddress.ip_network(text.strip("[]"), strict=False))
            except ValueError:
                raise ValueError(f"{entry!r} is not an address or CIDR network (e.g. 10.1.2.0/24)") from None
        return cls(tuple(nets))

    def allows(self, ip: IPAddress) -> bool:
        candidates = [ip] + ([inner] if (inner := embedded_ipv4(ip)) is not None else [])
        return any(c in net for c in candidates for net in self.networks if net.version == c.version)

    def __str__(self) -> str:
        return ", ".join(str(n) for n in self.networks) or "nothing"


def refusal(ip: IPAddress | str, allow: Allowlist | None = None) -> str | None:
    """Why a connection to ``ip`` is refused (one line naming the address and its kind), or None
    when it is globally routable or allowed."""
    address = parse_ip(ip) if isinstance(ip, str) else ip
    if address is None:
        return f"{ip!r} is not an IP address"
    if allow is not None and allow.allows(address):
        return None
    kind = internal_kind(address)
    if kind is None:
        return None
    return f"{address} is {kind}; internal addresses are refused (allow with --allow-internal)"


def parse_hosts(entries: Iterable[str]) -> dict[str, str]:
    """``name=address`` entries as a mapping (names lower-cased); ValueError names a bad entry."""
    hosts: dict[str, str] = {}
    for entry in entries:
        name, sep, address = entry.strip().partition("=")
        ip = parse_ip(address) if sep else None
        if not name.strip() or ip is None:
            raise ValueError(f"{entry!r}: expected name=address, e.g. www.example.gov.cn=203.0.113.7")
        hosts[name.strip().lower().rstrip(".")] = str(ip)
    return hosts
