"""The OS-level proxy settings, read behind one interface so every platform's parser is testable anywhere.

The shared words (the settings, the reader protocol, the command runner) live in sysproxy.py so the
platform readers (linux.py, macos.py, windows.py) and this chooser do not import each other; they are
imported here too, so `llmdoctor.proxyenv.system` stays the one place callers import from.
"""

from __future__ import annotations

from collections.abc import Mapping

from llmdoctor.proxyenv.sysproxy import NullReader, SystemProxyReader, SystemProxySettings, run_command

__all__ = ["NullReader", "SystemProxyReader", "SystemProxySettings", "reader_for", "run_command"]


def reader_for(platform: str, env: Mapping[str, str] | None = None) -> SystemProxyReader:
    """The real reader for `sys.platform`; `env` is the snapshot (WSL is detected from it too)."""
    if platform == "win32":
        from llmdoctor.proxyenv.windows import WindowsReader

        return WindowsReader()
    if platform == "darwin":
        from llmdoctor.proxyenv.macos import MacReader

        return MacReader()
    if platform.startswith("linux"):
        from llmdoctor.proxyenv.linux import LinuxReader

        return LinuxReader(env)
    return NullReader()
