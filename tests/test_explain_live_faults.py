"""What real clients print in real faults, piped into the real `llmdoctor explain -`, names the fault.

The same loop as benchmarks/corpus_faults.py, for a handful of faults: the client (the official openai
SDK, sync and async, in its own interpreter; curl; Node's fetch) calls a real loopback peer (a closed
port, tinyproxy with a wrong password, a TLS server whose certificate comes from another CA, a server
that accepts and never answers, the fake API answering 429 insufficient_quota), its whole output goes to
the CLI on standard input, and the test checks the cause the CLI names and its exit code. Nothing is
timed: a Ctrl-C is sent once the silent peer has the client's connection.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from peers import BlackholeServer, HttpServer, Reply, ResetServer, SynDropServer, closed_port
from peers.fakeapi import FakeApi, key_for
from peers.raw import ClosingConnectProxy, connecting_to

WAIT = 30.0  # a bound on every wait, never an assertion
OPENAI_SCRIPT = """\
from openai import OpenAI

client = OpenAI(max_retries=0)
response = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Say OK"}])
print(response.choices[0].message.content)
"""

ASYNC_SCRIPT = """\
import asyncio

from openai import AsyncOpenAI


async def main() -> None:
    client = AsyncOpenAI(max_retries=0)
    response = await client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "OK"}])
    print(response.choices[0].message.content)


asyncio.run(main())
"""

Run = Callable[..., subprocess.CompletedProcess[str]]


def _has_openai() -> bool:
    return subprocess.run([sys.executable, "-c", "import openai"], capture_output=True, timeout=60).returncode == 0


requires_openai = pytest.mark.skipif(not _has_openai(), reason="the openai SDK is not installed (pip install openai)")
requires_curl = pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed (apt-get install curl)")
requires_node = pytest.mark.skipif(shutil.which("node") is None,
                                   reason="node is not installed (apt-get install nodejs)")
FETCH_SCRIPT = """\
const res = await fetch(`${process.env.OPENAI_BASE_URL}/chat/completions`, {
  method: "POST",
  headers: { "Content-Type": "application/json", Authorization: `Bearer ${process.env.OPENAI_API_KEY}` },
  body: JSON.stringify({ model: "gpt-4o-mini", messages: [{ role: "user", content: "Say OK" }] }),
});
console.log(await res.json());
"""


def run_openai(tmp_path: Path, env: Mapping[str, str], *, interrupt_when: Callable[[], bool] | None = None,
               source: str = OPENAI_SCRIPT) -> str:
    """The openai SDK's whole output for one chat call; with `interrupt_when`, Ctrl-C once that is true."""
    script = tmp_path / "chat.py"
    script.write_text(source)
    proc = subprocess.Popen([sys.executable, str(script)], env=dict(env), cwd=tmp_path, stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        if interrupt_when is not None:
            deadline = time.monotonic() + WAIT
            while not interrupt_when() and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.02)
            time.sleep(0.3)  # from accept() to the blocking read is a few calls; no timing is asserted
            proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=WAIT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode != 0, out
    return out


def run_fetch(tmp_path: Path, env: Mapping[str, str]) -> str:
    """Node's fetch, uncaught: node prints the TypeError and its [cause]."""
    script = tmp_path / "chat.mjs"
    script.write_text(FETCH_SCRIPT)
    done = subprocess.run(["node", str(script)], env=dict(env), capture_output=True, text=True, timeout=WAIT,
                          check=False)
    assert done.returncode != 0, done.stdout
    return done.stdout + done.stderr


def run_curl(url: str, env: Mapping[str, str], *extra: str) -> str:
    body = json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Say OK"}]})
    done = subprocess.run(["curl", "-sS", *extra, f"{url}/chat/completions", "-H", "Content-Type: application/json",
                           "-H", f"Authorization: Bearer {env.get('OPENAI_API_KEY', 'sk-test')}", "-d", body],
                          env=dict(env), capture_output=True, text=True, timeout=WAIT, check=False)
    return done.stdout + done.stderr


