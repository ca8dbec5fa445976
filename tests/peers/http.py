"""A real threaded HTTP/HTTPS server on loopback whose answers a test decides per request.

Gotchas it handles (RECIPES §3): the TLS handshake runs in the handler thread, not in
`accept()`, so a silent client cannot block others; Nagle is off, or every TLS response
pays ~43 ms of delayed-ACK; `serve_forever` polls every 50 ms so `stop()` is quick; handler
threads are daemons and every sleep waits on the stop event, so a sleeping handler never
holds up teardown.
"""

from __future__ import annotations

import contextlib
import io
import json
import socket
import socketserver
import ssl
import sys
import threading
import traceback
import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, BinaryIO

JsonValue = dict[str, Any] | list[Any]
BodyPart = bytes | str | float | int
Body = bytes | str | JsonValue | Iterable[BodyPart]
RawWriter = Callable[[BinaryIO], None]

_HANDSHAKE_TIMEOUT = 5.0  # a stuck client gives up its handler thread after this
_SOCKET_TIMEOUT = 10.0  # per read/write on an established connection


class Headers(dict[str, str]):
    """Request headers with lower-cased keys; lookups ignore case (`h["Authorization"]`)."""

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key.lower())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and super().__contains__(key.lower())

    def get(self, key: str, default: Any = None) -> Any:
        return super().get(key.lower(), default)


@dataclass
class Request:
    """What the server saw: a test asserts on this instead of trusting the client."""

    method: str
    path: str
    headers: Headers
    body: bytes
    host: str | None  # the Host header
    sni: str | None  # the TLS server name the client sent; None for plain HTTP or no SNI
    tls: bool
    client: tuple[str, int]
    http_version: str = "HTTP/1.1"

    def json(self) -> Any:
        """The body parsed as JSON."""
        return json.loads(self.body)


@dataclass
class Reply:
    """The answer to one request.

    `body` may be bytes, str (UTF-8), a dict or list (sent as JSON), or an iterable of parts (a
    generator, or a list holding at least one bytes part): bytes or str are written and flushed
    as they come (chunked, unless `content-length` is set), a number means "sleep that many
    seconds" — a drip, or a stream that stalls. `delay` sleeps
    before the status line (a slow first byte). `raw` takes over the connection entirely: it gets
    the socket's binary writer, writes whatever it likes, and the connection is closed after.
    """

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: Body = b""
    delay: float = 0.0
    raw: RawWriter | None = None

    @classmethod
    def json(cls, status: int, obj: Any, headers: Mapping[str, str] | None = None) -> Reply:
        """A JSON answer with `content-type: application/json`."""
        merged = {"content-type": "application/json", **(headers or {})}
        return cls(status=status, headers=merged, body=json.dumps(obj).encode())

    @classmethod
    def sse(
        cls,
        events: Iterable[JsonValue | str | float],
        *,
        status: int = 200,
        headers: Mapping[str, str] | None = None,
        done: bool = True,
    ) -> Reply:
        """A `text/event-stream` answer in OpenAI's shape: `data: {...}` per event, then `data: [DONE]`.

        Numbers in `events` are sleeps, as in `Reply.body`.
        """

        def parts() -> Iterable[BodyPart]:
            for event in events:
                if isinstance(event, (int, float)):
                    yield event
                else:
                    text = event if isinstance(event, str) else json.dumps(event)
                    yield f"data: {text}\n\n".encode()
            if done:
                yield b"data: [DONE]\n\n"

        merged = {"content-type": "text/event-stream", "cache-control": "no-cache", **(headers or {})}
        return cls(status=status, headers=merged, body=parts())

    @classmethod
    def gzip_bomb(cls, decompressed_size: int = 64 << 20, status: int = 200) -> Reply:
        """A small gzip body that inflates to `decompressed_size` bytes of zeros."""
        headers = {"content-type": "application/json", "content-encoding": "gzip"}
        return cls(status=status, headers=headers, body=_gzip_zeros(decompressed_size))


Handler = Callable[[Request], Reply]


# --- raw writers for hostile byte-level behaviour (use as Reply(raw=...)) -------------------


