"""llmdoctor's per-client proxy decision against the real clients: httpx 0.28, httpx2, requests, the curl binary.

The oracle (tests/oracles.py) runs each library's own code up to the socket; the matrix
(tests/fidelity_matrix.py) generates the environments. Nothing leaves loopback: proxies are IP
literals on 127.0.0.1/::1, the Python clients stop before connecting, curl's direct connections are
redirected to a closed loopback port and its proxies are closed loopback ports.
"""

from __future__ import annotations

import fidelity_matrix as fm
import oracles
import pytest

from llmdoctor.proxyenv import clients, curl_rules
from llmdoctor.proxyenv.stack import local_stack

httpx2 = pytest.importorskip("httpx2")
requests = pytest.importorskip("requests")
needs_curl = pytest.mark.skipif(oracles.curl_version() is None, reason="no curl binary on PATH")
PROXY = "http://127.0.0.1:3"


def _both(env: dict[str, str], url: str) -> tuple[dict[str, object], dict[str, object]]:
    return fm.oracle_outcomes(env, url), fm.llmdoctor_outcomes(env, url, local_stack())


@pytest.mark.parametrize("entry", ["[::1]", "[::1]:11434", "fd00::/8"])
def test_httpx028_ipv6_no_proxy_entry_breaks_every_request(entry: str) -> None:
    import httpx

    env = {"HTTPS_PROXY": PROXY, "NO_PROXY": entry}
    assert oracles.httpx_like(httpx, env, "https://api.openai.com/v1") == oracles.ERROR
    decision = clients.httpx_decision("https://api.openai.com/v1", env)
    assert decision.route == "fails" and "InvalidURL" in (decision.problem or "")
    assert fm.llmdoctor_outcomes(env, "https://api.openai.com/v1", local_stack())["httpx2"] == \
        oracles.httpx_like(httpx2, env, "https://api.openai.com/v1")


@pytest.mark.parametrize(("entry", "url"), [("10.0.0.0/8", "https://10.1.2.3/v1"), ("fd00::/8", "https://[fd00::5]/")])
def test_httpx2_matches_cidr_and_httpx028_does_not(entry: str, url: str) -> None:
    import httpx

    env = {"HTTPS_PROXY": PROXY, "no_proxy": entry}
    assert oracles.httpx_like(httpx2, env, url) == oracles.DIRECT
    ours = fm.llmdoctor_outcomes(env, url, local_stack())
    assert ours["httpx2"] == oracles.DIRECT
    assert ours["httpx"] == oracles.httpx_like(httpx, env, url)


@needs_curl
@pytest.mark.parametrize("env", [{"https_proxy": "", "HTTPS_PROXY": PROXY},
                                 {"HTTPS_PROXY": PROXY, "no_proxy": "", "NO_PROXY": "api.openai.com"}])
def test_curl_reads_an_empty_variable_as_unset(env: dict[str, str]) -> None:
    real, ours = _both(env, "https://api.openai.com/v1")
    assert ours["curl"] == real["curl"]
    assert real["curl"] != real["httpx"]  # httpx (urllib) lets the empty lower-case value win


@pytest.mark.parametrize("value", [" http://127.0.0.1:3", "http://127.0.0.1:3 ", "\thttp://127.0.0.1:3"])
def test_blanks_around_a_proxy_url(value: str) -> None:
    real, ours = _both({"HTTPS_PROXY": value}, "https://api.openai.com/v1")
    assert real["requests"] == oracles.ERROR
    assert ours == real


@pytest.mark.parametrize("port", ["0", "65535", "65536", "70000", "", "abc"])
def test_proxy_ports_as_each_client_reads_them(port: str) -> None:
    real, ours = _both({"HTTPS_PROXY": f"http://127.0.0.1:{port}", "HTTP_PROXY": f"http://127.0.0.1:{port}"},
                       "https://api.openai.com/v1")
    assert ours == real