def explained(run_cli: Run, output: str) -> tuple[int, dict[str, Any]]:
    """Exit code and JSON of `llmdoctor explain --json -` reading `output` from standard input."""
    proc = run_cli("explain", "--json", "-", input=output)
    return proc.returncode, json.loads(proc.stdout)


def top(result: dict[str, Any]) -> str:
    assert result["recognised"] and not result["ambiguous"], result
    return str(result["causes"][0]["id"])


def guessed_among(result: dict[str, Any], cause: str) -> bool:
    """A text that cannot tell its cause apart (an unknown issuer: interception, a private CA, a missing
    bundle) is answered as a guess ("Most likely …; to confirm: …"), the real cause among the first three."""
    return bool(result.get("likely") or result["ambiguous"]) and cause in [c["id"] for c in result["causes"][:3]]


@pytest.fixture
def client_env(cli_env: Callable[..., dict[str, str]], certs: Any) -> Callable[..., dict[str, str]]:
    """The guarded environment of the CLI tests, trusting only the test CA, with a fake key."""

    def make(**extra: str) -> dict[str, str]:
        ca = str(certs.ca_pem)
        return cli_env(**{"SSL_CERT_FILE": ca, "CURL_CA_BUNDLE": ca, "OPENAI_API_KEY": key_for("good"), **extra})

    return make


# --- a closed port -------------------------------------------------------------------------------------------


@requires_openai
def test_openai_sdk_at_a_closed_port(tmp_path: Path, client_env: Callable[..., dict[str, str]],
                                     run_cli: Run) -> None:
    output = run_openai(tmp_path, client_env(OPENAI_BASE_URL=f"http://127.0.0.1:{closed_port()}/v1"))
    assert "openai.APIConnectionError: Connection error." in output
    code, result = explained(run_cli, output)
    assert (code, top(result)) == (1, "net.connect_refused")


@requires_curl
def test_curl_at_a_closed_port(client_env: Callable[..., dict[str, str]], run_cli: Run) -> None:
    output = run_curl(f"http://127.0.0.1:{closed_port()}/v1", client_env())
    assert output.startswith("curl: (7)")
    code, result = explained(run_cli, output)
    assert (code, top(result)) == (1, "net.connect_refused")


@requires_node
def test_node_fetch_at_a_closed_port(tmp_path: Path, client_env: Callable[..., dict[str, str]], run_cli: Run) -> None:
    output = run_fetch(tmp_path, client_env(OPENAI_BASE_URL=f"http://127.0.0.1:{closed_port()}/v1"))
    assert "TypeError: fetch failed" in output and "ECONNREFUSED" in output
    code, result = explained(run_cli, output)
    assert (code, top(result)) == (1, "net.connect_refused")


# --- a proxy that rejects the password (tinyproxy answers CONNECT with 401, not 407) --------------------------


@requires_openai
def test_openai_sdk_through_a_proxy_with_a_wrong_password(tmp_path: Path, client_env: Callable[..., dict[str, str]],
                                                          run_cli: Run, tinyproxy: Any,
                                                          https_server: Callable[..., HttpServer]) -> None:
    api = https_server(Reply.json(200, {}))
    proxy = tinyproxy.url(password="wrong-pass")
    output = run_openai(tmp_path, client_env(OPENAI_BASE_URL=api.url + "/v1", HTTPS_PROXY=proxy))
    assert "401 Unauthorized" in output
    code, result = explained(run_cli, output)
    assert (code, top(result)) == (1, "proxy.auth_failed")
    assert "wrong-pass" not in json.dumps(result)


@requires_curl
def test_curl_through_a_proxy_with_a_wrong_password(client_env: Callable[..., dict[str, str]], run_cli: Run,
                                                    tinyproxy: Any, https_server: Callable[..., HttpServer]) -> None:
    api = https_server(Reply.json(200, {}))
    output = run_curl(api.url + "/v1", client_env(https_proxy=tinyproxy.url(password="wrong-pass")))
    assert "CONNECT tunnel failed, response 401" in output
    code, result = explained(run_cli, output)
    assert (code, top(result)) == (1, "proxy.auth_failed")


