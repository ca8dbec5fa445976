"""Runs real clients into real faults on loopback and prints what each one says, as corpus rows (jsonl).

Why: users paste what their client printed when the call failed uncaught (the whole traceback, curl's
exit line, Node's `fetch failed` with its cause). Public threads hold only the wordings people happened
to post; here every client meets every fault it can meet, so explain is measured on the wordings
clients really print. Each row's cause is the fault by construction, or "ambiguous" when the text
alone does not name it (an SDK's bare "Connection error." with nothing chained, a status with no body).

The world: a private network namespace (tests/peers/netns.py) whose resolver is a test DNS server on
its own loopback, so `api.openai.com` and `api.anthropic.com` resolve to 127.0.0.1 in there and the
texts read like users' texts; a misspelled host gets NXDOMAIN from that server. Without a namespace
(not root, no iproute2) the API lives on 127.0.0.1 with free ports and the DNS scenario is skipped.
No name is ever resolved through the machine's resolver.

Clients (missing ones are skipped): the openai and anthropic Python SDKs, httpx, requests, curl,
Node's fetch, and the openai Node SDK (installed with npm into a temporary directory).

Usage: python benchmarks/corpus_faults.py [--scenario NAME]... [--client NAME]... [--list] [--no-netns] > rows.jsonl
       python benchmarks/corpus_add.py < rows.jsonl
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import ssl
import struct
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from peers import (  # noqa: E402
    BlackholeServer,
    FinServer,
    HttpServer,
    MicrosocksServer,
    Reply,
    ResetServer,
    SynDropServer,
    TinyproxyServer,
    make_certs,
)
from peers.certs import _self_signed  # noqa: E402
from peers.netns import NetNamespace, netns_available  # noqa: E402
from peers.raw import _TcpPeer, free_port  # noqa: E402

PY = sys.executable
OPENAI_KEY = "sk-test-faults-" + "4f9a1c2e" * 5
ANTHROPIC_KEY = "sk-ant-test-faults-" + "7b3d5e1a" * 5
PROXY_PASSWORD = "tiny-pass_1.0"
WRONG_PASSWORD = "wrong-pass_9"
HANG = 1.5  # seconds before the Ctrl-C
TIMEOUT = 1.0  # the client's own timeout in the timeout scenarios
RUN_DEADLINE = 25.0  # a client that is still running then is killed and gives no row
CAUSES = ROOT / "llmdoctor" / "data" / "causes"

# --- the replies of the API (and what stands in front of it) ----------------------------------------------

NGINX = ("<html>\r\n<head><title>{0}</title></head>\r\n<body>\r\n<center><h1>{0}</h1></center>\r\n"
         "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
ENVOY_503 = ("upstream connect error or disconnect/reset before headers. reset reason: connection failure, "
             "transport failure reason: delayed connect error: 111")


def _oa(message: str, kind: str, code: str | None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def _an(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}, "request_id": "req_011CVbq8XmfZ2A9kT3sYwUpN"}


# (status, openai-shaped body, anthropic-shaped body, extra headers); bodies as the providers send them
# (platform.openai.com/docs/guides/error-codes, docs.anthropic.com/en/api/errors).
STATUS_REPLIES: dict[str, tuple[int, Any, Any, dict[str, str]]] = {
    "status_401": (401, _oa("Incorrect API key provided: sk-test-*********************************1c2e. You can "
                            "find your API key at https://platform.openai.com/account/api-keys.",
                            "invalid_request_error", "invalid_api_key"),
                   _an("authentication_error", "invalid x-api-key"), {}),
    "status_403_region": (403, {"error": {"code": "unsupported_country_region_territory",
                                          "message": "Country, region, or territory not supported", "param": None,
                                          "type": "request_forbidden"}},
                          _an("forbidden", "Request not allowed"), {}),
    "status_404_model": (404, _oa("The model `gpt-5-turbo` does not exist or you do not have access to it.",
                                  "invalid_request_error", "model_not_found"),
                         _an("not_found_error", "model: claude-3-opus-latest"), {}),
    "status_429_rate": (429, _oa("Rate limit reached for gpt-4o-mini in organization org-faults on requests per min "
                                 "(RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit "
                                 "https://platform.openai.com/account/rate-limits to learn more.", "requests",
                                 "rate_limit_exceeded"),
                        _an("rate_limit_error", "This request would exceed the rate limit for your organization "
                            "(5f1e...) of 50 requests per minute. For details, refer to: https://docs.anthropic.com/"
                            "en/api/rate-limits."), {"retry-after": "20"}),
    "status_429_quota": (429, _oa("You exceeded your current quota, please check your plan and billing details. For "
                                  "more information on this error, read the docs: https://platform.openai.com/docs/"
                                  "guides/error-codes/api-errors.", "insufficient_quota", "insufficient_quota"),
                         None, {}),
    "status_400_credit": (400, None, _an("invalid_request_error", "Your credit balance is too low to access the "
                                         "Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."),
                          {}),
    "status_500": (500, _oa("The server had an error while processing your request. Sorry about that!",
                            "server_error", None), _an("api_error", "Internal server error"), {}),
    "status_502_nginx": (502, NGINX.format("502 Bad Gateway"), NGINX.format("502 Bad Gateway"),
                         {"content-type": "text/html", "server": "nginx"}),
    "status_503_nginx": (503, NGINX.format("503 Service Temporarily Unavailable"),
                         NGINX.format("503 Service Temporarily Unavailable"),
                         {"content-type": "text/html", "server": "nginx"}),
    "status_503_envoy": (503, ENVOY_503, ENVOY_503, {"content-type": "text/plain", "server": "envoy"}),
    "base_url_no_v1_html": (404, NGINX.format("404 Not Found"), None, {"content-type": "text/html",
                                                                        "server": "nginx/1.24.0"}),
    "base_url_no_v1_json": (404, _oa("Invalid URL (POST /chat/completions)", "invalid_request_error", None), None, {}),
    "base_url_double_v1": (404, None, _an("not_found_error", "Not Found"), {}),
    "missing_key": (401, _oa("You didn't provide an API key. You need to provide your API key in an Authorization "
                             "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field "
                             "(with blank username) if you're accessing the API from your browser and are prompted for "
                             "a username and password. You can obtain an API key from "
                             "https://platform.openai.com/account/api-keys.", "invalid_request_error", None),
                    _an("authentication_error", "x-api-key header is required"), {}),
    "status_529": (529, None, _an("overloaded_error", "Overloaded"), {}),
    # One API / New API (tests/peers/fakeapi.py one_api_error: the shape of the relays' public reports)
    "status_relay_no_channel": (503, {"error": {"message": "当前分组 default 下对于模型 gpt-4o-mini 无可用渠道 "
                                                "(request id: 2025120200351287396152429064585)",
                                                "type": "one_api_error", "param": "", "code": None}}, None, {}),
}


def status_handler(scenario: str) -> Callable[[Any], Reply]:
    status, openai_body, anthropic_body, headers = STATUS_REPLIES[scenario]

    def handle(req: Any) -> Reply:
        anthropic = "anthropic-version" in req.headers or req.path.split("?")[0].endswith("/messages")
        body = anthropic_body if anthropic else openai_body
        extra = {"request-id" if anthropic else "x-request-id": "req_5c0f3a9e7d2b41c8a6f1e0d9b8c7a6f5", **headers}
        if isinstance(body, str):
            return Reply(status, {"content-type": "text/html", **extra}, body)
        return Reply.json(status, body, extra)

    return handle


# --- daemons that resolve names as clients do --------------------------------------------------------------

_NS: list[NetNamespace] = []  # the namespace main() made, if any


class _InNamespace:
    """Started through `ip netns exec`, so a proxy resolves api.openai.com with the namespace's resolv.conf."""

    def argv(self) -> list[str]:
        argv: list[str] = super().argv()  # type: ignore[misc]
        return _NS[0].argv(argv) if _NS else argv


