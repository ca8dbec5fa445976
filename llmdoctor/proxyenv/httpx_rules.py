"""httpx 0.28 and httpx2 with trust_env=True: the mounts `Client()` builds from the environment, and the route.

Sources: httpx 0.28 `_utils.get_environment_proxies`, `_client._get_proxy_map`, `_config.Proxy`,
`_utils.URLPattern`; httpx2 2.x the same files. What differs, each checked against the real library
(tests/test_client_fidelity.py):
- httpx 0.28 turns every NO_PROXY entry into a `URLPattern` inside `Client()` and does not catch
  `InvalidURL`: an entry such as `[::1]`, `[::1]:11434` or `fd00::/8` makes *every* client creation
  raise, so every request of an SDK on httpx 0.28 fails. httpx2 drops such patterns.
- httpx2 matches CIDR entries (`10.0.0.0/8`, `fd00::/8`) against IP hosts; httpx 0.28 never does.
- httpx2 reads `*.example.com` as subdomains of example.com; httpx 0.28 makes it `**.example.com`.
- A proxy URL is parsed by httpx's `URL` (a leading blank gives "Unknown scheme", a trailing one is
  stripped, a non-numeric port raises InvalidURL, ports above 65535 are accepted); httpcore's
  `URL.origin` replaces port 0 by the scheme's default, and the socket layer wraps ports above 65535.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping
from typing import Any

from llmdoctor.net.proxies import urllib_proxies
from llmdoctor.proxyenv.decision import ClientDecision, with_endpoint
from llmdoctor.secrets import redact_url

SCHEMES = ("http", "https", "socks5", "socks5h")
CORE_PORTS = {"http": 80, "https": 443, "socks5": 1080, "socks5h": 1080}  # httpcore URL.origin


def _is_ip(text: str, version: int) -> bool:
    try:
        address = ipaddress.ip_address(text.split("/")[0])
    except ValueError:
        return False
    return address.version == version


def no_proxy_patterns(value: str, flavour: str) -> list[tuple[str, str]] | None:
    """(mount pattern, entry) per NO_PROXY entry; None when an entry is `*` (every proxy off)."""
    patterns: list[tuple[str, str]] = []
    for raw in value.split(","):
        host = raw.strip()
        if host == "*":
            return None
        if not host:
            continue
        if "://" in host:
            patterns.append((host, host))
        elif _is_ip(host, 4):
            patterns.append((f"all://{host}", host))
        elif _is_ip(host, 6):
            addr, slash, subnet = host.partition("/")
            if flavour == "httpx2" and slash:
                patterns.append((f"all://[{addr}]/{subnet}", host))
            else:
                patterns.append((f"all://[{host}]", host))
        elif host.lower() == "localhost":
            patterns.append((f"all://{host}", host))
        elif flavour == "httpx":
            patterns.append((f"all://*{host}", host))
        elif host.startswith("[") or (host.startswith("*.") and "/" not in host):
            patterns.append((f"all://{host}", host))
        elif "/" not in host:
            patterns.append((f"all://*{host}", host))
    return patterns


class Pattern:
    """httpx's URLPattern, with httpx2's CIDR networks; built on httpx's own URL parser."""

    def __init__(self, text: str, flavour: str) -> None:
        from httpx import URL, InvalidURL

        url = URL(text)  # raises InvalidURL as the real client does
        self.network: ipaddress.IPv4Network | ipaddress.IPv6Network | None = None
        prefix = url.path.removeprefix("/")
        if flavour == "httpx2" and prefix and (_is_ip(url.host, 4) or _is_ip(url.host, 6)):
            host = f"[{url.host}]" if ":" in url.host else url.host
            if "@" in text or "%" in text or not prefix.isdigit() or not text.endswith(f"{host}/{prefix}"):
                raise InvalidURL(f"Invalid network in {text!r}")
            try:
                self.network = ipaddress.ip_network(f"{url.host}/{prefix}", strict=False)
            except ValueError as exc:
                raise InvalidURL(f"Invalid network in {text!r}") from exc
        self.flavour = flavour
        self.scheme = "" if url.scheme == "all" else url.scheme
        self.host = "" if url.host == "*" else url.host
        self.port = url.port
        self.regex: re.Pattern[str] | None = None
        if self.network is None and url.host and url.host != "*":
            if url.host.startswith("*."):
                self.regex = re.compile(f"^.+\\.{re.escape(url.host[2:])}$")
            elif url.host.startswith("*"):
                self.regex = re.compile(f"^(.+\\.)?{re.escape(url.host[1:])}$")
            else:
                self.regex = re.compile(f"^{re.escape(url.host)}$")

    def matches(self, url: Any) -> bool:
        if self.scheme and self.scheme != url.scheme:
            return False
        if self.network is not None:
            try:
                if ipaddress.ip_address(url.host) not in self.network:
                    return False
            except ValueError:
                return False
        elif self.host and self.regex is not None and not self.regex.match(url.host):
            return False
        return not (self.port is not None and self.port != url.port)

    def priority(self) -> tuple[int, ...]:
        port = 0 if self.port is not None else 1
        if self.flavour == "httpx":
            return (port, -len(self.host), -len(self.scheme))
        kind = 1 if self.network is not None else 0 if self.host else 2
        size = self.network.num_addresses if self.network is not None else 0
        host = -len(self.host) if self.network is None else 0
        return (port, kind, size, host, -len(self.scheme))