# --- a certificate from a CA the client does not trust --------------------------------------------------------


@requires_openai
def test_openai_sdk_at_an_unknown_ca(tmp_path: Path, client_env: Callable[..., dict[str, str]], run_cli: Run,
                                     https_server: Callable[..., HttpServer]) -> None:
    api = https_server(Reply.json(200, {}), kind="unknownca")
    output = run_openai(tmp_path, client_env(OPENAI_BASE_URL=api.url + "/v1"))
    code, result = explained(run_cli, output)
    assert code == 1 and guessed_among(result, "tls.unknown_ca"), result


@requires_curl
def test_curl_at_an_unknown_ca(client_env: Callable[..., dict[str, str]], run_cli: Run,
                               https_server: Callable[..., HttpServer]) -> None:
    api = https_server(Reply.json(200, {}), kind="unknownca")
    output = run_curl(api.url + "/v1", client_env())
    assert output.startswith("curl: (60)")
    code, result = explained(run_cli, output)
    assert code == 1 and guessed_among(result, "tls.unknown_ca"), result


@requires_node
def test_node_fetch_at_an_unknown_ca(tmp_path: Path, client_env: Callable[..., dict[str, str]], run_cli: Run,
                                     https_server: Callable[..., HttpServer], certs: Any) -> None:
    api = https_server(Reply.json(200, {}), kind="unknownca")
    output = run_fetch(tmp_path, client_env(OPENAI_BASE_URL=api.url + "/v1", NODE_EXTRA_CA_CERTS=str(certs.ca_pem)))
    assert "TypeError: fetch failed" in output
    code, result = explained(run_cli, output)
    assert (code, top(result)) == (1, "tls.unknown_ca")


# --- a server that accepts and never answers: Ctrl-C in the SDK, curl's own connect timeout ----------------------


@requires_openai
def test_openai_sdk_interrupted_in_a_silent_handshake(tmp_path: Path, client_env: Callable[..., dict[str, str]],
                                                      run_cli: Run) -> None:
    with BlackholeServer() as hole:
        output = run_openai(tmp_path, client_env(OPENAI_BASE_URL=f"https://127.0.0.1:{hole.port}/v1"),
                            interrupt_when=lambda: hole.accepted > 0)
    assert output.rstrip().endswith("KeyboardInterrupt")
    code, result = explained(run_cli, output)
    assert (code, top(result)) == (1, "net.tls_timeout")


@requires_openai
def test_openai_sdk_interrupted_waiting_for_the_answer(tmp_path: Path, client_env: Callable[..., dict[str, str]],
                                                       run_cli: Run, https_server: Callable[..., HttpServer]) -> None:
    api = https_server(Reply(200, {"content-type": "application/json"}, b"{}", delay=60))
    output = run_openai(tmp_path, client_env(OPENAI_BASE_URL=api.url + "/v1"),
                        interrupt_when=lambda: len(api.requests) > 0)
    assert output.rstrip().endswith("KeyboardInterrupt")
    code, result = explained(run_cli, output)
    assert (code, top(result)) == (1, "net.read_timeout")


@requires_openai
def test_async_openai_sdk_interrupted_in_a_silent_handshake(tmp_path: Path,
                                                            client_env: Callable[..., dict[str, str]],
                                                            run_cli: Run) -> None:
    """asyncio turns Ctrl-C into CancelledError in the awaiting frames, then KeyboardInterrupt."""
    with BlackholeServer() as hole:
        output = run_openai(tmp_path, client_env(OPENAI_BASE_URL=f"https://127.0.0.1:{hole.port}/v1"),
                            interrupt_when=lambda: hole.accepted > 0, source=ASYNC_SCRIPT)
    assert "CancelledError" in output and output.rstrip().endswith("KeyboardInterrupt")
    code, result = explained(run_cli, output)
    assert (code, top(result)) == (1, "net.tls_timeout")


