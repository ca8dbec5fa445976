"""One table that turns transport exceptions into cause ids, most specific first.

An `ssl.SSLCertVerificationError` hides inside httpx's `ConnectError` (`__cause__`, then
`__context__`), so the whole chain is walked. Match on `verify_code` and message text, never on
`_ssl.c:NNNN` which changes between CPython builds. Checks never parse exception strings themselves.
Verify codes and socket errors are read from `llmdoctor.signatures`, the table `explain` uses too.
"""

from __future__ import annotations

import errno
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from llmdoctor.net.bounded import WallClockTimeout
from llmdoctor.signatures import errnos
from llmdoctor.signatures.tls import verdict_for_code


@dataclass(frozen=True)
class TransportFailure:
    """What a transport exception means: a cause id, a plain sentence, and the raw facts."""

    cause: str
    message: str
    facts: dict[str, Any] = field(default_factory=dict)


def exception_chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def _classify_ssl(exc: BaseException) -> TransportFailure | None:
    if isinstance(exc, (ssl.SSLWantReadError, ssl.SSLWantWriteError)):
        # A non-blocking TLS socket waiting for bytes ("The operation did not complete (read)"): what
        # an async client's ReadTimeout wraps. A state, not a TLS failure; the timeout names the cause.
        return None
    if isinstance(exc, ssl.SSLCertVerificationError):
        code = exc.verify_code
        cause, plain = verdict_for_code(code)
        return TransportFailure(cause, f"TLS certificate rejected: {plain} ({exc.verify_message})",
                                {"verify_code": code, "verify_message": exc.verify_message})
    text = str(exc)
    if isinstance(exc, ssl.SSLError) or "SSL" in text:
        if "WRONG_VERSION_NUMBER" in text or "wrong version number" in text:
            return TransportFailure("tls.protocol_mismatch",
                                    "the peer did not speak TLS (WRONG_VERSION_NUMBER): a plain-HTTP port, or an "
                                    "http:// proxy given as https://", {"ssl_error": "WRONG_VERSION_NUMBER"})
        if "UNEXPECTED_EOF" in text or isinstance(exc, ssl.SSLEOFError) or "EOF occurred" in text:
            return TransportFailure("tls.handshake_reset",
                                    "the connection was closed during the TLS handshake (EOF), typical of an "
                                    "SNI filter or a proxy that could not reach the host", {"ssl_error": "EOF"})
        if "CERTIFICATE_VERIFY_FAILED" in text:
            return TransportFailure("tls.verify_failed", f"TLS certificate rejected: {text}", {})
        if "handshake operation timed out" in text:
            return TransportFailure("net.tls_timeout", "the TLS handshake got no answer in time", {})
        if "TLSV1_ALERT" in text or "alert" in text.lower():
            return TransportFailure("tls.protocol_mismatch", f"the server aborted the TLS handshake: {text}", {})
        if isinstance(exc, ssl.SSLError):
            return TransportFailure("tls.protocol_mismatch", f"TLS error: {text}", {})
    return None


def _classify_proxy_text(text: str) -> TransportFailure | None:
    lowered = text.lower()
    if "socksio" in lowered and "not installed" in lowered:
        return TransportFailure("env.socks_dependency_missing",
                                "a SOCKS proxy is configured but the 'socksio' package is missing "
                                "(pip install 'httpx[socks]')", {})
    if "407" in text or "proxy authentication required" in lowered or "no acceptable methods" in lowered:
        return TransportFailure("proxy.auth_failed", "the proxy requires authentication and none was accepted "
                                f"({text})", {"proxy_answer": text})
    if "invalid username/password" in lowered or text.startswith("401"):
        return TransportFailure("proxy.auth_failed", f"the proxy rejected the credentials ({text})",
                                {"proxy_answer": text})
    if text[:3] in ("500", "502", "503", "504") or "could not connect" in lowered or "unable to connect" in lowered:
        return TransportFailure("proxy.upstream_failed", f"the proxy could not reach the API host ({text})",
                                {"proxy_answer": text})
    if "malformed reply" in lowered:
        return TransportFailure("proxy.protocol_mismatch", "the proxy's answer is not SOCKS5 (malformed reply)",
                                {"proxy_answer": text})
    return None


def classify(exc: BaseException, *, via_proxy: bool = False) -> TransportFailure:
    """Most specific first: SSL verify, SSL protocol, proxy answers, DNS, timeouts, socket errors."""
    chain = list(exception_chain(exc))
    names = {type(e).__name__ for e in chain}
    for item in chain:
        found = _classify_ssl(item)
        if found:
            return found
    for item in chain:
        if type(item).__name__ in ("ProxyError", "ProtocolError") or isinstance(item, ImportError):
            found = _classify_proxy_text(str(item))
            if found:
                return found
    for item in chain:
        if isinstance(item, socket.gaierror):
            return TransportFailure("dns.failure", f"the host name could not be resolved ({item})",
                                    {"errno": item.errno})
    for item in chain:
        if isinstance(item, WallClockTimeout):
            return TransportFailure("net.read_timeout", f"no complete answer within {item.seconds:.1f} s", {})
    if "ConnectTimeout" in names or "PoolTimeout" in names:
        if via_proxy:
            return TransportFailure("proxy.unreachable", "connecting through the proxy timed out", {})
        return TransportFailure("net.connect_timeout", "the TCP connection timed out (no answer to SYN: "
                                "blackholed address or a firewall dropping packets)", {})
    if "ReadTimeout" in names:
        return TransportFailure("net.read_timeout", "the connection was made but no answer came in time", {})
    if "WriteTimeout" in names:
        return TransportFailure("net.read_timeout", "sending the request timed out", {})
    for item in chain:
        if isinstance(item, OSError) and item.errno is not None:
            found = _classify_errno(item, via_proxy)
            if found:
                return found
    if "RemoteProtocolError" in names:
        return TransportFailure("server.protocol_error", f"the server broke the HTTP protocol ({exc})", {})
    if "DecodingError" in names:
        return TransportFailure("server.protocol_error", f"the body does not decode as its Content-Encoding says "
                                f"({_text(exc)})", {"exception": "DecodingError"})
    for item in chain:
        text = str(item).lower()
        if "connection refused" in text:
            return _classify_errno(ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused"), via_proxy) \
                or TransportFailure("net.connect_refused", str(item), {})
        if "reset by peer" in text:
            return TransportFailure("tls.handshake_reset", "the connection was reset", {})
        if "timed out" in text:
            return TransportFailure("net.read_timeout", f"timed out ({item})", {})
    return TransportFailure("net.error", _text(exc), {"exception": type(exc).__name__})


def _classify_errno(exc: OSError, via_proxy: bool) -> TransportFailure | None:
    code = exc.errno
    outcome = errnos.outcome_of(code)
    if outcome == errnos.REFUSED:
        if via_proxy:
            return TransportFailure("proxy.unreachable", "the proxy refused the connection: nothing listens on its "
                                    "address and port (is the proxy program running?)", {"errno": code})
        return TransportFailure("net.connect_refused", "the connection was refused: nothing listens on that "
                                "address and port", {"errno": code})
    if outcome == errnos.RESET:
        return TransportFailure("tls.handshake_reset", "the connection was reset by the peer or something in "
                                "between", {"errno": code})
    if outcome == errnos.TIMEOUT:
        return TransportFailure("net.connect_timeout", "the connection timed out", {"errno": code})
    if outcome == errnos.UNREACHABLE:
        return TransportFailure("net.unreachable", f"no route to the address ({exc.strerror})", {"errno": code})
    return None
