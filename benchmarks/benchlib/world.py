"""The loopback world the benchmark measures against.

A fake OpenAI-compatible HTTPS server (trustme certificates) reached through a relay that adds
50 ms each way (this kernel has no netem; the far proxy's relay also charges the TCP handshake's
round trip), an authenticated proxy, eight more fake providers, and the hostile peers behind each
"time to verdict" case. Everything binds 127.0.0.1; the peers are the test suite's own
(tests/peers), so the benchmark and the tests see the same network.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from peers import (  # noqa: E402  (tests/ must be on sys.path first)
    BlackholeServer,
    DelayRelay,
    DnsServer,
    HttpServer,
    NetNamespace,
    PproxyServer,
    Reply,
    Request,
    SynDropServer,
    TinyproxyServer,
    make_certs,
    netns_available,
    which,
)

DELAY_S = 0.05  # one way; RTT 100 ms through the relay
FAKE_HOST = "api.openai.test"  # in the test certificate; only ever resolved by our DNS servers
MODELS = {"object": "list", "data": [
    {"id": name, "object": "model", "created": 1_700_000_000, "owned_by": "bench"}
    for name in ("gpt-4o-mini", "gpt-4o", "o3-mini", "text-embedding-3-small")
]}
RATE_HEADERS = {
    "x-request-id": "req_bench0001",
    "x-ratelimit-limit-requests": "500", "x-ratelimit-remaining-requests": "499",
    "x-ratelimit-reset-requests": "120ms",
    "x-ratelimit-limit-tokens": "200000", "x-ratelimit-remaining-tokens": "199990",
    "x-ratelimit-reset-tokens": "3ms",
}
_AUTH_HEADERS = ("authorization", "x-api-key", "api-key", "x-goog-api-key")

#: provider id -> (key variable, base-URL variable, a key of the provider's shape, path under the host)
PROVIDERS: dict[str, tuple[str, str, str, str]] = {
    "openai": ("OPENAI_API_KEY", "OPENAI_BASE_URL", "sk-proj-", "/v1"),
    "deepseek": ("DEEPSEEK_API_KEY", "DEEPSEEK_BASE_URL", "sk-", "/v1"),
    "moonshot": ("MOONSHOT_API_KEY", "MOONSHOT_BASE_URL", "sk-", "/v1"),
    "dashscope": ("DASHSCOPE_API_KEY", "DASHSCOPE_BASE_URL", "sk-", "/compatible-mode/v1"),
    "openrouter": ("OPENROUTER_API_KEY", "OPENROUTER_BASE_URL", "sk-or-v1-", "/api/v1"),
    "groq": ("GROQ_API_KEY", "GROQ_BASE_URL", "gsk_", "/openai/v1"),
    "mistral": ("MISTRAL_API_KEY", "MISTRAL_BASE_URL", "", "/v1"),
    "gemini": ("GEMINI_API_KEY", "GEMINI_BASE_URL", "AIza", "/v1beta/openai"),
}


def fake_key(prefix: str) -> str:
    """A key of the provider's shape (48 characters); the fake servers accept any key."""
    return prefix + "BenchKey0123456789abcdefghijklmnopqrstuvwxyzABCD"[: 48 - len(prefix)]


def api_handler(req: Request) -> Reply:
    """An OpenAI-compatible API: /models, /chat/completions (plain or streamed), 401 without a key."""
    path = req.path.split("?", 1)[0].rstrip("/")
    if not any(h in req.headers for h in _AUTH_HEADERS):
        return Reply.json(401, {"error": {"message": "You didn't provide an API key.",
                                          "type": "invalid_request_error", "code": "missing_api_key"}}, RATE_HEADERS)
    if req.method in ("GET", "HEAD") and path.endswith("/models"):
        return Reply.json(200, MODELS, RATE_HEADERS)
    if req.method in ("GET", "HEAD") and "/models/" in path:
        return Reply.json(200, MODELS["data"][0], RATE_HEADERS)
    if req.method == "POST" and path.endswith("/chat/completions"):
        try:
            stream = bool(req.json().get("stream"))
        except ValueError:
            stream = False
        chunk = {"id": "chatcmpl-bench", "object": "chat.completion.chunk", "created": 1_700_000_000,
                 "model": "gpt-4o-mini", "choices": [{"index": 0, "delta": {"content": "ok"}, "finish_reason": None}]}
        if stream:
            return Reply.sse([chunk], headers=RATE_HEADERS)
        return Reply.json(200, {"id": "chatcmpl-bench", "object": "chat.completion", "created": 1_700_000_000,
                                "model": "gpt-4o-mini", "usage": {"prompt_tokens": 1, "completion_tokens": 1,
                                                                   "total_tokens": 2},
                                "choices": [{"index": 0, "message": {"role": "assistant", "content": "ok"},
                                             "finish_reason": "stop"}]}, RATE_HEADERS)
    return Reply.json(404, {"error": {"message": f"Unknown path {path}", "type": "invalid_request_error"}})


