"""The one place where HTTP clients are built, so every probe sees the network as the user's SDK does.

Same proxy choice (from the environment snapshot, as httpx decides), same trust store (as httpx's
`trust_env` decides), no redirects followed (a redirect must never carry the key to another host),
bounded reads (size and wall-clock), and a timing trace of every phase.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from llmdoctor import __version__
from llmdoctor.deadline import Deadline
from llmdoctor.net.bounded import call_with_cap
from llmdoctor.net.decoding import DecodingError, codings, decoded_chunks
from llmdoctor.net.early import EarlyPath
from llmdoctor.net.handoff import Handoff, Route
from llmdoctor.net.pathrecord import PathRecord
from llmdoctor.net.proxies import ProxyChoice, choose_proxy
from llmdoctor.net.truststore import TrustStore, httpx_trust_store, shared_ssl_context

if TYPE_CHECKING:
    import ssl

    import httpx

    from llmdoctor.config import Settings
    from llmdoctor.net.reuse import HandedTransport
    from llmdoctor.workers import Workers

MAX_BODY_BYTES = 2_000_000
USER_AGENT = f"llmdoctor/{__version__}"


@dataclass(frozen=True)
class HttpAnswer:
    """A response as llmdoctor saw it: status, headers, at most MAX_BODY_BYTES of body, timings."""

    url: str
    status: int
    reason: str
    headers: Mapping[str, str]
    body: bytes
    truncated: bool = False
    http_version: str = ""
    timings: Mapping[str, float] = field(default_factory=dict)  # ms: connect, tls, ttfb, total
    stream_gaps: tuple[float, ...] = ()  # ms between chunks, when the body was read as a stream
    connection: str = "new"  # or "handed over": the connection the tls check verified (net/handoff.py)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class _Trace:
    """Collects httpcore trace events ("connection.connect_tcp.started", …) as ms since start."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.events: dict[str, float] = {}

    def __call__(self, name: str, info: Mapping[str, Any]) -> None:
        self.events.setdefault(name, (time.perf_counter() - self.start) * 1000)

    def span(self, prefix: str) -> float | None:
        started = next((v for k, v in self.events.items() if k.endswith(prefix + ".started")), None)
        done = next((v for k, v in self.events.items() if k.endswith(prefix + ".complete")), None)
        return None if started is None or done is None else round(done - started, 1)

    def at(self, suffix: str) -> float | None:
        return next((round(v, 1) for k, v in self.events.items() if k.endswith(suffix)), None)


class _Body:
    """The decoded body as it arrives, inflated at most `max_bytes` deep (see net/decoding.py).

    Raw input is capped too (`cut`), so a gzip stream followed by endless trailing bytes also
    ends. Codings httpx may support beyond gzip and deflate (br, zstd) keep httpx's decoding.
    """

    def __init__(self, response: httpx.Response, max_bytes: int) -> None:
        self.response = response
        self.max_bytes = max_bytes
        self.raw_cap = 2 * max_bytes + 65536
        self.cut = False

    def _raw(self) -> Iterator[bytes]:
        seen = 0
        for chunk in self.response.iter_raw():
            seen += len(chunk)
            yield chunk
            if seen >= self.raw_cap:
                self.cut = True
                return

    def chunks(self) -> Iterator[bytes]:
        import httpx

        layers = codings(self.response.headers.get_list("content-encoding"))
        if layers is None:
            yield from self.response.iter_bytes()
            return
        try:
            yield from decoded_chunks(self._raw(), layers, self.max_bytes)
        except DecodingError as exc:
            raise httpx.DecodingError(str(exc), request=self.response.request) from exc


