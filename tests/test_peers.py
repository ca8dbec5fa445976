"""The loopback peers behave as RECIPES.md says, seen through real clients (httpx, ssl, dnspython).

Other tests lean on these peers to produce one precise failure each; if a peer drifts (a new
OpenSSL wording, a daemon upgrade), this file says so first.
"""

from __future__ import annotations

import gzip
import os
import socket
import ssl
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import dns.message
import dns.query
import dns.resolver
import httpx
import loopback_guard
import pytest
from conftest import REPO_ROOT, is_cleared_variable
from loopback_guard import LoopbackViolation
from peers import (
    BlackholeServer,
    Certs,
    DaemonError,
    DelayRelay,
    DnsmasqServer,
    DnsServer,
    FinServer,
    GarbageServer,
    HttpServer,
    MicrosocksServer,
    NetNamespace,
    PproxyServer,
    Reply,
    Request,
    ResetServer,
    SynDropServer,
    TinyproxyServer,
    close_without_answer,
    closed_port,
    many_headers,
    raw_bytes,
    requires_dnsmasq,
    requires_microsocks,
)

SHORT = 0.5  # seconds: the timeout for calls that should succeed (all timeouts here are <= 1 s)
EXPIRE = 0.2  # seconds: the timeout for calls that are meant to time out


