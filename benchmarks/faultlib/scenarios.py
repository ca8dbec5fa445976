"""The faults, each a context manager that starts its peers and gives the call, with the cause it is by construction."""

from __future__ import annotations

import contextlib
import json
import ssl
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

from peers import (
    BlackholeServer,
    FinServer,
    HttpServer,
    Reply,
    ResetServer,
    SynDropServer,
)
from peers.raw import ClosingConnectProxy, connecting_to

from faultlib.replies import status_handler
from faultlib.world import (
    ALL,
    ANTHROPIC_KEY,
    HANG,
    HTTP_CLIENTS,
    OPENAI_KEY,
    PROXY_CLIENTS,
    PROXY_PASSWORD,
    PYTHON,
    SIGINT_CLIENTS,
    SOCKS_CLIENTS,
    TIMEOUT,
    WRONG_PASSWORD,
    Call,
    CutStreamTlsServer,
    NsMicrosocks,
    NsTinyproxy,
    Scenario,
    TruncatingTlsServer,
    World,
    api_call,
    https_api,
    local_call,
    ok_reply,
    trusting,
)

# --- scenarios ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def refused_local(world: World) -> Iterator[Call]:
    yield local_call(world.port(8000))  # a local server (vLLM, LiteLLM) that is not running


@contextlib.contextmanager
def refused_proxy(world: World) -> Iterator[Call]:
    with https_api(world, ok_reply) as (_, call):
        proxy = f"http://127.0.0.1:{world.port(7890)}"
        call.env.update(HTTPS_PROXY=proxy, https_proxy=proxy)
        yield call


def _tinyproxy(password: str | None) -> Callable[[World], contextlib.AbstractContextManager[Call]]:
    @contextlib.contextmanager
    def setup(world: World) -> Iterator[Call]:
        with https_api(world, ok_reply) as (_, call), NsTinyproxy("user", PROXY_PASSWORD) as proxy:
            url = proxy.url(password=password) if password else proxy.url(auth=False)
            call.env.update(HTTPS_PROXY=url, https_proxy=url)
            call.secrets = (PROXY_PASSWORD, WRONG_PASSWORD)
            yield call

    return setup


@contextlib.contextmanager
def socks_wrong_password(world: World) -> Iterator[Call]:
    with https_api(world, ok_reply) as (_, call), NsMicrosocks("user", "micro-pass") as proxy:
        url = proxy.url(password=WRONG_PASSWORD)
        call.env.update(ALL_PROXY=url, all_proxy=url)
        call.secrets = (WRONG_PASSWORD, "micro-pass")
        yield call


@contextlib.contextmanager
def socks_without_socksio(world: World) -> Iterator[Call]:
    with https_api(world, ok_reply) as (_, call), NsMicrosocks(None, None) as proxy:
        call.env.update(ALL_PROXY=proxy.url(), all_proxy=proxy.url())
        call.block = ("socksio", "socks")
        yield call


def _tls(kind: str) -> Callable[[World], contextlib.AbstractContextManager[Call]]:
    @contextlib.contextmanager
    def setup(world: World) -> Iterator[Call]:
        with https_api(world, ok_reply, kind) as (_, call):
            yield call

    return setup


@contextlib.contextmanager
def http_to_tls(world: World) -> Iterator[Call]:
    server = HttpServer(ok_reply, cert=world.leaf("valid"), port=world.port(8443))
    try:
        yield trusting(world, local_call(server.port, "http"))
    finally:
        server.stop()


@contextlib.contextmanager
def tls_to_http(world: World) -> Iterator[Call]:
    server = HttpServer(ok_reply, port=world.port(8000))
    try:
        yield trusting(world, local_call(server.port, "https"))
    finally:
        server.stop()


def _hang_handshake(timeout: bool) -> Callable[[World], contextlib.AbstractContextManager[Call]]:
    @contextlib.contextmanager
    def setup(world: World) -> Iterator[Call]:
        with BlackholeServer("127.0.0.1", world.port(443)) as hole:
            call = trusting(world, api_call(world, hole.port))
            yield (replace(call, timeout=TIMEOUT) if timeout
                   else replace(call, interrupt=HANG, ready=lambda: hole.accepted > 0))

    return setup