@requires_openai
def test_async_openai_sdk_at_a_closed_port_does_not_tell(tmp_path: Path, client_env: Callable[..., dict[str, str]],
                                                         run_cli: Run) -> None:
    """anyio keeps no errno and the traceback names no address: refused or no route, explain says so."""
    output = run_openai(tmp_path, client_env(OPENAI_BASE_URL=f"http://127.0.0.1:{closed_port()}/v1"),
                        source=ASYNC_SCRIPT)
    assert "All connection attempts failed" in output
    code, result = explained(run_cli, output)
    assert code == 1 and result["ambiguous"], result
    assert {"net.connect_refused", "net.unreachable"} <= {c["id"] for c in result["causes"]}


@requires_curl
def test_curl_connect_timeout_in_a_silent_handshake(client_env: Callable[..., dict[str, str]], run_cli: Run) -> None:
    with BlackholeServer() as hole:
        output = run_curl(f"https://127.0.0.1:{hole.port}/v1", client_env(), "--connect-timeout", "1")
    assert output.startswith("curl: (28)")
    code, result = explained(run_cli, output)
    assert (code, top(result)) == (1, "net.tls_timeout")


@requires_curl
def test_curl_deadline_in_a_silent_handshake_does_not_tell(client_env: Callable[..., dict[str, str]],
                                                           run_cli: Run) -> None:
    """-m prints "Connection timed out after N milliseconds" for a dropped SYN and a silent TLS peer alike."""
    with BlackholeServer() as hole:
        output = run_curl(f"https://127.0.0.1:{hole.port}/v1", client_env(), "-m", "1")
    assert "Connection timed out after" in output
    code, result = explained(run_cli, output)
    assert code == 1 and result["ambiguous"], result
    assert {"net.connect_timeout", "net.tls_timeout"} <= {c["id"] for c in result["causes"]}


# --- 429 insufficient_quota from the API ----------------------------------------------------------------------


@pytest.fixture
def fake_api(certs: Any) -> Any:
    with FakeApi(certs) as api:
        yield api


@requires_openai
def test_openai_sdk_out_of_quota(tmp_path: Path, client_env: Callable[..., dict[str, str]], run_cli: Run,
                                 fake_api: Any) -> None:
    output = run_openai(tmp_path, client_env(OPENAI_BASE_URL=fake_api.url, OPENAI_API_KEY=key_for("quota")))
    assert "RateLimitError: Error code: 429" in output
    code, result = explained(run_cli, output)
    assert (code, top(result)) == (1, "quota.insufficient")


@requires_curl
def test_curl_out_of_quota(client_env: Callable[..., dict[str, str]], run_cli: Run, fake_api: Any) -> None:
    output = run_curl(fake_api.url, client_env(OPENAI_API_KEY=key_for("quota")))
    assert "insufficient_quota" in output
    code, result = explained(run_cli, output)
    assert (code, top(result)) == (1, "quota.insufficient")


def test_a_bare_429_status_line_does_not_tell(run_cli: Run) -> None:
    """requests' raise_for_status() line for the same answer: a rate limit or a quota, the text cannot say."""
    output = ("Traceback (most recent call last):\n  File \"chat.py\", line 7, in <module>\n    r.raise_for_status()\n"
              "requests.exceptions.HTTPError: 429 Client Error: Too Many Requests for url: "
              "https://api.openai.com/v1/chat/completions")
    code, result = explained(run_cli, output)
    assert code == 1 and result["ambiguous"], result
    assert {"ratelimit.exceeded", "quota.insufficient"} <= {c["id"] for c in result["causes"]}



# --- aiohttp (trust_env=True), and faults the other clients meet the same way ---------------------------------

AIOHTTP_SCRIPT = """\
import asyncio
import os

import aiohttp


async def main() -> None:
    url = os.environ["OPENAI_BASE_URL"] + "/chat/completions"
    headers = {"Authorization": "Bearer " + os.environ["OPENAI_API_KEY"]}
    async with aiohttp.ClientSession(trust_env=True) as session:
        async with session.post(url, headers=headers, json={"model": "gpt-4o-mini", "messages": []}) as r:
            r.raise_for_status()
            print((await r.json())["choices"][0]["message"]["content"])


asyncio.run(main())
"""
HTTPX_SCRIPT = """\
import os

import httpx

r = httpx.post(os.environ["OPENAI_BASE_URL"] + "/chat/completions", json={"model": "gpt-4o-mini"}, timeout=60)
print(r.json())
"""


