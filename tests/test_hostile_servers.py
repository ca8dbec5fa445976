"""Hostile servers: the auth check and the whole CLI against answers built to hurt a client.

Every case runs on a loopback HTTPS server with trustme certificates (the CA reaches the CLI through
SSL_CERT_FILE). Reads must stay bounded in size and time, each case must end in one clear finding
(cause id and the words a user reads), nothing may crash, and the CLI's memory stays modest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import loopback_guard
import pytest
from helpers import codes, make_context, make_target
from peers import Certs, GarbageServer, HttpServer, Reply, Request
from peers.http import close_without_answer, many_headers, raw_bytes

from checks.auth import AuthCheck
from llmdoctor.model import CheckResult, Status

KEY = "hostile-key-0123456789abcdefghijklmnopQRSTuvwx"  # no vendor prefix: read as a relay key
MAX_RSS_MB = 400  # generous: a 10 GB bomb or a 50 MB body must not be held in memory


def endless_body() -> Iterator[bytes]:
    """A chunked body that never ends."""
    block = b"[" + b"1," * 32767
    while True:
        yield block


def drip_body() -> Iterator[bytes | float]:
    """One byte a second, for a minute: no read timeout ever fires, only a wall-clock cap can end it."""
    for byte in b'{"data": [' + b'"x",' * 30:
        yield bytes([byte])
        yield 1.0


def gzip_bomb_parts(gigabytes: int) -> Iterator[bytes]:
    """About 1 KB of gzip per MB of zeros, `gigabytes` GB in all (10 GB is about 10 MB on the wire).

    After a full flush deflate restarts from an empty window, so every 1 MB block compresses to the
    same bytes and the bomb is built without compressing 10 GB. The trailer is never reached.
    """
    block = bytes(1 << 20)
    comp = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    yield comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    for _ in range((gigabytes << 10) - 1):
        yield again


def gzip_bomb(gigabytes: int = 10, layers: int = 1) -> Reply:
    headers = {"content-type": "application/json", "content-encoding": ", ".join(["gzip"] * layers)}
    if layers == 1:
        return Reply(200, headers, gzip_bomb_parts(gigabytes))
    inner = b"".join(gzip_bomb_parts(gigabytes))  # ~1 MB per GB: gzip it once more
    return Reply(200, headers, zlib.compress(inner, 9, wbits=16 + zlib.MAX_WBITS))


LOGIN_PAGE = ("<!DOCTYPE html><html><head><title>Acme Corp &ndash; Sign in</title></head><body>"
              "<form action='/login'><input name='user'><input type='password' name='pw'></form></body></html>")
FIFTY_MB_JSON = b'{"data": [' + b'{"id": "gpt-4o-mini", "object": "model"},' * 1_250_000 + b'{"id": "x"}]}'


@dataclass(frozen=True)
class Case:
    """One hostile answer and what a user must be told about it."""

    reply: Callable[[], Reply]
    code: str
    words: tuple[str, ...]  # each must appear in the finding's message
    status: Status = Status.FAIL


CASES: dict[str, Case] = {
    "endless-body": Case(lambda: Reply(200, {"content-type": "application/json"}, endless_body()),
                         "endpoint.not_an_api", ("larger than 2 MB and was cut",)),
    "50mb-json": Case(lambda: Reply(200, {"content-type": "application/json"}, FIFTY_MB_JSON),
                      "endpoint.not_an_api", ("larger than 2 MB and was cut",)),
    "invalid-json": Case(lambda: Reply(200, {"content-type": "application/json"}, b'{"data": [{"id": "gpt-4o",'),
                         "endpoint.not_an_api", ("HTTP 200 (application/json)", "not JSON")),
    "invalid-utf8": Case(lambda: Reply(200, {"content-type": "application/json; charset=utf-8"},
                                       b'{"data": [{"id": "gpt-\xff\xfe4o"}]}'),
                         "endpoint.not_an_api", ("not valid UTF-8",), Status.WARN),
    "invalid-utf8-401": Case(lambda: Reply(401, {"content-type": "application/json"},
                                           b'{"error": {"message": "Incorrect API key \xc3\x28 provided", '
                                           b'"code": "invalid_api_key"}}'),
                             "auth.invalid_key", ("HTTP 401", "Incorrect API key")),
    "gzip-bomb-10gb": Case(lambda: gzip_bomb(10), "endpoint.not_an_api", ("larger than 2 MB and was cut",)),
    "gzip-in-gzip-bomb": Case(lambda: gzip_bomb(4, layers=2), "endpoint.not_an_api",
                              ("larger than 2 MB and was cut",)),
    "corrupt-gzip": Case(lambda: Reply(200, {"content-type": "application/json", "content-encoding": "gzip"},
                                       b"\x1f\x8b\x08\x00not-really-gzip" * 4),
                         "server.protocol_error", ("does not decode as its Content-Encoding says", "gzip: ")),
    "10000-headers": Case(lambda: Reply(raw=many_headers(10_000)), "server.protocol_error",
                          ("broke the HTTP protocol",)),
    "1500-headers": Case(lambda: Reply(raw=many_headers(1_500)), "endpoint.not_an_api",
                         ("not with a model list",), Status.WARN),
    "slow-drip": Case(lambda: Reply(200, {"content-type": "application/json"}, drip_body()),
                      "net.read_timeout", ("no complete answer within",)),
    "login-page": Case(lambda: Reply(200, {"content-type": "text/html; charset=utf-8"}, LOGIN_PAGE),
                       "endpoint.not_an_api", ("HTTP 200 (text/html)", "Acme Corp – Sign in", "login page")),
    "garbage-instead-of-http": Case(lambda: Reply(raw=raw_bytes(b"\x16\x03\x01\x00\xffSSH-2.0-garbage\x00\r\n\r\n")),
                                    "server.protocol_error", ("broke the HTTP protocol",)),
    "close-without-answer": Case(lambda: Reply(raw=close_without_answer()), "server.protocol_error",
                                 ("disconnected without sending a response",)),
}
TIMEOUT = 2.0  # per operation; the drip (1 byte/s) never trips it, the wall-clock cap (3x) does


def _auth(certs: Certs, url: str, timeout: float = TIMEOUT) -> CheckResult:
    target = make_target("openai", url, KEY)
    ctx = make_context(target=target, env={"SSL_CERT_FILE": str(certs.ca_pem)}, timeout=timeout)
    result = AuthCheck().run(ctx)
    assert isinstance(result, CheckResult)
    return result


def _no_key(text: str) -> None:
    assert KEY not in text and KEY[4:-4] not in text


@pytest.mark.parametrize("name", sorted(CASES))
def test_auth_check_survives(name: str, certs: Certs, https_server: Callable[..., HttpServer]) -> None:
    case = CASES[name]
    server = https_server(case.reply())
    result = _auth(certs, server.url + "/v1")
    assert codes(result)[0] == case.code, result
    assert result.status is case.status
    message = result.findings[0].message
    for words in case.words:
        assert words in message, message
    assert result.findings[0].hint
    _no_key(json.dumps(result.to_dict()))


def test_drip_ends_at_the_wall_clock_cap(certs: Certs, https_server: Callable[..., HttpServer]) -> None:
    server = https_server(CASES["slow-drip"].reply())
    result = _auth(certs, server.url + "/v1", timeout=1.5)
    assert codes(result) == ["net.read_timeout"]
    assert "no complete answer within 4.5 s" in result.findings[0].message
    assert "raise --timeout" in result.findings[0].hint


def test_redirect_loop_stops(certs: Certs, https_server: Callable[..., HttpServer]) -> None:
    server = https_server(lambda req: Reply(302, {"location": req.path}))
    result = _auth(certs, server.url + "/v1")
    assert codes(result) == ["endpoint.redirect"]
    assert "too many redirects within the same host" in result.findings[0].message
    assert 2 <= len(server.requests) <= 5  # the request and a few same-origin hops, never a loop


def test_redirect_to_another_host_never_carries_the_key(certs: Certs,
                                                        https_server: Callable[..., HttpServer]) -> None:
    other = https_server(Reply.json(200, {"data": [{"id": "gpt-4o"}]}), host="127.0.0.1")
    first = https_server(lambda req: Reply(307, {"location": other.url + req.path}))
    result = _auth(certs, first.url + "/v1")
    assert codes(result) == ["endpoint.redirect"]
    assert other.url in result.findings[0].message and "not followed" in result.findings[0].message
    assert other.requests == []
    assert first.requests[0].headers["authorization"] == f"Bearer {KEY}"


# --- the whole CLI ---------------------------------------------------------------------------

_RSS_WRAPPER = (
    "import resource, subprocess, sys\n"
    "proc = subprocess.run(sys.argv[2:])\n"
    "kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "open(sys.argv[1], 'w').write(str(kib))\n"
    "sys.exit(proc.returncode)\n"
)


@dataclass
class Measured:
    returncode: int
    stdout: str
    stderr: str
    rss_mb: float

    def report(self) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.stdout)
        return data


@pytest.fixture
def measured_cli(cli_env: Callable[..., dict[str, str]], tmp_path: Path) -> Callable[..., Measured]:
    """Runs the CLI in a fresh parent that reports the CLI's peak RSS; fails on a loopback violation."""

    def run(*args: str, env: dict[str, str] | None = None, stdin: str = "") -> Measured:
        full_env = cli_env(**(env or {}))
        rss_file = tmp_path / "rss.txt"
        argv = [sys.executable, "-c", _RSS_WRAPPER, str(rss_file), sys.executable, "-m", "llmdoctor", *args]
        proc = subprocess.run(argv, env=full_env, input=stdin, capture_output=True, text=True, timeout=90,
                              cwd=os.getcwd(), check=False)
        log = Path(full_env[loopback_guard.LOG_ENV])
        if log.exists() and log.read_text(encoding="utf-8").strip():
            pytest.fail(f"the CLI's traffic left loopback:\n{log.read_text(encoding='utf-8')}")
        return Measured(proc.returncode, proc.stdout, proc.stderr, int(rss_file.read_text()) / 1024)

    return run