def chain(exc: BaseException) -> list[BaseException]:
    """The exception and everything it was raised from (httpx hides ssl errors in there)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def get(url: str, certs: Certs | None = None, **kwargs: object) -> httpx.Response:
    # Plain-HTTP calls skip building a default trust store (~35 ms of certifi per client).
    verify = certs.client_context() if certs else False
    return httpx.get(url, verify=verify, timeout=kwargs.pop("timeout", SHORT), **kwargs)  # type: ignore[arg-type]


# --- TLS and HTTP -------------------------------------------------------------------------------


def test_valid_certificate_is_trusted_by_the_test_ca_and_the_request_is_recorded(
    https_server: Callable[..., HttpServer], certs: Certs
) -> None:
    server = https_server(lambda req: Reply.json(200, {"path": req.path, "got": req.json()}))
    response = httpx.post(
        server.url + "/v1/chat", json={"q": 1}, headers={"Authorization": "Bearer sk-test"},
        verify=certs.client_context(), timeout=SHORT,
    )
    assert response.json() == {"path": "/v1/chat", "got": {"q": 1}}
    [seen] = server.requests
    assert (seen.method, seen.path, seen.tls) == ("POST", "/v1/chat", True)
    assert seen.headers["authorization"] == "Bearer sk-test"
    assert seen.headers["Authorization"] == "Bearer sk-test"  # lookups ignore case
    assert seen.host == f"127.0.0.1:{server.port}"


def test_sni_and_host_reach_the_server_for_a_name_without_dns(
    https_server: Callable[..., HttpServer], certs: Certs
) -> None:
    server = https_server(Reply(200, body="ok"))
    with httpx.Client(verify=certs.client_context(), timeout=SHORT) as client:
        request = client.build_request(
            "GET", server.url + "/v1/models", headers={"host": "api.openai.test"},
            extensions={"sni_hostname": "api.openai.test"},
        )
        assert client.send(request).text == "ok"
    assert (server.requests[0].sni, server.requests[0].host) == ("api.openai.test", "api.openai.test")


@pytest.mark.parametrize(
    ("kind", "verify_message"),
    [
        ("expired", "certificate has expired"),
        ("notyet", "certificate is not yet valid"),
        ("wronghost", "IP address mismatch, certificate is not valid for '127.0.0.1'."),
        ("unknownca", "unable to get local issuer certificate"),
        ("selfsigned", "self-signed certificate"),
    ],
)
def test_each_bad_certificate_fails_verification_with_its_own_reason(
    https_server: Callable[..., HttpServer], certs: Certs, kind: str, verify_message: str
) -> None:
    server = https_server(Reply(200), kind=kind)
    with pytest.raises(httpx.ConnectError) as caught:
        get(server.url, certs)
    [verify_error] = [e for e in chain(caught.value) if isinstance(e, ssl.SSLCertVerificationError)]
    assert verify_error.verify_message == verify_message


def test_wrong_host_by_name_is_a_hostname_mismatch(https_server: Callable[..., HttpServer], certs: Certs) -> None:
    server = https_server(Reply(200), kind="wronghost")
    with socket.create_connection(("127.0.0.1", server.port), timeout=SHORT) as raw, pytest.raises(
        ssl.SSLCertVerificationError
    ) as caught:
        certs.client_context().wrap_socket(raw, server_hostname="localhost")
    assert caught.value.verify_message == "Hostname mismatch, certificate is not valid for 'localhost'."


def test_https_server_on_ipv6_loopback(https_server: Callable[..., HttpServer], certs: Certs) -> None:
    server = https_server(Reply(204), host="::1")
    assert server.url == f"https://[::1]:{server.port}"
    assert get(server.url, certs).status_code == 204


def test_a_silent_client_does_not_block_other_clients(
    https_server: Callable[..., HttpServer], certs: Certs
) -> None:
    server = https_server(Reply(200, body="still serving"))
    with socket.create_connection(("127.0.0.1", server.port), timeout=SHORT):
        assert get(server.url, certs).text == "still serving"


def test_https_url_to_plain_http_server_is_wrong_version_number(
    http_server: Callable[..., HttpServer], certs: Certs
) -> None:
    server = http_server(Reply(200))
    with pytest.raises(httpx.ConnectError, match=r"WRONG_VERSION_NUMBER"):
        get(server.url.replace("http://", "https://"), certs)


def test_streamed_body_arrives_in_chunks_then_stalls_into_a_read_timeout(
    http_server: Callable[..., HttpServer],
) -> None:
    server = http_server(Reply.sse([{"n": 1}, {"n": 2}, 30.0]))
    lines: list[str] = []
    with pytest.raises(httpx.ReadTimeout), httpx.stream("GET", server.url, timeout=EXPIRE, verify=False) as response:
        assert response.headers["content-type"] == "text/event-stream"
        for line in response.iter_lines():
            lines.append(line)
    assert lines[:3] == ['data: {"n": 1}', "", 'data: {"n": 2}']


def test_slow_first_byte_is_a_read_timeout(http_server: Callable[..., HttpServer]) -> None:
    server = http_server(Reply(200, delay=30.0))
    with pytest.raises(httpx.ReadTimeout):
        get(server.url, timeout=httpx.Timeout(SHORT, read=EXPIRE))


def test_stop_wakes_a_sleeping_handler_and_closes_the_stream(http_server: Callable[..., HttpServer]) -> None:
    server = http_server(Reply(body=[b"first", 60.0, b"never"]))
    with httpx.stream("GET", server.url, timeout=1.0, verify=False) as response:
        chunks = response.iter_raw()
        assert next(chunks) == b"first"
        server.stop()
        with pytest.raises(httpx.RemoteProtocolError):
            next(chunks)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (raw_bytes(b"garbage\r\n\r\n"), "illegal status line"),
        (close_without_answer(), "Server disconnected without sending a response."),
        (many_headers(5000), None),
    ],
    ids=["garbage", "close", "many-headers"],
)
def test_raw_replies_break_the_client_at_the_byte_level(
    http_server: Callable[..., HttpServer], raw: Callable[..., None], message: str | None
) -> None:
    server = http_server(Reply(raw=raw))
    with pytest.raises(httpx.RemoteProtocolError, match=message):
        get(server.url)


def test_gzip_bomb_is_small_on_the_wire_and_large_inflated(http_server: Callable[..., HttpServer]) -> None:
    size = 8 << 20
    reply = Reply.gzip_bomb(size)
    assert isinstance(reply.body, bytes) and len(reply.body) < size // 100
    server = http_server(reply)
    response = get(server.url)
    assert response.headers["content-encoding"] == "gzip"
    assert len(response.content) == size
    assert gzip.decompress(reply.body) == bytes(size)


def test_handler_crash_becomes_a_500_and_is_recorded(http_server: Callable[..., HttpServer]) -> None:
    def broken(_req: Request) -> Reply:
        raise RuntimeError("boom")

    server = http_server(broken)
    assert get(server.url).status_code == 500
    assert "RuntimeError: boom" in server.errors[-1]


# --- raw TCP peers -----------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
def test_reset_server_resets_the_tls_handshake(certs: Certs, host: str) -> None:
    with ResetServer(host=host) as peer:
        url = f"https://[{host}]:{peer.port}" if ":" in host else f"https://{host}:{peer.port}"
        with pytest.raises(httpx.ConnectError) as caught:
            get(url, certs)
    assert any(isinstance(e, ConnectionResetError) for e in chain(caught.value))


def test_fin_server_is_eof_during_the_handshake(certs: Certs) -> None:
    with FinServer() as peer, pytest.raises(httpx.ConnectError, match=r"UNEXPECTED_EOF_WHILE_READING"):
        get(f"https://127.0.0.1:{peer.port}", certs)


def test_blackhole_is_a_handshake_timeout_not_a_connect_failure(certs: Certs) -> None:
    with BlackholeServer() as peer, pytest.raises(httpx.ConnectTimeout, match=r"handshake"):
        get(f"https://127.0.0.1:{peer.port}", certs, timeout=EXPIRE)
    assert peer.accepted == 1  # TCP was accepted: the wait was in TLS


@pytest.mark.parametrize("host", ["127.0.0.1", "::1"])
def test_syn_drop_is_a_real_connect_timeout(host: str) -> None:
    with SynDropServer(host=host) as peer:
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET)
        sock.settimeout(EXPIRE)
        with sock, pytest.raises(TimeoutError):
            sock.connect((host, peer.port))
        with pytest.raises(httpx.ConnectTimeout, match=r"^timed out$"):
            get(f"http://127.0.0.1:{peer.port}" if host == "127.0.0.1" else f"http://[::1]:{peer.port}",
                timeout=EXPIRE)


def test_closed_port_refuses() -> None:
    with pytest.raises(httpx.ConnectError, match=r"\[Errno 111\] Connection refused"):
        get(f"http://127.0.0.1:{closed_port()}")


def test_garbage_server_answers_fixed_bytes(certs: Certs) -> None:
    with GarbageServer(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi") as peer:
        assert get(f"http://127.0.0.1:{peer.port}").text == "hi"
        with pytest.raises(httpx.ConnectError, match=r"WRONG_VERSION_NUMBER"):
            get(f"https://127.0.0.1:{peer.port}", certs)


# --- delay relay -------------------------------------------------------------------------------


def test_delay_relay_forwards_faithfully(https_server: Callable[..., HttpServer], certs: Certs) -> None:
    server = https_server(Reply.json(200, {"via": "relay"}))
    with DelayRelay("127.0.0.1", server.port, delay=0.01) as relay:
        assert get(f"https://127.0.0.1:{relay.port}/x", certs).json() == {"via": "relay"}
        assert relay.connections == 1
    assert server.requests[0].path == "/x"


def test_delay_relay_delay_beyond_the_read_timeout_is_a_read_timeout(
    http_server: Callable[..., HttpServer],
) -> None:
    server = http_server(Reply(200))
    with DelayRelay("127.0.0.1", server.port, delay=0.15) as relay, pytest.raises(httpx.ReadTimeout):
        get(f"http://127.0.0.1:{relay.port}", timeout=httpx.Timeout(1.0, read=EXPIRE))


def test_delay_relay_connect_delay_is_a_handshake_timeout(
    https_server: Callable[..., HttpServer], certs: Certs
) -> None:
    server = https_server(Reply(200))
    with DelayRelay("127.0.0.1", server.port, connect_delay=5.0) as relay, pytest.raises(
        httpx.ConnectTimeout, match=r"handshake"
    ):
        get(f"https://127.0.0.1:{relay.port}", certs, timeout=EXPIRE)


# --- DNS ---------------------------------------------------------------------------------------

ZONES = {
    "api.openai.test": {"A": ["127.0.0.1"], "AAAA": ["::1"]},
    "alias.test": {"CNAME": ["api.openai.test"]},
    "nx.test": "NXDOMAIN",
    "bad.test": "SERVFAIL",
    "ref.test": "REFUSED",
    "slow.test": ("DELAY", 0.1, {"A": ["127.0.0.5"]}),
    "drop.test": "DROP",
    "hijack.test": {"A": ["10.10.34.35"]},
}


def resolver(port: int, timeout: float = SHORT) -> dns.resolver.Resolver:
    r = dns.resolver.Resolver(configure=False)  # never read /etc/resolv.conf
    r.nameservers = ["127.0.0.1"]
    r.port = port
    r.timeout = r.lifetime = timeout
    return r


@pytest.mark.parametrize(
    ("name", "rdtype", "expected"),
    [
        ("api.openai.test", "A", ["127.0.0.1"]),
        ("API.OpenAI.test.", "AAAA", ["::1"]),
        ("alias.test", "A", ["127.0.0.1"]),
        ("slow.test", "A", ["127.0.0.5"]),
        ("hijack.test", "A", ["10.10.34.35"]),
    ],
)
def test_dns_server_answers(dns_server: Callable[..., DnsServer], name: str, rdtype: str, expected: list[str]) -> None:
    server = dns_server(ZONES)
    answer = resolver(server.port).resolve(name, rdtype)
    assert [r.to_text() for r in answer] == expected


@pytest.mark.parametrize(
    ("name", "rdtype", "error", "message"),
    [
        ("nx.test", "A", dns.resolver.NXDOMAIN, "does not exist"),
        ("unlisted.test", "A", dns.resolver.NXDOMAIN, "does not exist"),
        ("api.openai.test", "MX", dns.resolver.NoAnswer, "does not contain an answer"),
        ("bad.test", "A", dns.resolver.NoNameservers, "answered SERVFAIL"),
        ("ref.test", "A", dns.resolver.NoNameservers, "answered REFUSED"),
        ("drop.test", "A", dns.resolver.LifetimeTimeout, "timed out"),
    ],
)
def test_dns_server_failures(
    dns_server: Callable[..., DnsServer], name: str, rdtype: str, error: type[Exception], message: str
) -> None:
    server = dns_server(ZONES)
    with pytest.raises(error, match=message):
        resolver(server.port, timeout=EXPIRE).resolve(name, rdtype)


def test_dns_server_tcp_on_the_same_port_and_records_queries(dns_server: Callable[..., DnsServer]) -> None:
    server = dns_server(ZONES)
    response = dns.query.tcp(dns.message.make_query("api.openai.test", "A"), "127.0.0.1", port=server.port,
                             timeout=SHORT)
    assert response.answer[0][0].to_text() == "127.0.0.1"
    assert server.address == f"127.0.0.1:{server.port}"
    assert [(q.name, q.qtype, q.transport) for q in server.queries] == [("api.openai.test", "A", "tcp")]


# --- real daemons ------------------------------------------------------------------------------


def proxied(target: HttpServer, proxy: str, certs: Certs) -> httpx.Response:
    return httpx.get(target.url + "/", proxy=proxy, verify=certs.client_context(), timeout=1.0)


def test_pproxy_http_and_socks5_credentials(
    pproxy: PproxyServer, https_server: Callable[..., HttpServer], certs: Certs
) -> None:
    target = https_server(Reply(200))
    assert proxied(target, pproxy.url(), certs).status_code == 200
    assert proxied(target, pproxy.url(scheme="socks5"), certs).status_code == 200
    # --auth 0: a good login must not whitelist 127.0.0.1 for the next, bad one.
    for bad in (pproxy.url(password="wrong"), pproxy.url(auth=False)):
        with pytest.raises(httpx.ProxyError, match=r"^407 Proxy Authentication Required$"):
            proxied(target, bad, certs)
    with pytest.raises(httpx.ProxyError, match=r"^Invalid username/password$"):
        proxied(target, pproxy.url(password="wrong", scheme="socks5"), certs)


@requires_microsocks
def test_proxy_url_quotes_credentials_that_really_work(https_server: Callable[..., HttpServer], certs: Certs) -> None:
    target = https_server(Reply(200))
    with MicrosocksServer("us er", "pa:ss@w0rd%/#") as proxy:
        assert proxy.url() == f"socks5://us%20er:pa%3Ass%40w0rd%25%2F%23@127.0.0.1:{proxy.port}"
        assert proxied(target, proxy.url(), certs).status_code == 200


def test_tinyproxy_basic_auth(
    tinyproxy: TinyproxyServer, https_server: Callable[..., HttpServer], certs: Certs
) -> None:
    target = https_server(Reply(200))
    assert proxied(target, tinyproxy.url(), certs).status_code == 200
    with pytest.raises(httpx.ProxyError, match=r"^401 Unauthorized$"):
        proxied(target, tinyproxy.url(password="wrong"), certs)
    with pytest.raises(httpx.ProxyError, match=r"^407 Proxy Authentication Required$"):
        proxied(target, tinyproxy.url(auth=False), certs)
    with pytest.raises(httpx.ProxyError, match=r"^500 Unable to connect$"):
        httpx.get(f"https://127.0.0.1:{closed_port()}/", proxy=tinyproxy.url(), verify=False, timeout=1.0)


def test_tinyproxy_rejects_a_password_its_config_cannot_hold() -> None:
    with pytest.raises(ValueError, match=r"A-Za-z0-9"):
        TinyproxyServer("user", "pa:ss")


def test_microsocks_socks5_credentials(
    microsocks: MicrosocksServer, https_server: Callable[..., HttpServer], certs: Certs
) -> None:
    target = https_server(Reply(200))
    assert microsocks.url().startswith("socks5://user:micro%3Ap%40ss%20w0rd@")
    assert proxied(target, microsocks.url(), certs).status_code == 200
    with pytest.raises(httpx.ProxyError, match=r"^Invalid username/password$"):
        proxied(target, microsocks.url(password="wrong"), certs)
    with pytest.raises(httpx.ProxyError, match=r"NO ACCEPTABLE METHODS"):
        proxied(target, microsocks.url(auth=False), certs)


def test_dnsmasq_answers_from_its_arguments(dnsmasq: Callable[..., DnsmasqServer]) -> None:
    server = dnsmasq("--local=/test/", "--address=/api.openai.test/127.0.0.1")
    r = resolver(server.port)
    assert [a.to_text() for a in r.resolve("api.openai.test", "A")] == ["127.0.0.1"]
    with pytest.raises(dns.resolver.NXDOMAIN):
        r.resolve("nx.test", "A")
    with pytest.raises(dns.resolver.NoNameservers, match=r"REFUSED"):
        r.resolve("unknown.example", "A")
    assert "query[A] api.openai.test" in server.log_text()


@requires_dnsmasq
def test_a_daemon_that_exits_fails_fast_with_its_log() -> None:
    with pytest.raises(DaemonError, match=r"(?s)exited with rc=.*bad command line options"):
        DnsmasqServer("--no-such-option")


# --- the loopback guard ------------------------------------------------------------------------


def test_guard_blocks_connect_beyond_loopback_before_sending() -> None:
    with socket.socket() as sock:
        sock.settimeout(SHORT)
        with pytest.raises(LoopbackViolation, match=r"'10.0.0.1' port 443 is outside loopback"):
            sock.connect(("10.0.0.1", 443))
        with pytest.raises(OSError):  # never connected: nothing was sent
            sock.getpeername()
        assert sock.connect_ex(("127.0.0.1", closed_port())) != 0  # loopback still allowed
    assert len(loopback_guard.pop_violations()) == 1


def test_guard_blocks_system_dns_but_allows_literals_and_localhost() -> None:
    with pytest.raises(LoopbackViolation, match=r"getaddrinfo\('example.invalid'\)"):
        socket.getaddrinfo("example.invalid", 443)
    with pytest.raises(LoopbackViolation):
        socket.gethostbyname("example.invalid")
    assert socket.getaddrinfo("127.0.0.1", 1)[0][4][0] == "127.0.0.1"
    assert socket.getaddrinfo("localhost", 1, socket.AF_INET)[0][4][0] == "127.0.0.1"
    assert socket.getaddrinfo("10.0.0.1", 1)[0][4][0] == "10.0.0.1"  # a literal sends nothing
    assert len(loopback_guard.pop_violations()) == 2


def test_guard_blocks_udp_beyond_loopback_and_allows_unix_sockets(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp, pytest.raises(LoopbackViolation):
        udp.sendto(b"x", ("10.255.255.53", 53))
    with socket.socket(socket.AF_UNIX) as server, socket.socket(socket.AF_UNIX) as client:
        server.bind(str(tmp_path / "s"))
        server.listen()
        client.connect(str(tmp_path / "s"))
    assert len(loopback_guard.pop_violations()) == 1


def test_guard_violation_surfaces_through_httpx_and_is_recorded_even_if_swallowed() -> None:
    with pytest.raises(httpx.ConnectError) as caught:
        httpx.get("http://10.0.0.1:9/", verify=False, timeout=SHORT)
    assert any(isinstance(e, LoopbackViolation) for e in chain(caught.value))
    assert "outside loopback" in loopback_guard.pop_violations()[0]


def test_the_environment_is_clean_and_the_cwd_is_private() -> None:
    assert [name for name in os.environ if is_cleared_variable(name)] == []
    assert not Path.cwd().is_relative_to(REPO_ROOT)
    assert not Path.home().is_relative_to(Path("/root"))


PROBE = """
import socket, sys, sitecustomize
print(sitecustomize.__file__)
try:
    socket.create_connection(("10.0.0.1", 443), timeout=0.5)
