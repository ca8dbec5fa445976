"""The trust store the user's HTTP client verifies certificates against.

httpx 0.28 with `trust_env=True` loads `SSL_CERT_FILE`, else `SSL_CERT_DIR`, else certifi's bundle
(`httpx._config.create_ssl_context`); it ignores `REQUESTS_CA_BUNDLE` and `CURL_CA_BUNDLE`.
httpx2, under the recent official SDKs, verifies against the operating system's store (truststore).
"""

from __future__ import annotations

import functools
import os
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class TrustStore:
    kind: str  # "SSL_CERT_FILE" | "SSL_CERT_DIR" | "certifi" | "system"
    path: str | None
    problem: str | None = None  # e.g. the variable points at a missing file

    def to_dict(self) -> dict[str, str | None]:
        return {"kind": self.kind, "path": self.path, "problem": self.problem}


def httpx_trust_store(env: Mapping[str, str]) -> TrustStore:
    """What `httpx.Client()` verifies against, given the environment."""
    cert_file = env.get("SSL_CERT_FILE")
    if cert_file:
        if os.path.isfile(cert_file):
            return TrustStore("SSL_CERT_FILE", cert_file)
        return TrustStore("SSL_CERT_FILE", cert_file, f"SSL_CERT_FILE points at {cert_file}, which is not a file")
    cert_dir = env.get("SSL_CERT_DIR")
    if cert_dir:
        if os.path.isdir(cert_dir):
            return TrustStore("SSL_CERT_DIR", cert_dir)
        return TrustStore("SSL_CERT_DIR", cert_dir, f"SSL_CERT_DIR points at {cert_dir}, which is not a directory")
    try:
        import certifi

        return TrustStore("certifi", certifi.where())
    except ImportError:  # pragma: no cover - certifi comes with httpx
        return TrustStore("system", None)


def system_trust_store() -> TrustStore:
    paths = ssl.get_default_verify_paths()
    return TrustStore("system", paths.cafile or paths.capath)


def ssl_context_for(store: TrustStore) -> ssl.SSLContext:
    """A verifying client context for `store`, made the way httpx makes it: `ssl.create_default_context`
    with the bundle, so this Python's defaults apply (on 3.13+, VERIFY_X509_STRICT rejects a CA that
    breaks RFC 5280, for httpx and for us alike). A broken store gives a context that trusts nothing
    (verification fails visibly; the tls check reports the store)."""
    try:
        if store.kind == "system":
            ctx = ssl.create_default_context()
        elif store.kind == "SSL_CERT_DIR" and store.path:
            ctx = ssl.create_default_context(capath=store.path)
        elif store.path:
            ctx = ssl.create_default_context(cafile=store.path)
        else:
            ctx = _trusting_nothing()
    except (OSError, ssl.SSLError, ValueError):
        ctx = _trusting_nothing()
    # ALPN as httpx offers it, so servers answer the way they answer the SDK.
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx


def _trusting_nothing() -> ssl.SSLContext:
    """A verifying client context with no CA: every certificate fails, as it does for httpx."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # check_hostname and CERT_REQUIRED by default


def shared_ssl_context(store: TrustStore) -> ssl.SSLContext:
    """`ssl_context_for(store)`, built once per process while the file is unchanged.

    Loading certifi's or the OS bundle takes tens of milliseconds (73-88 ms on a 2-CPU VM), and
    every probe of every target asked for a fresh one. An SSLContext is safe to share between
    threads; callers must not modify it (build their own with `ssl_context_for` for that).
    A caller that asks while another thread builds the same context (llmdoctor/warmup.py) waits
    for that build instead of repeating it.
    """
    key = (store, _stamp(store.path))
    with _LOCKS_LOCK:
        lock = _LOCKS.setdefault(key, threading.Lock())
    with lock:
        return _cached_context(*key)


_LOCKS: dict[tuple[TrustStore, tuple[int, int] | None], threading.Lock] = {}
_LOCKS_LOCK = threading.Lock()


def _stamp(path: str | None) -> tuple[int, int] | None:
    try:
        info = os.stat(path) if path else None
    except OSError:
        return None
    return (info.st_mtime_ns, info.st_size) if info else None


@functools.lru_cache(maxsize=8)
def _cached_context(store: TrustStore, stamp: tuple[int, int] | None) -> ssl.SSLContext:
    return ssl_context_for(store)
