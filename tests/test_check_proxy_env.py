"""The proxy-env check, run like the runner runs it (tests/helpers.py), with injected ports and OS settings."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from checks.proxy_env import ProxyEnvCheck
from llmdoctor.context import Context
from llmdoctor.model import Status
from llmdoctor.proxyenv.system import NullReader, SystemProxyReader, SystemProxySettings
from tests.helpers import codes, make_context, make_target, run_check


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def open_port() -> Iterator[int]:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield int(server.getsockname()[1])
    server.close()


def check_with(system: SystemProxySettings | None = None, scan: tuple[int, ...] | None = ()) -> ProxyEnvCheck:
    class Injected(ProxyEnvCheck):
        scan_ports = scan
        sdk_paths = ("/nonexistent-site-packages",)

        def reader(self, ctx: Context) -> SystemProxyReader:
            return NullReader(system or SystemProxySettings("linux"))

    return Injected()


def test_clean_environment_passes() -> None:
    result = run_check(check_with(), env={})
    assert result.status is Status.PASS
    assert result.check == "proxy-env"
    assert result.summary == "httpx: direct; requests: direct; curl: direct"
    assert result.facts["variables"] == {}


def test_local_gateway_sent_to_the_proxy(open_port: int) -> None:
    env = {"HTTP_PROXY": f"http://127.0.0.1:{open_port}", "NO_PROXY": "localhost", "SHELL": "/bin/bash"}
    target = make_target("ollama", base_url="http://127.0.0.1:11434/v1")
    result = run_check(check_with(), ctx=make_context(target=target, env=env))
    assert codes(result) == ["env.local_via_proxy"]
    assert result.status is Status.WARN  # a proxy on this machine can reach 127.0.0.1 too
    finding = result.findings[0]
    assert "local gateway 127.0.0.1" in finding.message and "NO_PROXY does not list it" in finding.message
    assert "export NO_PROXY=localhost,127.0.0.1,::1" in finding.hint
    assert result.facts["decision"][0]["proxy"] == f"http://127.0.0.1:{open_port}"
    assert result.facts["fix_commands"][0]["shell"] == "bash"


def test_local_gateway_sent_to_a_remote_proxy_fails() -> None:
    """A proxy on another machine cannot reach this machine's 127.0.0.1 (only loopback ports are probed)."""
    env = {"HTTPS_PROXY": "http://192.0.2.10:3128"}
    target = make_target("relay", base_url="https://localhost:4000/v1")
    result = run_check(check_with(), ctx=make_context(target=target, env=env))
    assert codes(result) == ["env.local_via_proxy"]
    assert result.status is Status.FAIL
    assert "export NO_PROXY=localhost,127.0.0.1,::1" in result.findings[0].hint


def test_api_host_bypassed_by_no_proxy(open_port: int) -> None:
    env = {"HTTPS_PROXY": f"http://127.0.0.1:{open_port}", "NO_PROXY": ".openai.com"}
    result = run_check(check_with(), env=env)
    assert codes(result) == ["env.proxy_bypassed"]
    assert result.status is Status.WARN
    assert result.facts["decision"][0]["bypassed_by"] == ".openai.com"


def test_proxy_pointing_at_a_closed_loopback_port_fails() -> None:
    port = _free_port()
    result = run_check(check_with(), env={"HTTPS_PROXY": f"http://127.0.0.1:{port}"})
    assert result.status is Status.FAIL
    assert codes(result) == ["env.proxy_not_listening"]
    # The fix names the address the app must listen on and unsets the variable in both cases, for this shell.
    result = run_check(check_with(), env={"HTTPS_PROXY": f"http://127.0.0.1:{port}",
                                          "https_proxy": f"http://127.0.0.1:{port}", "SHELL": "/bin/zsh"})
    assert result.findings[0].hint == (f"Start the proxy app so that it listens on 127.0.0.1:{port}; for a direct "
                                       "connection, unset https_proxy — zsh: unset HTTPS_PROXY; unset https_proxy")


def test_wsl2_hint_names_the_windows_host() -> None:
    port = _free_port()
    wsl = SystemProxySettings("linux", wsl=2, wsl_host="172.24.112.1")
    result = run_check(check_with(wsl), env={"HTTPS_PROXY": f"http://127.0.0.1:{port}"})
    finding = result.findings[0]
    assert "inside WSL 2, 127.0.0.1 is the Linux VM" in finding.message
    assert f"172.24.112.1:{port}" in finding.hint


