"""Proxy variable values, case conflicts, misspelled names, shell fix commands and SDK stacks."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest

from llmdoctor.model import Status
from llmdoctor.proxyenv import names, sdks, shells, variables


def _codes_and_severity(name: str, value: str) -> list[tuple[str, Status]]:
    return [(f.code, f.severity) for f in variables.value_findings(name, value)]


@pytest.mark.parametrize(("value", "severity", "words"), [
    ("socks://127.0.0.1:1080", Status.FAIL, "rejects socks://"),
    ("socks4://127.0.0.1:1080", Status.FAIL, "curl reads it as SOCKS4"),
    ('"http://127.0.0.1:7890"', Status.FAIL, "quotes"),
    (" http://127.0.0.1:7890", Status.FAIL, "leading space"),
    ("http://127.0.0.1:abc", Status.FAIL, "bad port"),
    ("http://127.0.0.1:78900", Status.FAIL, "bad port"),
    ("http:/127.0.0.1:7890", Status.FAIL, "missing a slash"),
    ("ftp://127.0.0.1:21", Status.FAIL, "unsupported proxy scheme"),
    ("127.0.0.1:7890", Status.WARN, "no scheme"),
    ("https://127.0.0.1:7890", Status.WARN, "plain HTTP"),
    ("http://127.0.0.1", Status.WARN, "no port"),
    ("http://127.0.0.1:7890/proxy", Status.WARN, "has a path"),
    ("socks5://127.0.0.1:7891", Status.WARN, "resolve it locally"),
])
def test_malformed_values(value: str, severity: Status, words: str) -> None:
    found = variables.value_findings("HTTPS_PROXY", value)
    assert found and found[0].code == "env.proxy_misconfigured"
    assert max(f.severity.severity for f in found) == severity.severity
    assert any(words in f.message for f in found), [f.message for f in found]


@pytest.mark.parametrize("port", [1080, 7891, 10808])
@pytest.mark.parametrize("host", ["127.0.0.1", "proxy.example"])
def test_https_on_a_socks_port_is_told_socks5h_not_http(host: str, port: int) -> None:
    """Clash's socks-port 7891, v2rayN's 10808 and SOCKS's 1080 speak SOCKS5: http:// would fail there too."""
    found = variables.value_findings("HTTPS_PROXY", f"https://{host}:{port}")
    assert [f.severity for f in found] == [Status.WARN]
    assert "SOCKS5" in found[0].message and f"socks5h://{host}:{port}" in found[0].hint
    assert f"http://{host}:{port}" not in found[0].hint and "plain HTTP" not in found[0].message


def test_socks_ports_are_not_plain_http_ports() -> None:
    assert not variables.SOCKS_LOCAL_PORTS & variables.PLAIN_LOCAL_PORTS
    assert {1080, 7891, 10808} <= variables.SOCKS_LOCAL_PORTS


@pytest.mark.parametrize("value", ["http://127.0.0.1:7890", "http://127.0.0.1:7890/", "socks5h://127.0.0.1:1080",
                                   "http://proxy.corp.example:3128", "http://127.0.0.1:7890 ", ""])
def test_good_values_have_no_findings(value: str) -> None:
    assert variables.value_findings("HTTPS_PROXY", value) == []


def test_password_is_never_shown_in_findings() -> None:
    for value in ("https://alice:hunter2-secret@127.0.0.1:7890", "socks4://alice:hunter2-secret@127.0.0.1:1080",
                  "alice:hunter2-secret@127.0.0.1:7890", "socks5://alice:hunter2-secret@10.0.0.1:1080"):
        for f in variables.value_findings("HTTPS_PROXY", value):
            assert "hunter2-secret" not in f.message + f.hint


def test_case_conflicts_say_who_wins() -> None:
    found = variables.case_conflicts({"HTTPS_PROXY": "http://127.0.0.1:7890", "https_proxy": "http://127.0.0.1:1080"})
    assert len(found) == 1 and "lower case wins" in found[0].message
    empty = variables.case_conflicts({"HTTP_PROXY": "http://127.0.0.1:7890", "http_proxy": ""})
    assert "set but empty" in empty[0].message
    assert variables.case_conflicts({"NO_PROXY": "a", "no_proxy": "a"}) == []