def raw_bytes(data: bytes) -> RawWriter:
    """Send exactly `data` (garbage, a broken status line, ...) then close."""

    def write(out: BinaryIO) -> None:
        out.write(data)
        out.flush()

    return write


def close_without_answer() -> RawWriter:
    """Read the request, answer nothing, close: the client sees the server disconnect."""
    return lambda out: None


def many_headers(count: int = 10_000, status: int = 200) -> RawWriter:
    """A response with `count` headers, to test a client's header limits."""

    def write(out: BinaryIO) -> None:
        buf = io.BytesIO()
        buf.write(f"HTTP/1.1 {status} OK\r\n".encode())
        for i in range(count):
            buf.write(f"x-filler-{i}: {'a' * 20}\r\n".encode())
        buf.write(b"content-length: 2\r\nconnection: close\r\n\r\n{}")
        out.write(buf.getvalue())
        out.flush()

    return write


@lru_cache(maxsize=8)
def _gzip_zeros(size: int) -> bytes:
    """gzip-compress `size` zero bytes without ever holding them all in memory."""
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)  # 16+: gzip container
    block = bytes(1 << 20)
    out = io.BytesIO()
    remaining = size
    while remaining > 0:
        n = min(remaining, len(block))
        out.write(comp.compress(block[:n]))
        remaining -= n
    out.write(comp.flush())
    return out.getvalue()


# --- the server -----------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # never join handler threads: a sleeping handler must not block stop()
    # socketserver's default backlog is 5: a client opening 8 connections at once (a pooled async
    # client) had SYNs dropped and retried after 1 s, which looks like a connect timeout.
    request_queue_size = 128

    def __init__(self, host: str, port: int, handler: Handler, ctx: ssl.SSLContext | None) -> None:
        self.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.peer_handler = handler
        self.ssl_context = ctx
        self.requests: list[Request] = []
        self.errors: list[str] = []
        self.stopping = threading.Event()
        self.connections: set[socket.socket] = set()
        self.accepted = 0
        self.lock = threading.Lock()
        super().__init__((host, port), _PeerHandler)
        if ctx is not None:
            self.socket = ctx.wrap_socket(self.socket, server_side=True, do_handshake_on_connect=False)

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), a reverse DNS lookup that leaves
        # loopback for ::1 (not in /etc/hosts here). Skip it.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def get_request(self) -> tuple[socket.socket, Any]:
        conn, addr = super().get_request()
        with self.lock:
            self.connections.add(conn)
            self.accepted += 1
        return conn, addr

    def shutdown_request(self, request: Any) -> None:
        with self.lock:
            self.connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients that hang up, time out or fail the handshake are expected in these tests.
        exc = sys.exc_info()[1]
        if exc is not None and not self.stopping.is_set():
            with self.lock:
                self.errors.append(f"{type(exc).__name__}: {exc}")