def _has(module: str) -> bool:
    return subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, timeout=60).returncode == 0


requires_aiohttp = pytest.mark.skipif(not _has("aiohttp"), reason="aiohttp is not installed (pip install aiohttp)")


@requires_aiohttp
def test_aiohttp_at_a_handshake_reset(tmp_path: Path, client_env: Callable[..., dict[str, str]], run_cli: Run) -> None:
    """aiohttp keeps the OS's words in brackets: a reset in ClientConnectorError is the TLS handshake cut."""
    with ResetServer() as server:
        output = run_openai(tmp_path, client_env(OPENAI_BASE_URL=f"https://127.0.0.1:{server.port}/v1"),
                            source=AIOHTTP_SCRIPT)
    assert "ClientConnectorError" in output and "[Connection reset by peer]" in output
    code, result = explained(run_cli, output)
    assert (code, top(result)) == (1, "tls.handshake_reset")


@requires_aiohttp
def test_aiohttp_interrupted_in_a_silent_handshake(tmp_path: Path, client_env: Callable[..., dict[str, str]],
                                                   run_cli: Run) -> None:
    """asyncio's _create_connection_transport is the frame that waits for the TLS handshake."""
    with BlackholeServer() as hole:
        output = run_openai(tmp_path, client_env(OPENAI_BASE_URL=f"https://127.0.0.1:{hole.port}/v1"),
                            interrupt_when=lambda: hole.accepted > 0, source=AIOHTTP_SCRIPT)
    assert output.rstrip().endswith("KeyboardInterrupt")
    code, result = explained(run_cli, output)
    assert (code, top(result)) == (1, "net.tls_timeout")


@requires_aiohttp
def test_aiohttp_at_an_html_page(tmp_path: Path, client_env: Callable[..., dict[str, str]], run_cli: Run,
                                 https_server: Callable[..., HttpServer]) -> None:
    page = Reply(200, {"content-type": "text/html; charset=utf-8"}, "<!doctype html><title>New API</title>")
    api = https_server(page)
    output = run_openai(tmp_path, client_env(OPENAI_BASE_URL=api.url), source=AIOHTTP_SCRIPT)
    assert "ContentTypeError" in output
    code, result = explained(run_cli, output)
    assert (code, top(result)) == (1, "endpoint.not_an_api")


@requires_openai
def test_openai_sdk_through_a_proxy_that_closes_the_tunnel(tmp_path: Path, client_env: Callable[..., dict[str, str]],
                                                           run_cli: Run,
                                                           https_server: Callable[..., HttpServer]) -> None:
    """CONNECT answered 200, then the tunnel closed in the TLS handshake: the proxy's upstream, not the API."""
    api = https_server(Reply.json(200, {}))
    with ClosingConnectProxy() as proxy:
        output = run_openai(tmp_path, client_env(OPENAI_BASE_URL=api.url + "/v1",
                                                 HTTPS_PROXY=f"http://127.0.0.1:{proxy.port}"))
    assert "openai.APIConnectionError" in output and "http_proxy.py" in output
    code, result = explained(run_cli, output)
    assert (code, top(result)) == (1, "proxy.upstream_failed")


def test_httpx_interrupted_in_a_tcp_connect(tmp_path: Path, client_env: Callable[..., dict[str, str]],
                                            run_cli: Run) -> None:
    """SYNs dropped: Ctrl-C once the client's socket is in SYN-SENT; the frames name socket.create_connection."""
    with SynDropServer() as drop:
        output = run_openai(tmp_path, client_env(OPENAI_BASE_URL=f"https://127.0.0.1:{drop.port}/v1"),
                            interrupt_when=connecting_to(drop.port), source=HTTPX_SCRIPT)
    assert output.rstrip().endswith("KeyboardInterrupt")
    code, result = explained(run_cli, output)
    assert (code, top(result)) == (1, "net.connect_timeout")
