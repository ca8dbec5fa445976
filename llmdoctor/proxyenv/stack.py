"""The clients installed where the user's code runs: one Python's packages, and the curl binary.

`PythonStack` is what the interpreter probe (`llmdoctor.interpreter`) reports for the user's
Python, or `local_python()` for llmdoctor's own; every decision rule that depends on a version
reads it from here, so the rules follow the installed version.
"""

from __future__ import annotations

import functools
import importlib.util
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field

from llmdoctor import distinfo

PACKAGES = ("openai", "anthropic", "httpx", "httpx2", "httpcore", "httpcore2", "requests", "urllib3", "socksio",
            "PySocks", "certifi", "truststore")


def parse_version(text: str | None) -> tuple[int, ...]:
    """Leading numeric parts (`2.34.0rc1` -> (2, 34, 0)); () when unknown."""
    parts: list[int] = []
    for piece in (text or "").split("."):
        match = re.match(r"\d+", piece)
        if not match:
            break
        parts.append(int(match.group(0)))
        if match.group(0) != piece:
            break
    return tuple(parts)


@dataclass(frozen=True)
class PythonStack:
    """One Python interpreter and the HTTP packages installed in it."""

    executable: str
    version: str  # the interpreter's version, e.g. "3.11.7"
    packages: Mapping[str, str | None] = field(default_factory=dict)  # name -> version, None: not installed
    importable: Mapping[str, bool] = field(default_factory=dict)  # socksio, socks (PySocks)
    chosen_by: str = "llmdoctor"  # "--python", "VIRTUAL_ENV", "CONDA_PREFIX", ".venv", "uv", "poetry", "llmdoctor"
    ssl: Mapping[str, object] = field(default_factory=dict)
    error: str | None = None  # the probe failed: why

    def has(self, name: str) -> bool:
        return self.packages.get(name) is not None

    def version_of(self, name: str) -> tuple[int, ...]:
        return parse_version(self.packages.get(name))

    @property
    def socksio(self) -> bool:
        return bool(self.importable.get("socksio", self.has("socksio")))

    @property
    def pysocks(self) -> bool:
        return bool(self.importable.get("socks", self.has("PySocks")))

    @property
    def label(self) -> str:
        return f"{self.executable} (Python {self.version}, {self.chosen_by})"

    def to_dict(self) -> dict[str, object]:
        return {"executable": self.executable, "version": self.version, "chosen_by": self.chosen_by,
                "packages": dict(self.packages), "importable": dict(self.importable), "ssl": dict(self.ssl),
                "error": self.error}


@dataclass(frozen=True)
class Installed:
    """What the per-client decisions are computed for."""

    python: PythonStack
    curl: tuple[int, ...] | None = None  # None: no curl binary

    @property
    def curl_rules(self) -> tuple[int, int]:
        return (self.curl[0], self.curl[1]) if self.curl and len(self.curl) >= 2 else (8, 0)


def _importable(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except (ImportError, ValueError):
        return False


def local_python() -> PythonStack:
    """llmdoctor's own interpreter, read from package metadata (nothing is imported)."""
    versions = {name: distinfo.version(name) for name in PACKAGES}
    return PythonStack(sys.executable, ".".join(map(str, sys.version_info[:3])), versions,
                       {"socksio": _importable("socksio"), "socks": _importable("socks")})


@functools.lru_cache(maxsize=2)
def curl_version(timeout: float = 3.0) -> tuple[int, ...] | None:
    """`curl --version`'s first line, parsed; None when there is no curl or it does not answer."""
    path = shutil.which("curl")
    if path is None:
        return None
    try:
        out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=timeout).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.match(r"curl (\d+)\.(\d+)\.(\d+)", out)
    return tuple(int(x) for x in match.groups()) if match else None


def local_stack() -> Installed:
    return Installed(local_python(), curl_version())
