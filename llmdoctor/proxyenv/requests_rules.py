"""requests with trust_env=True: `merge_environment_settings`, `select_proxy`, and urllib3's reading of the proxy URL.

Sources: requests 2.x `utils.should_bypass_proxies`, `utils.select_proxy`, `utils.prepend_scheme_if_needed`,
`adapters.HTTPAdapter.get_connection_with_tls_context` / `proxy_manager_for`; urllib3 2.x
`util.url.parse_url`, `poolmanager.ProxyManager`; CPython `urllib.request.proxy_bypass_environment`
(called here, the real stdlib function). Checked against the real library in tests/test_client_fidelity.py.
- NO_PROXY is read twice: requests' own `os.environ.get("no_proxy") or os.environ.get("NO_PROXY")`
  (an empty lower-case value falls through to the upper-case one), then urllib's reading (lower case
  wins, an empty lower-case value hides the upper-case one).
- From requests 2.34 a name entry matches on a dot boundary (`openai.com` no longer matches
  `myopenai.com`); before, `str.endswith` matched any suffix.
- urllib3 refuses blanks around a proxy URL and ports above 65535; port 0 or none becomes 80
  (443 for https://); SOCKS needs PySocks (`pip install 'requests[socks]'`), otherwise InvalidSchema.
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse
import urllib.request
from collections.abc import Mapping

from llmdoctor.net.proxies import urllib_proxies
from llmdoctor.proxyenv.decision import ClientDecision, with_endpoint
from llmdoctor.secrets import redact_url
from llmdoctor.urls import is_ipv4

DOT_BOUNDARY = (2, 34)  # requests 2.34: should_bypass_proxies matches "." + entry

# urllib3.util.url's regular expressions (MIT), reduced to what a proxy URL can hold.
_SCHEME_RE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+-]*:|/)")
_URI_RE = re.compile(r"^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?://([^\\/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$",
                     re.DOTALL)
_HOST_PORT_RE = re.compile(r"^((?:[^\[\]%:/?#]|%[a-fA-F0-9]{2})*|\[[0-9A-Fa-f:.]+(?:%25[^\]]*)?\])"
                           r"(?::0*?(|0|[1-9][0-9]{0,4}))?$", re.DOTALL)
_INVALID_HOST_CHAR = re.compile(r"[\x00-\x20\x7f]")


class ParseError(ValueError):
    """urllib3's LocationParseError."""


def parse_url(url: str) -> tuple[str | None, str | None, str | None, int | None, str]:
    """urllib3's `parse_url`: (scheme, auth, host, port, path)."""
    if not url:
        return None, None, None, None, ""
    if not _SCHEME_RE.search(url):
        url = "//" + url
    match = _URI_RE.match(url)
    if match is None:
        raise ParseError(url)
    scheme, authority, path, _query, _fragment = match.groups()
    scheme = scheme.lower() if scheme else None
    auth = host = None
    port: int | None = None
    if authority:
        auth_text, _, host_port = authority.rpartition("@")
        auth = auth_text or None
        hp = _HOST_PORT_RE.fullmatch(host_port)
        if not hp:
            raise ParseError(host_port)
        host, port_text = hp.groups()
        if port_text:
            port = int(port_text)
            if not 0 <= port <= 65535:
                raise ParseError(url)
        elif port_text == "0":
            port = 0
    if host:
        if _INVALID_HOST_CHAR.search(host):
            raise ParseError(host)
        if scheme in (None, "http", "https"):
            host = host.lower()
    return scheme, auth, host, port, path or ""


def prepend_scheme(url: str) -> str:
    """requests' `prepend_scheme_if_needed(url, "http")`."""
    scheme, auth, host, port, path = parse_url(url)
    netloc = (f"{host}:{port}" if port else host) if host is not None else None
    if not netloc:
        netloc, path = path, ""
    if auth:
        netloc = f"{auth}@{netloc}"
    return urllib.parse.urlunparse((scheme or "http", netloc or "", path, "", "", ""))


def _valid_cidr(entry: str) -> bool:
    """requests' `is_valid_cidr`."""
    if entry.count("/") != 1:
        return False
    address, mask = entry.split("/")
    if not (mask.isascii() and mask.isdigit()) or not 1 <= int(mask) <= 32:
        return False
    return is_ipv4(address)


