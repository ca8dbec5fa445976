"""Imports a module in a background thread while the calling check waits on the network.

An import holds the GIL, but a check blocked in a TLS handshake or a subprocess does not: the
tls check needs `cryptography` only after its handshake (a round trip it otherwise waits through
idle), so importing it during the handshake takes it off the run's critical path (about 45 ms on
a 2-CPU VM). A module that fails to import here is simply imported (or reported) by its user later.
"""

from __future__ import annotations

import contextlib
import importlib
import sys
import threading

_STARTED: set[str] = set()
_LOCK = threading.Lock()


def prefetch(module: str) -> None:
    """Starts importing `module` in a daemon thread, once per process; returns at once."""
    with _LOCK:
        if module in _STARTED or module in sys.modules:
            return
        _STARTED.add(module)
    threading.Thread(target=_load, args=(module,), name=f"llmdoctor-prefetch-{module}", daemon=True).start()


def _load(module: str) -> None:
    with contextlib.suppress(Exception):  # an optional dependency may be missing; its user falls back
        importlib.import_module(module)
