"""One TLS handshake over a socket we opened (directly or through a proxy tunnel), fully described.

A verifying handshake tells whether the user's trust store accepts the server; a second,
non-verifying one reads the certificate that was rejected, and can ask the server for its
`Date` (a tiny HEAD /) to tell a wrong local clock from a wrong certificate.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email.utils
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from llmdoctor.net.certinfo import CertInfo, parse_der
from llmdoctor.signatures.tls import INTERCEPTORS  # issuer names of inspection products, shared with explain

SocketFactory = Callable[[], socket.socket]


@dataclass
class Handshake:
    """What one handshake showed; `error` is None when it completed."""

    ok: bool
    tls_ms: float | None = None
    protocol: str | None = None
    cipher: str | None = None
    alpn: str | None = None
    cert: CertInfo | None = None
    chain: list[CertInfo] = field(default_factory=list)
    error: BaseException | None = None
    server_date: dt.datetime | None = None
    sock: ssl.SSLSocket | None = field(default=None, repr=False)  # left open when asked (`keep`)
    # The certificates as the server sent them, read into `cert` and `chain` by `describe()`.
    der: bytes | None = field(default=None, repr=False)
    chain_der: list[bytes] = field(default_factory=list, repr=False)

    def describe(self) -> Handshake:
        """Reads the certificates (cryptography's parser); a caller in a hurry hands the connection on first."""
        if self.der is not None and self.cert is None:
            self.cert = parse_der(self.der)
            self.chain = [info for info in map(parse_der, self.chain_der) if info is not None]
        return self

    def facts(self) -> dict[str, Any]:
        return {"protocol": self.protocol, "cipher": self.cipher, "alpn": self.alpn,
                "cert": self.cert.to_dict() if self.cert else None,
                "chain": [{"subject": c.subject, "issuer": c.issuer} for c in self.chain]}


def unverified_context() -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_alpn_protocols(["http/1.1"])
    return ctx


def _chain(tls: ssl.SSLSocket) -> list[bytes]:
    """The whole chain on Python 3.13+ (`get_unverified_chain`, DER bytes); 3.11 only exposes the leaf."""
    getter = getattr(tls, "get_unverified_chain", None)
    if getter is None:
        return []
    return [item for item in getter() or [] if isinstance(item, bytes)]


def handshake(open_socket: SocketFactory, server_hostname: str | None, context: ssl.SSLContext,
              timeout: float, want_date: bool = False, host_header: str = "", keep: bool = False,
              describe: bool = True) -> Handshake:
    """Open a socket, handshake, describe; socket errors while opening propagate to the caller.

    With `keep` a completed handshake leaves the connection open in `Handshake.sock`, for the
    first API request to go over (net/handoff.py); without `describe` the certificates are read
    later, by `Handshake.describe()`.
    """
    raw = open_socket()
    raw.settimeout(timeout)
    start = time.perf_counter()
    try:
        tls = context.wrap_socket(raw, server_hostname=server_hostname)
    except (ssl.SSLError, OSError) as exc:  # TimeoutError is an OSError
        raw.close()
        return Handshake(False, error=exc)
    try:
        result = Handshake(True, round((time.perf_counter() - start) * 1000, 1), tls.version(),
                           (tls.cipher() or (None,))[0], tls.selected_alpn_protocol())
        result.der = tls.getpeercert(binary_form=True)
        result.chain_der = _chain(tls)
        if describe:
            result.describe()
        if want_date:
            result.server_date = server_date(tls, host_header or server_hostname or "", timeout)
        elif keep:
            result.sock, tls = tls, None  # type: ignore[assignment]
    finally:
        if tls is not None:
            tls.close()
    return result


def user_handshake(open_socket: SocketFactory, server_hostname: str, context: ssl.SSLContext,
                   timeout: float) -> Handshake:
    """The handshake of the user's trust store whose connection the first API request goes over: kept
    open, its certificates read later (`describe`). The tls check and the early path (net/early.py)
    make it with this one call, so the early one is the one the check would have made."""
    return handshake(open_socket, server_hostname, context, timeout, keep=True, describe=False)


def os_store_handshake(open_socket: SocketFactory, server_hostname: str, timeout: float) -> Handshake:
    """A handshake verified by the OS store (as httpx2/truststore-based SDKs and curl verify), for the
    tls check's comparison; made by the check or, opened early, by net/early.py."""
    from llmdoctor.net.truststore import shared_ssl_context, system_trust_store

    return handshake(open_socket, server_hostname, shared_ssl_context(system_trust_store()), timeout)


def server_date(tls: ssl.SSLSocket, host: str, timeout: float) -> dt.datetime | None:
    """The server's clock, from the last `Date` header of a HEAD / answer; None if it gave none."""
    try:
        tls.settimeout(timeout)
        tls.sendall(f"HEAD / HTTP/1.1\r\nHost: {host}\r\nUser-Agent: llmdoctor\r\nConnection: close\r\n\r\n"
                    .encode("ascii", "replace"))
        data = b""
        while b"\r\n\r\n" not in data and len(data) < 32768:
            chunk = tls.recv(4096)
            if not chunk:
                break
            data += chunk
    except (OSError, ssl.SSLError):
        return None
    found = None
    for line in data.split(b"\r\n\r\n", 1)[0].split(b"\r\n")[1:]:
        name, _, value = line.decode("latin-1").partition(":")
        if name.strip().lower() == "date":
            with contextlib.suppress(TypeError, ValueError):
                found = email.utils.parsedate_to_datetime(value.strip())
    if found is not None and found.tzinfo is None:
        found = found.replace(tzinfo=dt.timezone.utc)
    return found


# Organisations of public CAs that the big API hosts' certificates come from.
PUBLIC_CAS = (
    "digicert", "let's encrypt", "isrg", "google trust services", "sectigo", "comodo", "globalsign",
    "amazon", "cloudflare", "microsoft", "entrust", "godaddy", "starfield", "baltimore", "usertrust",
    "identrust", "certum", "ssl.com", "buypass", "actalis", "telia", "t-systems", "trustasia", "gts",
)


def interception_product(issuer: str) -> str | None:
    lowered = issuer.lower()
    return next((product for needle, product in INTERCEPTORS if needle in lowered), None)


def is_public_ca(issuer: str) -> bool:
    lowered = issuer.lower()
    return any(name in lowered for name in PUBLIC_CAS)
