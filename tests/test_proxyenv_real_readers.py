"""The real OS readers (winreg + netsh, scutil, /etc + gsettings), each on its own OS — CI runs all three."""

from __future__ import annotations

import os
import sys

import pytest

from llmdoctor.proxyenv.system import SystemProxySettings, reader_for


@pytest.mark.skipif(sys.platform != "win32", reason="the WinINET/WinHTTP reader needs Windows")
def test_windows_reader_reads_the_registry_and_netsh() -> None:
    settings = reader_for("win32", dict(os.environ)).read()
    assert isinstance(settings, SystemProxySettings)
    assert settings.platform == "windows" and settings.source == "registry"
    assert settings.winhttp is not None, settings.notes  # netsh is on every Windows runner


@pytest.mark.skipif(sys.platform != "darwin", reason="the scutil reader needs macOS")
def test_macos_reader_runs_scutil() -> None:
    settings = reader_for("darwin", dict(os.environ)).read()
    assert settings.platform == "macos" and settings.source == "scutil --proxy"
    assert settings.notes == ()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux reader needs Linux")
def test_linux_reader_reads_files_and_gsettings() -> None:
    settings = reader_for(sys.platform, dict(os.environ)).read()
    assert settings.platform == "linux"
    assert settings.wsl in (0, 1, 2)
    assert all(isinstance(v, str) for v in settings.persisted_env.values())
