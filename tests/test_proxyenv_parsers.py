"""The OS readers' parsers, fed with recorded registry values, netsh, scutil, gsettings and file samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmdoctor.proxyenv import linux, macos, windows
from llmdoctor.proxyenv.linux import LinuxReader

SAMPLES = Path(__file__).parent / "samples" / "proxyenv"


def sample(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def registry(name: str) -> dict[str, object]:
    return json.loads(sample(name))


# --- Windows -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "server", "bypass"), [
    ("netsh_direct_en.txt", None, ()),
    ("netsh_direct_zh.txt", None, ()),
    ("netsh_proxy_en.txt", "127.0.0.1:7890", ("localhost", "127.*", "10.*", "<local>")),
    ("netsh_proxy_zh.txt", "http=127.0.0.1:7890;https=127.0.0.1:7890", ()),
    ("netsh_proxy_de.txt", "proxy.corp.example:8080", ("<local>",)),
])
def test_netsh_in_several_languages(name: str, server: str | None, bypass: tuple[str, ...]) -> None:
    assert windows.parse_netsh(sample(name)) == (server, bypass)


def test_registry_single_server_applies_to_every_protocol() -> None:
    settings = windows.settings_from_windows(registry("registry_clash.json"), sample("netsh_direct_en.txt"))
    assert settings.enabled
    assert settings.servers == {"all": "127.0.0.1:7890"}
    assert settings.python_proxies == {"http": "http://127.0.0.1:7890", "https": "http://127.0.0.1:7890",
                                       "ftp": "http://127.0.0.1:7890"}
    assert "<local>" in settings.bypass
    assert settings.winhttp == "direct"


def test_registry_per_protocol_form() -> None:
    settings = windows.settings_from_windows(registry("registry_per_protocol.json"), sample("netsh_proxy_zh.txt"))
    assert settings.servers == {"http": "127.0.0.1:10809", "https": "127.0.0.1:10809", "socks": "127.0.0.1:10808"}
    assert settings.python_proxies["https"] == "http://127.0.0.1:10809"
    assert settings.winhttp == "http=127.0.0.1:7890;https=127.0.0.1:7890"


def test_registry_socks_only_becomes_socks4_for_python() -> None:
    # CPython: "The default SOCKS proxy type of Windows is SOCKS4" — and httpx rejects socks4://
    settings = windows.settings_from_windows(registry("registry_socks_only.json"))
    assert settings.python_proxies["https"] == "socks4://127.0.0.1:1080"
    assert settings.notes == ("netsh winhttp show proxy: not available",)


def test_registry_pac_only_gives_python_nothing() -> None:
    settings = windows.settings_from_windows(registry("registry_pac_only.json"))
    assert not settings.enabled
    assert settings.python_proxies == {}
    assert settings.pac_url == "http://127.0.0.1:10810/pac/?t=123"


def test_registry_part_without_equals_makes_cpython_give_up() -> None:
    assert windows.python_registry_proxies(1, "127.0.0.1:7890;") == {}
    assert windows.python_registry_proxies(1, "http=127.0.0.1:1;junk") == {"http": "http://127.0.0.1:1"}
    assert windows.python_registry_proxies(0, "127.0.0.1:7890") == {}
    assert windows.settings_from_windows(registry("registry_disabled.json")).python_proxies == {}


# --- macOS ---------------------------------------------------------------------------------------

def test_scutil_with_clash() -> None:
    settings = macos.settings_from_scutil(sample("scutil_clash.txt"))
    assert settings.servers == {"http": "127.0.0.1:7890", "https": "127.0.0.1:7890", "socks": "127.0.0.1:7890"}
    # _scproxy gives Python http:// URLs for HTTP and HTTPS, and nothing for SOCKS
    assert settings.python_proxies == {"http": "http://127.0.0.1:7890", "https": "http://127.0.0.1:7890"}
    assert settings.bypass[:2] == ("127.0.0.1", "192.168.0.0/16")
    assert "<simple hostnames>" in settings.bypass


def test_scutil_pac_socks_and_none() -> None:
    pac = macos.settings_from_scutil(sample("scutil_pac.txt"))
    assert pac.pac_url == "http://127.0.0.1:1089/proxy.pac" and pac.python_proxies == {}
    socks = macos.settings_from_scutil(sample("scutil_socks_only.txt"))
    assert socks.servers == {"socks": "127.0.0.1:1086"} and socks.python_proxies == {}
    none = macos.settings_from_scutil(sample("scutil_none.txt"))
    assert not none.enabled and none.pac_url is None and none.bypass == ("*.local", "169.254/16")


# --- Linux ---------------------------------------------------------------------------------------

def test_etc_environment_keeps_proxy_variables_unquoted() -> None:
    assert linux.parse_etc_environment(sample("etc_environment.txt")) == {
        "http_proxy": "http://127.0.0.1:7890/", "https_proxy": "http://127.0.0.1:7890",
        "NO_PROXY": "localhost,127.0.0.1,::1"}


def _gsettings(name: str) -> dict[tuple[str, str], str]:
    raw = json.loads(sample(name))
    return {tuple(k.split(" ")): v for k, v in raw.items()}  # type: ignore[misc]


def test_gsettings_manual_and_auto() -> None:
    manual = linux.settings_from_gsettings(_gsettings("gsettings_manual.json"))
    assert manual.mode == "manual"
    assert manual.servers == {"http": "127.0.0.1:7890", "https": "127.0.0.1:7890"}
    assert manual.ignore == ("localhost", "127.0.0.0/8", "::1")
    auto = linux.settings_from_gsettings(_gsettings("gsettings_auto.json"))
    assert auto.mode == "auto" and auto.pac == "http://wpad.corp.example/wpad.dat" and auto.ignore == ()


@pytest.mark.parametrize(("text", "value"), [("'none'\n", "none"), ("7890\n", 7890), ("@as []\n", []),
                                             ("['a', 'b']", ["a", "b"]), ("", None)])
def test_gsettings_values(text: str, value: object) -> None:
    assert linux.parse_gsettings_value(text) == value


def test_wsl2_host_from_default_route(tmp_path: Path) -> None:
    root = tmp_path
    (root / "proc/net").mkdir(parents=True)
    (root / "etc").mkdir()
    (root / "proc/version").write_text(sample("proc_version_wsl2.txt"))
    (root / "proc/net/route").write_text(sample("proc_route_wsl2.txt"))
    (root / "etc/resolv.conf").write_text(sample("resolv_wsl2.txt"))
    (root / "etc/environment").write_text(sample("etc_environment.txt"))
    settings = LinuxReader({}, root=str(root), use_gsettings=False).read()
    assert settings.wsl == 2
    assert settings.wsl_host == "172.24.112.1"
    assert not settings.wsl_mirrored
    assert settings.persisted_env["https_proxy"] == "http://127.0.0.1:7890"
    assert settings.notes == ("gsettings: not available",)


def test_wsl_detection_and_mirrored_mode() -> None:
    assert linux.wsl_version("Linux version 4.4.0-19041-Microsoft", {}) == 1
    assert linux.wsl_version("Linux version 6.1.0-13-amd64", {}) == 0
    assert linux.wsl_version("Linux version 6.1.0", {"WSL_DISTRO_NAME": "Ubuntu"}) == 2
    assert linux.wsl_mirrored("[wsl2]\nnetworkingMode=mirrored\n")
    assert not linux.wsl_mirrored("[wsl2]\nnetworkingMode=NAT\n")
    assert linux.resolv_nameserver("nameserver 10.255.255.254\n") == "10.255.255.254"
