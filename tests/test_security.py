"""Where the key may go, and that no report ever carries a key or a proxy password.

- Plain http:// to a host that is not loopback gets no key without --allow-insecure. The host name
  is made to look remote with `--resolve api.example.test:PORT:127.0.0.1`, so traffic stays on
  loopback while `is_local_host` sees a remote name.
- The key goes to the configured origin only: not across a redirect, and the region probe only
  between one vendor's official hosts.
- Everything the CLI writes (stdout, stderr, --output .json and .md) passes a secret scan, even
  when the server echoes the key back (body and headers) and the proxy echoes Proxy-Authorization.
"""

from __future__ import annotations

import base64
import socket
import socketserver
import subprocess
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e import secretscan
from helpers import codes, make_context, make_target, run_check
from peers import Certs, HttpServer, Reply, Request
from peers.fakeapi import FakeApi, key_for

from checks.auth import AuthCheck
from checks.completion import CompletionCheck
from llmdoctor.model import Status

KEY = "sk-proj-SECURITYcanary0123456789abcdefghijklmnopQRSTuvwxyz"
HOST = "api.example.test"  # never resolved: --resolve pins it to 127.0.0.1
PROXY_USER = "alice"
PROXY_PASSWORD = "pr0xy p@ss:CANARY/9x"  # space, @, : and / all need quoting in a URL


def _carries_key(req: Request, key: str = KEY) -> bool:
    text = "\n".join([req.path, *(f"{k}: {v}" for k, v in req.headers.items()), req.body.decode("latin-1")])
    return key in text or key[8:-4] in text


def _models() -> Reply:
    return Reply.json(200, {"object": "list", "data": [{"id": "gpt-4o-mini", "object": "model"}]})


# --- plain http to a remote-looking host ---------------------------------------------------------


def _remote_http(server: HttpServer) -> tuple[str, str]:
    return f"http://{HOST}:{server.port}/v1", f"{HOST}:{server.port}:127.0.0.1"