except OSError as exc:
    print(type(exc).__name__)
"""


def test_guard_reaches_subprocesses_through_pythonpath(
    cli_env: Callable[..., dict[str, str]], tmp_path: Path
) -> None:
    env = cli_env()
    assert not any(is_cleared_variable(name) for name in env if name != loopback_guard.LOG_ENV)
    proc = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=30,
                          check=False)
    site, error = proc.stdout.split()
    assert site == str(REPO_ROOT / "tests" / "guard" / "sitecustomize.py")
    assert error == "LoopbackViolation"
    assert "outside loopback" in Path(env[loopback_guard.LOG_ENV]).read_text()


@pytest.mark.skipif(not (REPO_ROOT / "llmdoctor" / "cli.py").exists(), reason="no CLI yet")
def test_run_cli_runs_the_cli_guarded(run_cli: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    proc = run_cli("--help")
    assert proc.returncode == 0, proc.stderr
    assert "Usage" in proc.stdout


# --- network namespace -------------------------------------------------------------------------

RESOLVE = """
import socket, sys
for name in sys.argv[1:]:
    try:
        print(name, sorted({a[4][0] for a in socket.getaddrinfo(name, 443, type=socket.SOCK_STREAM)}))
    except OSError as exc:
        print(name, exc)
"""


def test_netns_system_resolver_sees_only_the_test_zones(
    netns: Callable[..., NetNamespace], cli_env: Callable[..., dict[str, str]]
) -> None:
    ns = netns({"api.openai.test": {"A": ["127.0.0.1"]}, "nx.test": "NXDOMAIN"})
    with ns.inside():
        server = HttpServer(Reply.json(200, {"inside": True}))
    try:
        env = cli_env(LLMDOCTOR_TEST_ALLOW_SYSTEM_DNS="1")
        proc = ns.run([sys.executable, "-c", RESOLVE, "api.openai.test", "nx.test"], env=env, timeout=30)
        assert proc.stdout.splitlines() == [
            "api.openai.test ['127.0.0.1']",
            "nx.test [Errno -2] Name or service not known",
        ], proc.stderr
        fetch = f"import httpx; print(httpx.get('http://api.openai.test:{server.port}/', timeout=1).text)"
        assert ns.run([sys.executable, "-c", fetch], env=env).stdout.strip() == '{"inside": true}'
    finally:
        server.stop()
    assert ns.dns is not None and ("nx.test", "A") in {(q.name, q.qtype) for q in ns.dns.queries}


def test_netns_is_removed_on_close(netns: Callable[..., NetNamespace]) -> None:
    ns = netns()
    assert ns.etc.is_dir()
    ns.close()
    assert not ns.etc.exists()
    assert ns.name not in subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, check=True).stdout


@pytest.mark.skipif(not (REPO_ROOT / "llmdoctor" / "cli.py").exists(), reason="no CLI yet")
def test_run_cli_can_run_inside_a_namespace(
    netns: Callable[..., NetNamespace], run_cli: Callable[..., subprocess.CompletedProcess[str]]
) -> None:
    proc = run_cli("--version", netns=netns({}))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("llm-api-doctor ")
