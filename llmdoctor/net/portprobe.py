"""What protocol does a port actually speak? Asked when a proxy's answer made no sense.

Two openers on fresh connections: a SOCKS5 greeting (a SOCKS server answers 0x05 ..,
an HTTP server waits for a line or answers 400), and an HTTP request (a SOCKS server hangs up at
once, a TLS server sends an alert). The HTTP opener is a credential-less `CONNECT` to the very
target the user's SDK wants, not `GET /`: a proxy that speaks both protocols on one port (pproxy)
hangs up on `GET /`, but answers CONNECT with 407 or an error status, and a proxy is never asked
to go anywhere the SDK would not go anyway.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import Callable
from dataclasses import dataclass

from llmdoctor.net.bounded import start_with_cap

SOCKS5_GREETING = b"\x05\x02\x00\x02"  # version 5, two methods: no auth, username/password

def http_opener(authority: str) -> bytes:
    if not authority:
        return b"GET / HTTP/1.0\r\n\r\n"
    return f"CONNECT {authority} HTTP/1.1\r\nHost: {authority}\r\n\r\n".encode("ascii", "replace")

DEFINITIVE = ("socks5", "http", "tls")


@dataclass(frozen=True)
class PortSpeaks:
    """`protocol` is socks5, http, tls, closed (hung up at once), silent (no answer) or unknown."""

    protocol: str
    detail: str = ""  # e.g. the SOCKS method chosen, the HTTP status line

    @property
    def definitive(self) -> bool:
        return self.protocol in DEFINITIVE


def _exchange(host: str, port: int, opener: bytes, timeout: float) -> bytes | None:
    """The first bytes answered to `opener`; b'' when the peer closed, None when it stayed silent."""
    try:
        sock = socket.create_connection((host, port), timeout=timeout)
    except OSError:
        return b""
    with contextlib.closing(sock):
        try:
            sock.sendall(opener)
            return sock.recv(256)
        except TimeoutError:
            return None
        except OSError:
            return b""


def _interpret(data: bytes | None) -> PortSpeaks:
    if data is None:
        return PortSpeaks("silent")
    if not data:
        return PortSpeaks("closed")
    if data[:1] == b"\x05" and len(data) >= 2:
        methods = {0: "no authentication", 2: "username/password", 0xFF: "no acceptable methods"}
        return PortSpeaks("socks5", methods.get(data[1], f"method {data[1]:#04x}"))
    if data.startswith(b"HTTP/"):
        return PortSpeaks("http", data.split(b"\r\n", 1)[0].decode("latin-1"))
    if data[:1] in (b"\x15", b"\x16") and data[1:2] == b"\x03":
        return PortSpeaks("tls", "TLS record")
    if data[:1] == b"\x04" or data[:2] == b"\x00\x5b":
        return PortSpeaks("unknown", "SOCKS4")
    return PortSpeaks("unknown", repr(data[:16]))


def _started(host: str, port: int, opener: bytes, timeout: float) -> Callable[[], PortSpeaks]:
    """Runs one exchange in a daemon thread now; the returned function waits for its answer."""
    # connect, send and recv each have `timeout`; the wait never lasts longer
    waiting = start_with_cap(lambda: _interpret(_exchange(host, port, opener, timeout)), 3 * timeout + 1.0,
                             "llmdoctor-portprobe")

    def answer() -> PortSpeaks:
        try:
            return waiting()
        except Exception:  # no answer in time (WallClockTimeout), or the exchange itself broke
            return PortSpeaks("silent")

    return answer


def probe_timeout(timeout: float) -> float:
    """How long a what-does-this-port-speak probe may wait: a live proxy answers in milliseconds, and a
    port that stayed silent for a whole --timeout will not answer a second opener either."""
    return min(1.0, max(0.5, timeout / 2))


def identify(host: str, port: int, timeout: float, first: str = "socks5", authority: str = "") -> PortSpeaks:
    """Probe with the `first` opener, then the other one; the first definitive answer wins.

    Both openers go out at once, each on its own connection: a silent port costs one timeout, not two,
    and a definitive first answer is returned without waiting for the second.
    """
    http = http_opener(authority)
    order = [SOCKS5_GREETING, http] if first == "socks5" else [http, SOCKS5_GREETING]
    pending = [_started(host, port, opener, timeout) for opener in order]
    answers = [pending[0]()]
    if not answers[0].definitive:
        answers.append(pending[1]())
    for answer in answers:
        if answer.definitive:
            return answer
    return answers[-1] if answers[-1].protocol != "closed" else answers[0]