class NsTinyproxy(_InNamespace, TinyproxyServer):
    pass


class NsMicrosocks(_InNamespace, MicrosocksServer):
    pass


# --- peers the shared ones do not cover --------------------------------------------------------------------


class TruncatingTlsServer(_TcpPeer):
    """TLS, reads the request, sends the headers and half the body, then resets (SO_LINGER 0)."""

    def __init__(self, ctx: ssl.SSLContext, host: str = "127.0.0.1", port: int = 0) -> None:
        self.ctx = ctx
        super().__init__(host, port)

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        tls = self.ctx.wrap_socket(conn, server_side=True)
        tls.recv(65536)
        body = b'{"id": "chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", "object": "chat.completion", "created": 17415'
        tls.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 812\r\n"
                    b"x-request-id: req_5c0f3a9e7d2b41c8a6f1e0d9b8c7a6f5\r\n\r\n" + body)
        time.sleep(0.1)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()


# --- the world: where the API lives ------------------------------------------------------------------------


@dataclass
class World:
    """Names and ports. In a namespace the API is https://api.openai.com on 443; outside, 127.0.0.1:free."""

    netns: NetNamespace | None
    certs: Any
    tmp: Path

    @property
    def api_host(self) -> str:
        return "api.openai.com" if self.netns else "127.0.0.1"

    @property
    def anthropic_host(self) -> str:
        return "api.anthropic.com" if self.netns else "127.0.0.1"

    def port(self, wanted: int) -> int:
        return wanted if self.netns else free_port()

    def leaf(self, kind: str) -> tuple[Path, Path]:
        """A server certificate of `kind` for the API's names (the shared ones are for *.test names)."""
        cert, key = self.tmp / f"{kind}.cert.pem", self.tmp / f"{kind}.key.pem"
        if not cert.exists():
            names = ("api.openai.com", "api.anthropic.com", "localhost", "127.0.0.1")
            if kind == "selfsigned":
                chain, private = _self_signed(names)
            elif kind == "wronghost":
                return self.certs.leaf("wronghost")
            else:
                import datetime as dt

                now, day = dt.datetime.now(dt.timezone.utc), dt.timedelta(days=1)
                ca = self.certs.other_ca if kind == "unknownca" else self.certs.ca
                dates = {"not_before": now - 30 * day, "not_after": now - day} if kind == "expired" else {}
                issued = ca.issue_cert(*names, **dates)
                chain = b"".join(blob.bytes() for blob in issued.cert_chain_pems)
                private = issued.private_key_pem.bytes()
            cert.write_bytes(chain)
            key.write_bytes(private)
        return cert, key


@dataclass
class Call:
    """One client call: where to, with what environment, and how it ends (timeout, Ctrl-C)."""

    openai_base: str
    anthropic_base: str
    env: dict[str, str] = field(default_factory=dict)
    timeout: float | None = None
    interrupt: float | None = None
    stream: bool = False
    model: str = "gpt-4o-mini"
    anthropic_model: str = "claude-haiku-4-5"
    block: tuple[str, ...] = ()  # modules to make unimportable (socksio: "installed without httpx[socks]")
    secrets: tuple[str, ...] = ()
    # true once the hanging peer has the client's connection: Ctrl-C comes HANG seconds after that, so
    # it lands in the hang and not in a slow import (anthropic's takes over a second)
    ready: Callable[[], bool] | None = None
    unset: tuple[str, ...] = ()  # variables the client must not see at all


@dataclass(frozen=True)
class Scenario:
    name: str
    cause: str
    clients: tuple[str, ...]
    setup: Callable[[World], contextlib.AbstractContextManager[Call]]
    # per client (or "*"): a different cause when that client's text honestly says less (or something else)
    overrides: dict[str, str] = field(default_factory=dict)


