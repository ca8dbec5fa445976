"""The network path of one target, as the user's SDK will take it: host, port, --resolve pin, proxy."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from llmdoctor.net.proxies import ProxyChoice
from llmdoctor.urls import split_url

if TYPE_CHECKING:
    from llmdoctor.context import Context


@dataclass(frozen=True)
class NetPath:
    url: str
    scheme: str
    host: str
    port: int
    pin: str | None  # the address --resolve HOST:PORT:ADDR pins, if any
    proxy: ProxyChoice

    @property
    def host_is_ip(self) -> bool:
        return ip_or_none(self.host) is not None

    @property
    def authority(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"

    @property
    def via_proxy(self) -> bool:
        return self.proxy.url is not None


def ip_or_none(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def path_of(ctx: Context) -> NetPath | None:
    """None when the base URL cannot be parsed (the endpoint check reports that)."""
    url = ctx.target.base_url.value
    parts = split_url(url)
    if parts is None or not parts.hostname or parts.scheme not in ("http", "https"):
        return None
    host = parts.hostname.lower()
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return NetPath(url, parts.scheme, host, port, ctx.settings.resolve.get((host, port)), ctx.http.proxy_for(url))
