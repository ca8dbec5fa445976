"""The network path of one target, as the user's SDK will take it: host, port, --resolve pin, proxy."""

from __future__ import annotations

import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from llmdoctor.net.proxies import ProxyChoice
from llmdoctor.urls import ip_or_none, split_url

if TYPE_CHECKING:
    from llmdoctor.context import Context
    from llmdoctor.net.handoff import Route


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


def path_of(ctx: Context) -> NetPath | None:
    """None when the base URL cannot be parsed (the endpoint check reports that)."""
    url = ctx.target.base_url.value
    parts = split_url(url)
    if parts is None or not parts.hostname or parts.scheme not in ("http", "https"):
        return None
    host = parts.hostname.lower()
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return NetPath(url, parts.scheme, host, port, ctx.settings.resolve.get((host, port)), ctx.http.proxy_for(url))


def direct_address(ctx: Context, path: NetPath) -> str:
    """Where a direct connection goes: the address tcp connected to, the pin, the literal, or DNS's first
    (from the target's PathRecord, which the dns and tcp links fill)."""
    record = ctx.http.path
    if record.connected_to:
        return record.connected_to
    if path.pin:
        return path.pin
    if path.host_is_ip:
        return path.host.strip("[]")
    return record.first_address() or path.host


def socket_factory(ctx: Context, path: NetPath, timeout: float, reuse: bool = False) -> Callable[[], socket.socket]:
    """Opens the path the SDK's connection takes: a proxy tunnel (ProxyProblem on failure) or direct TCP.

    With `reuse`, the first call takes the connection the proxy or tcp check left (net/handoff.py).
    """
    from llmdoctor.net.tunnel import connect_tcp, open_tunnel

    if path.proxy.url is not None:
        proxy_url = path.proxy.url

        def fresh() -> socket.socket:
            return open_tunnel(proxy_url, path.host, path.port, timeout, ctx.http.ssl_context()).sock
    else:
        address = direct_address(ctx, path)

        def fresh() -> socket.socket:
            return connect_tcp(address, path.port, timeout)
    if not reuse:
        return fresh
    route = connection_route(ctx, path)
    return lambda: ctx.http.handoff.take(route) or fresh()


def connection_route(ctx: Context, path: NetPath) -> Route:
    """Where the proxy check's tunnel, or the tcp check's direct connection, leads (net/handoff.py)."""
    if path.proxy.url is not None:
        return ctx.http.route("tunnel", path.proxy.url, path.host, path.port)
    return ctx.http.route("tcp", direct_address(ctx, path), path.host, path.port)