PYTHON = ("openai-python", "openai-python-async", "anthropic-python", "httpx", "requests")
ALL = (*PYTHON, "curl", "node-fetch", "openai-node")
HTTP_CLIENTS = (*PYTHON, "curl", "openai-node")  # node's fetch does not fail on a status
PROXY_CLIENTS = (*PYTHON, "curl")  # Node 20's fetch (and the openai Node SDK on it) ignores HTTPS_PROXY


def _api(world: World, port: int, scheme: str = "https") -> Call:
    def base(host: str) -> str:
        default = 443 if scheme == "https" else 80
        return f"{scheme}://{host}" + ("" if port == default else f":{port}")

    return Call(base(world.api_host) + "/v1", base(world.anthropic_host))


def _local(port: int, scheme: str = "http") -> Call:
    return Call(f"{scheme}://localhost:{port}/v1", f"{scheme}://localhost:{port}")


def _trusting(world: World, call: Call) -> Call:
    ca = str(world.certs.ca_pem)
    call.env.update(SSL_CERT_FILE=ca, REQUESTS_CA_BUNDLE=ca, CURL_CA_BUNDLE=ca, NODE_EXTRA_CA_CERTS=ca)
    return call


@contextlib.contextmanager
def _https(world: World, handler: Any, kind: str = "valid") -> Iterator[tuple[HttpServer, Call]]:
    server = HttpServer(handler, cert=world.leaf(kind), host="127.0.0.1", port=world.port(443))
    try:
        yield server, _trusting(world, _api(world, server.port))
    finally:
        server.stop()


def _ok(req: Any) -> Reply:
    return Reply.json(200, {"id": "chatcmpl-x", "object": "chat.completion", "choices": []})


# --- scenarios ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def refused_local(world: World) -> Iterator[Call]:
    yield _local(world.port(8000))  # a local server (vLLM, LiteLLM) that is not running


@contextlib.contextmanager
def refused_proxy(world: World) -> Iterator[Call]:
    with _https(world, _ok) as (_, call):
        proxy = f"http://127.0.0.1:{world.port(7890)}"
        call.env.update(HTTPS_PROXY=proxy, https_proxy=proxy)
        yield call


def _tinyproxy(password: str | None) -> Callable[[World], contextlib.AbstractContextManager[Call]]:
    @contextlib.contextmanager
    def setup(world: World) -> Iterator[Call]:
        with _https(world, _ok) as (_, call), NsTinyproxy("user", PROXY_PASSWORD) as proxy:
            url = proxy.url(password=password) if password else proxy.url(auth=False)
            call.env.update(HTTPS_PROXY=url, https_proxy=url)
            call.secrets = (PROXY_PASSWORD, WRONG_PASSWORD)
            yield call

    return setup


@contextlib.contextmanager
def socks_wrong_password(world: World) -> Iterator[Call]:
    with _https(world, _ok) as (_, call), NsMicrosocks("user", "micro-pass") as proxy:
        url = proxy.url(password=WRONG_PASSWORD)
        call.env.update(ALL_PROXY=url, all_proxy=url)
        call.secrets = (WRONG_PASSWORD, "micro-pass")
        yield call


@contextlib.contextmanager
def socks_without_socksio(world: World) -> Iterator[Call]:
    with _https(world, _ok) as (_, call), NsMicrosocks(None, None) as proxy:
        call.env.update(ALL_PROXY=proxy.url(), all_proxy=proxy.url())
        call.block = ("socksio", "socks")
        yield call


def _tls(kind: str) -> Callable[[World], contextlib.AbstractContextManager[Call]]:
    @contextlib.contextmanager
    def setup(world: World) -> Iterator[Call]:
        with _https(world, _ok, kind) as (_, call):
            yield call

    return setup


@contextlib.contextmanager
def http_to_tls(world: World) -> Iterator[Call]:
    server = HttpServer(_ok, cert=world.leaf("valid"), port=world.port(8443))
    try:
        yield _trusting(world, _local(server.port, "http"))
    finally:
        server.stop()


@contextlib.contextmanager
def tls_to_http(world: World) -> Iterator[Call]:
    server = HttpServer(_ok, port=world.port(8000))
    try:
        yield _trusting(world, _local(server.port, "https"))
    finally:
        server.stop()


def _hang_handshake(timeout: bool) -> Callable[[World], contextlib.AbstractContextManager[Call]]:
    @contextlib.contextmanager
    def setup(world: World) -> Iterator[Call]:
        with BlackholeServer("127.0.0.1", world.port(443)) as hole:
            call = _trusting(world, _api(world, hole.port))
            yield (replace(call, timeout=TIMEOUT) if timeout
                   else replace(call, interrupt=HANG, ready=lambda: hole.accepted > 0))

    return setup


def _hang_read(timeout: bool) -> Callable[[World], contextlib.AbstractContextManager[Call]]:
    @contextlib.contextmanager
    def setup(world: World) -> Iterator[Call]:
        with _https(world, Reply(200, {"content-type": "application/json"}, b"{}", delay=60)) as (server, call):
            yield (replace(call, timeout=TIMEOUT) if timeout
                   else replace(call, interrupt=HANG, ready=lambda: len(server.requests) > 0))

    return setup


@contextlib.contextmanager
def connect_timeout(world: World) -> Iterator[Call]:
    with SynDropServer("127.0.0.1", port=world.port(443)) as drop:  # SYNs dropped: a real TCP connect timeout
        yield replace(_trusting(world, _api(world, drop.port)), timeout=TIMEOUT)


