"""The `curl` binary: which variable it reads, how it matches NO_PROXY, how it parses the proxy URL, per version.

Sources: curl lib/url.c `detect_proxy` / `parse_proxy`, lib/getenv.c, lib/noproxy.c (7.86 rewrite,
curl PR #9775), docs/DEPRECATE.md; checked against the installed curl in tests/test_client_fidelity.py.
- `curl_getenv` returns NULL for an empty value: an empty variable is *unset* for curl (an empty
  `https_proxy` does not hide `HTTPS_PROXY`, an empty `no_proxy` does not hide `NO_PROXY`).
- http:// reads `http_proxy` only (never `HTTP_PROXY`); other schemes `x_proxy`, then `X_PROXY`;
  then `all_proxy`, `ALL_PROXY`. NO_PROXY: `no_proxy`, then `NO_PROXY`; `*` only as the whole value.
- Name entries: leading and trailing dots ignored, case-insensitive, tail match on a dot boundary;
  a port in an entry never matches. IPv4 hosts: CIDR since 7.86.0 (a mask above 32 never matches).
  IPv6 hosts reach the matcher without brackets, so before 8.18.0 they are compared as names (the
  exact text only, no CIDR; curl PR #19828 fixed it); from 8.18.0 as addresses with CIDR.
- Blanks: 7.86.0-8.8.x accept blank-separated entries (with a deprecation warning); from 8.9.0 a
  blank followed by anything but a comma ends the list (DEPRECATE.md, "space-separated NOPROXY patterns").
- The proxy URL goes through curl's URL parser: blanks or quotes around it, a port above 65535 or
  a non-numeric port give "(5) Unsupported proxy syntax"; no port means 1080 (443 for https://);
  port 0 is used as is.
"""

from __future__ import annotations

import ipaddress
import re
import urllib.parse
from collections.abc import Mapping

from llmdoctor.proxyenv.decision import ClientDecision, with_endpoint
from llmdoctor.secrets import redact_url
from llmdoctor.urls import is_ipv4

SCHEMES = ("http", "https", "socks", "socks4", "socks4a", "socks5", "socks5h")
CIDR_VERSION = (7, 86)
SPACES_END_LIST = (8, 9)
IPV6_AS_ADDRESS = (8, 18)


def getenv(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    return value if value else None


def _cidr(host: str, check: str, bits: int, version: int) -> bool:
    """curl's Curl_cidr4_match / Curl_cidr6_match: bits 0 means the whole address."""
    limit = 32 if version == 4 else 128
    if bits > limit:
        return False
    try:
        address = ipaddress.ip_address(host)
        network = ipaddress.ip_address(check)
    except ValueError:
        return False
    if address.version != version or network.version != version:
        return False
    bits = bits or limit
    return ipaddress.ip_network(f"{network}/{bits}", strict=False) == ipaddress.ip_network(
        f"{address}/{bits}", strict=False)


def _tokens(no_proxy: str, version: tuple[int, int]) -> list[str]:
    if version < CIDR_VERSION:  # the pre-7.86 parser: commas and blanks both separate
        return [t for t in re.split(r"[,\s]+", no_proxy) if t]
    tokens: list[str] = []
    p = 0
    while p < len(no_proxy):
        while p < len(no_proxy) and no_proxy[p] in " \t":
            p += 1
        start = p
        while p < len(no_proxy) and no_proxy[p] not in " \t,":
            p += 1
        if p > start:
            tokens.append(no_proxy[start:p])
        while p < len(no_proxy) and no_proxy[p] in " \t":
            p += 1
        if p < len(no_proxy) and no_proxy[p] != ",":
            if version >= SPACES_END_LIST:
                break
            continue
        while p < len(no_proxy) and no_proxy[p] == ",":
            p += 1
    return tokens


def check_noproxy(host: str, no_proxy: str | None, version: tuple[int, int]) -> str | None:
    """curl's `Curl_check_noproxy` for a URL host (without brackets): the token that matched."""
    if not host or not no_proxy:
        return None
    if no_proxy == "*":
        return "*"
    ipv6 = ":" in host
    if is_ipv4(host) and version >= CIDR_VERSION:
        kind = "ipv4"
    elif ipv6 and version >= IPV6_AS_ADDRESS:
        kind = "ipv6"
    else:
        kind = "host"
    name = host[:-1] if kind == "host" and host.endswith(".") else host
    for token in _tokens(no_proxy, version):
        if kind == "host":
            pattern = token[:-1] if token.endswith(".") else token
            pattern = pattern[1:] if pattern.startswith(".") else pattern
            if not pattern:
                continue
            lower, low_name = pattern.lower(), name.lower()
            if low_name == lower or (len(lower) < len(low_name) and low_name.endswith(lower)
                                     and low_name[-len(lower) - 1] == "."):
                return token
        else:
            check, slash, bits_text = token.partition("/")
            digits = re.match(r"\s*[+-]?\d+", bits_text) if slash else None
            bits = int(digits.group(0)) if digits else 0  # atoi()
            if bits < 0:
                continue
            if _cidr(host, check, bits, 4 if kind == "ipv4" else 6):
                return token
    return None


def proxy_endpoint(value: str) -> tuple[str, str, int] | str:
    """curl's `parse_proxy` over its URL parser: (scheme, host, port) or the error text."""
    if value != value.strip() or any(c in value for c in " \t\"'"):
        return "(5) Unsupported proxy syntax"
    scheme, sep, rest = value.partition("://")
    if not sep:
        scheme, rest = "http", value
    scheme = scheme.lower()
    if scheme not in SCHEMES:
        return f"(5) Unsupported proxy scheme {scheme}://"
    authority = re.split(r"[/?#]", rest, maxsplit=1)[0]
    authority = authority.partition("@")[2] if "@" in authority else authority  # the first '@' ends the login
    match = re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[^:\[\]@]+)(?::(\d*))?", authority)
    if not match:
        return "(5) Unsupported proxy syntax"
    host, port_text = urllib.parse.unquote(match.group(1)), match.group(2)  # curl decodes %XX in the host
    if port_text:
        port = int(port_text)
        if port > 65535:
            return "(5) Unsupported proxy syntax"
    else:
        port = 443 if scheme == "https" else 1080
    return scheme, host, port


def decide(url: str, env: Mapping[str, str], version: tuple[int, int] = (8, 0)) -> ClientDecision:
    """What `curl URL` does: direct, the proxy it connects to, or the error it exits with."""
    import urllib.parse

    try:
        parts = urllib.parse.urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return ClientDecision("curl", "none", problem="curl cannot parse the URL")
    scheme = parts.scheme.lower()
    no_proxy = getenv(env, "no_proxy") or getenv(env, "NO_PROXY")
    matched = check_noproxy(host, no_proxy, version)
    if matched is not None:
        return ClientDecision("curl", "no_proxy", None, matched)
    candidates = ["http_proxy"] if scheme == "http" else [f"{scheme}_proxy", f"{scheme.upper()}_PROXY"]
    name = next((n for n in [*candidates, "all_proxy", "ALL_PROXY"] if getenv(env, n)), None)
    if name is None:
        return ClientDecision("curl", "none")
    value = env[name]
    where = proxy_endpoint(value)
    if isinstance(where, str):
        return ClientDecision("curl", f"env:{name}", value, None, f"curl: {where} in {name}={redact_url(value)!r}")
    return with_endpoint(ClientDecision("curl", f"env:{name}", value), *where)
