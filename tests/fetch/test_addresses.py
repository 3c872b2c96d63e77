"""Which addresses a crawl may connect to: every kind of internal address is refused with its
name, globally routable ones pass, the operator's allowlist wins, embedded IPv4 is unwrapped."""

from __future__ import annotations

import pytest

from crawler.fetch.addresses import Allowlist, internal_kind, parse_hosts, parse_ip, refusal


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.0.0.2", "loopback"),
        ("::1", "loopback"),
        ("10.3.4.5", "private (RFC 1918)"),
        ("172.16.0.1", "private (RFC 1918)"),
        ("172.31.255.254", "private (RFC 1918)"),
        ("192.168.1.1", "private (RFC 1918)"),
        ("fd12:3456::1", "unique-local (ULA)"),
        ("100.64.0.1", "shared address space (CGNAT)"),
        ("100.127.255.254", "shared address space (CGNAT)"),
        ("169.254.169.254", "link-local"),  # the cloud metadata endpoint
        ("fe80::1", "link-local"),
        ("224.0.0.251", "multicast"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("0.1.2.3", "this network (0.0.0.0/8)"),
        ("255.255.255.255", "broadcast"),
        ("240.0.0.1", "reserved"),
        ("192.0.2.10", "reserved"),  # documentation
        ("198.18.0.1", "reserved"),  # benchmarking
        ("2001:db8::1", "reserved"),
    ],
)
def test_internal_kinds(address: str, kind: str) -> None:
    ip = parse_ip(address)
    assert ip is not None
    assert internal_kind(ip) == kind
    reason = refusal(address)
    assert reason is not None and kind in reason and address.split("/")[0] in reason


@pytest.mark.parametrize("address", ["202.96.134.133", "114.114.114.114", "8.8.8.8", "172.32.0.1",
                                     "100.128.0.1", "2400:3200::1", "240e:1::1"])
def test_global_addresses_pass(address: str) -> None:
    assert refusal(address) is None


@pytest.mark.parametrize(
    ("address", "inner"),
    [
        ("::ffff:127.0.0.1", "loopback"),
        ("::ffff:10.0.0.8", "private (RFC 1918)"),
        ("::ffff:169.254.169.254", "link-local"),
        ("64:ff9b::7f00:1", "loopback"),  # NAT64 of 127.0.0.1
        ("2002:a00:1::1", "private (RFC 1918)"),  # 6to4 of 10.0.0.1
    ],
)
def test_embedded_ipv4_is_judged_as_ipv4(address: str, inner: str) -> None:
    ip = parse_ip(address)
    assert ip is not None
    kind = internal_kind(ip)
    assert kind is not None and kind.startswith(inner) and "in IPv6" in kind


def test_mapped_public_address_passes() -> None:
    assert refusal("::ffff:202.96.134.133") is None


def test_allowlist() -> None:
    allow = Allowlist.parse(["127.0.0.1", "10.1.0.0/16", " ", "fd00::/8"])
    assert refusal("127.0.0.1", allow) is None
    assert refusal("::ffff:127.0.0.1", allow) is None  # the same host, written as IPv6
    assert refusal("10.1.200.3", allow) is None
    assert refusal("fd00::5", allow) is None
    assert refusal("127.0.0.2", allow) is not None  # a bare address allows only itself
    assert refusal("10.2.0.1", allow) is not None
    assert str(allow) == "127.0.0.1/32, 10.1.0.0/16, fd00::/8"
    assert str(Allowlist()) == "nothing"


@pytest.mark.parametrize("entry", ["localhost", "10.0.0.0/33", "example.gov.cn"])
def test_allowlist_names_a_bad_entry(entry: str) -> None:
    with pytest.raises(ValueError, match=entry.replace(".", r"\.")):
        Allowlist.parse([entry])


def test_parse_ip_forms() -> None:
    assert str(parse_ip("[::1]")) == "::1"
    assert str(parse_ip("fe80::1%eth0")) == "fe80::1"
    assert parse_ip("www.gov.cn") is None
    assert refusal("www.gov.cn") == "'www.gov.cn' is not an IP address"


def test_parse_hosts() -> None:
    assert parse_hosts(["Portal.Test.=127.0.0.2", "v6.test=[::1]"]) == {"portal.test": "127.0.0.2", "v6.test": "::1"}
    for bad in ("portal.test", "=127.0.0.1", "portal.test=not-an-ip"):
        with pytest.raises(ValueError, match="name=address"):
            parse_hosts([bad])