def _hang_proxy(scheme: str, port: int, timeout: bool) -> Callable[[World], contextlib.AbstractContextManager[Call]]:
    @contextlib.contextmanager
    def setup(world: World) -> Iterator[Call]:
        with _https(world, _ok) as (_, call), BlackholeServer("127.0.0.1", world.port(port)) as hole:
            proxy = f"{scheme}://127.0.0.1:{hole.port}"
            names = ("HTTPS_PROXY", "https_proxy") if scheme == "http" else ("ALL_PROXY", "all_proxy")
            call.env.update(dict.fromkeys(names, proxy))
            yield (replace(call, timeout=TIMEOUT) if timeout
                   else replace(call, interrupt=HANG, ready=lambda: hole.accepted > 0))

    return setup


@contextlib.contextmanager
def dns_timeout(world: World) -> Iterator[Call]:
    # the namespace's DNS server never answers for this name (zone "DROP"): getaddrinfo gives up after 1 s
    yield Call("https://api.deepseek.com/v1", "https://api.deepseek.com/anthropic")


def _handshake_cut(peer: type[ResetServer | FinServer]) -> Callable[[World], contextlib.AbstractContextManager[Call]]:
    @contextlib.contextmanager
    def setup(world: World) -> Iterator[Call]:
        with peer("127.0.0.1", world.port(443)) as server:  # reads the ClientHello, then RST (or FIN)
            yield _trusting(world, _api(world, server.port))

    return setup


def _proxy_target_closed(socks: bool) -> Callable[[World], contextlib.AbstractContextManager[Call]]:
    """A working proxy, good credentials, and nothing listening where the API should be."""

    @contextlib.contextmanager
    def setup(world: World) -> Iterator[Call]:
        proxy_cls: Any = NsMicrosocks if socks else NsTinyproxy
        with proxy_cls("user", "micro-pass" if socks else PROXY_PASSWORD) as proxy:
            call = _trusting(world, _api(world, world.port(443)))
            url = proxy.url()
            names = ("ALL_PROXY", "all_proxy") if socks else ("HTTPS_PROXY", "https_proxy")
            call.env.update(dict.fromkeys(names, url))
            call.secrets = ("micro-pass", PROXY_PASSWORD)
            yield call

    return setup


@contextlib.contextmanager
def socks_without_credentials(world: World) -> Iterator[Call]:
    with _https(world, _ok) as (_, call), NsMicrosocks("user", "micro-pass") as proxy:
        call.env.update(ALL_PROXY=proxy.url(auth=False), all_proxy=proxy.url(auth=False))
        yield call


@contextlib.contextmanager
def http_proxy_url_at_socks_port(world: World) -> Iterator[Call]:
    with _https(world, _ok) as (_, call), NsMicrosocks(None, None) as proxy:
        url = f"http://127.0.0.1:{proxy.port}"  # the port speaks SOCKS5, the URL says HTTP
        call.env.update(HTTPS_PROXY=url, https_proxy=url)
        yield call


@contextlib.contextmanager
def https_proxy_url_at_http_proxy(world: World) -> Iterator[Call]:
    with _https(world, _ok) as (_, call), NsTinyproxy(None, None) as proxy:
        url = f"https://127.0.0.1:{proxy.port}"  # TLS to a plain HTTP proxy
        call.env.update(HTTPS_PROXY=url, https_proxy=url)
        yield call


@contextlib.contextmanager
def socks4_proxy_url(world: World) -> Iterator[Call]:
    with _https(world, _ok) as (_, call):
        url = f"socks4://127.0.0.1:{world.port(1080)}"  # httpx speaks no SOCKS4
        call.env.update(ALL_PROXY=url, all_proxy=url)
        yield call


@contextlib.contextmanager
def missing_key(world: World) -> Iterator[Call]:
    with _https(world, status_handler("missing_key")) as (_, call):
        call.env.update(OPENAI_API_KEY="", ANTHROPIC_API_KEY="")
        call.unset = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY")
        yield call


@contextlib.contextmanager
def key_with_newline(world: World) -> Iterator[Call]:
    with _https(world, _ok) as (_, call):
        call.env.update(OPENAI_API_KEY=OPENAI_KEY + "\n", ANTHROPIC_API_KEY=ANTHROPIC_KEY + "\n")
        yield call


def _html_page(req: Any) -> Reply:
    page = ("<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>New API</title></head><body>"
            "<div id=\"root\"></div><script type=\"module\" src=\"/assets/index-Cx3k2.js\"></script></body></html>")
    return Reply(200, {"content-type": "text/html; charset=utf-8"}, page)


@contextlib.contextmanager
def html_console_answer(world: World) -> Iterator[Call]:
    with _https(world, _html_page) as (_, call):  # a relay's web console at the base URL: /v1 left out
        yield replace(call, openai_base=call.openai_base.removesuffix("/v1"))


def _overloaded_midstream(req: Any) -> Reply:
    start = {"type": "message_start", "message": {"id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message",
             "role": "assistant", "content": [], "model": "claude-haiku-4-5-20251001", "stop_reason": None,
             "stop_sequence": None, "usage": {"input_tokens": 14, "output_tokens": 1}}}
    error = {"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}}
    return Reply(200, {"content-type": "text/event-stream"},
                 [f"event: message_start\ndata: {json.dumps(start)}\n\n".encode(),
                  f"event: error\ndata: {json.dumps(error)}\n\n".encode()])


@contextlib.contextmanager
def overloaded_midstream(world: World) -> Iterator[Call]:
    with _https(world, _overloaded_midstream) as (_, call):
        yield replace(call, stream=True)


@contextlib.contextmanager
def unreachable_network(world: World) -> Iterator[Call]:
    # a relay by its address; the namespace has no route off its loopback, so nothing is ever sent
    yield Call("https://203.0.113.7/v1", "https://203.0.113.7")


def _stalling(req: Any) -> Reply:
    if req.path.endswith("/messages"):
        start = {"type": "message_start", "message": {"id": "msg_01XFDUDYJgAACzvnptvVoYEL", "type": "message",
                 "role": "assistant", "content": [], "model": "claude-haiku-4-5-20251001", "stop_reason": None,
                 "stop_sequence": None, "usage": {"input_tokens": 14, "output_tokens": 1}}}
        return Reply(200, {"content-type": "text/event-stream"},
                     [f"event: message_start\ndata: {json.dumps(start)}\n\n".encode(), 60.0])
    chunk = {"id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT", "object": "chat.completion.chunk", "created": 1741569952,
             "model": "gpt-4o-mini-2024-07-18", "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""},
                                                             "finish_reason": None}]}
    return Reply.sse([chunk, 60.0], done=False)