def _hang_read(timeout: bool) -> Callable[[World], contextlib.AbstractContextManager[Call]]:
    @contextlib.contextmanager
    def setup(world: World) -> Iterator[Call]:
        with https_api(world, Reply(200, {"content-type": "application/json"}, b"{}", delay=60)) as (server, call):
            yield (replace(call, timeout=TIMEOUT) if timeout
                   else replace(call, interrupt=HANG, ready=lambda: len(server.requests) > 0))

    return setup


@contextlib.contextmanager
def connect_timeout(world: World) -> Iterator[Call]:
    with SynDropServer("127.0.0.1", port=world.port(443)) as drop:  # SYNs dropped: a real TCP connect timeout
        yield replace(trusting(world, api_call(world, drop.port)), timeout=TIMEOUT)


def _hang_proxy(scheme: str, port: int, timeout: bool) -> Callable[[World], contextlib.AbstractContextManager[Call]]:
    @contextlib.contextmanager
    def setup(world: World) -> Iterator[Call]:
        with https_api(world, ok_reply) as (_, call), BlackholeServer("127.0.0.1", world.port(port)) as hole:
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
            yield trusting(world, api_call(world, server.port))

    return setup


def _proxy_target_closed(socks: bool) -> Callable[[World], contextlib.AbstractContextManager[Call]]:
    """A working proxy, good credentials, and nothing listening where the API should be."""

    @contextlib.contextmanager
    def setup(world: World) -> Iterator[Call]:
        proxy_cls: Any = NsMicrosocks if socks else NsTinyproxy
        with proxy_cls("user", "micro-pass" if socks else PROXY_PASSWORD) as proxy:
            call = trusting(world, api_call(world, world.port(443)))
            url = proxy.url()
            names = ("ALL_PROXY", "all_proxy") if socks else ("HTTPS_PROXY", "https_proxy")
            call.env.update(dict.fromkeys(names, url))
            call.secrets = ("micro-pass", PROXY_PASSWORD)
            yield call

    return setup


@contextlib.contextmanager
def socks_without_credentials(world: World) -> Iterator[Call]:
    with https_api(world, ok_reply) as (_, call), NsMicrosocks("user", "micro-pass") as proxy:
        call.env.update(ALL_PROXY=proxy.url(auth=False), all_proxy=proxy.url(auth=False))
        yield call


@contextlib.contextmanager
def http_proxy_url_at_socks_port(world: World) -> Iterator[Call]:
    with https_api(world, ok_reply) as (_, call), NsMicrosocks(None, None) as proxy:
        url = f"http://127.0.0.1:{proxy.port}"  # the port speaks SOCKS5, the URL says HTTP
        call.env.update(HTTPS_PROXY=url, https_proxy=url)
        yield call


@contextlib.contextmanager
def https_proxy_url_at_http_proxy(world: World) -> Iterator[Call]:
    with https_api(world, ok_reply) as (_, call), NsTinyproxy(None, None) as proxy:
        url = f"https://127.0.0.1:{proxy.port}"  # TLS to a plain HTTP proxy
        call.env.update(HTTPS_PROXY=url, https_proxy=url)
        yield call


@contextlib.contextmanager
def socks4_proxy_url(world: World) -> Iterator[Call]:
    with https_api(world, ok_reply) as (_, call):
        url = f"socks4://127.0.0.1:{world.port(1080)}"  # httpx speaks no SOCKS4
        call.env.update(ALL_PROXY=url, all_proxy=url)
        yield call


@contextlib.contextmanager
def missing_key(world: World) -> Iterator[Call]:
    with https_api(world, status_handler("missing_key")) as (_, call):
        call.env.update(OPENAI_API_KEY="", ANTHROPIC_API_KEY="")
        call.unset = ("OPENAI_API_KEY", "ANTHROPIC_API_KEY")
        yield call


@contextlib.contextmanager
def base_url_no_scheme(world: World) -> Iterator[Call]:
    # OPENAI_BASE_URL=api.openai.com/v1 (the scheme left out): the clients refuse the URL before any request
    with https_api(world, ok_reply) as (_, call):
        yield replace(call, openai_base=call.openai_base.split("://", 1)[-1],
                      anthropic_base=call.anthropic_base.split("://", 1)[-1])


@contextlib.contextmanager
def key_with_newline(world: World) -> Iterator[Call]:
    with https_api(world, ok_reply) as (_, call):
        call.env.update(OPENAI_API_KEY=OPENAI_KEY + "\n", ANTHROPIC_API_KEY=ANTHROPIC_KEY + "\n")
        yield call


