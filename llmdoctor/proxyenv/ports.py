"""Who listens on the usual local proxy ports — on 127.0.0.1 and nowhere else.

Each port gets a TCP connect with a short timeout (all ports at once); an open port then gets two
tiny probes on fresh connections: a SOCKS5 greeting offering "no auth" and "user/password"
(`05 02 00 02`; a SOCKS5 server answers `05 xx`, even one that wants a login) and a proxy request
for `http://127.0.0.1:9/` (the discard port, so the proxy's own attempt stays on loopback and
fails fast; an HTTP proxy answers `HTTP/…`, e.g. 502 or 407). Clash's mixed port answers both.
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


def identify(port: int, timeout: float = 0.5) -> str:
    socks = _exchange(port, b"\x05\x02\x00\x02", timeout).startswith(b"\x05")
    http = _exchange(port, b"GET http://127.0.0.1:9/ HTTP/1.1\r\nHost: 127.0.0.1:9\r\nConnection: close\r\n\r\n",
                     timeout).startswith(b"HTTP/")
    if socks and http:
        return "mixed"
    return "socks5" if socks else ("http" if http else "unknown")


def _one(port: int, timeout: float, probe: bool) -> Listener | None:
    if not is_listening(port, timeout):
        return None
    kind = identify(port, max(timeout, 0.3)) if probe else "unknown"
    return Listener(port, kind, KNOWN_PORTS.get(port, f"port {port}"))


def scan(ports: Iterable[int] = DEFAULT_PORTS, timeout: float = 0.3, probe: bool = True) -> list[Listener]:
    """The listeners among `ports` on 127.0.0.1, in port order."""
    wanted = sorted({p for p in ports if 0 < p < 65536})
    if not wanted:
        return []
    with ThreadPoolExecutor(max_workers=min(16, len(wanted))) as pool:
        found = list(pool.map(lambda p: _one(p, timeout, probe), wanted))
    return [listener for listener in found if listener is not None]