@dataclass
class Proxy:
    """The authenticated HTTP proxy in front of every healthy target."""

    kind: str  # "tinyproxy" or "pproxy"
    url: str  # with credentials
    curl_url: str


@dataclass
class World:
    """Ports, URLs and files of every peer; `close()` stops them all."""

    home: Path
    ca_pem: Path  # certifi's roots + the test CA (SSL_CERT_FILE for llmdoctor, --cacert for curl)
    proxy: Proxy
    healthy_url: str  # https://127.0.0.1:RELAY/v1 (through the 50 ms relay)
    # The setup: the proxy is 50 ms away (a relay in front of it), the API next to the proxy.
    far_proxy: Proxy
    near_url: str  # https://127.0.0.1:API/v1, no relay: the far proxy reaches it at once
    far_counter: tuple[DelayRelay, HttpServer]
    targets: dict[str, str]  # provider id -> base URL, each its own server behind its own relay
    syndrop_url: str
    silent_http_proxy: str
    silent_socks_proxy: str
    silent_server_url: str
    dns_server: str  # ADDR:PORT of a DNS server that never answers about FAKE_HOST
    dns_base_url: str  # https://FAKE_HOST:PORT/v1, pinned with --resolve to a healthy server
    dns_resolve: str  # HOST:PORT:127.0.0.1
    netns: NetNamespace | None  # a namespace whose system resolver never answers, when available
    netns_reason: str
    counters: list[tuple[DelayRelay, HttpServer]] = field(default_factory=list)  # healthy, then the 8 targets
    _stack: contextlib.ExitStack = field(repr=False, default_factory=contextlib.ExitStack)

    def close(self) -> None:
        self._stack.close()


def _bundle(test_ca: Path, out: Path) -> Path:
    """A real-sized trust store: certifi's bundle plus the test CA, as a user adds a corporate CA.

    Loading ~150 roots costs what it costs a user; a one-certificate file would hide it.
    """
    try:
        import certifi

        roots = Path(certifi.where()).read_bytes()
    except (ImportError, OSError):
        roots = b""
    out.write_bytes(roots.rstrip(b"\n") + b"\n" + test_ca.read_bytes())
    return out


def _start_proxy(stack: contextlib.ExitStack, prefer: str) -> Proxy:
    use_tiny = prefer == "tinyproxy" or (prefer == "auto" and which("tinyproxy"))
    server: Any = stack.enter_context(TinyproxyServer() if use_tiny else PproxyServer())
    url = server.url()
    return Proxy("tinyproxy" if use_tiny else "pproxy", url, url)


def _with_handshake(stack: contextlib.ExitStack, port: int, delay: float) -> DelayRelay:
    """A relay to 127.0.0.1:port that is `delay` away each way, TCP handshake included.

    This kernel has no netem, so the relay's accept is local and a client's connect() returns at
    once. The relay holds the connection's first bytes for one round trip before it opens its own
    leg: the first answer then comes when it would behind a real link, where the SYN and SYN-ACK
    cost that round trip first. Every protocol the client speaks to the proxy speaks first from
    the client's side (HTTP CONNECT, SOCKS5), so the CONNECT's answer comes one round trip later,
    as it would; only a connect() timer could tell the two apart.

    Only the client's own first hop gets it. Behind a proxy the round trip would be the proxy's
    own connect, which the CONNECT's answer waits for; held bytes would instead be booked to the
    TLS handshake that follows, so the relays behind the local proxy (`_relayed`) add none."""
    return stack.enter_context(DelayRelay("127.0.0.1", port, delay=delay, connect_delay=2 * delay))