@pytest.mark.parametrize(("value", "words"), [
    ("localhost,*", "'*' among other entries"), ("10.0.0.0/8", "CIDR"), ("*.corp.example", "'*.'"),
    ("http://x.example", "has a scheme"),
])
def test_no_proxy_findings(value: str, words: str) -> None:
    found = variables.no_proxy_findings("NO_PROXY", value)
    assert any(words in f.message for f in found), [f.message for f in found]


def test_no_proxy_space_separated() -> None:
    found = variables.no_proxy_findings("NO_PROXY", "localhost 127.0.0.1")
    assert found == [] or "commas" in found[0].hint  # a comma-less list is one entry with a blank
    assert variables.no_proxy_findings("NO_PROXY", "localhost,127.0.0.1,::1") == []


@pytest.mark.parametrize(("name", "right"), [
    ("OPENAI_API_BASE", "OPENAI_BASE_URL"), ("OPENAI_API_HOST", "OPENAI_BASE_URL"), ("OPENAI_KEY", "OPENAI_API_KEY"),
    ("OPENAI_APIKEY", "OPENAI_API_KEY"), ("ANTHROPIC_KEY", "ANTHROPIC_API_KEY"),
    ("CLAUDE_API_KEY", "ANTHROPIC_API_KEY"),
    ("HTTP_PORXY", "HTTP_PROXY"), ("HTTPS-PROXY", "HTTPS_PROXY"), ("HTTPSPROXY", "HTTPS_PROXY"),
    ("https_proxy ", "https_proxy"), ("NO_PORXY", "NO_PROXY"),
])
def test_misspelled_names(name: str, right: str) -> None:
    assert names.suggestion(name) == right
    found = names.misspelled([name], {})
    assert found[0].code == "config.misspelled_variable" and right in found[0].message


@pytest.mark.parametrize("name", ["OPENAI_API_KEY", "HTTPS_PROXY", "https_proxy", "FTP_PROXY", "PATH", "HOME",
                                  "OPENAI_MODEL", "Https_Proxy", "SSL_CERT_DIR", "GIT_PROXY"])
def test_correct_or_unrelated_names_are_left_alone(name: str) -> None:
    assert names.suggestion(name) is None


# --- shells --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("env", "shell"), [
    ({"SHELL": "/bin/bash"}, "bash"), ({"SHELL": "/usr/bin/zsh"}, "zsh"), ({"SHELL": "/usr/bin/fish"}, "fish"),
    ({"PSModulePath": r"C:\Users\me\Documents\PowerShell\Modules;C:\Program Files\PowerShell\Modules",
      "ComSpec": r"C:\Windows\system32\cmd.exe"}, "powershell"),
    ({"PSModulePath": r"C:\Program Files\WindowsPowerShell\Modules", "ComSpec": r"C:\Windows\system32\cmd.exe"}, "cmd"),
    ({}, "bash"),
])
def test_detect_shell(env: dict[str, str], shell: str) -> None:
    assert shells.detect_shell(env) == shell


def test_fix_commands_per_shell() -> None:
    change = {"HTTPS_PROXY": "http://127.0.0.1:7890"}
    assert shells.commands("bash", change) == ["export HTTPS_PROXY=http://127.0.0.1:7890"]
    assert shells.commands("fish", change) == ["set -gx HTTPS_PROXY http://127.0.0.1:7890"]
    assert shells.commands("powershell", change) == ['$env:HTTPS_PROXY = "http://127.0.0.1:7890"']
    assert shells.commands("powershell", change, persist=True) == [
        '[Environment]::SetEnvironmentVariable("HTTPS_PROXY", "http://127.0.0.1:7890", "User")']
    assert shells.commands("cmd", change) == ["set HTTPS_PROXY=http://127.0.0.1:7890"]
    assert shells.commands("cmd", change, persist=True) == ['setx HTTPS_PROXY "http://127.0.0.1:7890"']
    assert shells.commands("bash", {"http_proxy": None}) == ["unset http_proxy"]
    no_proxy = {"NO_PROXY": "localhost,127.0.0.1,::1"}
    assert shells.commands("zsh", no_proxy) == ["export NO_PROXY=localhost,127.0.0.1,::1"]