class _PeerHandler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = _SOCKET_TIMEOUT

    def setup(self) -> None:
        self.sni: str | None = None
        if isinstance(self.request, ssl.SSLSocket):
            self.request.settimeout(_HANDSHAKE_TIMEOUT)
            self.request.do_handshake()
            self.sni = getattr(self.request, "peer_sni", None)
        super().setup()

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the test output is for the test."""

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            parts: list[bytes] = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _dispatch(self) -> None:
        body = self._read_body()
        headers = Headers()
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{dict.__getitem__(headers, key)}, {value}" if key in headers else value
        req = Request(
            method=self.command,
            path=self.path,
            headers=headers,
            body=body,
            host=headers.get("host"),
            sni=self.sni,
            tls=isinstance(self.request, ssl.SSLSocket),
            client=tuple(self.client_address[:2]),  # type: ignore[arg-type]
            http_version=self.request_version,
        )
        with self.server.lock:
            self.server.requests.append(req)
        try:
            reply = self.server.peer_handler(req)
        except Exception:
            text = traceback.format_exc()
            with self.server.lock:
                self.server.errors.append(text)
            print(f"peer handler raised:\n{text}", file=sys.stderr)
            reply = Reply(500, {"content-type": "text/plain"}, b"test peer handler raised; see stderr")
        self._send(reply)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _dispatch

    def _sleep(self, seconds: float) -> bool:
        """Sleep unless the server stops first; False means stop now."""
        return not self.server.stopping.wait(seconds)

    def _send(self, reply: Reply) -> None:
        if reply.delay and not self._sleep(reply.delay):
            self.close_connection = True
            return
        if reply.raw is not None:
            reply.raw(self.wfile)  # type: ignore[arg-type]
            self.close_connection = True
            return
        headers = {k.lower(): v for k, v in reply.headers.items()}
        body = reply.body
        if isinstance(body, dict) or (
            isinstance(body, list) and not any(isinstance(p, (bytes, bytearray)) for p in body)
        ):
            headers.setdefault("content-type", "application/json")
            body = json.dumps(body).encode()
        elif isinstance(body, str):
            headers.setdefault("content-type", "text/plain; charset=utf-8")
            body = body.encode()
        streaming = not isinstance(body, (bytes, bytearray))
        chunked = streaming and "content-length" not in headers
        if not streaming:
            headers.setdefault("content-length", str(len(body)))  # type: ignore[arg-type]
        elif chunked:
            headers["transfer-encoding"] = "chunked"
        if headers.get("connection", "").lower() == "close":
            self.close_connection = True
        self.send_response(reply.status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command == "HEAD":
            return
        if not streaming:
            self.wfile.write(body)  # type: ignore[arg-type]
            return
        for part in body:
            if isinstance(part, (int, float)):
                if not self._sleep(float(part)):
                    self.close_connection = True
                    return
                continue
            data = part.encode() if isinstance(part, str) else bytes(part)
            if not data:
                continue
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data) if chunked else data)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")


def _make_context(cert: tuple[Path, Path]) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(str(cert[0]), str(cert[1]))

    def remember_sni(sock: Any, server_name: str | None, _ctx: ssl.SSLContext) -> None:
        sock.peer_sni = server_name  # SSLSocket is a Python object; the handler reads it back

    ctx.sni_callback = remember_sni
    return ctx


class HttpServer:
    """A threaded HTTP (or HTTPS, given `cert`) server on `host`, port 0, already running.

    `handler` is called for every request and returns a `Reply`; a fixed `Reply` answers
    every request the same way. Use as a context manager or call `stop()`.
    """

    def __init__(
        self,
        handler: Handler | Reply,
        *,
        cert: tuple[Path, Path] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        fn: Handler = (lambda _req: handler) if isinstance(handler, Reply) else handler
        self.host = host
        self._server = _Server(host, port, fn, _make_context(cert) if cert else None)
        self.port: int = self._server.server_address[1]
        self.scheme = "https" if cert else "http"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
            name=f"HttpServer:{self.port}", daemon=True,
        )
        self._thread.start()

    @property
    def url(self) -> str:
        """Base URL with no trailing slash, e.g. `https://127.0.0.1:PORT` or `http://[::1]:PORT`."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    @property
    def requests(self) -> list[Request]:
        """Every request received so far, in arrival order."""
        with self._server.lock:
            return list(self._server.requests)

    @property
    def accepted(self) -> int:
        """TCP connections accepted so far (a handshake without a request counts too)."""
        with self._server.lock:
            return self._server.accepted

    def drop_connections(self) -> None:
        """Hang up every open connection, as a server dropping idle keep-alive connections does."""
        with self._server.lock:
            conns = list(self._server.connections)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    @property
    def errors(self) -> list[str]:
        """Handshake failures, client hang-ups and handler tracebacks (for debugging)."""
        with self._server.lock:
            return list(self._server.errors)

    def stop(self) -> None:
        """Stop accepting, wake sleeping handlers and close open connections. Idempotent."""
        if self._server.stopping.is_set():
            return
        self._server.stopping.set()
        # serve_forever() only checks its shutdown flag between select() calls; set the flag
        # and poke the listening socket so it returns now rather than after poll_interval.
        self._server._BaseServer__shutdown_request = True  # type: ignore[attr-defined]
        with contextlib.suppress(OSError):
            socket.create_connection((self.host, self.port), timeout=0.5).close()
        self._server.shutdown()
        self._server.server_close()
        with self._server.lock:
            conns = list(self._server.connections)
        for conn in conns:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=2)

    def __enter__(self) -> HttpServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
