"""One client's decision for one URL, in one shape for every client (httpx, requests, curl, Node, Go…)."""

from __future__ import annotations

from dataclasses import dataclass, field

from llmdoctor.secrets import redact_url

DEFAULT_PORTS = {"http": 80, "https": 443, "socks": 1080, "socks4": 1080, "socks4a": 1080, "socks5": 1080,
                 "socks5h": 1080}


@dataclass(frozen=True)
class ClientDecision:
    """The proxy one client takes for one URL, and why. `proxy_url` is raw: never print it.

    `host`/`port` are where the client's first socket really goes when it takes the proxy: the
    port after the client's own defaults (port 0 or none) and the socket layer's wrap-around.
    """

    client: str
    source: str  # "env:https_proxy", "system:registry", "no_proxy", "none"
    proxy_url: str | None = field(default=None, repr=False)
    bypass: str | None = None
    problem: str | None = None  # why this client would fail before sending a request
    host: str | None = None
    port: int | None = None
    scheme: str | None = None
    version: str | None = None  # the version of the client the rules were read for
    interpreter: str | None = None  # the Python (or runtime) it lives in
    note: str | None = None  # what else a support engineer needs: trust store, switches, where the rule comes from

    @property
    def proxy(self) -> str | None:
        return redact_url(self.proxy_url) if self.proxy_url else None

    @property
    def route(self) -> str:
        """`fails`, `proxy` or `direct`: what a support engineer reads first."""
        return "fails" if self.problem else "proxy" if self.proxy_url else "direct"

    def outcome(self) -> tuple[object, ...]:
        """("error",) / ("direct",) / ("proxy", scheme, host, port): compared with the real clients in tests."""
        if self.problem:
            return ("error",)
        if not self.proxy_url:
            return ("direct",)
        return ("proxy", self.scheme, self.host, self.port)

    def to_dict(self) -> dict[str, object]:
        return {"client": self.client, "route": self.route, "proxy": self.proxy, "source": self.source,
                "bypassed_by": self.bypass, "problem": self.problem,
                "connects_to": f"{self.host}:{self.port}" if self.proxy_url and not self.problem else None,
                "version": self.version, "interpreter": self.interpreter, "note": self.note}

    def describe(self) -> str:
        if self.problem:
            return f"fails: {self.problem}"
        if self.proxy_url:
            return f"via {self.proxy} ({self.source})"
        if self.bypass:
            return f"direct (NO_PROXY entry {self.bypass!r})"
        return "direct (no proxy configured)"


def with_endpoint(decision: ClientDecision, scheme: str, host: str, port: int) -> ClientDecision:
    """The decision with where its socket goes (host lower-cased, brackets removed)."""
    from dataclasses import replace

    return replace(decision, scheme=scheme.lower(), host=host.strip("[]").lower(), port=port)