def _html_page(req: Any) -> Reply:
    page = ("<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"><title>New API</title></head><body>"
            "<div id=\"root\"></div><script type=\"module\" src=\"/assets/index-Cx3k2.js\"></script></body></html>")
    return Reply(200, {"content-type": "text/html; charset=utf-8"}, page)


@contextlib.contextmanager
def html_console_answer(world: World) -> Iterator[Call]:
    with https_api(world, _html_page) as (_, call):  # a relay's web console at the base URL: /v1 left out
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
    with https_api(world, _overloaded_midstream) as (_, call):
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
    with https_api(world, _stalling) as (server, call):
        yield replace(call, interrupt=HANG, stream=True, ready=lambda: len(server.requests) > 0)


@contextlib.contextmanager
def reset_mid_response(world: World) -> Iterator[Call]:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(*map(str, world.leaf("valid")))
    with TruncatingTlsServer(ctx, "127.0.0.1", world.port(443)) as server:
        yield trusting(world, api_call(world, server.port))


@contextlib.contextmanager
def dns_nxdomain(world: World) -> Iterator[Call]:
    # misspelled hosts; the namespace's DNS server answers NXDOMAIN for every name it does not hold
    yield Call("https://api.openai.con/v1", "https://api.antropic.com")


@contextlib.contextmanager
def proxy_closes_after_connect(world: World) -> Iterator[Call]:
    with https_api(world, ok_reply) as (_, call), ClosingConnectProxy("127.0.0.1", world.port(7890)) as proxy:
        url = f"http://127.0.0.1:{proxy.port}"
        call.env.update(HTTPS_PROXY=url, https_proxy=url)
        yield call


@contextlib.contextmanager
def sse_cut_midstream(world: World) -> Iterator[Call]:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(*map(str, world.leaf("valid")))
    with CutStreamTlsServer(ctx, "127.0.0.1", world.port(443)) as server:
        yield replace(trusting(world, api_call(world, server.port)), stream=True)


@contextlib.contextmanager
def empty_key(world: World) -> Iterator[Call]:
    with https_api(world, status_handler("missing_key")) as (_, call):
        call.env.update(OPENAI_API_KEY="", ANTHROPIC_API_KEY="")  # set, but to nothing (`export OPENAI_API_KEY=`)
        yield call


@contextlib.contextmanager
def hang_dns_sigint(world: World) -> Iterator[Call]:
    # the namespace's DNS server never answers for this name; Ctrl-C once the query has arrived, before
    # the resolver's own 1 s gives up
    dns = world.netns.dns if world.netns else None
    seen = len(dns.queries) if dns else 0
    call = Call("https://api.deepseek.com/v1", "https://api.deepseek.com/anthropic")
    yield replace(call, interrupt=0.3, ready=lambda: dns is not None and len(dns.queries) > seen)


@contextlib.contextmanager
def hang_connect_sigint(world: World) -> Iterator[Call]:
    with SynDropServer("127.0.0.1", port=world.port(443)) as drop:  # SYNs dropped: connect() waits
        call = trusting(world, api_call(world, drop.port))
        yield replace(call, interrupt=HANG, ready=connecting_to(drop.port))


_CN_CLIENTS = ("openai-python", "openai-python-async", "langchain-openai", "curl", "openai-node")


def _status(name: str) -> Callable[[World], contextlib.AbstractContextManager[Call]]:
    @contextlib.contextmanager
    def setup(world: World) -> Iterator[Call]:
        with https_api(world, status_handler(name)) as (_, call):
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
_NO_BODY = {"httpx": AMB, "requests": AMB, "aiohttp": AMB}  # the status line only
_BARE_503 = {**_NO_BODY, "openai-python": AMB, "openai-python-async": AMB}
_STEP_UNSAID = {"node-fetch": AMB, "openai-node": AMB}  # "aborted due to timeout" / "Request timed out."