def own_bypass(url: str, no_proxy: str, version: tuple[int, ...]) -> str | None:
    """requests' own part of `should_bypass_proxies`: the entry that matched, or None."""
    parts = urllib.parse.urlparse(url)
    hostname = parts.hostname
    if hostname is None:
        return "(no host)"
    if not no_proxy:
        return None
    entries = [h for h in no_proxy.replace(" ", "").split(",") if h]
    if is_ipv4(hostname):
        for entry in entries:
            if _valid_cidr(entry):
                if ipaddress.IPv4Address(hostname) in ipaddress.IPv4Network(entry, strict=False):
                    return entry
            elif hostname == entry:
                return entry
        return None
    try:
        port = parts.port
    except ValueError:
        port = None
    with_port = f"{hostname}:{port}" if port else hostname
    for entry in entries:
        if version >= DOT_BOUNDARY:
            bare = entry.lstrip(".")
            if hostname == bare or with_port == bare or hostname.endswith("." + bare) or \
                    with_port.endswith("." + bare):
                return entry
        elif hostname.endswith(entry) or with_port.endswith(entry):
            return entry
    return None


def urllib_bypass(url: str, env: Mapping[str, str]) -> str | None:
    """urllib's `proxy_bypass_environment(hostname)` over the snapshot (the real stdlib function)."""
    info = urllib_proxies(env)
    if "no" not in info:
        return None
    hostname = urllib.parse.urlparse(url).hostname or ""
    value = info["no"][0]
    if urllib.request.proxy_bypass_environment(hostname, {"no": value}):  # type: ignore[attr-defined]
        return value if value == "*" else next((e.strip() for e in value.split(",") if e.strip() and
                                                urllib.request.proxy_bypass_environment(  # type: ignore[attr-defined]
                                                    hostname, {"no": e.strip()})), value)
    return None


def select(url: str, proxies: Mapping[str, str]) -> tuple[str, str] | None:
    """requests' `select_proxy`: (key, proxy URL) for scheme://host, scheme, all://host, all."""
    parts = urllib.parse.urlparse(url)
    if parts.hostname is None:
        keys = [parts.scheme, "all"]
    else:
        keys = [f"{parts.scheme}://{parts.hostname}", parts.scheme, f"all://{parts.hostname}", "all"]
    for key in keys:
        if key in proxies:
            return key, proxies[key]
    return None


def endpoint(proxy: str, pysocks: bool) -> tuple[str, str, int] | str:
    """(scheme, host, port) the adapter's pool connects to, or why building it raises."""
    try:
        fixed = prepend_scheme(proxy)
        scheme, _auth, host, port, _path = parse_url(fixed)
    except ParseError:
        return "urllib3 LocationParseError (a blank, quote or bad port in the proxy URL)"
    if not host:
        return "InvalidProxyURL (no host in the proxy URL)"
    scheme = scheme or "http"
    if fixed.lower().startswith("socks"):
        if not pysocks:
            return "InvalidSchema: Missing dependencies for SOCKS support (pip install 'requests[socks]')"
        if scheme not in ("socks4", "socks4a", "socks5", "socks5h"):
            return f"ValueError: Unable to determine SOCKS version from {scheme}://"
        return scheme, urllib.parse.unquote(host), port or 1080
    if scheme not in ("http", "https"):
        return f"ProxySchemeUnknown: {scheme}://"
    return scheme, urllib.parse.unquote(host), port or {"https": 443}.get(scheme, 80)  # the socket gets it decoded


def decide(url: str, env: Mapping[str, str], proxies: Mapping[str, str] | None = None,
           version: tuple[int, ...] = (2, 34), pysocks: bool = False, source_name: str | None = None,
           system_bypass: str | None = None) -> ClientDecision:
    """requests.get(url) with trust_env: direct, the proxy and its socket address, or the exception."""
    try:
        urllib.parse.urlparse(url).port  # noqa: B018 - requests raises the same ValueError first
    except ValueError as exc:
        return ClientDecision("requests", "none", problem=f"the URL cannot be parsed ({exc})")
    info = urllib_proxies(env)
    env_proxies = {k: v for k, (v, _n) in info.items()}
    names = {k: n for k, (_v, n) in info.items()}
    table = dict(proxies) if proxies is not None else env_proxies
    own = env.get("no_proxy") or env.get("NO_PROXY") or ""
    bypass = own_bypass(url, own, version) or urllib_bypass(url, env) or system_bypass
    if bypass is not None:
        return ClientDecision("requests", "no_proxy", None, bypass)
    chosen = select(url, table)
    if chosen is None or not chosen[1]:
        return ClientDecision("requests", "none")
    key, proxy = chosen
    source = source_name or f"env:{names.get(key, key)}"
    where = endpoint(proxy, pysocks)
    if isinstance(where, str):
        return ClientDecision("requests", source, proxy, None,
                              f"requests raises {where} for {redact_url(proxy)!r}: every request fails")
    return with_endpoint(ClientDecision("requests", source, proxy), *where)
