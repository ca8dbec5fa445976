"""macOS proxy settings from `scutil --proxy`, and what Python's `_scproxy` takes from them.

With no *_proxy variable set, urllib's `getproxies()` asks SystemConfiguration through `_scproxy`,
which returns only the HTTP, HTTPS (and FTP/Gopher) proxies, each as `http://host:port`
(Modules/_scproxy.c `set_proxy`). SOCKS proxies and the PAC URL are ignored by Python;
`ExceptionsList` is read only by `proxy_bypass_macosx_sysconf` (requests uses it, httpx does not).
"""

from __future__ import annotations

import re

from llmdoctor.proxyenv.sysproxy import SystemProxySettings, run_command

_LINE = re.compile(r"^\s*([^:{}]+?)\s*:\s*(.*?)\s*$")
_PROTOCOLS = (("http", "HTTP"), ("https", "HTTPS"), ("socks", "SOCKS"), ("ftp", "FTP"))


def parse_scutil(text: str) -> dict[str, object]:
    """`scutil --proxy` as a flat dict; `<array>` values become lists of strings."""
    result: dict[str, object] = {}
    array_key: str | None = None
    items: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if array_key is not None:
            if line.startswith("}"):
                result[array_key] = items
                array_key, items = None, []
                continue
            match = _LINE.match(line)
            if match:
                items.append(match.group(2))
            continue
        match = _LINE.match(line)
        if not match:
            continue
        key, value = match.group(1), match.group(2)
        if value.startswith("<array>"):
            array_key, items = key, []
        elif not value.startswith("<dictionary>"):
            result[key] = value
    if array_key is not None:
        result[array_key] = items
    return result


def _flag(values: dict[str, object], key: str) -> bool:
    return str(values.get(key, "0")).strip() not in ("", "0")


def settings_from_scutil(text: str) -> SystemProxySettings:
    values = parse_scutil(text)
    servers: dict[str, str] = {}
    python: dict[str, str] = {}
    for scheme, prefix in _PROTOCOLS:
        host = str(values.get(f"{prefix}Proxy", "")).strip()
        if not (_flag(values, f"{prefix}Enable") and host):
            continue
        port = str(values.get(f"{prefix}Port", "")).strip()
        port = port if port.isascii() and port.isdigit() and int(port) else ""
        servers[scheme] = f"{host}:{port}" if port else host
        if scheme in ("http", "https", "ftp"):
            python[scheme] = f"http://{host}:{port}" if port else f"http://{host}"
    exceptions = values.get("ExceptionsList", [])
    bypass = tuple(str(e) for e in exceptions) if isinstance(exceptions, list) else ()
    if _flag(values, "ExcludeSimpleHostnames"):
        bypass = (*bypass, "<simple hostnames>")
    pac = str(values.get("ProxyAutoConfigURLString", "")).strip() or None
    return SystemProxySettings(
        platform="macos",
        enabled=bool(servers),
        servers=servers,
        bypass=bypass,
        pac_url=pac if _flag(values, "ProxyAutoConfigEnable") else None,
        auto_detect=_flag(values, "ProxyAutoDiscoveryEnable"),
        python_proxies=python,
        source="scutil --proxy",
    )


class MacReader:
    """The real reader: `scutil --proxy`, with a timeout."""

    def __init__(self, timeout: float = 3.0) -> None:
        self.timeout = timeout

    def read(self) -> SystemProxySettings:
        text = run_command(["scutil", "--proxy"], self.timeout)
        if text is None:
            return SystemProxySettings("macos", source="scutil --proxy", notes=("scutil --proxy: not available",))
        return settings_from_scutil(text)
