"""`llmdoctor explain` through the real CLI: what a user pastes, what they read, the exit code."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

GUARD = str(Path(__file__).parent / "guard")
KEY = "sk-proj-PastedKeyCanary0123456789abcdefghijkLMNO"


def _explain(args: list[str], stdin: bytes | None = None, lang: str = "C.UTF-8") -> subprocess.CompletedProcess[bytes]:
    env = {"PATH": os.environ.get("PATH", ""), "LANG": lang, "PYTHONPATH": GUARD, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "llmdoctor", "explain", *args], input=stdin, capture_output=True,
                          env=env, timeout=60)


@pytest.mark.parametrize("pasted,cause", [
    ("openai.RateLimitError: Error code: 429 - {'error': {'message': 'You exceeded your current quota, please "
     "check your plan and billing details.', 'type': 'insufficient_quota', 'param': None, "
     "'code': 'insufficient_quota'}}", "quota.insufficient"),
    ("anthropic.InternalServerError: Error code: 529 - {'type': 'error', 'error': {'type': 'overloaded_error', "
     "'message': 'Overloaded'}}", "server.overloaded"),
    ("httpx.ProxyError: 407 Proxy Authentication Required", "proxy.auth_failed"),
    ("curl: (60) SSL certificate problem: self-signed certificate in certificate chain", "tls.intercepted"),
    ("requests.exceptions.ConnectionError: [Errno 11001] getaddrinfo failed", "dns.failure"),
    ('{"error":{"message":"当前分组上游负载已饱和，请稍后再试 (request id: 2024)","type":"new_api_error"}}',
     "ratelimit.relay_saturated"),
])
def test_recognised_errors_name_the_cause_and_exit_1(pasted: str, cause: str) -> None:
    result = _explain(["--json", pasted])
    assert result.returncode == 1, result.stderr  # a problem was found, as in a run
    data = json.loads(result.stdout)
    assert data["recognised"] is True
    assert data["healthy"] is False and data["exit_code"] == 1
    assert data["causes"][0]["id"] == cause
    assert data["causes"][0]["fix"]


def test_stdin_and_terminal_view() -> None:
    result = _explain(["-"], stdin=b"openai.AuthenticationError: Error code: 401 - {'error': {'message': "
                                   b"'Incorrect API key provided: sk-proj-****LMNO.', 'code': 'invalid_api_key'}}")
    assert result.returncode == 1
    out = result.stdout.decode()
    assert "auth.invalid_key" in out and "Fix:" in out


def test_unrecognised_text_says_so_and_exits_0() -> None:
    result = _explain(["the cat sat on the mat"])
    assert result.returncode == 0  # no problem found; `recognised` says why
    data = json.loads(_explain(["--json", "the cat sat on the mat"]).stdout)
    assert data["recognised"] is False and data["healthy"] is True and data["exit_code"] == 0
    assert "Not recognised. Run llmdoctor for a live diagnosis" in result.stdout.decode()


def test_chinese_output_from_lang() -> None:
    result = _explain(["httpx.ConnectTimeout: timed out"], lang="zh_CN.UTF-8")
    assert result.returncode == 1
    assert "解决办法" in result.stdout.decode()


def test_random_bytes_and_huge_input_never_crash() -> None:
    for blob in (os.urandom(4096), b"\xff\xfe" * 10, b"A" * 3_000_000):
        result = _explain(["-"], stdin=blob)
        assert result.returncode in (0, 1), result.stderr
        assert b"Traceback" not in result.stderr


@pytest.mark.parametrize("stdin", [b"", b"  \n\t\n"])
def test_empty_input_is_a_usage_error(stdin: bytes) -> None:
    result = _explain(["-"], stdin=stdin)
    assert result.returncode == 2
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and "nothing to explain: the input is empty" in lines[0], lines
    assert result.stdout == b""


def test_a_key_in_the_pasted_text_is_not_echoed() -> None:
    pasted = f"openai.AuthenticationError: Error code: 401 - {{'error': {{'message': 'Incorrect API key " \
             f"provided: {KEY}. You can find your API key at https://platform.openai.com/account/api-keys.', " \
             f"'code': 'invalid_api_key'}}}}"
    for args in (["--json", pasted], [pasted]):
        result = _explain(args)
        assert KEY.encode() not in result.stdout + result.stderr


def test_a_text_that_does_not_name_its_cause_says_so_lists_candidates_and_exits_1() -> None:
    """The README's headline example: no weak guess as the verdict, the candidates and what tells them apart."""
    result = _explain(["openai.APIConnectionError: Connection error."])
    assert result.returncode == 1
    out = result.stdout.decode()
    assert "This text alone does not tell; run `llmdoctor` where the call fails." in out
    assert "net.connect_timeout" in out and "proxy.unreachable" in out and "What would show it:" in out
    data = json.loads(_explain(["--json", "openai.APIConnectionError: Connection error."]).stdout)
    assert data["ambiguous"] is True and data["recognised"] is False and data["exit_code"] == 1
    assert all(c["tells"] for c in data["causes"])


def test_ambiguity_in_chinese() -> None:
    result = _explain(["TypeError: fetch failed"], lang="zh_CN.UTF-8")
    assert result.returncode == 1
    assert "仅凭这段文字无法判断" in result.stdout.decode()


def test_on_a_terminal_explain_dash_prompts_and_reads_until_ctrl_d() -> None:
    import pty

    from helpers import read_pty

    master, slave = pty.openpty()
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "NO_COLOR": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "llmdoctor", "explain", "-"], stdin=slave, stdout=slave,
                            stderr=slave, env=env, close_fds=True)
    os.close(slave)
    seen = read_pty(master, proc, answer=lambda drawn: b"httpx.ProxyError: 407 Proxy Authentication Required\n\x04"
                    if b"Ctrl-D" in drawn else None)
    proc.wait(timeout=30)
    os.close(master)
    text = seen.decode("utf-8", "replace")
    assert "Paste the error, then press Ctrl-D" in text
    assert "proxy.auth_failed" in text and proc.returncode == 1


def test_no_prompt_when_the_input_is_piped() -> None:
    result = _explain(["-"], stdin=b"httpx.ProxyError: 407 Proxy Authentication Required")
    assert b"Paste the error" not in result.stderr + result.stdout
