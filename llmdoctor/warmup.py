"""Loads the trust stores in a background thread while the main thread imports and parses.

Building an SSLContext from certifi's bundle or the OS store takes 50-70 ms on a 2-CPU VM, and
the proxy and tls checks need both. OpenSSL releases the GIL while it reads the certificates, so
a thread started with the run does this on the other CPU at no cost to the main thread (the proxy
check went from 65 ms to 14-24 ms of a healthy run). It only fills the cache of
`truststore.shared_ssl_context`: if the thread is slow or fails, the check builds the context itself.

Importing modules here as well (cryptography, the knowledge base) was measured and gained
nothing: imports hold the GIL, so they only compete with the main thread's own start-up.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Mapping

_THREAD: threading.Thread | None = None


def _warm(env: Mapping[str, str]) -> None:
    from llmdoctor.net.truststore import httpx_trust_store, shared_ssl_context, system_trust_store

    for store in (httpx_trust_store(env), system_trust_store()):
        with contextlib.suppress(Exception):  # a broken store is reported by the tls check itself
            shared_ssl_context(store)


def start(env: Mapping[str, str]) -> None:
    """Starts warming once per process; safe to call again."""
    global _THREAD
    if _THREAD is not None:
        return
    _THREAD = threading.Thread(target=_warm, args=(env,), name="llmdoctor-warmup", daemon=True)
    _THREAD.start()


def wait(seconds: float = 2.0) -> None:
    """Waits (at most `seconds`) for the warm-up, so the process never exits in the middle of it."""
    if _THREAD is not None:
        _THREAD.join(seconds)