@contextlib.contextmanager
def hang_stream_sigint(world: World) -> Iterator[Call]:
    with _https(world, _stalling) as (server, call):
        yield replace(call, interrupt=HANG, stream=True, ready=lambda: len(server.requests) > 0)


@contextlib.contextmanager
def reset_mid_response(world: World) -> Iterator[Call]:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(*map(str, world.leaf("valid")))
    with TruncatingTlsServer(ctx, "127.0.0.1", world.port(443)) as server:
        yield _trusting(world, _api(world, server.port))


@contextlib.contextmanager
def dns_nxdomain(world: World) -> Iterator[Call]:
    # misspelled hosts; the namespace's DNS server answers NXDOMAIN for every name it does not hold
    yield Call("https://api.openai.con/v1", "https://api.antropic.com")


def _status(name: str) -> Callable[[World], contextlib.AbstractContextManager[Call]]:
    @contextlib.contextmanager
    def setup(world: World) -> Iterator[Call]:
        with _https(world, status_handler(name)) as (_, call):
            if name == "status_404_model":
                call = replace(call, model="gpt-5-turbo", anthropic_model="claude-3-opus-latest")
            if name.startswith("base_url_no_v1"):
                call = replace(call, openai_base=call.openai_base.removesuffix("/v1"))
            if name == "base_url_double_v1":
                call = replace(call, anthropic_base=call.anthropic_base + "/v1")
            yield call

    return setup


# Where a client's text honestly says less than the fault: raise_for_status() gives the status line only;
# the openai SDK drops a non-JSON body ("Error code: 503"); a timeout that does not say which step timed out.
AMB = "ambiguous"
_NO_BODY = {"httpx": AMB, "requests": AMB}
_BARE_503 = {**_NO_BODY, "openai-python": AMB, "openai-python-async": AMB}
_STEP_UNSAID = {"node-fetch": AMB, "openai-node": AMB}  # "aborted due to timeout" / "Request timed out."

