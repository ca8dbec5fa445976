"""`llmdoctor env` through the real CLI (a guarded subprocess): exit codes, the text a user sees, --json."""

from __future__ import annotations

import json
import re
import socket
import subprocess
from collections.abc import Callable, Iterator

import pytest

RunCli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def open_port() -> Iterator[int]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield int(server.getsockname()[1])
    server.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_clean_environment(run_cli: RunCli) -> None:
    proc = run_cli("env", "--ports", str(_free_port()))
    assert proc.returncode == 0, proc.stderr
    assert "Proxy variables\n  (none set)" in proc.stdout
    assert "openai -> https://api.openai.com/v1" in proc.stdout
    # the SDKs' stack: httpx, or httpx2 where openai>=3 / anthropic>=2 are installed (the test extra has them)
    assert re.search(r"httpx2? \(SDKs\)\s+direct \(no proxy\)", proc.stdout), proc.stdout
    assert "No problems found in the proxy environment." in proc.stdout


def test_json_for_a_url_with_a_proxy(run_cli: RunCli, open_port: int) -> None:
    proxy = f"http://127.0.0.1:{open_port}"
    proc = run_cli("env", "https://api.openai.com/v1", "--json", "--no-scan",
                   env={"HTTPS_PROXY": proxy, "NO_PROXY": "localhost,10.0.0.0/8"})
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["schema_version"] == "1.1" and data["kind"] == "env" and data["status"] == "warn"
    assert data["variables"] == {"HTTPS_PROXY": proxy, "NO_PROXY": "localhost,10.0.0.0/8"}
    clients = {c["client"]: c for c in data["targets"][0]["clients"]}
    assert clients["httpx"]["proxy"] == proxy and clients["httpx"]["source"] == "env:HTTPS_PROXY"
    assert clients["curl"]["proxy"] == proxy and clients["requests"]["proxy"] == proxy
    assert [e["entry"] for e in data["no_proxy_entries"]] == ["localhost", "10.0.0.0/8"]
    assert any("CIDR" in f["message"] for f in data["findings"])
    assert data["scanned"] is False


def test_fail_exits_1_and_never_prints_the_password(run_cli: RunCli) -> None:
    proc = run_cli("env", "https://api.anthropic.com", "--no-scan",
                   env={"HTTPS_PROXY": "socks4://alice:hunter2-secret@127.0.0.1:1080", "SHELL": "/bin/bash"})
    assert proc.returncode == 1, proc.stderr
    assert "FAIL env.proxy_misconfigured" in proc.stdout
    assert "fails: httpx raises ValueError (Unknown scheme for proxy URL)" in proc.stdout
    assert "hunter2-secret" not in proc.stdout + proc.stderr


def test_local_listener_and_fix_commands(run_cli: RunCli, pproxy) -> None:  # type: ignore[no-untyped-def]
    """A real proxy on a port no variable names (a silent socket is not a proxy: issue 13.5)."""
    open_port = pproxy.port
    proc = run_cli("env", "https://api.openai.com/v1", "--ports", str(open_port), env={"SHELL": "/usr/bin/fish"})
    assert proc.returncode == 0, proc.stderr
    assert f"127.0.0.1:{open_port}  mixed" in proc.stdout
    assert "WARN env.proxy_not_configured" in proc.stdout
    assert "Fix commands for fish (printed, not run)" in proc.stdout
    assert f"set -gx HTTPS_PROXY http://127.0.0.1:{open_port}" in proc.stdout


def test_a_silent_port_is_not_listed_as_a_proxy(run_cli: RunCli, open_port: int) -> None:
    proc = run_cli("env", "https://api.openai.com/v1", "--ports", str(open_port))
    assert proc.returncode == 0, proc.stderr
    assert f"127.0.0.1:{open_port}" not in proc.stdout and "env.proxy_not_configured" not in proc.stdout


@pytest.mark.parametrize("args", [("env", "not a url"), ("env", "ftp://example.com"), ("env", "--ports", "x")])
def test_bad_usage_is_one_line_and_exit_2(run_cli: RunCli, args: tuple[str, ...]) -> None:
    proc = run_cli(*args)
    assert proc.returncode == 2
    assert proc.stderr.startswith("llmdoctor: error:") and proc.stderr.count("\n") == 1
    assert "Traceback" not in proc.stderr


def test_default_run_includes_the_proxy_env_check(run_cli: RunCli) -> None:
    port = _free_port()
    proc = run_cli("--only", "proxy-env", "--provider", "openai", "--json",
                   env={"HTTPS_PROXY": f"http://127.0.0.1:{port}"})
    data = json.loads(proc.stdout)
    results = [r for t in data["targets"] for r in t["results"]] if "targets" in data else data["results"]
    mine = next(r for r in results if r["check"] == "proxy-env")
    assert mine["status"] == "fail"
    assert mine["findings"][0]["code"] == "env.proxy_not_listening"
    assert proc.returncode == 1


def test_chinese_text_view_from_lang(run_cli: RunCli) -> None:
    """Fixed words follow LANG, each finding carries its cause's Chinese title; values stay as measured."""
    proc = run_cli("env", "https://api.anthropic.com", "--no-scan",
                   env={"HTTPS_PROXY": "socks4://alice:hunter2-secret@127.0.0.1:1080", "LANG": "zh_CN.UTF-8",
                        "LC_ALL": None})
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.startswith("代理环境变量\n  HTTPS_PROXY = socks4://alice:***@127.0.0.1:1080")
    assert "127.0.0.1 上的本地代理\n  （未扫描）" in proc.stdout
    assert "经由 socks4://alice:***@127.0.0.1:1080（env:HTTPS_PROXY）" in proc.stdout
    assert "失败   env.proxy_misconfigured (代理环境变量格式有误)：HTTPS_PROXY=socks4://" in proc.stdout
    assert "hunter2" not in proc.stdout + proc.stderr


def test_lang_option_overrides_the_locale(run_cli: RunCli) -> None:
    proc = run_cli("env", "--ports", str(_free_port()), "--lang", "en", env={"LANG": "zh_CN.UTF-8", "LC_ALL": None})
    assert proc.returncode == 0, proc.stderr
    assert "Proxy variables\n  (none set)" in proc.stdout
    assert "No problems found in the proxy environment." in proc.stdout
    zh = run_cli("env", "--ports", str(_free_port()), "--lang", "zh")
    assert "代理环境中未发现问题。" in zh.stdout


def test_an_unreadable_dotenv_is_a_finding(run_cli: RunCli) -> None:
    """The run's cwd is the test's tmp dir; /proc/self/mem fails to read (EIO) even for root."""
    from pathlib import Path

    if not Path("/proc/self/mem").exists():
        pytest.skip("needs Linux's /proc/self/mem")
    Path(".env").symlink_to("/proc/self/mem")
    proc = run_cli("env", "--json", "--no-scan")
    assert proc.returncode == 0, proc.stderr  # a warning: the variables it would set were not seen
    data = json.loads(proc.stdout)
    found = [f for f in data["findings"] if f["code"] == "config.dotenv_unreadable"]
    assert data["status"] == "warn" and found and "Input/output error" in found[0]["message"]
    text = run_cli("env", "--no-scan").stdout
    assert "config.dotenv_unreadable" in text and "chmod 600 .env" in text
