"""Windows proxy settings: WinINET in the registry, WinHTTP from `netsh`, and what Python takes from them.

Python (urllib, hence httpx and requests) reads the registry only when no *_proxy variable is set
(`getproxies = lambda: getproxies_environment() or getproxies_registry()` in CPython's
urllib/request.py), takes `ProxyServer` when `ProxyEnable` is non-zero, and ignores
`AutoConfigURL` (PAC), WPAD and WinHTTP entirely. `ProxyOverride` is read only by
`proxy_bypass_registry`, which requests calls and httpx does not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from llmdoctor.proxyenv.sysproxy import SystemProxySettings, run_command

INTERNET_SETTINGS = r"Software\Microsoft\Windows\CurrentVersion\Internet Settings"
VALUE_NAMES = ("ProxyEnable", "ProxyServer", "ProxyOverride", "AutoConfigURL")


def parse_proxy_server(value: str) -> dict[str, str]:
    """WinINET's `ProxyServer`: `host:port` for every protocol, or `http=h:p;https=h:p;socks=h:p`."""
    text = value.strip()
    if not text:
        return {}
    if "=" not in text and ";" not in text:
        return {"all": text}
    servers: dict[str, str] = {}
    for part in text.split(";"):
        protocol, sep, address = part.partition("=")
        if sep and protocol.strip() and address.strip():
            servers[protocol.strip().lower()] = address.strip()
    return servers


def python_registry_proxies(enable: object, server: object) -> dict[str, str]:
    """CPython's `getproxies_registry()` over recorded values, quirks included.

    A part without `=` in a multi-part value raises ValueError inside CPython, which returns the
    entries parsed so far; a `socks=` entry becomes `socks4://` for http and https.
    """
    proxies: dict[str, str] = {}
    try:
        if not enable or (isinstance(enable, str) and not enable.strip("0 ")):
            return proxies
        text = str(server)
        if "=" not in text and ";" not in text:
            text = f"http={text};https={text};ftp={text}"
        for part in text.split(";"):
            protocol, address = part.split("=", 1)
            if not re.match("(?:[^/:]+)://", address):
                if protocol in ("http", "https", "ftp"):
                    address = "http://" + address
                elif protocol == "socks":
                    address = "socks://" + address
            proxies[protocol] = address
        if proxies.get("socks"):
            address = re.sub(r"^socks://", "socks4://", proxies["socks"])
            proxies["http"] = proxies.get("http") or address
            proxies["https"] = proxies.get("https") or address
    except (OSError, ValueError, TypeError):
        pass
    return proxies


def parse_override(value: str) -> tuple[str, ...]:
    """`ProxyOverride`: `;`-separated hosts, `*` wildcards, and `<local>` for dotless names."""
    return tuple(p.strip() for p in value.split(";") if p.strip())


_KEY_VALUE = re.compile(r"^(.*?\S)\s*[:：]\s+(\S.*)$")


def parse_netsh(text: str) -> tuple[str | None, tuple[str, ...]]:
    """`netsh winhttp show proxy` in any language: (proxy string or None for direct, bypass list).

    The output is a header line, then either one sentence ("Direct access (no proxy server).",
    "直接访问(没有代理服务器)。") or two `label : value` lines (server, bypass list). Labels are
    translated, so we go by shape: a line with a colon followed by blanks and a value.
    """
    pairs: list[str] = []
    for line in text.splitlines():
        match = _KEY_VALUE.match(line.strip())
        if match:
            pairs.append(match.group(2).strip())
    if not pairs:
        return None, ()
    server = pairs[0]
    if not re.search(r"[\w\]]:\d+|=", server):
        return None, ()
    bypass: tuple[str, ...] = ()
    if len(pairs) > 1 and not pairs[1].startswith("("):
        bypass = parse_override(pairs[1])
    return server, bypass


def settings_from_windows(values: Mapping[str, object], netsh_text: str | None = None,
                          persisted_env: Mapping[str, str] | None = None) -> SystemProxySettings:
    """Builds the settings from recorded registry values (the real reader and the tests share this)."""
    enable = values.get("ProxyEnable", 0)
    server = str(values.get("ProxyServer") or "")
    enabled = bool(enable) and not (isinstance(enable, str) and not enable.strip("0 "))
    pac = str(values.get("AutoConfigURL") or "").strip() or None
    notes: list[str] = []
    winhttp: str | None = None
    if netsh_text is None:
        notes.append("netsh winhttp show proxy: not available")
    else:
        proxy, _bypass = parse_netsh(netsh_text)
        winhttp = proxy or "direct"
    return SystemProxySettings(
        platform="windows",
        enabled=enabled and bool(server.strip()),
        servers=parse_proxy_server(server) if enabled else {},
        bypass=parse_override(str(values.get("ProxyOverride") or "")),
        pac_url=pac,
        python_proxies=python_registry_proxies(enable, server) if server else {},
        winhttp=winhttp,
        persisted_env=dict(persisted_env or {}),
        source="registry",
        notes=tuple(notes),
    )


class WindowsReader:
    """The real reader: `winreg` for HKCU Internet Settings and Environment, `netsh` for WinHTTP."""

    def __init__(self, timeout: float = 3.0) -> None:
        self.timeout = timeout

    def _registry(self) -> tuple[dict[str, object], dict[str, str]]:
        import importlib

        winreg: Any = importlib.import_module("winreg")  # Windows only; Any keeps mypy quiet elsewhere

        values: dict[str, object] = {}
        persisted: dict[str, str] = {}
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, INTERNET_SETTINGS) as key:
                for name in VALUE_NAMES:
                    try:
                        values[name] = winreg.QueryValueEx(key, name)[0]
                    except OSError:
                        continue
        except OSError:
            pass
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, "Environment") as key:
                index = 0
                while True:
                    try:
                        name, value, _kind = winreg.EnumValue(key, index)
                    except OSError:
                        break
                    index += 1
                    if name.lower().endswith("_proxy") or "proxy" in name.lower():
                        persisted[name] = str(value)
        except OSError:
            pass
        return values, persisted

    def read(self) -> SystemProxySettings:
        try:
            values, persisted = self._registry()
        except ImportError:
            values, persisted = {}, {}
        netsh = run_command(["netsh", "winhttp", "show", "proxy"], self.timeout)
        return settings_from_windows(values, netsh, persisted)
