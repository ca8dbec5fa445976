"""Opens the tunnel the user's SDK would open through a proxy, step by step, each step timed and bounded.

We speak the proxy protocols ourselves (h11 for HTTP CONNECT, socksio for SOCKS5) instead of going
through httpx, because httpx hides the proxy's answer behind a one-line ProxyError and has no
timeout on the SOCKS5 handshake at all (encode/httpcore#1015). Each failure becomes a
`ProxyProblem` carrying a cause id, so the proxy, tcp and tls checks tell the same story.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import time
from dataclasses import dataclass, field
from typing import Any

from llmdoctor.net.bounded import WallClockTimeout, call_with_cap
from llmdoctor.net.proxytypes import ProxyEndpoint, ProxyProblem, ms_since
from llmdoctor.secrets import redact_url
from llmdoctor.signatures.errnos import is_unreachable
from llmdoctor.urls import ip_or_none

__all__ = ["ProxyEndpoint", "ProxyProblem", "Tunnel", "connect_tcp", "connect_to_proxy", "ms_since", "open_tunnel",
           "wrap_proxy_tls"]


@dataclass
class Tunnel:
    """An open tunnel (or direct socket) to the target, and what it took to get there."""

    sock: socket.socket
    timings: dict[str, float] = field(default_factory=dict)  # ms
    facts: dict[str, Any] = field(default_factory=dict)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()


def connect_tcp(host: str, port: int, timeout: float) -> socket.socket:
    """`socket.create_connection` with the name lookup bounded too (getaddrinfo has no timeout).

    An address (a local proxy at 127.0.0.1:7890) needs no lookup: it connects in this thread, bounded
    by the socket's own timeout. The capped call's thread would cost a thread start before the
    CONNECT goes out, 5-30 ms when many threads want the GIL (eight targets)."""
    if ip_or_none(host) is not None:
        return socket.create_connection((host, port), timeout=timeout)
    return call_with_cap(lambda: socket.create_connection((host, port), timeout=timeout), timeout + 0.5,
                         name="llmdoctor-connect")


def connect_to_proxy(proxy: ProxyEndpoint, timeout: float) -> tuple[socket.socket, float]:
    """TCP to the proxy itself; refused, timeout and unreachable all mean `proxy.unreachable`."""
    start = time.perf_counter()
    where = proxy.address
    start_hint = (f"Start your proxy program so that it listens on {where} (Clash listens on 127.0.0.1:7890, "
                  "v2rayN on 127.0.0.1:10808), or fix the port in the proxy variable; or unset the proxy "
                  "variables (or pass --no-proxy) if you want a direct connection.")
    try:
        sock = connect_tcp(proxy.host, proxy.port, timeout)
    except ConnectionRefusedError as exc:
        raise ProxyProblem("proxy.unreachable", f"the proxy {proxy.redacted} refused the connection: nothing "
                           f"listens on {where} (is the proxy program running?)", start_hint,
                           {"error": "refused", "errno": exc.errno}) from None
    except (TimeoutError, WallClockTimeout):
        raise ProxyProblem("proxy.unreachable", f"the proxy {proxy.redacted} did not accept a TCP connection "
                           f"within {timeout:.1f} s (wrong address, a firewall, or a VPN that is down)",
                           f"Check that {where} is the right proxy address and reachable from this machine.",
                           {"error": "timeout"}) from None
    except socket.gaierror as exc:
        raise ProxyProblem("proxy.unreachable", f"the proxy's host name {proxy.host!r} cannot be resolved ({exc})",
                           "Fix the host in the proxy URL (use an IP address such as 127.0.0.1 for a local proxy).",
                           {"error": "dns", "errno": exc.errno}) from None
    except OSError as exc:
        kind = "unreachable" if is_unreachable(exc.errno) else "error"
        raise ProxyProblem("proxy.unreachable", f"the proxy {proxy.redacted} cannot be reached "
                           f"({exc.strerror or exc})", f"Check that {where} is reachable from this machine.",
                           {"error": kind, "errno": exc.errno}) from None
    return sock, ms_since(start)


def wrap_proxy_tls(sock: socket.socket, proxy: ProxyEndpoint, context: ssl.SSLContext, timeout: float,
                   authority: str) -> socket.socket:
    """An https:// proxy: TLS to the proxy first. A plain-HTTP proxy answers WRONG_VERSION_NUMBER."""
    sock.settimeout(timeout)
    plain = proxy.url.replace("https://", "http://", 1)
    try:
        return context.wrap_socket(sock, server_hostname=proxy.host)
    except ssl.SSLError as exc:
        sock.close()
        if "WRONG_VERSION_NUMBER" in str(exc) or "wrong version number" in str(exc):
            raise ProxyProblem("proxy.protocol_mismatch", f"the proxy URL says https://, but {proxy.address} speaks "
                               "plain HTTP (TLS failed with WRONG_VERSION_NUMBER)",
                               f"Use an http:// proxy URL: {redact_url(plain)} (most local proxies, Clash and "
                               "v2ray included, speak plain HTTP).", {"speaks": "http"}) from None
        raise ProxyProblem("proxy.protocol_mismatch", f"TLS to the https:// proxy {proxy.address} failed ({exc})",
                           f"Check the proxy URL's scheme; try {redact_url(plain)}.", {}) from None
    except (TimeoutError, OSError) as exc:
        sock.close()
        from llmdoctor.net.portprobe import identify, probe_timeout

        if identify(proxy.host, proxy.port, probe_timeout(timeout), "http", authority).protocol == "http":
            raise ProxyProblem("proxy.protocol_mismatch", f"the proxy URL says https://, but {proxy.address} speaks "
                               "plain HTTP (it never answered the TLS handshake)",
                               f"Use an http:// proxy URL: {redact_url(plain)}", {"speaks": "http"}) from None
        raise ProxyProblem("proxy.not_responding", f"the https:// proxy {proxy.address} accepted TCP but the TLS "
                           f"handshake did not complete ({exc or 'timed out'})",
                           "Check the proxy URL's scheme and that the proxy is healthy.", {}) from None


def open_tunnel(proxy_url: str, host: str, port: int, timeout: float,
                proxy_tls: ssl.SSLContext | None = None) -> Tunnel:
    """Connect to the proxy and ask it for a tunnel to host:port, as httpx/httpcore would.

    Raises ProxyProblem; the returned socket is ready for TLS to the target.
    """
    proxy = ProxyEndpoint.parse(proxy_url)
    sock, connect_ms = connect_to_proxy(proxy, timeout)
    # Loaded once the connection is open (h11 alone is ~15 ms): the first round trip does not wait for it.
    from llmdoctor.net import httpconnect, socks
    timings = {"proxy_connect_ms": connect_ms}
    try:
        if proxy.is_socks:
            facts = socks.handshake(sock, proxy, host, port, timeout, timings)
        else:
            if proxy.scheme == "https":
                start = time.perf_counter()
                authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
                sock = wrap_proxy_tls(sock, proxy, proxy_tls or ssl.create_default_context(), timeout, authority)
                timings["proxy_tls_ms"] = ms_since(start)
            facts = httpconnect.connect(sock, proxy, host, port, timeout, timings)
    except BaseException:
        sock.close()
        raise
    with contextlib.suppress(OSError):  # the tcp check reports this connection instead of opening another
        facts = {**facts, "proxy_connected_to": str(sock.getpeername()[0])}
    return Tunnel(sock, timings, facts)
