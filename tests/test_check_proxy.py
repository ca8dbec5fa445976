"""The proxy check against real proxies on loopback: tinyproxy, microsocks, pproxy, and hostile peers."""

from __future__ import annotations

import json
import socket
import urllib.parse

import pytest
from helpers import codes, make_target, run_check
from peers import BlackholeServer, HttpServer, PproxyServer, Reply, SynDropServer, closed_port
from peers.raw import _TcpPeer

from checks.proxy import ProxyCheck
from llmdoctor.model import CheckResult, Status


def check(base_url: str, proxy: str | None = None, env: dict[str, str] | None = None, timeout: float = 1.0,
          **kwargs: object) -> CheckResult:
    target = make_target("openai", base_url)
    return run_check(ProxyCheck(**kwargs), target=target, proxy=proxy, env=env or {}, timeout=timeout)  # type: ignore[arg-type]


def dumped(result: CheckResult) -> str:
    return json.dumps(result.to_dict())


def finding(result: CheckResult):  # type: ignore[no-untyped-def]
    assert result.findings, result
    return result.findings[0]


@pytest.fixture
def web() -> HttpServer:
    with HttpServer(Reply(200, body=b"ok")) as server:
        yield server  # type: ignore[misc]


class _ScriptedSocks(_TcpPeer):
    """A SOCKS5 server that accepts no-auth and answers CONNECT with a fixed reply code."""

    def __init__(self, code: int) -> None:
        self.code = code
        super().__init__()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(2)
        conn.recv(16)
        conn.sendall(b"\x05\x00")
        conn.recv(512)
        conn.sendall(bytes([5, self.code, 0, 1, 0, 0, 0, 0, 0, 0]))


class SocksOnlyPproxy(PproxyServer):
    """pproxy listening for SOCKS5 only (the fixture's pproxy speaks HTTP and SOCKS5 on one port)."""

    def argv(self) -> list[str]:
        argv = super().argv()
        argv[2] = argv[2].replace("http+socks5://", "socks5://")
        return argv


# --- which proxy applies ----------------------------------------------------------------------


def test_no_proxy_skips_with_direct_connection() -> None:
    result = check("https://127.0.0.1:9/v1")
    assert result.status is Status.SKIP
    assert "direct connection; no proxy applies" in result.summary


def test_no_proxy_entry_bypasses_and_is_named(web: HttpServer) -> None:
    result = check(web.url + "/v1", env={"HTTPS_PROXY": "http://127.0.0.1:1", "HTTP_PROXY": "http://127.0.0.1:1",
                                         "NO_PROXY": "localhost,127.0.0.1"})
    assert result.status is Status.SKIP
    assert "127.0.0.1" in result.summary and result.facts["bypassed_by"] == "127.0.0.1"


def test_no_proxy_flag_skips() -> None:
    target = make_target("openai", "https://127.0.0.1:9/v1")
    result = run_check(ProxyCheck, target=target, env={"HTTPS_PROXY": "http://127.0.0.1:1"}, no_proxy=True)
    assert result.status is Status.SKIP and "--no-proxy" in result.summary


def test_lower_case_variable_wins_and_is_the_source(pproxy: PproxyServer, web: HttpServer) -> None:
    env = {"HTTPS_PROXY": "http://127.0.0.1:1", "https_proxy": pproxy.url()}
    result = check(web.url.replace("http://", "https://") + "/v1", env=env)
    assert result.status is Status.PASS, result
    assert result.facts["source"] == "env:https_proxy"


# --- HTTP CONNECT: tinyproxy (Debian) ---------------------------------------------------------


def test_tinyproxy_good_login_passes_without_leaking_the_password(tinyproxy, web: HttpServer) -> None:  # type: ignore[no-untyped-def]
    result = check(web.url + "/v1", proxy=tinyproxy.url())
    assert result.status is Status.PASS, result
    assert result.facts["connect_status"] == 200 and result.facts["resolves_names"] == "proxy"
    assert result.facts["proxy_connect_ms"] >= 0 and "proxy_handshake_ms" in result.facts
    assert tinyproxy.password not in dumped(result)
    assert result.facts["proxy"] == f"http://user:***@127.0.0.1:{tinyproxy.port}"


def test_tinyproxy_wrong_password_401_is_rejected(tinyproxy, web: HttpServer) -> None:  # type: ignore[no-untyped-def]
    result = check(web.url + "/v1", proxy=tinyproxy.url(password="wrong-pass"))
    assert result.status is Status.FAIL
    assert codes(result) == ["proxy.auth_failed"]
    assert "rejected" in finding(result).message and "401" in finding(result).message
    assert "percent-encode" in finding(result).hint
    assert "wrong-pass" not in dumped(result)


