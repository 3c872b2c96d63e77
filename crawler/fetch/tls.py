"""Does an HTTPS host's certificate verify against the system's trust store?

Real .gov.cn portals often serve broken chains, expired or self-signed certificates. The crawl
does not let that stop it (Scrapy's default TLS context does not verify, the browser contexts
ignore HTTPS errors), but it records the problem: one verifying handshake per host, through the
crawl's proxy when it uses one, with the reason OpenSSL gives (``self-signed certificate``,
``certificate has expired``, ``unable to get local issuer certificate`` for a broken chain,
a hostname mismatch).

A second handshake was chosen over inspecting the certificate the crawl's own connection saw:
Scrapy exposes only the leaf certificate, and a chain cannot be judged from its leaf.
"""

from __future__ import annotations

import base64
import http.client
import socket
import ssl
from urllib.parse import unquote, urlsplit


def certificate_problem(host: str, port: int, proxy: str | None = None, timeout: float = 15.0,
                        context: ssl.SSLContext | None = None, address: str | None = None) -> str | None:
    """None when ``host:port`` presents a certificate that verifies for ``host``; else why not.

    ``proxy`` (``http://[user:pass@]host:port``) is tunnelled through with CONNECT, as the crawl's
    requests are. ``context`` defaults to the system trust store. A failure to connect at all is
    reported as such (``connect failed: …``): it says nothing about the certificate. ``address``
    (direct connections) is where to connect — the address the crawl's own connection was
    guarded for and made to — instead of looking ``host`` up again.
    """
    context = context or ssl.create_default_context()
    try:
        sock = _open(address or host, port, proxy, timeout)
    except (OSError, http.client.HTTPException) as e:
        return f"connect failed: {e}"
    try:
        with context.wrap_socket(sock, server_hostname=host):
            return None
    except ssl.SSLCertVerificationError as e:
        return str(e.verify_message or e.reason or e)
    except ssl.SSLError as e:
        return f"TLS handshake failed: {e.reason or e}"
    except OSError as e:
        return f"connect failed: {e}"
    finally:
        sock.close()


def _open(host: str, port: int, proxy: str | None, timeout: float) -> socket.socket:
    if not proxy:
        return socket.create_connection((host, port), timeout=timeout)
    parts = urlsplit(proxy)
    headers = {}
    if parts.username:
        token = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
        headers["Proxy-Authorization"] = "Basic " + base64.b64encode(token).decode("ascii")
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port or 80, timeout=timeout)
    conn.set_tunnel(host, port, headers=headers)
    conn.connect()  # sends CONNECT; raises OSError on a refused tunnel
    sock = conn.sock
    conn.sock = None  # the socket is ours now; closing the connection must not close it
    assert sock is not None
    return sock
