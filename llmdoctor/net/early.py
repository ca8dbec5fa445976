"""A target's proxy tunnel and TLS handshakes, opened while the checks are still being loaded.

A healthy run through a proxy spends its first round trips on the CONNECT and the TLS handshake,
and its first ~100 ms of Python on loading the checks (entry points, imports). In sequence they
add up; here they overlap: as soon as the target and its proxy are known, one thread opens the
tunnel and does the user's handshake, another the OS store's, with the very functions and
arguments the proxy and tls checks use. The checks then take these results (`take`) instead of
repeating the work: the same facts, the same failures (a ProxyProblem is re-raised by the check
that would have raised it), one tunnel per trust store, never a second one.

Only what the checks would do anyway, and nothing the user did not configure: an https:// target
through an http(s):// proxy the SDK would use. No API key is sent here; the key goes out with the
first request, in the auth check.
"""

from __future__ import annotations

import contextlib
import threading
import urllib.parse
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from llmdoctor.net.handoff import Route
from llmdoctor.net.proxies import predict_proxy
from llmdoctor.workers import run_on

if TYPE_CHECKING:
    import ssl

    from llmdoctor.config import Settings
    from llmdoctor.net.proxies import ProxyChoice
    from llmdoctor.net.tlsprobe import Handshake
    from llmdoctor.net.truststore import TrustStore
    from llmdoctor.net.tunnel import Tunnel
    from llmdoctor.workers import Workers

T = TypeVar("T")

TUNNEL, USER, SYSTEM = "tunnel", "user-handshake", "system-handshake"


class _Factory(Protocol):
    """What the early path asks of the target's client factory (net/http.HttpClientFactory)."""

    settings: Settings
    env: Mapping[str, str]

    def proxy_for(self, url: str) -> ProxyChoice: ...

    def route(self, stage: str, via: str | None, host: str, port: int) -> Route: ...

    def tls_route(self, url: str, proxy: ProxyChoice) -> Route | None: ...

    def ssl_context(self) -> ssl.SSLContext: ...

    def trust_store(self) -> TrustStore: ...


def _in_thread(job: Callable[[], T], name: str, workers: Workers | None) -> Future[T]:
    """`job` on one of the run's workers (handing it over does not wait for a thread to start: with
    eight targets the 24 starts held the main thread's imports back 45-85 ms), else on a thread."""
    future: Future[T] = Future()

    def work() -> None:
        try:
            future.set_result(job())
        except BaseException as exc:  # the check that takes it raises it, as it would have itself
            future.set_exception(exc)

    run_on(workers, work, name)
    return future


class EarlyPath:
    """The early work of one target, by (what, route); each result is taken at most once."""

    def __init__(self, workers: Workers | None = None) -> None:
        self._lock = threading.Lock()
        self._futures: dict[tuple[str, Route], Future[Any]] = {}
        self._workers = workers

    @property
    def in_flight(self) -> bool:
        """Whether anything was opened early and not taken yet (the path is already on the wire)."""
        with self._lock:
            return bool(self._futures)

    def take(self, what: str, route: Route) -> Future[Any] | None:
        with self._lock:
            return self._futures.pop((what, route), None)

    def close(self) -> None:
        """Closes what nobody took (a check that did not run, a blocked chain)."""
        with self._lock:
            left, self._futures = list(self._futures.values()), {}
        for future in left:
            future.add_done_callback(_close_result)

    def start(self, http: _Factory, url: str, timeout: float) -> None:
        """Starts the tunnel and both handshakes for `url`, when they are what the checks will do.

        Never raises: a URL or proxy value the early path cannot use is left to the checks, which
        report it (the endpoint check a URL too long for httpx, the proxy check a bad proxy)."""
        with contextlib.suppress(Exception):
            self._start(http, url, timeout)

    def _start(self, http: _Factory, url: str, timeout: float) -> None:
        # Only what the CONNECT needs is imported before it goes out; the handshakes' modules load in
        # their own threads while the CONNECT is on the wire.
        from llmdoctor.net.tunnel import ProxyEndpoint, open_tunnel
        from llmdoctor.urls import validate_proxy_url

        parts = urllib.parse.urlsplit(url)
        try:
            port = parts.port or 443
        except ValueError:
            return
        host = (parts.hostname or "").lower()
        # httpx's own choice needs httpx loaded (~50 ms before the first byte): the plain cases are
        # answered without it; a wrong guess could only leave the early work untaken (other route).
        settings = http.settings
        choice = predict_proxy(url, http.env, settings.proxy, settings.no_proxy) or http.proxy_for(url)
        if parts.scheme != "https" or not host or choice.url is None or validate_proxy_url(choice.url):
            return
        endpoint = ProxyEndpoint.parse(choice.url)
        if endpoint.is_socks:
            return  # the proxy check first asks whether socksio is installed: leave it all to the checks
        proxy_url = choice.url
        # An http:// proxy needs no TLS context for the CONNECT: waiting for the trust store to load
        # (llmdoctor/warmup.py) would hold the first round trip back for nothing.
        proxy_tls = http.ssl_context if endpoint.scheme == "https" else (lambda: None)
        tunnel_route = http.route("tunnel", proxy_url, host, port)
        tls_route = http.tls_route(url, choice)
        if tls_route is None:
            return

        def user() -> Handshake:
            from llmdoctor.net.tlsprobe import user_handshake

            tunnel: Tunnel = tunnel_future.result()  # its failure is the proxy check's to report
            return user_handshake(lambda: tunnel.sock, host, http.ssl_context(), timeout)

        def system() -> Handshake:
            from llmdoctor.net.tlsprobe import os_store_handshake

            return os_store_handshake(lambda: open_tunnel(proxy_url, host, port, timeout, proxy_tls()).sock, host,
                                      timeout)

        tunnel_future = _in_thread(lambda: open_tunnel(proxy_url, host, port, timeout, proxy_tls()),
                                   "llmdoctor-early-tunnel", self._workers)
        futures: dict[tuple[str, Route], Future[Any]] = {(TUNNEL, tunnel_route): tunnel_future,
                                                         (USER, tls_route): _in_thread(user, "llmdoctor-early-tls",
                                                                                     self._workers)}
        if http.trust_store().kind != "system":  # the tls check compares the OS store's verdict too
            futures[(SYSTEM, tls_route)] = _in_thread(system, "llmdoctor-early-tls-system", self._workers)
        with self._lock:
            self._futures.update(futures)


def _close_result(future: Future[Any]) -> None:
    """A tunnel or a kept TLS connection nobody took is closed, once its work has ended."""
    with contextlib.suppress(Exception):
        value = future.result(timeout=0)
        sock = getattr(value, "sock", None)
        if sock is not None:
            sock.close()
