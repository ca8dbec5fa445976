"""One connection along the chain: the tls check's verified connection carries the first API request.

Counted at a real HTTPS server (trustme certificates), directly and through real proxies with a
login. Every run also makes one handshake of its own for the OS trust store (the tls check compares
it with httpx's), so a healthy chain is 2 connections where it used to be 3 direct, 4 proxied.
"""

from __future__ import annotations

import dataclasses
import socket
from collections.abc import Iterator

import pytest
from helpers import make_context, make_target, run_chain
from peers import Certs, PproxyServer
from peers.fakeapi import FakeApi, key_for

from checks.auth import AuthCheck
from checks.completion import CompletionCheck
from checks.proxy import ProxyCheck
from checks.tcp import TcpCheck
from checks.timing import TimingCheck
from checks.tls import TlsCheck
from llmdoctor.model import Status
from llmdoctor.net.handoff import Handoff, Route

CHAIN = [ProxyCheck, TcpCheck, TlsCheck, AuthCheck]


@pytest.fixture
def api(certs: Certs) -> Iterator[FakeApi]:
    with FakeApi(certs) as server:
        yield server


def test_direct_chain_sends_the_key_over_the_tls_checks_connection(certs: Certs, api: FakeApi) -> None:
    target = make_target("openai", api.url, key_for("good"))
    results = run_chain([*CHAIN, TimingCheck], target, env={"SSL_CERT_FILE": str(certs.ca_pem)})
    auth = results["auth"]
    assert auth.status is Status.PASS, auth
    assert auth.facts["connection"] == "handed over"
    assert api.server.accepted == 2  # the tls check's (which auth used) and the OS-store comparison's
    assert [r.path for r in api.requests] == ["/v1/models"]
    phases = [row["phase"] for row in results["timing"].facts["waterfall"]]
    assert phases[:2] == ["connect", "tls"] and "first_byte" in phases
    first_byte = next(r for r in results["timing"].facts["waterfall"] if r["phase"] == "first_byte")
    assert first_byte["ms"] == pytest.approx(auth.facts["ttfb_ms"], abs=0.2)  # not ttfb minus a handshake


@pytest.mark.parametrize("kind", ["tinyproxy", "pproxy-http", "pproxy-socks5"])
def test_proxied_chain_opens_one_tunnel_for_tls_and_the_request(certs: Certs, api: FakeApi, kind: str,
                                                                request: pytest.FixtureRequest) -> None:
    if kind == "tinyproxy":
        proxy_url = request.getfixturevalue("tinyproxy").url()
    else:
        server: PproxyServer = request.getfixturevalue("pproxy")
        proxy_url = server.url(scheme="socks5" if kind.endswith("socks5") else "http")
    env = {"SSL_CERT_FILE": str(certs.ca_pem), "HTTPS_PROXY": proxy_url}
    target = make_target("openai", api.url, key_for("good"), env=env)
    results = run_chain(CHAIN, target, env=env)
    assert results["proxy"].status is Status.PASS, results["proxy"]
    assert results["auth"].status is Status.PASS, results["auth"]
    assert results["auth"].facts["connection"] == "handed over"
    assert api.server.accepted == 2  # the proxy check's tunnel, used by tls and auth; the OS-store handshake


def test_a_connection_the_server_dropped_is_not_used(certs: Certs, api: FakeApi) -> None:
    env = {"SSL_CERT_FILE": str(certs.ca_pem)}
    target = make_target("openai", api.url, key_for("good"))
    http = make_context(target=target, env=env).http
    run_chain([TcpCheck, TlsCheck], target, http, env=env)
    api.server.drop_connections()  # the server hangs up the idle connection before the request
    auth = run_chain([AuthCheck], target, http, env=env)["auth"]
    http.close()
    assert auth.status is Status.PASS, auth
    assert auth.facts["connection"] == "new"


def test_a_rejected_certificate_leaves_no_connection_for_the_key(certs: Certs, api: FakeApi) -> None:
    target = make_target("openai", api.url, key_for("good"))
    http = make_context(target=target, env={}).http  # certifi only: the test CA is unknown
    results = run_chain([TcpCheck, TlsCheck], target, http, env={})
    assert results["tls"].status is Status.FAIL
    route = http.tls_route(api.url + "/models", http.proxy_for(api.url))
    assert route is not None and http.handoff.take(route) is None
    http.close()
    assert api.requests == []


def test_a_kept_alive_connection_carries_the_completion_probe_too(certs: Certs, api: FakeApi) -> None:
    target = make_target("openai", api.url, key_for("good"), model="gpt-4o-mini")
    results = run_chain([TcpCheck, TlsCheck, AuthCheck, CompletionCheck], target,
                        env={"SSL_CERT_FILE": str(certs.ca_pem)}, probe_completion=True)
    assert results["completion"].status is Status.PASS, results["completion"]
    assert results["completion"].facts["connection"] == "handed over"
    assert len({r.client for r in api.requests}) == 1  # both requests on one connection
    assert api.server.accepted == 2


def _pair() -> tuple[socket.socket, socket.socket]:
    return socket.socketpair()


def test_handoff_gives_a_connection_only_for_its_route_and_only_once() -> None:
    ours, peer = _pair()
    handoff = Handoff()
    route = Route("tls", "direct", "api.example.test", 443)
    handoff.leave(route, ours)
    assert handoff.take(dataclasses.replace(route, port=8443)) is None
    assert handoff.take(route) is ours
    assert handoff.take(route) is None
    ours.close()
    peer.close()


def test_handoff_drops_a_connection_the_peer_closed_or_wrote_to() -> None:
    handoff = Handoff()
    route = Route("tcp", "127.0.0.1", "127.0.0.1", 443)
    for spoil in (lambda p: p.close(), lambda p: p.sendall(b"HTTP/1.1 408 Request Timeout\r\n\r\n")):
        ours, peer = _pair()
        handoff.leave(route, ours)
        spoil(peer)
        assert handoff.take(route) is None
        assert ours.fileno() == -1  # closed by the handoff
        peer.close()


def test_handoff_closes_what_nobody_took_and_anything_left_after() -> None:
    handoff = Handoff()
    first, first_peer = _pair()
    late, late_peer = _pair()
    handoff.leave(Route("tls", "direct", "h", 443), first)
    handoff.close()
    handoff.leave(Route("tls", "direct", "h", 443), late)  # a check abandoned by the runner, finishing late
    assert first.fileno() == -1 and late.fileno() == -1
    first_peer.close()
    late_peer.close()