def test_socks4_value_fails_with_the_httpx_error() -> None:
    result = run_check(check_with(), env={"ALL_PROXY": "socks4://127.0.0.1:1080"})
    assert result.status is Status.FAIL
    assert "Unknown scheme for proxy URL" in result.findings[0].message
    assert result.facts["decision"][0]["problem"]


def test_listener_without_variable_is_reported(pproxy) -> None:  # type: ignore[no-untyped-def]
    open_port = pproxy.port
    result = run_check(check_with(scan=(open_port,)), env={"SHELL": "/usr/bin/fish"})
    assert codes(result) == ["env.proxy_not_configured"]
    assert f"127.0.0.1:{open_port}" in result.findings[0].message
    assert "set -gx HTTPS_PROXY" in result.findings[0].hint
    assert result.facts["listeners"][0]["address"] == f"127.0.0.1:{open_port}"


def test_a_port_that_does_not_speak_a_proxy_protocol_is_not_a_proxy(open_port: int) -> None:
    result = run_check(check_with(scan=(open_port,)), env={})
    assert "env.proxy_not_configured" not in codes(result)


def test_windows_pac_only_is_ignored_by_python() -> None:
    pac = SystemProxySettings("windows", pac_url="http://127.0.0.1:10810/pac/", source="registry")
    result = run_check(check_with(pac), env={})
    assert codes(result) == ["env.system_proxy_ignored"]


def test_windows_registry_socks_breaks_httpx() -> None:
    system = SystemProxySettings("windows", enabled=True, servers={"socks": "127.0.0.1:1080"},
                                 python_proxies={"http": "socks4://127.0.0.1:1080", "https": "socks4://127.0.0.1:1080"},
                                 source="registry")
    result = run_check(check_with(system), env={})
    assert result.status is Status.FAIL
    assert codes(result) == ["env.proxy_misconfigured"]
    assert "the system proxy gives Python socks4://127.0.0.1:1080" in result.findings[0].message


def test_setx_variable_not_in_this_window() -> None:
    system = SystemProxySettings("windows", persisted_env={"HTTPS_PROXY": "http://127.0.0.1:7890"}, source="registry")
    result = run_check(check_with(system), env={})
    assert codes(result) == ["env.proxy_not_configured"]
    assert "new terminal" in result.findings[0].hint


def test_gnome_manual_proxy_is_not_read_by_python() -> None:
    gnome = SystemProxySettings("linux", enabled=True, servers={"http": "127.0.0.1:7890"}, source="gsettings")
    result = run_check(check_with(gnome), env={"SHELL": "/bin/zsh"})
    assert codes(result) == ["env.system_proxy_ignored"]
    assert "export HTTPS_PROXY=http://127.0.0.1:7890" in result.findings[0].hint


def test_password_never_reaches_the_result(open_port: int) -> None:
    env = {"HTTPS_PROXY": f"https://alice:hunter2-secret@127.0.0.1:{open_port}", "https_proxy": "x"}
    result = run_check(check_with(), env=env)
    assert "hunter2-secret" not in str(result.to_dict())


def test_misspelled_names_in_env_and_dotenv() -> None:
    ctx = make_context(env={"OPENAI_API_BASE": "https://relay.example/v1"}, dotenv={"CLAUDE_API_KEY": "x"})
    result = run_check(check_with(), ctx=ctx)
    assert codes(result) == ["config.misspelled_variable"] * 2


def test_httpx2_sdks_get_their_own_decision() -> None:
    from llmdoctor.proxyenv.analysis import Observations, analyse
    from llmdoctor.proxyenv.sdks import SdkStack

    stack = SdkStack("openai", "3.57.0", "httpx2", "2.16.2", "httpcore2", "2.16.2", True)
    env = {"HTTPS_PROXY": "http://127.0.0.1:7890", "NO_PROXY": "*.openai.com"}
    result = analyse(env, [("openai", "https://api.openai.com/v1")], Observations(SystemProxySettings("linux"),
                                                                                   sdks=(stack,)))
    by_client = {d.client: d for d in result.targets[0].decisions}
    assert by_client["httpx"].proxy_url == "http://127.0.0.1:7890"  # httpx 0.28: '*.' never matches
    assert by_client["httpx2"].bypass == "*.openai.com"  # the openai 3.x SDK goes direct
