"""httpx's own transport, whose first request goes over a TLS connection an earlier check verified.

Everything but the connect is httpx's and httpcore's: request and response mapping, HTTP/1.1
(`httpcore.HTTP11Connection`), exception mapping, the trace extension. Only the socket is
given: the tls check's, opened along the same proxy and verified with the same trust store that
this client would have used. Any other request, or one after the peer closed the connection,
takes httpx's normal pool.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
from collections.abc import Callable
from types import TracebackType
from typing import Any

import httpcore
import httpx

from llmdoctor.httpx_internals import replace_transport_pool, transport_pool


class SocketStream(httpcore.NetworkStream):
    """An open (TLS) socket as httpcore's network stream, with httpcore's error mapping."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            self._sock.settimeout(timeout)
            return self._sock.recv(max_bytes)
        except TimeoutError as exc:
            raise httpcore.ReadTimeout(exc) from exc
        except OSError as exc:
            raise httpcore.ReadError(exc) from exc

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        if not buffer:
            return
        try:
            self._sock.settimeout(timeout)
            self._sock.sendall(buffer)
        except TimeoutError as exc:
            raise httpcore.WriteTimeout(exc) from exc
        except OSError as exc:
            raise httpcore.WriteError(exc) from exc

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._sock.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("the handed-over connection already speaks TLS")  # never asked: https origin

    def get_extra_info(self, info: str) -> Any:
        if info == "ssl_object" and isinstance(self._sock, ssl.SSLSocket):
            return self._sock
        if info == "client_addr":
            return self._sock.getsockname()
        if info == "server_addr":
            return self._sock.getpeername()
        if info == "socket":
            return self._sock
        return None


class _FirstOverHandedConnection:
    """A pool in front of httpx's pool: the first request for `origin` uses the handed connection."""

    def __init__(self, sock: socket.socket, origin: httpcore.Origin, pool: Any,
                 when_idle: Callable[[socket.socket], None] | None) -> None:
        self._sock = sock
        self._connection: httpcore.HTTP11Connection | None = httpcore.HTTP11Connection(origin, SocketStream(sock))
        self._held: httpcore.HTTP11Connection | None = None
        self._pool = pool
        self._when_idle = when_idle
        self.used = False

    def handle_request(self, request: httpcore.Request) -> httpcore.Response:
        connection, self._connection = self._connection, None
        if connection is not None and connection.can_handle_request(request.url.origin):
            self.used, self._held = True, connection
            return connection.handle_request(request)
        if connection is not None:
            connection.close()
        return self._pool.handle_request(request)  # type: ignore[no-any-return]

    def close(self) -> None:
        held, self._held = self._held, None
        if held is not None and held.is_idle() and self._when_idle is not None:
            self._when_idle(self._sock)  # a finished keep-alive exchange: the next request may go over it too
        elif held is not None:
            held.close()
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        self._pool.close()

    def __enter__(self) -> _FirstOverHandedConnection:
        self._pool.__enter__()
        return self

    def __exit__(self, exc_type: type[BaseException] | None = None, exc_value: BaseException | None = None,
                 traceback: TracebackType | None = None) -> None:
        self.close()


def origin_of(url: str) -> httpcore.Origin:
    parsed = httpx.URL(url)
    return httpcore.Origin(parsed.raw_scheme, parsed.raw_host, parsed.port or (443 if parsed.scheme == "https" else 80))


class HandedTransport(httpx.HTTPTransport):
    """httpx.HTTPTransport(**options) whose first request to `url`'s origin goes over `sock`.

    `when_idle` gets the socket back when the exchange ended with the connection kept alive. If
    this httpx keeps its pool elsewhere, `sock` is closed and the transport connects as usual.
    """

    def __init__(self, sock: socket.socket, url: str, when_idle: Callable[[socket.socket], None] | None = None,
                 **options: Any) -> None:
        super().__init__(**options)
        pool = transport_pool(self)
        self._first: _FirstOverHandedConnection | None = None
        if callable(getattr(pool, "handle_request", None)):
            self._first = _FirstOverHandedConnection(sock, origin_of(url), pool, when_idle)
            replace_transport_pool(self, self._first)
        else:
            with contextlib.suppress(OSError):
                sock.close()

    @property
    def used(self) -> bool:
        """Whether a request went over the handed connection."""
        return self._first is not None and self._first.used
