"""The HTTP door of `llmdoctor serve`: routes, one-line errors, and a server that cannot be pinned down.

One thread per connection (a slow probe holds only its own), at most `max_connections` of them
(a client flood is closed at accept, not queued into memory), an idle or trickling connection
is dropped after `IDLE_TIMEOUT`. Errors are one plain-text line that never echoes the request:
the standard library's error page quotes the request line, which may hold whatever was typed in
the query string. Probes answer 200 with `probe_success 0` when the target is broken, as
blackbox_exporter does; 4xx/5xx mean the probe itself could not run.
"""

from __future__ import annotations

import gzip
import socket
import socketserver
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from prometheus_client import CollectorRegistry
from prometheus_client.exposition import choose_encoder, gzip_accepted

from llmdoctor import __version__
from llmdoctor.serve import params
from llmdoctor.serve.page import render_index
from llmdoctor.serve.prober import Busy, Prober
from llmdoctor.serve.selfmetrics import SelfMetrics

IDLE_TIMEOUT = 30.0  # seconds a connection may wait for (or trickle) its next request
DEFAULT_MAX_CONNECTIONS = 64
_ROUTES = {"/": "index", "/probe": "probe", "/metrics": "metrics", "/-/healthy": "health"}
_GONE = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError, socket.timeout)


class ExporterServer(ThreadingHTTPServer):
    """ThreadingHTTPServer with a cap on live connections and no tracebacks on stderr."""

    daemon_threads = True  # a probe still running never holds up the process' exit
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], prober: Prober, *, max_timeout: float = params.MAX_TIMEOUT,
                 max_connections: int = DEFAULT_MAX_CONNECTIONS, log: Callable[[str], None] | None = None) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.prober = prober
        self.max_timeout = max_timeout
        self.metrics = SelfMetrics()
        self.metrics.targets.set(len(prober.table.targets))
        self.log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self._connections = threading.BoundedSemaphore(max_connections)
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        """HTTPServer's own asks `socket.getfqdn()`: a reverse DNS lookup that can hold start-up for
        seconds on a network with a slow resolver, for a name nothing here uses."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    @property
    def url(self) -> str:
        host, port = str(self.server_address[0]), int(self.server_address[1])
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{port}/"

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self._connections.acquire(blocking=False):
            self.metrics.error("too_many_connections")
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._connections.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._connections.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        kind = sys.exc_info()[0]
        if kind is not None and issubclass(kind, OSError):  # a reset or a timeout on the client's socket
            self.metrics.error("client_gone")
            return
        self.metrics.error("internal")
        self.log(f"llmdoctor serve: internal error: {kind.__name__ if kind else 'unknown'} "
                 "(LLMDOCTOR_DEBUG=1 is not read here; please report it)")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: Prometheus reuses its connection scrape after scrape
    server_version = f"llmdoctor/{__version__}"
    sys_version = ""
    timeout = IDLE_TIMEOUT
    # Headers and body are two writes: with Nagle on, delayed ACK holds the body ~40 ms (RECIPES §3).
    disable_nagle_algorithm = True
    server: ExporterServer

    # --- the standard library's hooks --------------------------------------------------------

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the default logs every request line (and a query string can hold anything)."""

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Malformed requests land here from `parse_request`: one line, no echo, then close."""
        self.close_connection = True
        if code == HTTPStatus.BAD_REQUEST or code >= 500:
            self.server.metrics.error("malformed")
        self._text(code, _phrase(code), route="other")

    def do_GET(self) -> None:
        self._dispatch()

    def do_HEAD(self) -> None:
        self._dispatch()

    def _not_allowed(self) -> None:
        self.close_connection = True
        self._text(405, "method not allowed: use GET", route="other", extra={"Allow": "GET, HEAD"})

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed

    # --- routes -------------------------------------------------------------------------------

    def _dispatch(self) -> None:
        if self.headers.get("Content-Length") not in (None, "0") or self.headers.get("Transfer-Encoding"):
            self.close_connection = True  # a body we do not read must not be taken for the next request
        try:
            parts = urllib.parse.urlsplit(self.path)
        except ValueError:
            self._text(400, "the request target is not a URL", route="other")
            return
        route = _ROUTES.get(parts.path)
        if route == "probe":
            self._probe(parts.query)
        elif route == "metrics":
            self._exposition(self.server.metrics.registry, "metrics")
        elif route == "index":
            prober = self.server.prober
            self._send(200, render_index(prober.table, prober.last), "text/html; charset=utf-8", "index")
        elif route == "health":
            self._text(200, "OK", route="health")
        else:
            self._text(404, "not found: see / for the targets, /probe?target=NAME, /metrics", route="other")

    def _probe(self, query: str) -> None:
        started = time.monotonic()
        prober = self.server.prober
        table = prober.table  # one table for the whole request, whatever a reload does meanwhile
        try:
            request = params.parse(query, self.headers.get(params.TIMEOUT_HEADER), table.targets,
                                   max_timeout=self.server.max_timeout)
        except params.BadRequest as exc:
            self.server.metrics.error("bad_request")
            self._text(400, str(exc), route="probe")
            return
        self.server.metrics.in_flight.inc()
        try:
            outcome = prober.probe(request.target, request.timeout_s, started, table)
        except Busy:
            self.server.metrics.error("busy")
            self._text(503, "too many probes in flight; retry later or raise --concurrency", route="probe")
            return
        finally:
            self.server.metrics.in_flight.dec()
        if outcome.crashed:
            self.server.metrics.error("internal")
        self.server.metrics.probed(request.target, outcome.success, outcome.duration_s)
        self._exposition(outcome.registry, "probe")

    # --- answers ------------------------------------------------------------------------------

    def _exposition(self, registry: CollectorRegistry, route: str) -> None:
        encoder, content_type = choose_encoder(self.headers.get("Accept") or "")
        body = encoder(registry)
        extra = {}
        if gzip_accepted(self.headers.get("Accept-Encoding") or ""):
            body, extra = gzip.compress(body, compresslevel=6), {"Content-Encoding": "gzip"}
        self._send(200, body, content_type, route, extra)

    def _text(self, code: int, line: str, route: str, extra: dict[str, str] | None = None) -> None:
        self._send(code, (line + "\n").encode("utf-8"), "text/plain; charset=utf-8", route, extra)

    def _send(self, code: int, body: bytes, content_type: str, route: str,
              extra: dict[str, str] | None = None) -> None:
        self.server.metrics.request(route, code)
        try:
            self.send_response(code)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self.wfile.flush()
        except _GONE:  # the client hung up mid-probe: its answer goes nowhere, the server goes on
            self.server.metrics.error("client_gone")
            self.close_connection = True


def _phrase(code: int) -> str:
    try:
        return HTTPStatus(code).phrase.lower()
    except ValueError:
        return "error"