SCENARIOS: tuple[Scenario, ...] = (
    # AsyncOpenAI (anyio) keeps no errno: "All connection attempts failed" is a refusal or no route
    Scenario("refused_local", "net.connect_refused", ALL, refused_local, {"openai-python-async": AMB}),
    Scenario("refused_proxy", "proxy.unreachable", PROXY_CLIENTS, refused_proxy),
    Scenario("proxy_wrong_password", "proxy.auth_failed", PROXY_CLIENTS, _tinyproxy(WRONG_PASSWORD)),
    Scenario("proxy_no_password", "proxy.auth_failed", PROXY_CLIENTS, _tinyproxy(None)),
    Scenario("socks_wrong_password", "proxy.auth_failed", PROXY_CLIENTS, socks_wrong_password),
    Scenario("socks_without_socksio", "env.socks_dependency_missing", PYTHON, socks_without_socksio),
    Scenario("tls_self_signed", "tls.self_signed", ALL, _tls("selfsigned")),
    Scenario("tls_unknown_ca", "tls.unknown_ca", ALL, _tls("unknownca")),
    Scenario("tls_hostname_mismatch", "tls.hostname_mismatch", ALL, _tls("wronghost")),
    Scenario("tls_expired", "tls.expired", ALL, _tls("expired")),
    # "Server disconnected without sending a response" / "Empty reply from server" / "other side closed"
    Scenario("http_to_tls_port", "tls.protocol_mismatch", ALL, http_to_tls, {"*": AMB}),
    Scenario("tls_to_http_port", "tls.protocol_mismatch", ALL, tls_to_http),
    Scenario("hang_handshake_sigint", "net.tls_timeout", PYTHON, _hang_handshake(False)),
    # curl: "(28) Connection timed out after 1001 milliseconds": the TCP connect or the TLS handshake
    Scenario("hang_handshake_timeout", "net.tls_timeout", ALL, _hang_handshake(True), {**_STEP_UNSAID, "curl": AMB}),
    Scenario("hang_read_sigint", "net.read_timeout", PYTHON, _hang_read(False)),
    Scenario("hang_read_timeout", "net.read_timeout", ALL, _hang_read(True), _STEP_UNSAID),
    Scenario("hang_proxy_sigint", "proxy.not_responding", PYTHON, _hang_proxy("http", 7890, False)),
    Scenario("hang_socks_sigint", "proxy.socks_handshake_hang", PYTHON, _hang_proxy("socks5", 1080, False)),
    Scenario("hang_stream_sigint", "net.stream_stalled", ("openai-python", "openai-python-async", "anthropic-python"),
             hang_stream_sigint),
    Scenario("reset_mid_response", "server.protocol_error", ALL, reset_mid_response,
             {"openai-python-async": AMB}),  # a bare ReadError from a reset: when in the answer is not said
    Scenario("dns_nxdomain", "dns.failure", ALL, dns_nxdomain),
    Scenario("dns_timeout", "dns.failure", ALL, dns_timeout),
    # curl -m: "Connection timed out after N ms" is also what a silent TLS peer or proxy gives
    Scenario("connect_timeout", "net.connect_timeout", ALL, connect_timeout, {**_STEP_UNSAID, "curl": AMB}),
    Scenario("hang_proxy_timeout", "proxy.not_responding", PROXY_CLIENTS, _hang_proxy("http", 7890, True),
             {"curl": AMB}),
    # httpx 0.28 (httpcore 1.0) has no timeout on the SOCKS handshake: it would hang, so it is not run here
    Scenario("hang_socks_timeout", "proxy.socks_handshake_hang", ("openai-python", "openai-python-async",
                                                                   "anthropic-python", "requests",
                                                                   "curl"), _hang_proxy("socks5", 1080, True),
             {"curl": AMB}),
    Scenario("status_401", "auth.invalid_key", HTTP_CLIENTS, _status("status_401")),
    Scenario("status_403_region", "auth.region_blocked", HTTP_CLIENTS, _status("status_403_region"), _NO_BODY),
    Scenario("status_404_model", "model.not_found", HTTP_CLIENTS, _status("status_404_model"), _NO_BODY),
    Scenario("status_429_rate", "ratelimit.exceeded", HTTP_CLIENTS, _status("status_429_rate"), _NO_BODY),
    Scenario("status_429_quota", "quota.insufficient", tuple(c for c in HTTP_CLIENTS if c != "anthropic-python"),
             _status("status_429_quota"), _NO_BODY),
    Scenario("status_400_credit", "quota.insufficient", ("anthropic-python",), _status("status_400_credit")),
    Scenario("status_500", "server.error", HTTP_CLIENTS, _status("status_500")),
    Scenario("status_502_nginx", "gateway.error", HTTP_CLIENTS, _status("status_502_nginx")),
    Scenario("status_503_nginx", "gateway.error", HTTP_CLIENTS, _status("status_503_nginx"), _BARE_503),
    Scenario("status_503_envoy", "gateway.error", HTTP_CLIENTS, _status("status_503_envoy"), _BARE_503),
    # httpx and requests print the URL, and https://api.openai.com/chat/completions lacks /v1: that tells;
    # the openai SDK's "Error code: 404" for an HTML page does not
    Scenario("base_url_no_v1_html", "config.base_url_invalid",
             tuple(c for c in HTTP_CLIENTS if c != "anthropic-python"), _status("base_url_no_v1_html"),
             {"openai-python": AMB, "openai-python-async": AMB}),
    Scenario("base_url_no_v1_json", "config.base_url_invalid",
             tuple(c for c in HTTP_CLIENTS if c != "anthropic-python"), _status("base_url_no_v1_json")),
    # "404 not_found_error Not Found": a path; Anthropic names the model when it is the model ("model: x")
    # Node: "read ECONNRESET" under "fetch failed" does not say the handshake
    Scenario("tls_handshake_reset", "tls.handshake_reset", ALL, _handshake_cut(ResetServer),
             {"node-fetch": AMB, "openai-node": AMB}),
    Scenario("tls_handshake_eof", "tls.handshake_reset", ALL, _handshake_cut(FinServer)),
    Scenario("proxy_target_closed", "proxy.upstream_failed", PROXY_CLIENTS, _proxy_target_closed(False)),
    Scenario("socks_target_closed", "proxy.upstream_failed", PROXY_CLIENTS, _proxy_target_closed(True)),
    Scenario("socks_without_credentials", "proxy.auth_failed", PROXY_CLIENTS, socks_without_credentials),
    # curl: "(56) Proxy CONNECT aborted" could as well be a proxy that crashed
    Scenario("http_proxy_url_at_socks_port", "proxy.protocol_mismatch", PROXY_CLIENTS, http_proxy_url_at_socks_port,
             {"curl": AMB}),
    # the TLS handshake with the proxy never ends: a plain proxy, or a silent one (httpx, requests and curl wait
    # for the handshake without a deadline here, so only the SDKs, whose default timeout ends it, are run)
    Scenario("https_proxy_url_at_http_proxy", "proxy.protocol_mismatch",
             ("openai-python", "openai-python-async", "anthropic-python"),
             https_proxy_url_at_http_proxy, {"*": AMB}),
    Scenario("socks4_proxy_url", "env.proxy_misconfigured",
             ("openai-python", "openai-python-async", "anthropic-python", "httpx"),
             socks4_proxy_url),
    Scenario("missing_key", "config.missing_key",
             ("openai-python", "openai-python-async", "anthropic-python", "curl", "openai-node"),
             missing_key),
    # curl and Node's fetch strip the trailing newline from a header value and succeed
    Scenario("key_with_newline", "config.key_whitespace", PYTHON, key_with_newline),
    # the SDKs return the page as a str ("'str' object has no attribute 'choices'"), httpx and requests fail in
    # .json(): the answer is not in the API's format (response.unparseable); curl shows the page itself
    Scenario("html_console_answer", "endpoint.not_an_api", HTTP_CLIENTS, html_console_answer,
             {**dict.fromkeys(PYTHON, "response.unparseable"), "openai-node": AMB}),
    Scenario("overloaded_midstream", "server.overloaded", ("anthropic-python",), overloaded_midstream),
    Scenario("status_529", "server.overloaded", ("anthropic-python",), _status("status_529")),
    Scenario("status_relay_no_channel", "model.not_found", ("openai-python", "openai-python-async", "curl",
                                                             "openai-node"),
             _status("status_relay_no_channel")),
    # curl 7's "Couldn't connect to server" is said for a refusal too
    Scenario("unreachable_network", "net.unreachable", ALL, unreachable_network,
             {"curl": AMB, "openai-python-async": AMB}),
    Scenario("base_url_double_v1", "config.base_url_invalid", ("anthropic-python",), _status("base_url_double_v1")),
)

# --- the clients -------------------------------------------------------------------------------------------

_BLOCK = "import sys\nfor _m in {mods!r}:\n    sys.modules[_m] = None  # as if not installed\n"
_MESSAGES = '[{"role": "user", "content": "Say OK"}]'


