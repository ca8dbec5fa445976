"""Linux proxy settings: /etc/environment, GNOME's gsettings, and the WSL case.

On Linux, Python reads proxies only from the process environment. /etc/environment reaches it
only through a new login (pam_env); GNOME's proxy settings never do — browsers follow them,
Python, curl and the SDKs do not. Inside WSL 2 (NAT mode) 127.0.0.1 is the Linux VM itself:
the Windows host, where Clash or v2rayN listen, is at the default gateway.
"""

from __future__ import annotations

import re
import socket
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from llmdoctor.proxyenv.sysproxy import SystemProxySettings, run_command

_ENV_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*?)\s*$")
GSETTINGS_KEYS = (
    ("org.gnome.system.proxy", "mode"), ("org.gnome.system.proxy", "autoconfig-url"),
    ("org.gnome.system.proxy", "ignore-hosts"),
    ("org.gnome.system.proxy.http", "host"), ("org.gnome.system.proxy.http", "port"),
    ("org.gnome.system.proxy.https", "host"), ("org.gnome.system.proxy.https", "port"),
    ("org.gnome.system.proxy.socks", "host"), ("org.gnome.system.proxy.socks", "port"),
)


def parse_etc_environment(text: str) -> dict[str, str]:
    """pam_env's KEY=VALUE lines (quotes stripped); only proxy-related names are kept."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            continue
        match = _ENV_LINE.match(line)
        if not match:
            continue
        name, value = match.groups()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        if "proxy" in name.lower():
            values[name] = value
    return values


def parse_gsettings_value(text: str) -> str | int | list[str] | None:
    """One `gsettings get` answer: `'manual'`, `7890`, `['localhost', '127.0.0.0/8']`, `@as []`."""
    value = text.strip()
    if value.startswith("@as"):
        value = value[3:].strip()
    if not value:
        return None
    if value.startswith("["):
        return re.findall(r"'((?:[^'\\]|\\.)*)'", value)
    if value.isascii() and value.isdigit():
        return int(value)
    if len(value) >= 2 and value[0] == value[-1] == "'":
        return value[1:-1]
    return value


@dataclass(frozen=True)
class GnomeProxy:
    mode: str | None
    servers: dict[str, str]
    ignore: tuple[str, ...]
    pac: str | None


def settings_from_gsettings(answers: Mapping[tuple[str, str], str]) -> GnomeProxy:
    """The GNOME proxy settings from recorded `gsettings get SCHEMA KEY` answers."""
    parsed = {key: parse_gsettings_value(text) for key, text in answers.items()}
    mode = parsed.get(("org.gnome.system.proxy", "mode"))
    servers: dict[str, str] = {}
    for scheme in ("http", "https", "socks"):
        host = parsed.get((f"org.gnome.system.proxy.{scheme}", "host"))
        port = parsed.get((f"org.gnome.system.proxy.{scheme}", "port"))
        if isinstance(host, str) and host:
            servers[scheme] = f"{host}:{port}" if isinstance(port, int) and port else host
    ignore = parsed.get(("org.gnome.system.proxy", "ignore-hosts"))
    pac = parsed.get(("org.gnome.system.proxy", "autoconfig-url"))
    return GnomeProxy(mode if isinstance(mode, str) else None, servers,
                      tuple(ignore) if isinstance(ignore, list) else (),
                      pac if isinstance(pac, str) and pac else None)


def wsl_version(proc_version: str, env: Mapping[str, str]) -> int:
    """2 for WSL 2 (the `-microsoft-standard-WSL2` kernel), 1 for WSL 1, 0 outside WSL."""
    lowered = proc_version.lower()
    if "microsoft" not in lowered and not env.get("WSL_DISTRO_NAME"):
        return 0
    if "wsl2" in lowered or "microsoft-standard" in lowered:
        return 2
    return 1 if "microsoft" in lowered else 2


def default_gateway(route_text: str) -> str | None:
    """The default route's gateway from /proc/net/route (little-endian hex)."""
    for line in route_text.splitlines()[1:]:
        fields = line.split()
        if len(fields) > 2 and fields[1] == "00000000":
            try:
                return socket.inet_ntoa(struct.pack("<L", int(fields[2], 16)))
            except (ValueError, struct.error, OSError):
                return None
    return None