SCENARIOS: tuple[Scenario, ...] = (
    # AsyncOpenAI (anyio) keeps no errno: "All connection attempts failed" is a refusal or no route
    Scenario("refused_local", "net.connect_refused", ALL, refused_local, {"openai-python-async": AMB}),
    Scenario("refused_proxy", "proxy.unreachable", PROXY_CLIENTS, refused_proxy),
    Scenario("proxy_wrong_password", "proxy.auth_failed", PROXY_CLIENTS, _tinyproxy(WRONG_PASSWORD)),
    Scenario("proxy_no_password", "proxy.auth_failed", PROXY_CLIENTS, _tinyproxy(None)),
    Scenario("socks_wrong_password", "proxy.auth_failed", SOCKS_CLIENTS, socks_wrong_password),
    Scenario("socks_without_socksio", "env.socks_dependency_missing", PYTHON, socks_without_socksio),
    Scenario("tls_self_signed", "tls.self_signed", ALL, _tls("selfsigned")),
    Scenario("tls_unknown_ca", "tls.unknown_ca", ALL, _tls("unknownca")),
    Scenario("tls_hostname_mismatch", "tls.hostname_mismatch", ALL, _tls("wronghost")),
    Scenario("tls_expired", "tls.expired", ALL, _tls("expired")),
    # "Server disconnected without sending a response" / "Empty reply from server" / "other side closed"
    Scenario("http_to_tls_port", "tls.protocol_mismatch", ALL, http_to_tls, {"*": AMB}),
    Scenario("tls_to_http_port", "tls.protocol_mismatch", ALL, tls_to_http),
    Scenario("hang_handshake_sigint", "net.tls_timeout", SIGINT_CLIENTS, _hang_handshake(False)),
    # curl: "(28) Connection timed out after 1001 milliseconds": the TCP connect or the TLS handshake
    Scenario("hang_handshake_timeout", "net.tls_timeout", ALL, _hang_handshake(True),
             {**_STEP_UNSAID, "curl": AMB}),
    Scenario("hang_read_sigint", "net.read_timeout", SIGINT_CLIENTS, _hang_read(False)),
    Scenario("hang_read_timeout", "net.read_timeout", ALL, _hang_read(True), _STEP_UNSAID),
    Scenario("hang_proxy_sigint", "proxy.not_responding", (*PYTHON, "aiohttp", "langchain-openai"),
             _hang_proxy("http", 7890, False)),
    Scenario("hang_socks_sigint", "proxy.socks_handshake_hang", (*PYTHON, "langchain-openai"),
             _hang_proxy("socks5", 1080, False)),
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
             {"openai-python": AMB, "openai-python-async": AMB, "langchain-openai": AMB}),
    Scenario("base_url_no_v1_json", "config.base_url_invalid",
             tuple(c for c in HTTP_CLIENTS if c != "anthropic-python"), _status("base_url_no_v1_json")),
    # "404 not_found_error Not Found": a path; Anthropic names the model when it is the model ("model: x")
    # Node: "read ECONNRESET" under "fetch failed" does not say the handshake
    Scenario("tls_handshake_reset", "tls.handshake_reset", ALL, _handshake_cut(ResetServer),
             {"node-fetch": AMB, "openai-node": AMB}),
    Scenario("tls_handshake_eof", "tls.handshake_reset", ALL, _handshake_cut(FinServer)),
    Scenario("proxy_target_closed", "proxy.upstream_failed", PROXY_CLIENTS, _proxy_target_closed(False)),
    Scenario("socks_target_closed", "proxy.upstream_failed", SOCKS_CLIENTS, _proxy_target_closed(True)),
    Scenario("socks_without_credentials", "proxy.auth_failed", SOCKS_CLIENTS, socks_without_credentials),
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
    # --- added with the aiohttp, urllib3 and LangChain clients -------------------------------------------------
    # the frames name the proxy (httpcore's http_proxy, urllib3's _prepare_proxy, aiohttp's proxy connection);
    # curl's "(35) Recv failure: Connection reset by peer" says only the handshake reset (which a proxy can do)
    Scenario("proxy_closes_after_connect", "proxy.upstream_failed", PROXY_CLIENTS, proxy_closes_after_connect,
             {"curl": "tls.handshake_reset"}),
    # the server does not send its intermediate: "unable to get local issuer certificate" as for a private CA
    Scenario("tls_missing_intermediate", "tls.unknown_ca", ALL, _tls("nointermediate")),
    # a stream cut after it started is the stalled-stream cause (server, relay or proxy dropping it mid-answer)
    Scenario("sse_cut_midstream", "net.stream_stalled",
             ("openai-python", "openai-python-async", "anthropic-python", "langchain-openai"), sse_cut_midstream),
    Scenario("status_504_nginx", "gateway.error", HTTP_CLIENTS, _status("status_504_nginx")),
    Scenario("status_401_relay", "auth.invalid_key", ("openai-python", "openai-python-async", "langchain-openai",
                                                       "curl", "openai-node"), _status("status_401_relay")),
    # Chinese providers' and relays' answers (replies.py), through the OpenAI-style clients that call them
    *(Scenario(name, cause, _CN_CLIENTS, _status(name)) for name, cause in (
        ("status_429_zhipu_balance", "quota.insufficient"), ("status_429_zhipu_rate", "ratelimit.exceeded"),
        ("status_401_zhipu", "auth.invalid_key"), ("status_403_ark_overdue", "quota.insufficient"),
        ("status_404_ark_model", "model.not_found"), ("status_400_dashscope_arrearage", "quota.insufficient"),
        ("status_402_deepseek", "quota.insufficient"), ("status_429_moonshot_overloaded", "server.overloaded"),
        ("status_429_relay_saturated", "ratelimit.relay_saturated"), ("status_403_relay_quota", "quota.insufficient"),
        ("status_401_relay_expired", "auth.invalid_key"))),
    # httpx refuses the header ("Illegal header value b'Bearer '"): that says the key is empty
    Scenario("empty_key", "config.missing_key", HTTP_CLIENTS, empty_key, {"requests": AMB, "aiohttp": AMB}),
    # the resolver gives up after 1 s and Ctrl-C lands after it returns: in httpcore's connect_tcp (name lookup
    # or connect, the frames do not say which) or in a frame that names the lookup (getaddrinfo, _resolve_host)
    Scenario("hang_dns_sigint", "dns.failure", SIGINT_CLIENTS, hang_dns_sigint,
             dict.fromkeys(("openai-python", "anthropic-python", "httpx", "langchain-openai"), AMB)),
    Scenario("hang_connect_sigint", "net.connect_timeout", SIGINT_CLIENTS, hang_connect_sigint),
    # --- added with the configuration shapes (h16-diag) ------------------------------------------------------
    # curl puts http:// in front of a URL without a scheme and connects to port 80: a different failure
    Scenario("base_url_no_scheme", "config.base_url_invalid", (*(c for c in HTTP_CLIENTS if c != "curl"), "node-fetch"),
             base_url_no_scheme),
)