def _far(stack: contextlib.ExitStack, proxy: Proxy, delay: float) -> tuple[DelayRelay, Proxy]:
    """The same proxy seen from 50 ms away: a relay in front of it, its URL with the relay's port.

    TCP to the proxy, the CONNECT, the TLS handshake and the request each cost a round trip: the
    issue's four."""
    parts = urllib.parse.urlsplit(proxy.url)
    assert parts.port is not None
    relay = _with_handshake(stack, parts.port, delay)
    url = parts._replace(netloc=parts.netloc.rsplit(":", 1)[0] + f":{relay.port}").geturl()
    return relay, Proxy(proxy.kind, url, url)


def _https(stack: contextlib.ExitStack, certs: Any, handler: Any) -> HttpServer:
    return stack.enter_context(HttpServer(handler, cert=certs.leaf("valid")))


def _relayed(stack: contextlib.ExitStack, server: HttpServer, delay: float) -> DelayRelay:
    """The API 50 ms behind the local proxy. The proxy's own TCP connect to it costs no round trip
    (see `_with_handshake`): this world's requests need three, not four."""
    return stack.enter_context(DelayRelay("127.0.0.1", server.port, delay=delay))


def build(*, delay: float = DELAY_S, proxy: str = "auto", with_netns: bool = True) -> World:
    """Starts every peer; on any failure, stops what was started and re-raises."""
    stack = contextlib.ExitStack()
    try:
        home = Path(tempfile.mkdtemp(prefix="llmd-bench-"))
        stack.callback(shutil.rmtree, home, True)
        (home / ".config").mkdir()
        certs = make_certs(home / "certs")
        bundle = _bundle(Path(certs.ca_pem), home / "ca-bundle.pem")
        api = _https(stack, certs, api_handler)
        relay = _relayed(stack, api, delay)
        healthy = f"https://127.0.0.1:{relay.port}/v1"
        counters = [(relay, api)]
        targets = {}
        for pid, (_key, _var, _prefix, path) in PROVIDERS.items():
            server = _https(stack, certs, api_handler)
            counters.append((_relayed(stack, server, delay), server))
            targets[pid] = f"https://127.0.0.1:{counters[-1][0].port}{path}"
        syndrop = stack.enter_context(SynDropServer())
        silent_http = stack.enter_context(BlackholeServer())
        silent_socks = stack.enter_context(BlackholeServer())
        silent = _https(stack, certs, Reply(delay=3600))  # handshakes, reads the request, never answers
        dns = stack.enter_context(DnsServer({FAKE_HOST: "DROP"}))
        netns, reason = None, ""
        if with_netns:
            usable, reason = netns_available()
            if usable:
                # glibc's defaults (timeout 5 s, 2 attempts): what a user's machine does.
                netns = stack.enter_context(NetNamespace({FAKE_HOST: "DROP"}, resolv_conf="nameserver 127.0.0.1\n"))
        else:
            reason = "disabled"
        near = _https(stack, certs, api_handler)
        local_proxy = _start_proxy(stack, proxy)
        far_relay, far_proxy = _far(stack, local_proxy, delay)
        world = World(
            home=home, ca_pem=bundle, proxy=local_proxy, healthy_url=healthy,
            far_proxy=far_proxy, near_url=f"https://127.0.0.1:{near.port}/v1", far_counter=(far_relay, near),
            targets=targets, syndrop_url=f"https://127.0.0.1:{syndrop.port}/v1",
            silent_http_proxy=f"http://127.0.0.1:{silent_http.port}",
            silent_socks_proxy=f"socks5://127.0.0.1:{silent_socks.port}",
            silent_server_url=f"{silent.url}/v1", dns_server=f"127.0.0.1:{dns.port}",
            dns_base_url=f"https://{FAKE_HOST}:{api.port}/v1", dns_resolve=f"{FAKE_HOST}:{api.port}:127.0.0.1",
            netns=netns, netns_reason=reason, counters=counters,
        )
        world._stack = stack
        return world
    except BaseException:
        stack.close()
        raise


def traffic(world: World, which: slice | str) -> tuple[int, list[str]]:
    """(TCP connections through the relays, requests the servers saw) so far, for the chosen targets
    ("far": the far proxy's relay and the API next to it)."""
    pairs = [world.far_counter] if which == "far" else world.counters[which]  # type: ignore[index]
    return (sum(relay.connections for relay, _ in pairs),
            [f"{r.method} {r.path}" for _, server in pairs for r in server.requests])


def wait_quiet(seconds: float = 0.2) -> None:
    """Lets connections of the previous run drain before the next measurement."""
    time.sleep(seconds)
