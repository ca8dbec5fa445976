"""The words the proxy modules share: a proxy URL taken apart, a diagnosed proxy failure, a timing helper.

Their own module because tunnel.py (which opens the tunnel) and the protocol modules it calls
(httpconnect.py for HTTP CONNECT, socks.py for SOCKS5) both need them; living in tunnel.py, they made
tunnel.py and its protocol modules import each other.
"""

from __future__ import annotations

import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from llmdoctor.model import Finding, Status
from llmdoctor.secrets import redact_url


class ProxyProblem(Exception):
    """A diagnosed proxy failure: cause id, plain message, the fix, and measured facts."""

    def __init__(self, cause: str, message: str, hint: str = "", facts: Mapping[str, Any] | None = None) -> None:
        super().__init__(message)
        self.cause = cause
        self.message = message
        self.hint = hint
        self.facts: dict[str, Any] = dict(facts or {})

    def finding(self, confidence: float = 0.9) -> Finding:
        """The one way a proxy failure becomes a finding, whichever check met it (proxy, tcp or tls)."""
        return Finding(self.cause, self.message, self.hint, Status.FAIL, confidence, self.facts)


@dataclass(frozen=True)
class ProxyEndpoint:
    """A proxy URL taken apart; the password is kept out of every repr."""

    url: str
    scheme: str
    host: str
    port: int
    username: str | None = field(default=None, repr=False)
    password: str | None = field(default=None, repr=False)

    @classmethod
    def parse(cls, url: str) -> ProxyEndpoint:
        text = url if "://" in url else f"http://{url}"
        parts = urllib.parse.urlsplit(text)
        scheme = parts.scheme.lower()
        default = {"http": 80, "https": 443}.get(scheme, 1080)
        user = urllib.parse.unquote(parts.username) if parts.username is not None else None
        password = urllib.parse.unquote(parts.password) if parts.password is not None else None
        return cls(text, scheme, (parts.hostname or "").lower(), parts.port or default, user, password)

    @property
    def redacted(self) -> str:
        return redact_url(self.url)

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def has_credentials(self) -> bool:
        return self.username is not None

    @property
    def is_socks(self) -> bool:
        return self.scheme.startswith("socks")

def ms_since(start: float) -> float:
    """Milliseconds since a `time.perf_counter()` reading, to one decimal (the unit of every timing fact)."""
    return round((time.perf_counter() - start) * 1000, 1)
