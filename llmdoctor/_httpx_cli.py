"""Keeps `import httpx` from importing httpx's own command-line client.

httpx's `__init__` imports `httpx._main` (click, rich.progress, rich.syntax, pygments) whenever
those are installed, as they are next to llmdoctor. No llmdoctor run calls that client, yet it was
30 ms of a run's 490 ms of imports (`-X importtime`), and 40-100 ms of wall time on a 2-CPU VM.
A placeholder stands in for it; `httpx.main()` still works: it loads the real client on first use.
"""

from __future__ import annotations

import importlib
import sys
import types

_NAME = "httpx._main"


def _real_main() -> None:
    """httpx's command-line client, loaded when somebody calls it."""
    if sys.modules.get(_NAME) is _PLACEHOLDER:
        del sys.modules[_NAME]
    importlib.import_module(_NAME).main()


_PLACEHOLDER = types.ModuleType(_NAME, "Placeholder for httpx's command-line client (see llmdoctor._httpx_cli).")
_PLACEHOLDER.main = _real_main  # type: ignore[attr-defined]


def install() -> None:
    """Puts the placeholder in place before httpx is first imported; a no-op once it has been."""
    if "httpx" not in sys.modules:
        sys.modules.setdefault(_NAME, _PLACEHOLDER)