def resolv_nameserver(text: str) -> str | None:
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 2 and fields[0] == "nameserver":
            return fields[1]
    return None


def wsl_mirrored(wslconfig_text: str) -> bool:
    """`networkingMode=mirrored` under [wsl2] in %USERPROFILE%\\.wslconfig."""
    return bool(re.search(r"(?im)^\s*networkingMode\s*=\s*mirrored\s*$", wslconfig_text))


def settings_from_linux(env_text: str, gsettings: Mapping[tuple[str, str], str] | None,
                        proc_version: str, env: Mapping[str, str], route_text: str = "",
                        resolv_text: str = "", wslconfig_text: str = "") -> SystemProxySettings:
    """Builds the settings from recorded file contents and command outputs."""
    gnome = settings_from_gsettings(gsettings) if gsettings else None
    notes = [] if gsettings else ["gsettings: not available"]
    wsl = wsl_version(proc_version, env)
    host = None
    if wsl == 2:
        nameserver = resolv_nameserver(resolv_text)
        if nameserver and nameserver.startswith("10.255.255."):
            nameserver = None  # DNS tunnelling's stub resolver, not the Windows host
        host = default_gateway(route_text) or nameserver
    servers = dict(gnome.servers) if gnome and gnome.mode == "manual" else {}
    return SystemProxySettings(
        platform="linux",
        enabled=bool(servers),
        servers=servers,
        bypass=gnome.ignore if gnome and servers else (),
        pac_url=gnome.pac if gnome and gnome.mode == "auto" else None,
        auto_detect=bool(gnome and gnome.mode == "auto" and not gnome.pac),
        python_proxies={},
        wsl=wsl,
        wsl_host=host,
        wsl_mirrored=wsl_mirrored(wslconfig_text),
        persisted_env=parse_etc_environment(env_text),
        source="gsettings" if gnome else "environment",
        notes=tuple(notes),
    )


def _read(path: Path, limit: int = 200_000) -> str:
    try:
        with path.open("r", encoding="utf-8", errors="replace") as fh:
            return fh.read(limit)
    except OSError:
        return ""


class LinuxReader:
    """The real reader: files under `root`, `gsettings get` with a timeout."""

    def __init__(self, env: Mapping[str, str] | None = None, root: str = "/", timeout: float = 2.0,
                 use_gsettings: bool = True) -> None:
        self.env = dict(env or {})
        self.root = Path(root)
        self.timeout = timeout
        self.use_gsettings = use_gsettings

    def _gsettings(self) -> dict[tuple[str, str], str] | None:
        if not self.use_gsettings:
            return None
        first = run_command(["gsettings", "get", *GSETTINGS_KEYS[0]], self.timeout)
        if first is None:
            return None
        answers = {GSETTINGS_KEYS[0]: first}
        if parse_gsettings_value(first) in ("manual", "auto"):
            for key in GSETTINGS_KEYS[1:]:
                text = run_command(["gsettings", "get", *key], self.timeout)
                if text is not None:
                    answers[key] = text
        return answers

    def read(self) -> SystemProxySettings:
        proc_version = _read(self.root / "proc/version")
        wslconfig = ""
        if wsl_version(proc_version, self.env) == 2:
            for candidate in sorted((self.root / "mnt/c/Users").glob("*/.wslconfig"))[:8]:
                wslconfig += _read(candidate, 20_000)
        return settings_from_linux(
            _read(self.root / "etc/environment"), self._gsettings(), proc_version, self.env,
            _read(self.root / "proc/net/route"), _read(self.root / "etc/resolv.conf"), wslconfig)