def _results(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    [target] = report["targets"]
    return {r["check"]: r for r in target["results"]}


def cli_against(measured_cli: Callable[..., Measured], certs: Certs, url: str, *extra: str) -> Measured:
    return measured_cli("--provider", "openai", "--base-url", url, "--api-key", "-", "--timeout", str(TIMEOUT),
                        "--json", *extra, env={"SSL_CERT_FILE": str(certs.ca_pem)}, stdin=KEY + "\n")


def _assert_clean(run: Measured) -> dict[str, Any]:
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert run.returncode in (0, 1), run.stderr
    report = run.report()
    assert report["exit_code"] == run.returncode
    errored = [r["check"] for r in _results(report).values() if r["status"] == "error"]
    assert errored == [], errored
    assert run.rss_mb < MAX_RSS_MB, f"peak RSS {run.rss_mb:.0f} MB"
    _no_key(run.stdout + run.stderr)
    return report


@pytest.mark.parametrize("name", sorted(CASES))
def test_cli_survives(name: str, certs: Certs, https_server: Callable[..., HttpServer],
                      measured_cli: Callable[..., Measured]) -> None:
    case = CASES[name]
    server = https_server(case.reply())
    run = cli_against(measured_cli, certs, server.url + "/v1")
    report = _assert_clean(run)
    auth = _results(report)["auth"]
    assert auth["status"] == case.status.value
    finding = auth["findings"][0]
    assert finding["code"] == case.code
    for words in case.words:
        assert words in finding["message"], finding
    if case.status is Status.FAIL:
        assert run.returncode == 1
        assert case.code in {c["id"] for c in report["causes"]}


def test_cli_redirect_loop_and_foreign_redirect(certs: Certs, https_server: Callable[..., HttpServer],
                                                measured_cli: Callable[..., Measured]) -> None:
    loop = https_server(lambda req: Reply(301, {"location": req.path}))
    report = _assert_clean(cli_against(measured_cli, certs, loop.url + "/v1"))
    assert _results(report)["auth"]["findings"][0]["code"] == "endpoint.redirect"

    other = https_server(Reply.json(200, {"data": [{"id": "gpt-4o"}]}))
    first = https_server(lambda req: Reply(302, {"location": other.url + "/v1/models"}))
    report = _assert_clean(cli_against(measured_cli, certs, first.url + "/v1", "--probe-completion"))
    finding = _results(report)["auth"]["findings"][0]
    assert finding["code"] == "endpoint.redirect" and "not followed" in finding["message"]
    assert other.requests == []  # no check of the run ever reached the other host
    assert all(not {"authorization", "x-api-key"} & set(r.headers) for r in other.requests)


def test_cli_plain_garbage_port(certs: Certs, measured_cli: Callable[..., Measured]) -> None:
    """A port that answers garbage before any TLS: the TLS check names it, auth is blocked, no crash."""
    with GarbageServer(b"HELLO I AM NOT TLS OR HTTP\r\n" * 10) as server:
        run = cli_against(measured_cli, certs, f"https://127.0.0.1:{server.port}/v1")
    report = _assert_clean(run)
    results = _results(report)
    assert results["tls"]["status"] == "fail"
    assert results["tls"]["findings"][0]["code"] == "tls.protocol_mismatch"
    assert results["auth"]["status"] == "skip"
    assert run.returncode == 1


def test_every_request_the_server_saw_was_bounded(certs: Certs, https_server: Callable[..., HttpServer],
                                                  measured_cli: Callable[..., Measured]) -> None:
    """A compression bomb asked of every API request of a run (auth, models, completion)."""
    seen: list[Request] = []

    def bomb(req: Request) -> Reply:
        seen.append(req)
        return gzip_bomb(10)

    server = https_server(bomb)
    run = cli_against(measured_cli, certs, server.url + "/v1", "--probe-completion", "--model", "gpt-4o-mini")
    report = _assert_clean(run)
    assert len(seen) >= 1
    assert _results(report)["auth"]["findings"][0]["code"] == "endpoint.not_an_api"
