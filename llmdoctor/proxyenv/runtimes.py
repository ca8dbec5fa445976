"""Which non-Python runtimes are installed (node, bun, go), with their versions: `X --version`, with a timeout."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
from dataclasses import dataclass

COMMANDS = {"node": ["node", "--version"], "bun": ["bun", "--version"], "go": ["go", "version"]}


@dataclass(frozen=True)
class Runtime:
    name: str  # "node", "bun", "go"
    version: tuple[int, ...]
    path: str

    @property
    def version_text(self) -> str:
        return ".".join(map(str, self.version))

    def to_dict(self) -> dict[str, object]:
        return {"name": self.name, "version": self.version_text, "path": self.path}


def _version(text: str) -> tuple[int, ...] | None:
    match = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", text)
    return tuple(int(x) for x in match.groups() if x is not None) if match else None


@functools.lru_cache(maxsize=8)
def detect(names: tuple[str, ...] = ("node", "bun"), timeout: float = 3.0) -> tuple[Runtime, ...]:
    """The runtimes on PATH that answer `--version` in time (a broken one is simply not listed).

    Once per process (the check and the report's table share it). Go is not asked by default: a
    compiled Go program follows net/http's rules whatever toolchain is (or is not) installed.
    """
    found: list[Runtime] = []
    for name in names:
        path = shutil.which(name)
        if path is None:
            continue
        try:
            out = subprocess.run([path, *COMMANDS[name][1:]], capture_output=True, text=True, timeout=timeout,
                                 stdin=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError):
            continue
        version = _version(out.stdout)
        if out.returncode == 0 and version:
            found.append(Runtime(name, version, path))
    return tuple(found)