def test_tinyproxy_without_credentials_407_requires_them(tinyproxy, web: HttpServer) -> None:  # type: ignore[no-untyped-def]
    result = check(web.url + "/v1", proxy=tinyproxy.url(auth=False))
    assert codes(result) == ["proxy.auth_failed"] and result.status is Status.FAIL
    assert "requires credentials" in finding(result).message
    assert "USER:PASSWORD@" in finding(result).hint


def test_tinyproxy_cannot_reach_target_500(tinyproxy) -> None:  # type: ignore[no-untyped-def]
    result = check(f"https://127.0.0.1:{closed_port()}/v1", proxy=tinyproxy.url())
    assert codes(result) == ["proxy.upstream_failed"] and result.status is Status.FAIL
    assert "500" in finding(result).message
    assert "cannot reach the API host" in finding(result).hint


def test_tinyproxy_given_as_socks5_is_a_protocol_mismatch(tinyproxy, web: HttpServer) -> None:  # type: ignore[no-untyped-def]
    result = check(web.url + "/v1", proxy=tinyproxy.url(scheme="socks5"))
    assert codes(result) == ["proxy.protocol_mismatch"] and result.status is Status.FAIL
    assert "is an HTTP proxy" in finding(result).message
    assert finding(result).hint.startswith("Use http://")


def test_tinyproxy_given_as_https_is_a_protocol_mismatch(tinyproxy, web: HttpServer) -> None:  # type: ignore[no-untyped-def]
    result = check(web.url + "/v1", proxy=tinyproxy.url(scheme="https"))
    assert codes(result) == ["proxy.protocol_mismatch"]
    assert "speaks plain HTTP" in finding(result).message and "http://" in finding(result).hint


def test_https_scheme_for_plain_http_port_wrong_version_number(web: HttpServer) -> None:
    result = check("https://127.0.0.1:9/v1", proxy=web.url.replace("http://", "https://"))
    assert codes(result) == ["proxy.protocol_mismatch"]
    assert "WRONG_VERSION_NUMBER" in finding(result).message
    assert "Use an http:// proxy URL" in finding(result).hint


def test_web_server_is_not_a_forward_proxy(web: HttpServer) -> None:
    result = check("https://127.0.0.1:9/v1", proxy=web.url)
    assert codes(result) == ["proxy.protocol_mismatch"]
    assert "not a forward proxy" in finding(result).message and "host and port" in finding(result).hint


# --- SOCKS5: microsocks (Debian) ---------------------------------------------------------------


@pytest.mark.parametrize("scheme", ["socks5", "socks5h"])
def test_microsocks_good_login_passes(microsocks, web: HttpServer, scheme: str) -> None:  # type: ignore[no-untyped-def]
    result = check(web.url + "/v1", proxy=microsocks.url(scheme=scheme))
    assert result.status is Status.PASS, result
    assert result.facts["scheme"] == scheme and result.facts["socks_reply"] == 0
    assert "socks_greeting_ms" in result.facts and "socks_auth_ms" in result.facts
    text = dumped(result)
    assert microsocks.password not in text and urllib.parse.quote(microsocks.password, safe="") not in text


def test_microsocks_wrong_password_is_rejected(microsocks, web: HttpServer) -> None:  # type: ignore[no-untyped-def]
    result = check(web.url + "/v1", proxy=microsocks.url(password="nope"))
    assert codes(result) == ["proxy.auth_failed"] and result.status is Status.FAIL
    assert "rejected" in finding(result).message and "percent-encode" in finding(result).hint


def test_microsocks_without_credentials_no_acceptable_methods(microsocks, web: HttpServer) -> None:  # type: ignore[no-untyped-def]
    result = check(web.url + "/v1", proxy=microsocks.url(auth=False))
    assert codes(result) == ["proxy.auth_failed"]
    assert "requires credentials" in finding(result).message and "no acceptable methods" in finding(result).message
    assert "socks5h://USER:PASSWORD@" in finding(result).hint


def test_microsocks_target_refused_reply_code(microsocks) -> None:  # type: ignore[no-untyped-def]
    result = check(f"https://127.0.0.1:{closed_port()}/v1", proxy=microsocks.url())
    assert codes(result) == ["proxy.upstream_failed"]
    assert "connection refused by the target (reply 0x05)" in finding(result).message
    assert result.facts["socks_reply"] == 5


def test_microsocks_given_as_http_is_a_protocol_mismatch(microsocks, web: HttpServer) -> None:  # type: ignore[no-untyped-def]
    result = check(web.url + "/v1", proxy=microsocks.url(scheme="http"))
    assert codes(result) == ["proxy.protocol_mismatch"]
    assert "is a SOCKS5 proxy" in finding(result).message and "socks5h://" in finding(result).hint