def _python_source(client: str, call: Call) -> str:
    timeout = f", timeout={call.timeout}" if call.timeout is not None else ""
    if client == "openai-python-async":  # AsyncOpenAI, as LangChain and most servers use it (anyio underneath)
        stream = ", stream=True" if call.stream else ""
        body = f"""\
            import asyncio

            from openai import AsyncOpenAI


            async def main() -> None:
                client = AsyncOpenAI(max_retries=0{timeout})
                response = await client.chat.completions.create(model="{call.model}", messages={_MESSAGES}{stream})
            """
        body = textwrap.dedent(body)
        body += ("    async for chunk in response:\n        print(chunk.choices[0].delta.content or '', end='')\n"
                 if call.stream else "    print(response.choices[0].message.content)\n")
        body += "\n\nasyncio.run(main())\n"
    elif client == "openai-python":
        stream = ", stream=True" if call.stream else ""
        body = f"""\
            from openai import OpenAI

            client = OpenAI(max_retries=0{timeout})
            response = client.chat.completions.create(model="{call.model}", messages={_MESSAGES}{stream})
            """
        body = textwrap.dedent(body)
        body += ("for chunk in response:\n    print(chunk.choices[0].delta.content or '', end='')\n" if call.stream
                 else "print(response.choices[0].message.content)\n")
    elif client == "anthropic-python":
        stream = ", stream=True" if call.stream else ""
        body = f"""\
            import anthropic

            client = anthropic.Anthropic(max_retries=0{timeout})
            message = client.messages.create(
                model="{call.anthropic_model}", max_tokens=64, messages={_MESSAGES}{stream})
            """
        body = textwrap.dedent(body)
        body += "for event in message:\n    print(event.type)\n" if call.stream else "print(message.content[0].text)\n"
    else:
        module = client
        body = f"""\
            import os
            import {module}

            url = os.environ["OPENAI_BASE_URL"] + "/chat/completions"
            headers = {{"Authorization": "Bearer " + os.environ["OPENAI_API_KEY"]}}
            r = {module}.post(url, headers=headers, json={{"model": "{call.model}", "messages": {_MESSAGES}}}, \
timeout={call.timeout if call.timeout is not None else 60})
            r.raise_for_status()
            print(r.json()["choices"][0]["message"]["content"])
            """
    source = textwrap.dedent(body)
    return (_BLOCK.format(mods=call.block) if call.block else "") + source


def _node_source(client: str, call: Call) -> str:
    if client == "openai-node":
        timeout = f", timeout: {int(call.timeout * 1000)}" if call.timeout is not None else ""
        return textwrap.dedent(f"""\
            import OpenAI from "openai";

            const client = new OpenAI({{ maxRetries: 0{timeout} }});
            const completion = await client.chat.completions.create({{
              model: "{call.model}",
              messages: [{{ role: "user", content: "Say OK" }}],
            }});
            console.log(completion.choices[0].message.content);
            """)
    signal_ = f",\n  signal: AbortSignal.timeout({int(call.timeout * 1000)})" if call.timeout is not None else ""
    return textwrap.dedent(f"""\
        const res = await fetch(`${{process.env.OPENAI_BASE_URL}}/chat/completions`, {{
          method: "POST",
          headers: {{ "Content-Type": "application/json", Authorization: `Bearer ${{process.env.OPENAI_API_KEY}}` }},
          body: JSON.stringify({{ model: "{call.model}", messages: [{{ role: "user", content: "Say OK" }}] }}){signal_},
        }});
        console.log(await res.json());
        """)


def _curl_argv(call: Call) -> list[str]:
    body = json.dumps({"model": call.model, "messages": [{"role": "user", "content": "Say OK"}]})
    key = "" if "OPENAI_API_KEY" in call.unset else call.env.get("OPENAI_API_KEY", OPENAI_KEY)
    argv = ["curl", "-sS", f"{call.openai_base}/chat/completions", "-H", "Content-Type: application/json",
            "-H", f"Authorization: Bearer {key}", "-d", body]
    return argv + (["-m", f"{call.timeout:g}"] if call.timeout is not None else [])


@dataclass
class Clients:
    """Which clients exist here, their versions, and where the openai Node SDK was installed."""

    tmp: Path
    versions: dict[str, str] = field(default_factory=dict)
    node_modules: Path | None = None

    def probe(self, wanted: tuple[str, ...]) -> None:
        for name, module in (("openai-python", "openai"), ("openai-python-async", "openai"),
                             ("anthropic-python", "anthropic"), ("httpx", "httpx"),
                             ("requests", "requests")):
            if name in wanted:
                out = subprocess.run([PY, "-c", f"import {module}; print({module}.__version__)"],
                                     capture_output=True, text=True, timeout=30)
                if out.returncode == 0:
                    self.versions[name] = out.stdout.strip()
        if "curl" in wanted and shutil.which("curl"):
            self.versions["curl"] = subprocess.run(["curl", "--version"], capture_output=True, text=True,
                                                   timeout=10).stdout.split()[1]
        node = shutil.which("node")
        if node and "node-fetch" in wanted:
            self.versions["node-fetch"] = "node " + subprocess.run([node, "--version"], capture_output=True,
                                                                   text=True, timeout=10).stdout.strip()
        if node and "openai-node" in wanted and shutil.which("npm"):
            self._install_openai_node()

    def _install_openai_node(self) -> None:
        where = self.tmp / "node"
        where.mkdir(exist_ok=True)
        (where / "package.json").write_text('{"name": "faults", "private": true, "type": "module"}')
        done = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", "openai"], cwd=where,
                              capture_output=True, text=True, timeout=300)
        package = where / "node_modules" / "openai" / "package.json"
        if done.returncode != 0 or not package.exists():
            print(f"openai-node skipped: npm install failed: {done.stderr.strip()[-300:]}", file=sys.stderr)
            return
        self.node_modules = where
        self.versions["openai-node"] = json.loads(package.read_text())["version"]


