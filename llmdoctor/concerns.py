"""What a finding is about (host, addresses, port, proxy), so the diagnosis links causes by facts.

A check says what it saw in `Finding.facts`; a few keys have one meaning everywhere, and this module
reads only those: `host` (the API host name), `address` / `addresses` (where a connection went or
DNS pointed; strings, or dicts with an `address`), `port`, `proxy` (a proxy URL, compared by host and
port, never by its credentials). Two findings whose facts contradict (another host, addresses that do
not overlap, another proxy) cannot explain each other, whatever their layers; two that name the same
proxy, or the same address and port, are one fact (docs/diagnosis.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from llmdoctor.urls import split_url

# The fact keys with a shared meaning (documented in docs/diagnosis.md).
HOST, ADDRESS, ADDRESSES, PORT, PROXY = "host", "address", "addresses", "port", "proxy"


@dataclass(frozen=True)
class Concerns:
    """The subject of one finding: which target, check and layer, and the network facts it names."""

    target: str = ""
    check: str = ""
    layer: str = ""
    host: str | None = None
    addresses: frozenset[str] = frozenset()
    port: int | None = None
    proxy: str | None = None  # host:port of the proxy, credentials dropped

    def contradicts(self, other: Concerns) -> bool:
        """True when the two cannot be about the same thing (a fact missing on one side is no contradiction)."""
        if self.target and other.target and self.target != other.target:
            return True
        if self.host and other.host and self.host != other.host:
            return True
        if self.addresses and other.addresses and not self.addresses & other.addresses:
            return True
        return bool(self.proxy and other.proxy and self.proxy != other.proxy)

    @property
    def names_network(self) -> bool:
        """Whether the finding names a host, an address or a proxy at all."""
        return bool(self.host or self.addresses or self.proxy)

    def shares_fact(self, other: Concerns) -> bool:
        """The same host, an address in common, or the same proxy: a positive link, not just no contradiction."""
        if self.contradicts(other):
            return False
        return bool((self.host and self.host == other.host) or self.addresses & other.addresses
                    or (self.proxy and self.proxy == other.proxy))

    def same_subject(self, other: Concerns) -> bool:
        """One fact seen twice: the same proxy, or the same address and port."""
        if self.contradicts(other):
            return False
        if self.proxy and self.proxy == other.proxy:
            return True
        return bool(self.addresses & other.addresses and self.port is not None and self.port == other.port)


def proxy_key(url: str) -> str | None:
    """`host:port` of a proxy URL (scheme and credentials ignored), or None."""
    parts = split_url(url if "://" in url else "http://" + url)
    if parts is None or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    return f"{parts.hostname.lower()}:{port or ''}"


def _addresses(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value.strip("[]")
    elif isinstance(value, Mapping) and isinstance(value.get("address"), str):
        yield str(value["address"]).strip("[]")
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _addresses(item)


def concerns_of(facts: Mapping[str, Any], *, target: str = "", check: str = "", layer: str = "") -> Concerns:
    """The Concerns a finding's facts name."""
    host = facts.get(HOST)
    port = facts.get(PORT)
    proxy = facts.get(PROXY)
    found = frozenset(a for key in (ADDRESS, ADDRESSES) for a in _addresses(facts.get(key)) if a)
    return Concerns(target=target, check=check, layer=layer,
                    host=host.lower() if isinstance(host, str) and host else None,
                    addresses=found,
                    port=port if isinstance(port, int) and not isinstance(port, bool) else None,
                    proxy=proxy_key(proxy) if isinstance(proxy, str) and proxy else None)