@pytest.mark.parametrize("code,meaning", [
    (1, "general SOCKS server failure"), (2, "not allowed by the proxy's rules"), (3, "network unreachable"),
    (4, "host unreachable"), (5, "connection refused"), (6, "TTL expired"), (7, "command not supported"),
    (8, "address type not supported"),
])
def test_socks_reply_codes_are_explained(code: int, meaning: str) -> None:
    with _ScriptedSocks(code) as fake:
        result = check("https://127.0.0.1:9/v1", proxy=f"socks5h://127.0.0.1:{fake.port}")
    assert codes(result) == ["proxy.upstream_failed"] and result.status is Status.FAIL
    assert meaning in finding(result).message and "cannot reach the API host" in finding(result).hint


# --- pproxy (PyPI, --auth 0): HTTP and SOCKS5 on one port ----------------------------------------


def test_pproxy_http_and_socks_pass(pproxy: PproxyServer, web: HttpServer) -> None:
    for scheme in ("http", "socks5h"):
        result = check(web.url + "/v1", proxy=pproxy.url(scheme=scheme))
        assert result.status is Status.PASS, result
        assert pproxy.password not in dumped(result)


def test_pproxy_wrong_password_407_is_rejected(pproxy: PproxyServer, web: HttpServer) -> None:
    result = check(web.url + "/v1", proxy=pproxy.url(password="bad"))
    assert codes(result) == ["proxy.auth_failed"] and "rejected" in finding(result).message
    assert "407" in finding(result).message


def test_pproxy_socks_without_credentials_requires_them(pproxy: PproxyServer, web: HttpServer) -> None:
    result = check(web.url + "/v1", proxy=pproxy.url(scheme="socks5", auth=False))
    assert codes(result) == ["proxy.auth_failed"] and "requires credentials" in finding(result).message
    assert "socks5h://USER:PASSWORD@" in finding(result).hint


def test_pproxy_closes_tunnel_to_unreachable_target(pproxy: PproxyServer) -> None:
    result = check(f"https://127.0.0.1:{closed_port()}/v1", proxy=pproxy.url())
    assert codes(result) == ["proxy.upstream_failed"]
    assert "closed the connection" in finding(result).message


def test_socks_only_port_spoken_to_as_http() -> None:
    with SocksOnlyPproxy() as socks_only:
        result = check("https://127.0.0.1:9/v1", proxy=socks_only.url(scheme="http"))
    assert codes(result) == ["proxy.protocol_mismatch"]
    assert "is a SOCKS5 proxy" in finding(result).message and "socks5h://" in finding(result).hint


# --- proxy down, silent, unreachable --------------------------------------------------------------


def test_proxy_down_is_unreachable_with_start_hint() -> None:
    result = check("https://127.0.0.1:9/v1", env={"HTTPS_PROXY": f"http://127.0.0.1:{closed_port()}"})
    assert codes(result) == ["proxy.unreachable"] and result.status is Status.FAIL
    assert "refused" in finding(result).message
    assert "Clash listens on 127.0.0.1:7890" in finding(result).hint
    assert result.facts["source"] == "env:HTTPS_PROXY"


def test_proxy_connect_timeout_is_unreachable() -> None:
    with SynDropServer() as drop:
        result = check("https://127.0.0.1:9/v1", proxy=f"http://127.0.0.1:{drop.port}", timeout=0.5)
    assert codes(result) == ["proxy.unreachable"]
    assert "did not accept a TCP connection" in finding(result).message and "reachable" in finding(result).hint


def test_silent_socks_proxy_is_the_handshake_hang() -> None:
    with BlackholeServer() as hole:
        result = check("https://127.0.0.1:9/v1", proxy=f"socks5h://127.0.0.1:{hole.port}", timeout=0.5)
    assert codes(result) == ["proxy.socks_handshake_hang"] and result.status is Status.FAIL
    assert "encode/httpcore#1015" in finding(result).hint and "hangs forever" in finding(result).hint


def test_silent_http_proxy_is_not_responding() -> None:
    with BlackholeServer() as hole:
        result = check("https://127.0.0.1:9/v1", proxy=f"http://127.0.0.1:{hole.port}", timeout=0.5)
    assert codes(result) == ["proxy.not_responding"]
    assert "did not answer the CONNECT" in finding(result).message and "restart the proxy" in finding(result).hint


# --- configuration problems ---------------------------------------------------------------------


def test_socks_proxy_without_socksio_installed() -> None:
    result = check("https://127.0.0.1:9/v1", proxy="socks5://user:secret-pw@127.0.0.1:1080",
                   module_finder=lambda name: None)
    assert codes(result) == ["env.socks_dependency_missing"] and result.status is Status.FAIL
    assert "pip install 'httpx[socks]'" in finding(result).hint
    assert "secret-pw" not in dumped(result)


def test_unsupported_proxy_scheme_is_invalid() -> None:
    result = check("https://127.0.0.1:9/v1", env={"ALL_PROXY": "socks4://127.0.0.1:1080"})
    assert codes(result) == ["proxy.invalid_url"] and result.status is Status.FAIL
    assert "socks5" in finding(result).message and "HTTPS_PROXY=http://" in finding(result).hint