def run_client(client: str, call: Call, clients: Clients, world: World) -> str | None:
    """What the client printed (stdout and stderr, as a terminal shows them), or None if it did not end."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/root"),
           "LANG": "C.UTF-8", "OPENAI_API_KEY": OPENAI_KEY, "ANTHROPIC_API_KEY": ANTHROPIC_KEY,
           "OPENAI_BASE_URL": call.openai_base, "ANTHROPIC_BASE_URL": call.anthropic_base,
           "SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt", "NODE_EXTRA_CA_CERTS": "",
           "CURL_CA_BUNDLE": "/etc/ssl/certs/ca-certificates.crt",
           "REQUESTS_CA_BUNDLE": "/etc/ssl/certs/ca-certificates.crt", **call.env}
    for name in call.unset:
        env.pop(name, None)
    if client in PYTHON:
        script = clients.tmp / "app.py"
        script.write_text(_python_source(client, call))
        argv = [PY, str(script)]
        cwd = clients.tmp
    elif client == "curl":
        argv, cwd = _curl_argv(call), clients.tmp
    else:
        cwd = clients.node_modules or clients.tmp
        script = cwd / "app.mjs"
        script.write_text(_node_source(client, call))
        argv = ["node", str(script)]
    if world.netns:
        argv = world.netns.argv(argv)
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, cwd=cwd,
                            stdin=subprocess.DEVNULL)
    try:
        if call.interrupt is not None:
            try:
                deadline = time.monotonic() + RUN_DEADLINE
                while call.ready and not call.ready() and time.monotonic() < deadline and proc.poll() is None:
                    time.sleep(0.02)
                proc.wait(call.interrupt)
            except subprocess.TimeoutExpired:
                proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=RUN_DEADLINE)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        return None
    if proc.returncode == 0 and client != "curl":
        return None  # not a failure: nothing to record (curl prints an error body and exits 0)
    return out.decode("utf-8", "replace")


def scrub(text: str, secrets: tuple[str, ...]) -> str:
    """Keys and proxy passwords masked the way providers mask them; nothing else is touched."""
    for key in (OPENAI_KEY, ANTHROPIC_KEY):
        text = text.replace(key, key[:8] + "*" * 10 + key[-4:])
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def layer(cause: str, fallback: str) -> str:
    path = CAUSES / f"{cause if cause != 'ambiguous' else fallback}.json"
    return str(json.loads(path.read_text())["layer"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", action="append", help="only these scenarios (repeatable)")
    parser.add_argument("--client", action="append", help="only these clients (repeatable)")
    parser.add_argument("--list", action="store_true", help="list the scenarios and their clients")
    parser.add_argument("--no-netns", action="store_true", help="loopback addresses only, as without root")
    parser.add_argument("--again", action="store_true",
                        help="also run scenario x client pairs whose source is already in tests/corpus")
    args = parser.parse_args(argv)
    scenarios = [s for s in SCENARIOS if not args.scenario or s.name in args.scenario]
    if args.list:
        for s in SCENARIOS:
            print(f"{s.name:24} {s.cause:28} {' '.join(s.clients)}")
        return 0
    wanted = tuple(c for c in ALL if not args.client or c in args.client)
    # one scenario x client is one source: a second run would add near-copies under it (texts differ by temp paths)
    known = set() if args.again else {json.loads(line)["source"] for path in (ROOT / "tests" / "corpus").glob("*.jsonl")
                                      for line in path.read_text(encoding="utf-8").splitlines() if line.strip()}
    usable, why = (False, "--no-netns") if args.no_netns else netns_available()
    tmp = Path(tempfile.mkdtemp(prefix="llmd-faults-"))
    clients = Clients(tmp)
    clients.probe(wanted)
    print(f"clients: {clients.versions}; netns: {'yes' if usable else 'no (' + why + ')'}", file=sys.stderr)
    zones: dict[str, Any] = {"api.openai.com": {"A": ["127.0.0.1"]}, "api.anthropic.com": {"A": ["127.0.0.1"]},
                             "api.deepseek.com": "DROP"}
    with contextlib.ExitStack() as stack:
        ns = stack.enter_context(NetNamespace(zones)) if usable else None
        _NS[:] = [ns] if ns else []
        if ns:
            stack.enter_context(ns.inside())  # every peer and client below lives in the namespace
        world = World(ns, make_certs(tmp / "certs"), tmp)
        for scenario in scenarios:
            if scenario.name.startswith(("dns_", "unreachable_")) and ns is None:  # would leave loopback
                print(f"{scenario.name} skipped: needs a network namespace", file=sys.stderr)
                continue
            for client in scenario.clients:
                if client not in wanted or client not in clients.versions:
                    continue
                source = f"generated: benchmarks/corpus_faults.py {scenario.name} {client} {clients.versions[client]}"
                if source in known:
                    continue
                started = time.monotonic()
                with scenario.setup(world) as call:
                    text = run_client(client, call, clients, world)
                took = time.monotonic() - started
                if not text:
                    print(f"  {scenario.name} {client}: no failure output ({took:.1f} s)", file=sys.stderr)
                    continue
                cause = scenario.overrides.get(client, scenario.overrides.get("*", scenario.cause))
                provider = ("relay" if "relay" in scenario.name else
                            "anthropic" if client == "anthropic-python" else "openai")
                row = {"text": scrub(text, call.secrets).strip("\n"), "cause": cause, "source": source,
                       "client": client, "provider": provider,
                       "lang": "zh" if re.search("[\u4e00-\u9fff]", text) else "en",
                       "class": f"fault_{layer(cause, scenario.cause)}"}
                print(json.dumps(row, ensure_ascii=False), flush=True)
                print(f"  {scenario.name} {client}: {len(text)} chars ({took:.1f} s)", file=sys.stderr)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
