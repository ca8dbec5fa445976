"""The proxy tunnel and TLS handshakes opened while the checks load (llmdoctor/net/early.py), through
the real CLI, a real tinyproxy with a login and a real HTTPS server: the same report as the checks
opening them themselves (a `--only` run opens nothing early), one tunnel per trust store, the same
failure when the proxy is down. No timings are asserted; what is compared is what the user reads.
"""

from __future__ import annotations

import json
import socket
import subprocess
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from peers import Certs, TinyproxyServer
from peers.fakeapi import FakeApi, key_for

RunCli = Callable[..., subprocess.CompletedProcess[str]]
PATH_CHECKS = ("proxy", "tcp", "tls", "auth")
TIMINGS = ("_ms", "ms")
VARY = ("waterfall", "responses", "request_ids")  # timestamps and the server's request counter


@pytest.fixture
def api(certs: Certs) -> Iterator[FakeApi]:
    with FakeApi(certs) as server:
        yield server


def _report(proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    assert proc.stdout.strip(), proc.stderr
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def _facts_without_timings(report: dict[str, Any], check: str) -> dict[str, Any]:
    result = next(r for r in report["targets"][0]["results"] if r["check"] == check)
    return {k: v for k, v in result["facts"].items() if not k.endswith(TIMINGS) and k not in VARY}


def _status(report: dict[str, Any]) -> dict[str, str]:
    return {r["check"]: r["status"] for r in report["targets"][0]["results"]}


def test_a_whole_run_takes_the_early_tunnel_and_reports_what_the_checks_would(
        run_cli: RunCli, certs: Certs, api: FakeApi, tinyproxy: TinyproxyServer) -> None:
    env = {"SSL_CERT_FILE": str(certs.ca_pem), "HTTPS_PROXY": tinyproxy.url(), "OPENAI_API_KEY": key_for("good"),
           "OPENAI_BASE_URL": api.url}
    whole = _report(run_cli("--json", "--provider", "openai", env=env))
    opened_whole = api.server.accepted
    alone = _report(run_cli("--json", "--provider", "openai", "--only", "auth", env=env))  # nothing opened early
    opened_alone = api.server.accepted - opened_whole
    assert whole["exit_code"] == alone["exit_code"] == 0
    assert opened_whole == opened_alone == 2  # the user's trust store and the OS store's: never a second tunnel
    assert [r.path for r in api.requests] == ["/v1/models", "/v1/models"]  # one request per run
    for check in PATH_CHECKS:
        assert _status(whole)[check] == _status(alone)[check] == "pass"
        assert _facts_without_timings(whole, check) == _facts_without_timings(alone, check), check
    tcp = next(r for r in whole["targets"][0]["results"] if r["check"] == "tcp")
    assert tcp["summary"].startswith(f"proxy 127.0.0.1:{tinyproxy.port} in ")  # the proxy check's connection
    assert key_for("good") not in json.dumps(whole)


def test_a_proxy_that_is_down_is_reported_by_the_proxy_check_as_before(
        run_cli: RunCli, certs: Certs, api: FakeApi) -> None:
    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    env = {"SSL_CERT_FILE": str(certs.ca_pem), "HTTPS_PROXY": f"http://127.0.0.1:{port}",
           "OPENAI_API_KEY": key_for("good"), "OPENAI_BASE_URL": api.url}
    whole = _report(run_cli("--json", "--provider", "openai", env=env))
    alone = _report(run_cli("--json", "--provider", "openai", "--only", "proxy", env=env))
    # The whole run also has the port scan's word for it (nothing listens there); the proxy check says the same.
    assert whole["causes"][0]["id"] == "env.proxy_not_listening"
    proxy = [next(r for r in rep["targets"][0]["results"] if r["check"] == "proxy") for rep in (whole, alone)]
    assert proxy[0]["summary"] == proxy[1]["summary"]
    assert proxy[0]["findings"][0]["code"] == proxy[1]["findings"][0]["code"] == "proxy.unreachable"
    assert f"127.0.0.1:{port}" in proxy[0]["summary"]
    assert api.server.accepted == 0


def test_the_early_path_opens_the_tunnel_and_both_handshakes_the_checks_then_take(
        certs: Certs, api: FakeApi, tinyproxy: TinyproxyServer) -> None:
    from llmdoctor.config import Settings
    from llmdoctor.deadline import Deadline
    from llmdoctor.net.early import SYSTEM, TUNNEL, USER
    from llmdoctor.net.http import HttpClientFactory

    env = {"SSL_CERT_FILE": str(certs.ca_pem), "HTTPS_PROXY": tinyproxy.url()}
    http = HttpClientFactory(Settings(timeout=5.0), env, Deadline(30))
    http.start_early(api.url)
    choice = http.proxy_for(api.url)
    tunnel = http.early.take(TUNNEL, http.route("tunnel", choice.url, "127.0.0.1", api.port))
    user = http.early.take(USER, http.tls_route(api.url, choice))  # type: ignore[arg-type]
    system = http.early.take(SYSTEM, http.tls_route(api.url, choice))  # type: ignore[arg-type]
    assert tunnel is not None and user is not None and system is not None
    assert tunnel.result(10).facts["proxy_connected_to"] == "127.0.0.1"
    handshake = user.result(10)
    assert handshake.ok and handshake.sock is not None and handshake.cert is None  # read later, off the path
    assert handshake.describe().cert is not None
    assert not system.result(10).ok  # the OS store does not know the test CA
    assert http.early.take(USER, http.tls_route(api.url, choice)) is None  # taken once  # type: ignore[arg-type]
    handshake.sock.close()
    http.close()


def test_nothing_opens_early_for_a_direct_or_plain_http_target(certs: Certs, api: FakeApi) -> None:
    from llmdoctor.config import Settings
    from llmdoctor.deadline import Deadline
    from llmdoctor.net.http import HttpClientFactory

    for env, url in (({"SSL_CERT_FILE": str(certs.ca_pem)}, api.url),
                     ({"HTTP_PROXY": "http://127.0.0.1:9"}, "http://127.0.0.1:9/v1")):
        http = HttpClientFactory(Settings(timeout=5.0), env, Deadline(30))
        http.start_early(url)
        assert http.early._futures == {}
        http.close()
    assert api.server.accepted == 0


def test_the_proxy_predicted_without_httpx_is_httpxs_own_choice_wherever_it_answers() -> None:
    """Over the fidelity matrix (generated proxy environments x URLs): never a different answer."""
    from fidelity_matrix import cases

    from llmdoctor.net.proxies import choose_proxy, predict_proxy

    answered = 0
    for env, url in cases():
        predicted = predict_proxy(url, env)
        if predicted is None:
            continue
        answered += 1
        actual = choose_proxy(url, env)
        assert (predicted.url, predicted.source) == (actual.url, actual.source), (env, url)
    assert answered >= 300  # the plain cases (no NO_PROXY) are answered, not left to httpx
