"""What every system-proxy reader shares: the settings it returns, the reader protocol, a bounded command runner.

Its own module so the platform readers (linux.py, macos.py, windows.py) need not import system.py,
which imports them to pick the reader for `sys.platform`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class SystemProxySettings:
    """What the OS says about proxies, and what Python's urllib (hence httpx and requests) takes from it.

    `python_proxies` is exactly what `urllib.request.getproxies()` would return from the system
    source when no *_proxy variable is set (registry on Windows, SystemConfiguration on macOS,
    nothing on Linux): scheme -> proxy URL.
    """

    platform: str  # "windows", "macos", "linux", "other"
    enabled: bool = False  # a manual system proxy is switched on
    servers: Mapping[str, str] = field(default_factory=dict)  # scheme -> host:port as the OS stores it
    bypass: tuple[str, ...] = ()  # ProxyOverride / ExceptionsList / ignore-hosts
    pac_url: str | None = None  # AutoConfigURL / ProxyAutoConfigURLString / autoconfig-url
    auto_detect: bool = False  # WPAD
    python_proxies: Mapping[str, str] = field(default_factory=dict)
    winhttp: str | None = None  # Windows only: "direct" or the WinHTTP proxy string
    wsl: int = 0  # 1 or 2 inside WSL, else 0
    wsl_host: str | None = None  # in WSL 2, the Windows host's address (nameserver / default gateway)
    wsl_mirrored: bool = False
    persisted_env: Mapping[str, str] = field(default_factory=dict)  # HKCU\Environment, /etc/environment
    source: str = ""  # what was read, e.g. "registry", "scutil --proxy", "gsettings"
    notes: tuple[str, ...] = ()  # readers' problems (a command missing, a timeout)

    def to_dict(self) -> dict[str, object]:
        from llmdoctor.proxyenv.variables import shown
        from llmdoctor.secrets import redact_url

        return {
            "platform": self.platform, "enabled": self.enabled, "servers": dict(self.servers),
            "bypass": list(self.bypass), "pac_url": self.pac_url, "auto_detect": self.auto_detect,
            "python_proxies": {k: redact_url(v) for k, v in self.python_proxies.items()},
            "winhttp": self.winhttp, "wsl": self.wsl, "wsl_host": self.wsl_host,
            "wsl_mirrored": self.wsl_mirrored,
            "persisted_env": {k: shown(v) for k, v in self.persisted_env.items()},
            "source": self.source, "notes": list(self.notes),
        }


class SystemProxyReader(Protocol):
    """Reads the OS proxy settings; real readers call winreg/netsh/scutil/gsettings with timeouts."""

    def read(self) -> SystemProxySettings: ...


class NullReader:
    """For platforms we do not know, and for tests that want no system proxy at all."""

    def __init__(self, settings: SystemProxySettings | None = None) -> None:
        self._settings = settings or SystemProxySettings("other")

    def read(self) -> SystemProxySettings:
        return self._settings


def run_command(args: list[str], timeout: float = 3.0) -> str | None:
    """Output of a short system command, or None when it is missing, fails or times out."""
    import subprocess

    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError, ValueError):
        return None
    if done.returncode != 0:
        return None
    for encoding in ("utf-8", "mbcs", "cp437", "latin-1"):
        try:
            return done.stdout.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return None