# --- configuration faults as real clients print them (h27b-faults) -------------------------------------------
# Each server answers the wrong URL or key the way that server really does, so the client's text is the one a
# user with that configuration sees; the cause is the configuration by construction.


def _openai_router(req: Any) -> Reply:
    """api.openai.com's answer to a path it does not route: 404 'Invalid URL (POST /v1/v1/chat/completions)'."""
    path = req.path.split("?")[0]
    if path == "/v1/chat/completions":
        return ok_reply(req)
    return Reply.json(404, {"error": {"message": f"Invalid URL ({req.method} {path})", "type": "invalid_request_error",
                                      "param": None, "code": None}},
                      {"x-request-id": "req_5c0f3a9e7d2b41c8a6f1e0d9b8c7a6f5"})


def _anthropic_router(req: Any) -> Reply:
    """api.anthropic.com's answer to a path it does not route (404 not_found_error 'Not Found')."""
    if req.path.split("?")[0] == "/v1/messages":
        return ok_reply(req)
    return Reply.json(404, {"type": "error", "error": {"type": "not_found_error", "message": "Not Found"},
                            "request_id": "req_011CVbq8XmfZ2A9kT3sYwUpN"},
                      {"request-id": "req_011CVbq8XmfZ2A9kT3sYwUpN"})


def _base(openai: Callable[[str], str], anthropic: Callable[[str], str] = lambda b: b,
          handler: Callable[[Any], Reply] | None = None) -> Callable[[World], contextlib.AbstractContextManager[Call]]:
    """The real API's routers, and a base URL that `openai`/`anthropic` rewrite from the right one."""

    @contextlib.contextmanager
    def setup(world: World) -> Iterator[Call]:
        def route(req: Any) -> Reply:
            anth = "anthropic-version" in req.headers
            return (handler or (_anthropic_router if anth else _openai_router))(req)

        with https_api(world, route) as (_, call):
            yield replace(call, openai_base=openai(call.openai_base), anthropic_base=anthropic(call.anthropic_base))

    return setup


