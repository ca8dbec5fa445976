"""Who listens on the usual local proxy ports — on 127.0.0.1 and nowhere else.

Each port gets a TCP connect with a short timeout (all ports at once); an open port then gets two
tiny probes on fresh connections: a SOCKS5 greeting offering "no auth" and "user/password"
(`05 02 00 02`; a SOCKS5 server answers `05 xx`, even one that wants a login) and
`CONNECT 127.0.0.1:9` (the discard port, so the proxy's own attempt stays on loopback and fails fast).
Clash's mixed port answers both.

A port counts as a proxy only when it answers as one: a SOCKS5 method reply, or to CONNECT a status only
a proxy gives (200 tunnel, 407 login, 403 refused by its rules, 500/502/503/504 could not reach port 9).
A web server (`python -m http.server 8080`, nginx) answers CONNECT with 400, 404, 405 or 501: not a
proxy, and never suggested as one.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

LOOPBACK = "127.0.0.1"  # the only address this module ever connects to
KNOWN_PORTS: dict[int, str] = {
    7890: "Clash (mixed port)", 7891: "Clash (SOCKS port)", 7897: "Clash Verge (mixed port)",
    1080: "SOCKS proxy (Shadowsocks…)", 10808: "v2rayN (SOCKS)", 10809: "v2rayN (HTTP)",
    20170: "v2rayA (SOCKS)", 20171: "v2rayA (HTTP)", 20172: "v2rayA (HTTP, rules)",
    1086: "ShadowsocksX-NG (SOCKS)", 1087: "ShadowsocksX-NG (HTTP)", 8080: "HTTP proxy (8080)",
    8118: "Privoxy", 8888: "Charles / Fiddler / tinyproxy", 3128: "Squid",
    # more desktop proxy apps' defaults (their docs): Surge, Qv2ray, NekoRay / sing-box, Hiddify, Fiddler
    # Everywhere, whistle
    6152: "Surge (HTTP)", 6153: "Surge (SOCKS)", 8889: "Qv2ray (HTTP)", 1089: "Qv2ray (SOCKS)",
    2080: "NekoRay / sing-box (mixed)", 12334: "Hiddify (mixed)", 8866: "Fiddler Everywhere", 8899: "whistle",
    # Tor's SOCKS port, the daemon's and Tor Browser's (torrc SocksPort defaults)
    9050: "Tor (SOCKS)", 9150: "Tor Browser (SOCKS)",
}
DEFAULT_PORTS = tuple(KNOWN_PORTS)


@dataclass(frozen=True)
class Listener:
    port: int
    kind: str  # "http", "socks5", "mixed", "unknown"
    label: str

    @property
    def suggested_url(self) -> str:
        scheme = "socks5h" if self.kind == "socks5" else "http"
        return f"{scheme}://{LOOPBACK}:{self.port}"

    def to_dict(self) -> dict[str, object]:
        return {"address": f"{LOOPBACK}:{self.port}", "kind": self.kind, "label": self.label,
                "suggested_url": self.suggested_url}


def _exchange(port: int, payload: bytes, timeout: float) -> bytes:
    try:
        with socket.create_connection((LOOPBACK, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            sock.sendall(payload)
            return sock.recv(16)
    except OSError:
        return b""


def is_listening(port: int, timeout: float = 0.3) -> bool:
    try:
        with socket.create_connection((LOOPBACK, port), timeout=timeout):
            return True
    except OSError:
        return False


# What an HTTP proxy answers to `CONNECT 127.0.0.1:9` (see the module docstring).
PROXY_STATUSES = frozenset({200, 403, 407, 500, 502, 503, 504})


def answers_as_proxy(reply: bytes) -> bool:
    """True for a status line that only a proxy gives to CONNECT."""
    parts = reply.split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/1."):
        return False
    return parts[1].isdigit() and int(parts[1]) in PROXY_STATUSES


def identify(port: int, timeout: float = 0.5) -> str:
    """"mixed", "socks5", "http", or "unknown" (not a proxy: a web server, or silence)."""
    socks = _exchange(port, b"\x05\x02\x00\x02", timeout).startswith(b"\x05")
    http = answers_as_proxy(_exchange(port, b"CONNECT 127.0.0.1:9 HTTP/1.1\r\nHost: 127.0.0.1:9\r\n\r\n", timeout))
    if not http:  # a proxy that only forwards plain HTTP still asks for its login (407: never a web server's)
        http = _exchange(port, b"GET http://127.0.0.1:9/ HTTP/1.1\r\nHost: 127.0.0.1:9\r\nConnection: close\r\n\r\n",
                         timeout).split(b" ", 2)[1:2] == [b"407"]
    if socks and http:
        return "mixed"
    return "socks5" if socks else ("http" if http else "unknown")


def _one(port: int, timeout: float, probe: bool) -> Listener | None:
    if not is_listening(port, timeout):
        return None
    kind = identify(port, max(timeout, 0.3)) if probe else "unknown"
    if probe and kind == "unknown":
        return None  # something listens, but it does not speak a proxy protocol
    return Listener(port, kind, KNOWN_PORTS.get(port, f"port {port}"))


def scan(ports: Iterable[int] = DEFAULT_PORTS, timeout: float = 0.3, probe: bool = True) -> list[Listener]:
    """The proxies among `ports` on 127.0.0.1 (with `probe`, only ports that answer as one), in port order."""
    wanted = sorted({p for p in ports if 0 < p < 65536})
    if not wanted:
        return []
    with ThreadPoolExecutor(max_workers=min(16, len(wanted))) as pool:
        found = list(pool.map(lambda p: _one(p, timeout, probe), wanted))
    return [listener for listener in found if listener is not None]