def test_cli_sends_no_key_over_plain_http_without_allow_insecure(
        http_server: Callable[..., HttpServer], run_cli: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    server = http_server(lambda req: _models())
    base, pin = _remote_http(server)
    args = ("--provider", "openai", "--base-url", base, "--resolve", pin, "--api-key", "-", "--probe-completion",
            "--model", "gpt-4o-mini", "--json")
    refused = run_cli(*args, input=KEY + "\n")
    assert refused.returncode == 1, refused.stderr
    assert not any(_carries_key(r) for r in server.requests)
    assert all("authorization" not in r.headers for r in server.requests)
    assert '"config.insecure_http"' in refused.stdout and "--allow-insecure" in refused.stdout

    allowed = run_cli(*args, "--allow-insecure", input=KEY + "\n")
    assert allowed.returncode in (0, 1), allowed.stderr
    keyed = [r for r in server.requests if _carries_key(r)]
    assert [r.path for r in keyed] == ["/v1/models", "/v1/chat/completions"]
    assert keyed[0].headers["authorization"] == f"Bearer {KEY}" and keyed[0].host == f"{HOST}:{server.port}"
    for proc in (refused, allowed):
        assert secretscan.scan(proc.stdout + proc.stderr, canaries=[KEY]) == []


@pytest.mark.parametrize("style", ["openai", "anthropic"])
def test_checks_refuse_plain_http_to_a_remote_host(style: str, http_server: Callable[..., HttpServer]) -> None:
    """Both checks that send the key refuse on their own, whatever ran before them."""
    server = http_server(lambda req: _models())
    base, _pin = _remote_http(server)
    target = make_target(style, base if style == "openai" else base.removesuffix("/v1"), KEY, model="m")
    resolve = {(HOST, server.port): "127.0.0.1"}
    for check in (AuthCheck, CompletionCheck):
        result = run_check(check, make_context(target=target, resolve=resolve, probe_completion=True))
        assert codes(result) == ["config.insecure_http"], (check.name, result)
    assert server.requests == []


def test_plain_http_to_loopback_is_allowed(http_server: Callable[..., HttpServer]) -> None:
    server = http_server(lambda req: _models())
    for host in ("127.0.0.1", "localhost"):
        target = make_target("openai", f"http://{host}:{server.port}/v1", KEY)
        result = run_check(AuthCheck, make_context(target=target))
        assert result.status is Status.PASS, result
    assert [r.host for r in server.requests] == [f"127.0.0.1:{server.port}", f"localhost:{server.port}"]
    assert all(_carries_key(r) for r in server.requests)


# --- the key stays with the configured origin ----------------------------------------------------


def test_redirects_to_another_host_get_no_key_from_any_check(
        certs: Certs, https_server: Callable[..., HttpServer],
        run_cli: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    other = https_server(lambda req: _models())
    elsewhere = https_server(lambda req: Reply(308, {"location": other.url + req.path}))
    proc = run_cli("--provider", "openai", "--base-url", elsewhere.url + "/v1", "--api-key", "-", "--json",
                   "--probe-completion", "--model", "gpt-4o-mini", env={"SSL_CERT_FILE": str(certs.ca_pem)},
                   input=KEY + "\n")
    assert proc.returncode == 1, proc.stderr
    assert other.requests == []
    assert elsewhere.requests and all(_carries_key(r) for r in elsewhere.requests)
    assert secretscan.scan(proc.stdout + proc.stderr, canaries=[KEY]) == []


def test_region_probe_only_between_the_vendors_official_hosts(certs: Certs, run_cli: Any) -> None:
    """A moonshot key rejected by api.moonshot.cn is tried at api.moonshot.ai and nowhere else.

    Only the two official names are pinned: a request to any other name would need a system lookup,
    which the loopback guard turns into a failure of this test.
    """
    with FakeApi(certs) as api:
        pins = [f"api.moonshot.cn:{api.port}:127.0.0.1", f"api.moonshot.ai:{api.port}:127.0.0.1"]
        proc = run_cli("--provider", "moonshot", "--base-url", f"https://api.moonshot.cn:{api.port}/v1",
                       "--resolve", pins[0], "--resolve", pins[1], "--api-key", "-", "--json",
                       env={"SSL_CERT_FILE": str(certs.ca_pem)}, input=key_for("intl") + "\n")
        hosts = {r.host for r in api.requests if _carries_key(r, key_for("intl"))}
    assert proc.returncode == 1, proc.stderr
    assert hosts == {f"api.moonshot.cn:{api.port}", f"api.moonshot.ai:{api.port}"}
    assert '"auth.wrong_region"' in proc.stdout


def test_no_region_probe_from_a_relay(certs: Certs, run_cli: Any) -> None:
    with FakeApi(certs) as api:
        proc = run_cli("--provider", "moonshot", "--base-url", api.url, "--api-key", "-", "--json",
                       env={"SSL_CERT_FILE": str(certs.ca_pem)}, input=key_for("intl") + "\n")
        hosts = {r.host for r in api.requests}
    assert proc.returncode == 1, proc.stderr
    assert hosts == {f"127.0.0.1:{api.port}"}


# --- echoes: the server and the proxy send the secret back ---------------------------------------


def _echo_key(req: Request) -> Reply:
    """A relay that quotes the whole key back, in the body and in headers (some do)."""
    sent = req.headers.get("authorization", "").removeprefix("Bearer ") or req.headers.get("x-api-key", "")
    quoted = urllib.parse.quote(sent, safe="")
    body = {"error": {"message": f"Incorrect API key provided: {sent}. Header was 'Authorization: Bearer {sent}', "
                                 f"url-quoted {quoted}, as Basic {base64.b64encode(f'user:{sent}'.encode()).decode()}",
                      "type": "invalid_request_error", "code": "invalid_api_key"}}
    headers = {"x-request-id": sent, "www-authenticate": f'Bearer realm="relay", error="invalid_token", token="{sent}"',
               "x-echo-authorization": f"Bearer {sent}", "location": f"https://relay.example/keys?k={quoted}"}
    return Reply.json(401, body, headers)


class EchoProxy:
    """An HTTP proxy that answers 407 and echoes the Proxy-Authorization it got everywhere it can:
    the reason phrase, Proxy-Authenticate, another header and the body (raw and decoded)."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        outer = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                sock: socket.socket = self.request
                sock.settimeout(5)
                data = b""
                while b"\r\n\r\n" not in data and len(data) < 65536:
                    chunk = sock.recv(4096)
                    if not chunk:
                        return
                    data += chunk
                head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
                outer.seen.append(head)
                auth = next((line.split(":", 1)[1].strip() for line in head.split("\r\n")[1:]
                             if line.lower().startswith("proxy-authorization:")), "none")
                token = auth.split(" ", 1)[-1]
                try:
                    decoded = base64.b64decode(token).decode("utf-8", "replace")
                except ValueError:
                    decoded = token
                body = f"denied: you sent {auth} ({decoded})\n".encode()
                sock.sendall((f"HTTP/1.1 407 Denied {auth}\r\n"
                              f"Proxy-Authenticate: Basic realm=\"echo {token}\"\r\n"
                              f"X-Echo: {decoded}\r\nContent-Type: text/plain\r\n"
                              f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode("latin-1") + body)

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    def url(self) -> str:
        user, password = (urllib.parse.quote(v, safe="") for v in (PROXY_USER, PROXY_PASSWORD))
        return f"http://{user}:{password}@127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def echo_proxy() -> Iterator[EchoProxy]:
    proxy = EchoProxy()
    yield proxy
    proxy.stop()


def _all_forms(secret: str, user: str) -> list[str]:
    quoted = urllib.parse.quote(secret, safe="")
    return [secret, quoted, urllib.parse.quote_plus(secret), secret[4:-4],
            base64.b64encode(f"{user}:{secret}".encode()).decode().rstrip("="),
            base64.b64encode(f"{urllib.parse.quote(user, safe='')}:{quoted}".encode()).decode().rstrip("=")]


def _outputs(run_cli: Any, tmp: Path, args: tuple[str, ...], env: dict[str, str]) -> dict[str, str]:
    """stdout/stderr of a --json run, of a terminal run and of a Chinese one, and the saved reports."""
    seen: dict[str, str] = {}
    for view, extra in (("json", ("--json", "--output", str(tmp / "r.json"))),
                        ("terminal", ("--output", str(tmp / "r.md"))),
                        ("zh terminal", ("--lang", "zh", "--output", str(tmp / "r.html")))):
        proc = run_cli(*args, *extra, env=env, input=KEY + "\n")
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr
        seen[f"{view} stdout"], seen[f"{view} stderr"] = proc.stdout, proc.stderr
    seen["r.json"] = (tmp / "r.json").read_text(encoding="utf-8")
    seen["r.md"] = (tmp / "r.md").read_text(encoding="utf-8")
    seen["r.html"] = (tmp / "r.html").read_text(encoding="utf-8")
    return seen


def _assert_no_secrets(outputs: dict[str, str]) -> None:
    leaks = [leak for where, text in outputs.items()
             for leak in secretscan.scan(text, canaries=[KEY, PROXY_PASSWORD], where=where, marks=["CANARY"])]
    assert leaks == [], "\n".join(map(str, leaks))
    for where, text in outputs.items():
        for form in _all_forms(KEY, "user") + _all_forms(PROXY_PASSWORD, PROXY_USER):
            assert form not in text, f"{where} holds {form!r}"


def test_a_server_that_echoes_the_key_leaks_nothing(certs: Certs, https_server: Callable[..., HttpServer],
                                                    run_cli: Any, tmp_path: Path) -> None:
    server = https_server(_echo_key)
    outputs = _outputs(run_cli, tmp_path, ("--provider", "openai", "--base-url", server.url + "/v1",
                                           "--api-key", "-", "--probe-completion", "--model", "gpt-4o-mini"),
                       {"SSL_CERT_FILE": str(certs.ca_pem)})
    assert server.requests and all(_carries_key(r) for r in server.requests)  # the echo really happened
    assert '"auth.invalid_key"' in outputs["r.json"]
    _assert_no_secrets(outputs)


def test_a_proxy_that_echoes_proxy_authorization_leaks_nothing(certs: Certs, echo_proxy: EchoProxy,
                                                               run_cli: Any, tmp_path: Path) -> None:
    env = {"SSL_CERT_FILE": str(certs.ca_pem), "HTTPS_PROXY": echo_proxy.url()}
    outputs = _outputs(run_cli, tmp_path, ("--provider", "openai", "--base-url", "https://127.0.0.1:9/v1",
                                           "--api-key", "-"), env)
    basic = base64.b64encode(f"{PROXY_USER}:{PROXY_PASSWORD}".encode()).decode()
    assert any(f"Proxy-Authorization: Basic {basic}" in head for head in echo_proxy.seen)  # it did echo
    assert '"proxy.auth_failed"' in outputs["r.json"]
    _assert_no_secrets(outputs)


def test_the_scanner_catches_what_it_should() -> None:
    """The scan above can fail: every form a leak could take is found."""
    basic = base64.b64encode(f"{PROXY_USER}:{PROXY_PASSWORD}".encode()).decode()
    for text in (KEY, f"Authorization: Bearer {KEY[8:]}", f"Proxy-Authorization: Basic {basic}",
                 urllib.parse.quote(PROXY_PASSWORD, safe=""), "token CANARY here"):
        assert secretscan.scan(text, canaries=[KEY, PROXY_PASSWORD], marks=["CANARY"]), text
    assert secretscan.scan("sk-proj-…wxyz and alice:***@127.0.0.1", canaries=[KEY, PROXY_PASSWORD]) == []