class HttpClientFactory:
    """Builds clients and performs bounded requests for one run."""

    def __init__(self, settings: Settings, env: Mapping[str, str], deadline: Deadline,
                 workers: Workers | None = None) -> None:
        self.settings = settings
        self.env = env
        self.deadline = deadline
        self.handoff = Handoff()
        self.path = PathRecord()  # where this target's connection goes (dns and tcp record it)
        self.early = EarlyPath(workers)  # the tunnel and handshakes opened before the checks (net/early.py)
        self.workers = workers  # the run's threads, for the capped request below

    def start_early(self, url: str) -> None:
        """Opens `url`'s proxy tunnel and TLS handshakes now, for the proxy and tls checks to take."""
        self.early.start(self, url, self.deadline.cap(self.settings.timeout))

    def close(self) -> None:
        """Closes the connections the checks left and nobody took."""
        self.handoff.close()
        self.early.close()

    @staticmethod
    def route(stage: str, via: str | None, host: str, port: int) -> Route:
        """Where a handed-over connection leads: `via` is the proxy URL, an address, or None (direct)."""
        return Route(stage, via or "direct", host.lower().strip("[]"), port)

    def tls_route(self, url: str, proxy: ProxyChoice) -> Route | None:
        """The route of a verified TLS connection to `url`'s origin along `proxy`; None for http://."""
        parts = urllib.parse.urlsplit(url)
        if parts.scheme != "https" or not parts.hostname:
            return None
        try:
            port = parts.port or 443
        except ValueError:
            return None
        return self.route("tls", proxy.url, parts.hostname, port)

    def proxy_for(self, url: str) -> ProxyChoice:
        return choose_proxy(url, self.env, self.settings.proxy, self.settings.no_proxy)

    def trust_store(self) -> TrustStore:
        return httpx_trust_store(self.env)

    def ssl_context(self) -> ssl.SSLContext:
        """The user's trust store as a verifying context; shared, so never modify it."""
        return shared_ssl_context(self.trust_store())

    def client(self, url: str, *, verify: ssl.SSLContext | None = None, timeout: float | None = None,
               proxy: ProxyChoice | None = None, transport: httpx.HTTPTransport | None = None) -> httpx.Client:
        """An httpx client configured as the user's SDK would be for `url` (`transport`: see `_handed`)."""
        import httpx

        seconds = self.deadline.cap(timeout or self.settings.timeout)
        choice = proxy if proxy is not None else self.proxy_for(url)
        context = verify if verify is not None else self.ssl_context()
        return httpx.Client(
            proxy=choice.url if transport is None else None,
            transport=transport,
            verify=context,
            timeout=httpx.Timeout(seconds),
            follow_redirects=False,
            trust_env=False,  # the environment was already applied from our snapshot
            headers={"user-agent": USER_AGENT},
        )

    def async_client(self, url: str, *, max_connections: int, timeout: float | None = None,
                     proxy: ProxyChoice | None = None) -> httpx.AsyncClient:
        """The async twin of `client` for many requests to one origin (a key pool): the same proxy, trust
        store and redirect rule, with at most `max_connections` pooled keep-alive connections, so N keys
        cost N round trips, not N handshakes."""
        import httpx

        seconds = self.deadline.cap(timeout or self.settings.timeout)
        choice = proxy if proxy is not None else self.proxy_for(url)
        return httpx.AsyncClient(
            proxy=choice.url,
            verify=self.ssl_context(),
            timeout=httpx.Timeout(seconds),
            limits=httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_connections),
            follow_redirects=False,
            trust_env=False,
            headers={"user-agent": USER_AGENT},
        )

    def _handed(self, url: str, request_url: str, choice: ProxyChoice) -> HandedTransport | None:
        """httpx's transport, configured as `client` configures it, whose first request goes over the
        verified connection the tls check left for this origin and proxy; None when there is none."""
        route = self.tls_route(url, choice)
        sock = self.handoff.take(route) if route is not None else None
        if sock is None or route is None:
            return None
        from llmdoctor.net.reuse import HandedTransport

        return HandedTransport(sock, request_url, lambda s: self.handoff.leave(route, s),
                               verify=self.ssl_context(), proxy=choice.url, trust_env=False)

    def pinned(self, url: str, proxy: ProxyChoice) -> tuple[str, dict[str, str], dict[str, Any]]:
        """Applies `--resolve HOST:PORT:ADDR` to a direct request: connect to ADDR, keep Host and SNI."""
        parts = urllib.parse.urlsplit(url)
        host = (parts.hostname or "").lower()
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addr = self.settings.resolve.get((host, port))
        if addr is None or proxy.url is not None:
            return url, {}, {}
        shown = f"[{addr}]" if ":" in addr else addr
        netloc = f"{shown}:{port}"
        new_url = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
        host_header = parts.netloc.rsplit("@", 1)[-1]
        return new_url, {"host": host_header}, ({"sni_hostname": host} if parts.scheme == "https" else {})

    def fetch(self, method: str, url: str, *, headers: Mapping[str, str] | None = None,
              json_body: Any = None, timeout: float | None = None, max_bytes: int = MAX_BODY_BYTES,
              proxy: ProxyChoice | None = None, on_chunk: Callable[[bytes], None] | None = None) -> HttpAnswer:
        """One request with a size cap and a wall-clock cap; transport errors propagate for the error table."""
        seconds = self.deadline.cap(timeout or self.settings.timeout)
        choice = proxy if proxy is not None else self.proxy_for(url)
        # Wall clock: connect + TLS + first byte + body may each take `seconds`, but a drip must end.
        cap = self.deadline.cap(seconds * 3)
        return call_with_cap(
            lambda: self._fetch(method, url, headers or {}, json_body, seconds, max_bytes, choice, on_chunk),
            cap, name="llmdoctor-fetch", workers=self.workers)

    def _fetch(self, method: str, url: str, headers: Mapping[str, str], json_body: Any, seconds: float,
               max_bytes: int, choice: ProxyChoice, on_chunk: Callable[[bytes], None] | None) -> HttpAnswer:
        real_url, extra_headers, extensions = self.pinned(url, choice)
        trace = _Trace()
        extensions = {**extensions, "trace": trace}
        handed = self._handed(url, real_url, choice)
        with self.client(url, timeout=seconds, proxy=choice, transport=handed) as client:
            request = client.build_request(method, real_url, headers={**headers, **extra_headers},
                                           json=json_body, extensions=extensions)
            response = client.send(request, stream=True)
            try:
                ttfb = (time.perf_counter() - trace.start) * 1000
                chunks: list[bytes] = []
                size = 0
                truncated = False
                gaps: list[float] = []
                last = time.perf_counter()
                body = _Body(response, max_bytes)
                for chunk in body.chunks():
                    now = time.perf_counter()
                    gaps.append(round((now - last) * 1000, 1))
                    last = now
                    if on_chunk is not None:
                        on_chunk(chunk)
                    chunks.append(chunk)
                    size += len(chunk)
                    if size >= max_bytes:
                        truncated = True
                        break
                truncated = truncated or body.cut
            finally:
                response.close()
            total = (time.perf_counter() - trace.start) * 1000
        reused = handed is not None and handed.used
        timings = {"ttfb": round(ttfb, 1), "total": round(total, 1)}
        for name, prefix in (("connect", "connect_tcp"), ("tls", "start_tls")):
            span = trace.span(prefix)
            if span is not None:
                timings[name] = span
        return HttpAnswer(
            url=url,
            status=response.status_code,
            reason=response.reason_phrase,
            headers={k.lower(): v for k, v in response.headers.items()},
            body=b"".join(chunks)[:max_bytes],
            truncated=truncated,
            http_version=response.http_version,
            timings=timings,
            stream_gaps=tuple(gaps),
            connection="handed over" if reused else "new",
        )