def proxy_endpoint(value: str) -> tuple[str, str, int] | str:
    """(scheme, host, port the socket gets) of a proxy URL as httpx + httpcore read it, or the error text."""
    from httpx import URL

    try:
        url = URL(value)
    except Exception as exc:  # httpx.InvalidURL (bad port, bad host)
        return f"InvalidURL ({type(exc).__name__})"
    if url.scheme not in SCHEMES:
        return "ValueError: Unknown scheme for proxy URL"
    port = url.port or CORE_PORTS[url.scheme]  # httpcore: port 0 -> the default
    return url.scheme, url.host, port % 65536  # htons: CPython's socket layer wraps larger ports


def decide(url: str, env: Mapping[str, str], socksio: bool = True, client: str = "httpx",
           flavour: str = "httpx", source_name: str | None = None) -> ClientDecision:
    """What `httpx.Client()` (or httpx2) does with `url` in this environment."""
    from httpx import URL

    lib = "httpx 0.28" if flavour == "httpx" else "httpx2"
    info = urllib_proxies(env)
    try:
        request_url = URL(url)
    except Exception as exc:
        return ClientDecision(client, "none", problem=f"the URL cannot be parsed ({type(exc).__name__})")
    mounts: list[tuple[Pattern, str | None, str]] = []
    endpoints: dict[str, tuple[str, str, int]] = {}
    for scheme in ("http", "https", "all"):
        if scheme not in info:
            continue
        value, var = info[scheme]
        proxy = value if "://" in value else f"http://{value}"
        endpoint = proxy_endpoint(proxy)
        if isinstance(endpoint, str):
            return ClientDecision(client, source_name or f"env:{var}", proxy, None,
                                  f"{lib} raises {endpoint} for {var}={redact_url(value)!r} when the client is "
                                  "created: every request fails")
        if endpoint[0].startswith("socks") and not socksio:
            return ClientDecision(client, source_name or f"env:{var}", proxy, None,
                                  f"{lib} raises ImportError for {var}={redact_url(value)}: the 'socksio' package is "
                                  "not installed (pip install 'httpx[socks]')")
        endpoints[proxy] = endpoint
        mounts.append((Pattern(f"{scheme}://", flavour), proxy, var))
    no_value, no_var = info.get("no", ("", "NO_PROXY"))
    patterns = no_proxy_patterns(no_value, flavour)
    if patterns is None:
        return ClientDecision(client, "no_proxy", None, "*")
    for text, entry in patterns:
        try:
            mounts.append((Pattern(text, flavour), None, entry))
        except Exception as exc:
            if flavour == "httpx2":
                continue  # httpx2 ignores entries it cannot parse, like curl and Go
            return ClientDecision(client, f"env:{no_var}", None, None,
                                  f"httpx 0.28 raises {type(exc).__name__} for the {no_var} entry {entry!r} when the "
                                  "client is created: every request fails, whatever the URL")
    matches = [m for m in mounts if m[0].matches(request_url)]
    if not matches:
        return ClientDecision(client, "none")
    _pattern, chosen, var = sorted(matches, key=lambda m: m[0].priority())[0]
    if chosen is None:
        return ClientDecision(client, "no_proxy", None, var)
    scheme, host, port = endpoints[chosen]
    return with_endpoint(ClientDecision(client, source_name or f"env:{var}", chosen), scheme, host, port)