# Ollama (gin's default 404: text/plain "404 page not found"), LM Studio (Express, 200 with
# {"error":"Unexpected endpoint or method. (POST /chat/completions)"}, lmstudio-ai/lmstudio-bug-tracker#618),
# vLLM and other FastAPI servers ({"detail":"Not Found"}), each asked at the root instead of /v1
def _ollama(req: Any) -> Reply:
    return Reply(404, {"content-type": "text/plain"}, "404 page not found")


def _lmstudio(req: Any) -> Reply:
    return Reply.json(200, {"error": f"Unexpected endpoint or method. ({req.method} {req.path.split('?')[0]})"},
                      {"x-powered-by": "Express"})


def _fastapi(req: Any) -> Reply:
    return Reply.json(404, {"detail": "Not Found"}, {"server": "uvicorn"})


def _local_root(handler: Callable[[Any], Reply],
                port: int) -> Callable[[World], contextlib.AbstractContextManager[Call]]:
    @contextlib.contextmanager
    def setup(world: World) -> Iterator[Call]:
        server = HttpServer(handler, port=world.port(port))
        try:
            call = local_call(server.port)
            yield replace(call, openai_base=call.openai_base.removesuffix("/v1"))
        finally:
            server.stop()

    return setup


_NEXT_404 = ("<!DOCTYPE html><html lang=\"en\"><head><meta charSet=\"utf-8\"/><title>404: This page could not be found"
             "</title></head><body><div id=\"__next\"><div><h1 class=\"next-error-h1\">404</h1><div><h2>This page "
             "could not be found.</h2></div></div></div></body></html>")
_ONE_API_PAGE = ("<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\"/><title>One API</title>"
                 "<script defer=\"defer\" src=\"/static/js/main.4a7f1c2e.js\"></script></head><body><noscript>You need "
                 "to enable JavaScript to run this app.</noscript><div id=\"root\"></div></body></html>")


def _next_404(req: Any) -> Reply:  # a web site (docs, a landing page) where the API should be
    return Reply(404, {"content-type": "text/html; charset=utf-8", "x-powered-by": "Next.js"}, _NEXT_404)


def _dashboard(req: Any) -> Reply:  # a relay's dashboard page (its SPA answers every path with index.html)
    return Reply(200, {"content-type": "text/html; charset=utf-8"}, _ONE_API_PAGE)


def _key_echo(req: Any) -> Reply:
    """OpenAI's 401 echoes the key it got, masked (first 8 and last 4 shown); Anthropic's says 'invalid x-api-key'."""
    if "anthropic-version" in req.headers:  # anthropic 2.16 sends its key as a Bearer token, not x-api-key
        return Reply.json(401, {"type": "error", "error": {"type": "authentication_error",
                                                             "message": "invalid x-api-key"},
                                "request_id": "req_011CVbq8XmfZ2A9kT3sYwUpN"})
    key = (req.headers.get("authorization") or "").removeprefix("Bearer ")
    masked = key[:8] + "*" * max(len(key) - 12, 4) + key[-4:]
    return Reply.json(401, {"error": {"message": f"Incorrect API key provided: {masked}. You can find your API key at "
                                                 "https://platform.openai.com/account/api-keys.",
                                      "type": "invalid_request_error", "param": None, "code": "invalid_api_key"}})


def _key(openai_key: str, anthropic_key: str) -> Callable[[World], contextlib.AbstractContextManager[Call]]:
    @contextlib.contextmanager
    def setup(world: World) -> Iterator[Call]:
        with https_api(world, _key_echo) as (_, call):
            call.env.update(OPENAI_API_KEY=openai_key, ANTHROPIC_API_KEY=anthropic_key)
            yield call

    return setup


AZURE_HOST = "faults-eastus.openai.azure.com"


def _azure(req: Any) -> Reply:
    """Azure OpenAI's data plane without ?api-version=: 404 Resource not found."""
    if "api-version=" in req.path:
        return ok_reply(req)
    return Reply.json(404, {"error": {"code": "404", "message": "Resource not found"}}, {"apim-request-id":
                                                                                           "5c0f3a9e-7d2b-41c8-a6f1"})


@contextlib.contextmanager
def azure_without_api_version(world: World) -> Iterator[Call]:
    # OpenAI() pointed at an Azure deployment URL: the SDK appends /chat/completions and no api-version
    server = HttpServer(_azure, cert=world.leaf("valid"), host="127.0.0.1", port=world.port(443))
    try:
        host = AZURE_HOST if world.netns else f"127.0.0.1:{server.port}"
        call = trusting(world, Call(f"https://{host}/openai/deployments/gpt-4o-mini", f"https://{host}"))
        yield call
    finally:
        server.stop()