def test_fix_commands_use_a_password_placeholder() -> None:
    change = {"HTTPS_PROXY": "http://alice:hunter2-secret@127.0.0.1:7890"}
    every = shells.all_commands({"SHELL": "/usr/bin/fish"}, change)
    assert every[0]["shell"] == "fish"
    text = str(every)
    assert "hunter2-secret" not in text and "alice:PASSWORD@127.0.0.1:7890" in text
    assert "hunter2-secret" not in shells.hint({}, change)


# --- SDK stacks ----------------------------------------------------------------------------------

def _fake_dist(site: Path, name: str, version: str, requires: list[str] = ()) -> None:  # type: ignore[assignment]
    info = site / f"{name}-{version}.dist-info"
    info.mkdir(parents=True)
    lines = ["Metadata-Version: 2.1", f"Name: {name}", f"Version: {version}"]
    lines += [f"Requires-Dist: {r}" for r in requires]
    (info / "METADATA").write_text("\n".join(lines) + "\n")


def test_old_openai_with_httpx_028_is_incompatible(tmp_path: Path) -> None:
    _fake_dist(tmp_path, "openai", "1.52.0", ["httpx<1,>=0.23.0", "anyio<5,>=3.5.0"])
    _fake_dist(tmp_path, "anthropic", "0.39.0", ["httpx<1,>=0.23.0"])
    _fake_dist(tmp_path, "httpx", "0.28.1", ["httpcore==1.*"])
    _fake_dist(tmp_path, "httpcore", "1.0.9")
    stacks = sdks.installed([str(tmp_path)])
    assert [(s.sdk, s.stack, s.stack_version, s.socksio) for s in stacks] == [
        ("openai", "httpx", "0.28.1", False), ("anthropic", "httpx", "0.28.1", False)]
    found = sdks.findings(stacks)
    assert [f.code for f in found] == ["env.sdk_incompatible"] * 2
    assert "unexpected keyword argument 'proxies'" in found[0].message
    assert "openai>=1.55.3" in found[0].hint and "anthropic>=0.40.0" in found[1].hint


def test_fixed_openai_and_missing_stack(tmp_path: Path) -> None:
    _fake_dist(tmp_path, "openai", "1.55.3", ["httpx<1,>=0.23.0"])
    _fake_dist(tmp_path, "anthropic", "2.14.0", ["httpx2<3,>=2.0.0", "socksio==1.*; extra == 'socks'"])
    _fake_dist(tmp_path, "httpx", "0.28.1")
    _fake_dist(tmp_path, "socksio", "1.0.0")
    found = sdks.findings(sdks.installed([str(tmp_path)]))
    assert len(found) == 1 and "anthropic 2.14.0 needs httpx2" in found[0].message


def test_stack_of_requirements() -> None:
    assert sdks.stack_of(["anyio", "httpx2<3,>=2.12.0", "aiohttp; extra == 'aiohttp'"]) == "httpx2"
    assert sdks.stack_of(["httpx<1,>=0.23.0"]) == "httpx"
    assert sdks.parse_version("1.55.3rc1") == (1, 55, 3) and sdks.parse_version(None) == ()


SDK_VENV = glob.glob("/tmp/venv/lib/python3*/site-packages")


@pytest.mark.skipif(not SDK_VENV, reason="no venv with the current openai/anthropic SDKs on this machine")
def test_current_sdks_run_on_httpx2() -> None:
    stacks = {s.sdk: s for s in sdks.installed(SDK_VENV)}
    assert stacks["openai"].stack == "httpx2" and sdks.parse_version(stacks["openai"].version) >= (3,)
    assert stacks["anthropic"].stack == "httpx2" and stacks["anthropic"].core == "httpcore2"
    assert sdks.findings(list(stacks.values())) == []
