"""The tcp check against real loopback sockets: open, closed, SYN-dropped, IPv4 vs IPv6, and a proxy."""

from __future__ import annotations

import subprocess

from helpers import codes, make_target, run_check
from peers import HttpServer, PproxyServer, Reply, SynDropServer, closed_port

from checks.tcp import TcpCheck
from llmdoctor.model import CheckResult, Status

HOST = "api.openai.test"


def dns_result(*addresses: str) -> dict[str, CheckResult]:
    """What the dns check hands over: the addresses in getaddrinfo order."""
    aaaa = [a for a in addresses if ":" in a]
    return {"dns": CheckResult(Status.PASS, facts={"addresses": list(addresses), "aaaa": aaaa})}


def tcp(base_url: str, timeout: float = 1.0, **kwargs: object) -> CheckResult:
    return run_check(TcpCheck, target=make_target("openai", base_url), timeout=timeout, **kwargs)


def test_open_port_by_ip_literal_passes_with_connect_time() -> None:
    with HttpServer(Reply(200)) as server:
        result = tcp(server.url + "/v1")
    assert result.status is Status.PASS, result
    assert result.facts["connected_to"] == "127.0.0.1" and result.facts["connect_ms"] >= 0
    assert result.facts["addresses"][0]["outcome"] == "ok" and result.facts["via"] == "direct"


def test_every_dns_address_is_tried_ipv4_and_ipv6() -> None:
    with HttpServer(Reply(200)) as v4, HttpServer(Reply(200), host="::1", port=v4.port) as _v6:
        result = tcp(f"https://{HOST}:{v4.port}/v1", results=dns_result("::1", "127.0.0.1"))
    assert result.status is Status.PASS, result
    assert [a["family"] for a in result.facts["addresses"]] == [6, 4]
    assert result.facts["connected_to"] == "::1" and "2/2" in result.summary


def test_resolve_pin_is_used() -> None:
    with HttpServer(Reply(200)) as server:
        result = tcp(f"https://{HOST}:{server.port}/v1", resolve={(HOST, server.port): "127.0.0.1"})
    assert result.status is Status.PASS and result.facts["addresses_from"] == "--resolve"


def test_closed_port_is_refused() -> None:
    port = closed_port()
    result = tcp(f"https://127.0.0.1:{port}/v1")
    assert codes(result) == ["net.connect_refused"] and result.status is Status.FAIL
    assert "Nothing listens on 127.0.0.1" in result.findings[0].hint and "ollama serve" in result.findings[0].hint


def test_dropped_syn_is_a_connect_timeout() -> None:
    with SynDropServer() as drop:
        result = tcp(f"https://127.0.0.1:{drop.port}/v1", timeout=0.5)
    assert codes(result) == ["net.connect_timeout"] and result.status is Status.FAIL
    assert "HTTPS_PROXY=" in result.findings[0].hint and result.facts["addresses"][0]["outcome"] == "timeout"


def test_unreachable_address(netns) -> None:  # type: ignore[no-untyped-def]
    """In a private namespace whose lo is down, ::1 cannot be used at all (EADDRNOTAVAIL)."""
    space = netns()
    subprocess.run(["ip", "-n", space.name, "link", "set", "lo", "down"], check=True, timeout=10)
    with space.inside():
        result = tcp("https://[::1]:443/v1", timeout=0.5)
    assert codes(result) == ["net.unreachable"] and result.status is Status.FAIL
    assert "no route" in result.findings[0].hint and result.facts["addresses"][0]["outcome"] == "unreachable"


def test_ipv6_broken_while_ipv4_works_warns() -> None:
    with HttpServer(Reply(200)) as v4:  # nothing on [::1]:port
        result = tcp(f"https://{HOST}:{v4.port}/v1", results=dns_result("::1", "127.0.0.1"))
    assert result.status is Status.WARN
    assert codes(result) == ["net.ipv6_broken"]
    assert "gai.conf" in result.findings[0].hint and result.facts["connected_to"] == "127.0.0.1"


def test_one_of_several_ipv4_addresses_fails_warns() -> None:
    with HttpServer(Reply(200)) as server:  # bound to 127.0.0.1 only: 127.0.0.2 refuses
        result = tcp(f"https://{HOST}:{server.port}/v1", results=dns_result("127.0.0.2", "127.0.0.1"))
    assert result.status is Status.WARN and codes(result) == ["net.connect_refused"]
    message = result.findings[0].message
    assert "1 of 2 addresses" in message and "the SDK tries them in order" in message
    assert result.facts["connected_to"] == "127.0.0.1"


def test_through_a_proxy_connects_to_the_proxy(pproxy: PproxyServer) -> None:
    result = tcp(f"https://{HOST}:443/v1", proxy=pproxy.url(),
                 results={"proxy": CheckResult(Status.PASS, facts={"proxy_handshake_ms": 1.5})})
    assert result.status is Status.PASS, result
    assert result.facts["via"] == "proxy" and result.facts["connected_to"] == "127.0.0.1"
    assert result.facts["tunnel_ms"] == 1.5 and "pproxy-pass" not in str(result.to_dict())


def test_proxy_down_is_unreachable() -> None:
    result = tcp(f"https://{HOST}:443/v1", proxy=f"http://127.0.0.1:{closed_port()}")
    assert codes(result) == ["proxy.unreachable"] and "Clash" in result.findings[0].hint
