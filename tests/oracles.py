"""The real clients, asked what they do with one environment and one URL: the oracle of the fidelity tests.

Each oracle runs the library's own code up to the moment it would open a socket and reports the
first address it would connect to, as a normalised outcome:
- ("direct",)                          no proxy;
- ("proxy", scheme, host, port)        the proxy and the port the socket really gets;
- ("error",)                           the client raises before sending anything.
httpx/httpx2: `Client()` (the mounts are built here, so a bad NO_PROXY entry raises here), then the
transport for the URL and httpcore's `URL.origin` (port 0 -> the scheme's default). requests: its
`merge_environment_settings` + `select_proxy` + the adapter's connection pool (urllib3 parses the
proxy URL there). curl: the `curl` binary itself with `-v`, every connection redirected to a closed
loopback port (`--connect-to`), so it never leaves loopback and never resolves a name.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import ssl
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

Outcome = tuple[Any, ...]
DIRECT: Outcome = ("direct",)
ERROR: Outcome = ("error",)
# Where curl's direct connections go: a closed loopback port (never a name, never off loopback).
CURL_SINK = ("127.0.0.3", 1)


@contextmanager
def environ(env: Mapping[str, str]) -> Iterator[None]:
    """os.environ replaced by `env` for the duration (httpx and requests read os.environ)."""
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


_CONTEXT = ssl.create_default_context()


def _socket_port(port: int) -> int:
    """The port CPython's socket layer really uses (htons: values above 65535 wrap around)."""
    return port % 65536


def httpx_like(module: Any, env: Mapping[str, str], url: str) -> Outcome:
    """httpx 0.28 (`module=httpx`) or httpx2 with trust_env=True."""
    return httpx_like_many(module, env, [url])[0]


def httpx_like_many(module: Any, env: Mapping[str, str], urls: Sequence[str]) -> list[Outcome]:
    """One `Client()` per environment (that is where the mounts are built), then the route per URL."""
    with environ(env):
        try:
            client = module.Client(verify=_CONTEXT)  # a ready context: TLS set-up plays no part in the route
        except Exception:
            return [ERROR for _ in urls]
    try:
        return [_route(module, client, url) for url in urls]
    finally:
        client.close()


def _route(module: Any, client: Any, url: str) -> Outcome:
    transport = client._transport_for_url(module.URL(url))
    pool = getattr(transport, "_pool", None)
    proxy = getattr(pool, "_proxy_url", None)
    if proxy is None:
        return DIRECT
    origin = proxy.origin
    host = origin.host.decode("ascii").strip("[]").lower()
    return ("proxy", proxy.scheme.decode("ascii"), host, _socket_port(origin.port))


def requests_route(env: Mapping[str, str], url: str) -> Outcome:
    """requests with trust_env=True: the proxy its adapter's connection pool is built for."""
    import requests
    from requests.utils import select_proxy

    with environ(env):
        session = requests.Session()
        try:
            settings = session.merge_environment_settings(url, {}, None, None, None)
        except Exception:
            return ERROR
    proxies = settings["proxies"]
    proxy = select_proxy(url, proxies)
    if not proxy:
        return DIRECT
    request = requests.Request("GET", url).prepare()
    adapter = session.get_adapter(url)
    try:
        conn = adapter.get_connection_with_tls_context(request, True, proxies=proxies)
    except Exception:
        return ERROR
    target = getattr(conn, "proxy", None)
    if target is None:  # SOCKS: urllib3's SOCKSProxyManager keeps the proxy in its pool kwargs
        # keyed by the proxy URL after prepend_scheme_if_needed (scheme lower-cased): this adapter has one
        manager = next(iter(adapter.proxy_manager.values()), None)
        options = getattr(manager, "proxy_url", None)
        if options is None:
            return DIRECT
        from urllib3.util import parse_url

        target = parse_url(options)
    scheme = (target.scheme or "http").lower()
    port = target.port or {"http": 80, "https": 443}.get(scheme, 1080)
    return ("proxy", scheme, (target.host or "").strip("[]").lower(), port)


@functools.lru_cache(maxsize=1)
def curl_version() -> tuple[int, int, int] | None:
    path = shutil.which("curl")
    if path is None:
        return None
    out = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10).stdout
    match = re.match(r"curl (\d+)\.(\d+)\.(\d+)", out)
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


_USES = re.compile(r"^\* Uses proxy env variable (\S+) == '(.*)'$", re.M)
_TRYING = re.compile(r"^\*\s+Trying (\[[^\]]+\]|[^:\s]+):(\d+)", re.M)


def curl_route(env: Mapping[str, str], url: str) -> Outcome:
    """The `curl` binary: which variable it used and the first address it tried."""
    path = shutil.which("curl")
    assert path is not None
    sink = f"::{CURL_SINK[0]}:{CURL_SINK[1]}"
    run_env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env}
    proc = subprocess.run([path, "-q", "-sS", "-v", "--max-time", "3", "--connect-to", sink, "-o", "/dev/null", url],
                          env=run_env, capture_output=True, text=True, timeout=10)
    err = proc.stderr
    tried = _TRYING.search(err)
    uses = next((m for m in _USES.finditer(err) if m.group(1).lower() != "no_proxy"), None)
    if tried is None:
        return ERROR
    host, port = tried.group(1).strip("[]"), int(tried.group(2))
    if (host, port) == CURL_SINK:
        return DIRECT
    if uses is None:
        return ERROR  # a route we cannot explain: never expected
    value = uses.group(2)
    scheme = value.split("://", 1)[0].lower() if "://" in value else "http"
    return ("proxy", scheme, host.lower(), port)