_OPENAI_ONLY = tuple(c for c in HTTP_CLIENTS if c != "anthropic-python")
_SDKS = ("openai-python", "openai-python-async", "langchain-openai", "openai-node")

CONFIG_SCENARIOS: tuple[Scenario, ...] = (
    # 'Invalid URL (POST /v1/v1/chat/completions)': the path the server echoes shows the doubled /v1
    Scenario("base_url_v1_twice", "config.base_url_invalid", _OPENAI_ONLY, _base(lambda b: b + "/v1")),
    Scenario("base_url_full_path", "config.base_url_invalid", _OPENAI_ONLY, _base(lambda b: b + "/chat/completions")),
    Scenario("anthropic_base_full_path", "config.base_url_invalid", ("anthropic-python",),
             _base(lambda b: b, lambda b: b + "/v1/messages")),
    # the Python SDKs' bare 'Error code: 404' and openai-node's '404 status code (no body)' do not say which path;
    # the clients that print the URL (httpx, requests, aiohttp) show /chat/completions without /v1, and gin's
    # '404 page not found' (curl, openai-node print the body) or Starlette's {"detail": "Not Found"} is a router's
    # own answer for a path it does not route
    Scenario("local_root_ollama", "config.base_url_invalid", _OPENAI_ONLY, _local_root(_ollama, 11434),
             dict.fromkeys(("openai-python", "openai-python-async", "langchain-openai"), AMB)),
    Scenario("local_root_fastapi", "config.base_url_invalid", _OPENAI_ONLY, _local_root(_fastapi, 8000),
             dict.fromkeys(_SDKS, AMB)),
    # LM Studio's 200 names the path it did not route ('Unexpected endpoint or method. (POST /chat/completions)')
    # where the client shows the body (curl); the others fail on the missing choices, the answer not in the API's
    # format, as for a relay's console page (html_console_answer)
    Scenario("local_root_lmstudio", "config.base_url_invalid", (*_OPENAI_ONLY, "node-fetch"),
             _local_root(_lmstudio, 1234),
             dict.fromkeys((*_SDKS, "httpx", "requests", "aiohttp"), "response.unparseable")),
    # a web site's HTML 404 where the API should be: the URL (httpx, requests, aiohttp) or the page (curl) tells
    Scenario("base_url_web_404", "config.base_url_invalid", _OPENAI_ONLY,
             _base(lambda b: b.removesuffix("/v1") + "/docs", handler=_next_404),
             dict.fromkeys(("openai-python", "openai-python-async", "langchain-openai"), AMB)),  # 'Error code: 404'
    Scenario("base_url_dashboard", "endpoint.not_an_api", HTTP_CLIENTS,
             _base(lambda b: b.removesuffix("/v1") + "/console/token", lambda b: b + "/console/token",
                   handler=_dashboard),
             {**dict.fromkeys(PYTHON, "response.unparseable"), "openai-node": AMB}),
    # OpenAI's echo shows the quote or the sk-ant- prefix; a status line ('401 Unauthorized for url') and
    # Anthropic's 'invalid x-api-key' say only that the key was refused
    Scenario("key_in_quotes", "config.key_whitespace", HTTP_CLIENTS, _key(f'"{OPENAI_KEY}"', f'"{ANTHROPIC_KEY}"'),
             dict.fromkeys(("anthropic-python", "httpx", "requests", "aiohttp"), "auth.invalid_key")),
    Scenario("key_other_provider", "auth.key_wrong_provider", HTTP_CLIENTS, _key(ANTHROPIC_KEY, OPENAI_KEY),
             dict.fromkeys(("anthropic-python", "httpx", "requests", "aiohttp"), "auth.invalid_key")),
    # Azure's bare '404 Resource not found' (the SDKs, curl) is read as the path not there (endpoint.not_found), as
    # the corpus reads it in users' threads; httpx, requests and aiohttp show the URL without ?api-version=
    Scenario("azure_without_api_version", "config.azure_endpoint_missing", _OPENAI_ONLY, azure_without_api_version,
             dict.fromkeys((*_SDKS, "curl"), "endpoint.not_found")),
)

SCENARIOS = SCENARIOS + CONFIG_SCENARIOS
