"""One open connection passed along a target's chain, so a healthy run connects once, as the SDK does.

The tcp check (direct) or the proxy check (tunnel) leaves the connection it opened; the tls check
takes it for its handshake and leaves the verified TLS connection; the first API request
(net/http.py) sends over that. Without this a healthy run opened a connection per link: three
proxy tunnels and three TLS handshakes where the SDK and curl open one.

A connection is only handed to the next link when that link would open the very same one (same
proxy, host and port, same trust store); one the peer closed or wrote to meanwhile is dropped,
and whatever nobody took is closed when the target's checks end.
"""

from __future__ import annotations

import contextlib
import select
import socket
import ssl
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Route:
    """What a parked connection leads to: `stage` is "tcp", "tunnel" or "tls"."""

    stage: str
    via: str  # the proxy URL, or the address connected to directly
    host: str
    port: int


def _still_quiet(sock: socket.socket) -> bool:
    """True while the peer has neither closed the connection nor sent anything unasked."""
    try:
        if isinstance(sock, ssl.SSLSocket) and sock.pending():
            return False
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):  # closed, or a descriptor select() cannot take
        return False
    if not readable:
        return True
    return isinstance(sock, ssl.SSLSocket) and _only_tls_records(sock)


def _only_tls_records(sock: ssl.SSLSocket) -> bool:
    """A TLS 1.3 server sends session tickets after the handshake: readable, yet no data and no EOF."""
    timeout = sock.gettimeout()
    sock.setblocking(False)
    try:
        sock.recv(1)  # data (unasked) or b"" (closed): either way the connection is spoilt
    except ssl.SSLWantReadError:
        return True
    except OSError:
        return False
    finally:
        with contextlib.suppress(OSError):
            sock.settimeout(timeout)
    return False


class Handoff:
    """Parked connections of one target, by route; thread-safe, each connection taken at most once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._parked: dict[Route, socket.socket] = {}
        self._closed = False

    def leave(self, route: Route, sock: socket.socket) -> None:
        """Parks `sock` for the next link; an older one on the same route is closed."""
        with self._lock:
            old = self._parked.pop(route, None)
            if not self._closed:
                self._parked[route] = sock
                sock = None  # type: ignore[assignment]
        for leftover in (old, sock):
            if leftover is not None:
                with contextlib.suppress(OSError):
                    leftover.close()

    def take(self, route: Route) -> socket.socket | None:
        """The parked connection for `route`, if there is one still usable; the caller owns it."""
        with self._lock:
            sock = self._parked.pop(route, None)
        if sock is None:
            return None
        if _still_quiet(sock):
            return sock
        with contextlib.suppress(OSError):
            sock.close()
        return None

    def close(self) -> None:
        """Closes what nobody took; later `leave` calls close their connection at once."""
        with self._lock:
            parked, self._parked, self._closed = list(self._parked.values()), {}, True
        for sock in parked:
            with contextlib.suppress(OSError):
                sock.close()