@pytest.mark.parametrize(("env", "url"), [
    ({"HTTPS_PROXY": PROXY, "no_proxy": "", "NO_PROXY": "api.openai.com"}, "https://api.openai.com/v1"),
    ({"HTTPS_PROXY": PROXY, "NO_PROXY": "127.0.0.1", "no_proxy": "openai.com"}, "https://api.openai.com/v1"),
    ({"HTTPS_PROXY": PROXY, "no_proxy": "openai.com"}, "https://myopenai.com/"),
    ({"HTTPS_PROXY": PROXY, "no_proxy": "penai.com"}, "https://myopenai.com/"),
    ({"HTTPS_PROXY": PROXY, "NO_PROXY": "*", "no_proxy": ""}, "https://api.openai.com/v1"),
])
def test_requests_reads_no_proxy_as_requests_does(env: dict[str, str], url: str) -> None:
    assert fm.llmdoctor_outcomes(env, url, local_stack())["requests"] == oracles.requests_route(env, url)


def test_requests_dot_boundary_depends_on_its_version() -> None:
    env = {"HTTPS_PROXY": PROXY, "no_proxy": "penai.com"}
    assert clients.requests_decision("https://myopenai.com/", env, version=(2, 34)).route == "proxy"
    assert clients.requests_decision("https://myopenai.com/", env, version=(2, 32)).route == "direct"


def test_curl_rules_follow_the_curl_version() -> None:
    assert curl_rules.check_noproxy("api.openai.com", "foo openai.com", (7, 88)) == "openai.com"
    assert curl_rules.check_noproxy("api.openai.com", "foo openai.com", (8, 9)) is None
    assert curl_rules.check_noproxy("fd00::5", "fd00::/8", (8, 17)) is None
    assert curl_rules.check_noproxy("fd00::5", "fd00::/8", (8, 18)) == "fd00::/8"
    assert curl_rules.check_noproxy("10.1.2.3", "10.0.0.0/8", (7, 85)) is None
    assert curl_rules.check_noproxy("10.1.2.3", "10.0.0.0/8", (7, 86)) == "10.0.0.0/8"


@needs_curl
def test_the_installed_curl_version_is_the_one_asked() -> None:
    assert local_stack().curl == oracles.curl_version()
    real, ours = _both({"HTTPS_PROXY": PROXY, "NO_PROXY": "foo openai.com"}, "https://api.openai.com/v1")
    assert ours["curl"] == real["curl"]


def test_a_wrapped_port_is_where_httpx_really_connects() -> None:
    """httpcore hands 70000 to the socket layer, which wraps it: a listener on 4464 gets the request."""
    import socket
    import threading

    import httpx

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        port = server.getsockname()[1]
        got: list[bytes] = []

        def accept() -> None:
            conn, _ = server.accept()
            with conn:
                got.append(conn.recv(200))

        thread = threading.Thread(target=accept, daemon=True)
        thread.start()
        proxy = f"http://127.0.0.1:{port + 65536}"
        with oracles.environ({"HTTP_PROXY": proxy}), pytest.raises(httpx.HTTPError):
            httpx.get("http://10.9.9.9/", timeout=5)
        thread.join(5)
    assert got and got[0].startswith(b"GET http://10.9.9.9/")
    assert clients.httpx_decision("http://10.9.9.9/", {"HTTP_PROXY": proxy}).port == port


def test_every_client_agrees_on_the_whole_matrix() -> None:
    score, wrong = fm.compare()
    assert sum(total for _agree, total in score.values()) > 5000
    assert not wrong, "\n".join(f"{c} {e!r} {u}: real {a}, llmdoctor {m}" for c, e, u, a, m in wrong[:20])


@pytest.mark.parametrize("hide", [False, True])
def test_requests_socks_with_and_without_pysocks(hide: bool) -> None:
    """requests needs PySocks for socks5h://: without it (hidden in a subprocess) it raises InvalidSchema."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, json\n" + ("sys.modules['socks'] = None\n" if hide else "") +
            f"sys.path.insert(0, {str(Path(__file__).parent)!r})\nimport oracles\n"
            "print(json.dumps(oracles.requests_route({'HTTPS_PROXY': 'socks5h://127.0.0.1:4'}, "
            "'https://api.openai.com/v1')))")
    real = tuple(json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                           timeout=60, check=True).stdout))
    ours = clients.requests_decision("https://api.openai.com/v1", {"HTTPS_PROXY": "socks5h://127.0.0.1:4"},
                                     pysocks=not hide)
    assert ours.outcome() == real
    assert (real == oracles.ERROR) is hide
