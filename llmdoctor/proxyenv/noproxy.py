"""NO_PROXY as each client reads it: httpx, requests (urllib's rules plus its own), and curl.

There is no standard: every client splits, matches and wildcards differently.
- httpx (`_utils.get_environment_proxies`): `*` anywhere disables all proxies; `.x.com` matches
  subdomains only; `*.x.com` too in httpx2 (httpx 0.28 turns it into `**.x.com`, which never
  matches); `x.com` matches x.com and subdomains; `host:port` only that port; IPv4/IPv6
  entries match that literal address — a CIDR such as `10.0.0.0/8` matches 10.0.0.0 itself and
  nothing else (verified with httpx's own URLPattern via `choose_proxy`).
- requests (`utils.should_bypass_proxies`): spaces removed, entries tested with `str.endswith`
  (so `x.com` also matches `myx.com`); IPv4 hosts are compared exactly or by CIDR; then urllib's
  `proxy_bypass_environment`: `*` only as the whole value, leading dots ignored.
- curl (lib/noproxy.c): `*` only as the whole value; leading and trailing dots ignored; tail
  match on a dot boundary; CIDR for IP literals since 7.86.0; a port in an entry never matches;
  blanks separate entries, but an entry followed by a blank and no comma ends the list (7.86+).
"""

from __future__ import annotations

import ipaddress
import urllib.parse

CURL_CIDR_VERSION = (7, 86)


def split_host(url: str) -> tuple[str, int | None, str]:
    """(host lower-cased without brackets, explicit port or None, scheme) of a URL."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "", None, ""
    try:
        port = parts.port
    except ValueError:
        port = None
    return (parts.hostname or "").lower(), port, parts.scheme.lower()


def _is_ipv4(text: str) -> bool:
    try:
        ipaddress.IPv4Address(text)
        return True
    except ValueError:
        return False


def _in_cidr(host: str, entry: str) -> bool:
    try:
        return ipaddress.ip_address(host) in ipaddress.ip_network(entry, strict=False)
    except ValueError:
        return False


def urllib_bypass(host: str, no_proxy: str, port: int | None = None) -> str | None:
    """CPython's `proxy_bypass_environment` (host as urllib sees it: `host[:port]`)."""
    if no_proxy == "*":
        return "*"
    hostport = f"{host}:{port}" if port else host
    for raw in no_proxy.split(","):
        name = raw.strip()
        if not name:
            continue
        bare = name.lstrip(".").lower()
        if host == bare or hostport == bare:
            return name
        if host.endswith("." + bare) or hostport.endswith("." + bare):
            return name
    return None


def requests_match(url: str, no_proxy: str) -> str | None:
    """requests' `should_bypass_proxies` for a NO_PROXY value (the entry that matched)."""
    host, port, _scheme = split_host(url)
    if not host:
        return "(no host)"
    entries = [h for h in no_proxy.replace(" ", "").split(",") if h]
    if _is_ipv4(host):
        for entry in entries:
            if "/" in entry:
                if _valid_cidr(entry) and _in_cidr(host, entry):
                    return entry
            elif host == entry:
                return entry
    else:
        with_port = f"{host}:{port}" if port else host
        for entry in entries:
            if host.endswith(entry) or with_port.endswith(entry):
                return entry
    return urllib_bypass(host, no_proxy, port)


def _valid_cidr(entry: str) -> bool:
    """requests' `is_valid_cidr`: an IPv4 network with a mask between 1 and 32."""
    address, _, mask = entry.partition("/")
    if not (mask.isascii() and mask.isdigit()) or not 1 <= int(mask) <= 32:
        return False
    return _is_ipv4(address)


def curl_match(url: str, no_proxy: str, version: tuple[int, int] = (8, 0)) -> str | None:
    """curl's `Curl_check_noproxy` (7.86+ rules, or the older ones for `version` < 7.86)."""
    host, _port, _scheme = split_host(url)
    if not host or not no_proxy:
        return None
    if no_proxy == "*":
        return "*"
    kind = "ipv6" if ":" in host else ("ipv4" if _is_ipv4(host) else "host")
    name = host.rstrip(".") if kind == "host" else host
    for token in _curl_tokens(no_proxy, version):
        if kind == "host" or version < CURL_CIDR_VERSION:
            pattern = token.rstrip(".") if version >= CURL_CIDR_VERSION else token
            pattern = pattern[1:] if pattern.startswith(".") else pattern
            pattern = pattern.lower()
            if pattern and (name == pattern or name.endswith("." + pattern)):
                return token
        else:
            address, slash, bits = token.partition("/")
            if slash:
                try:
                    network = ipaddress.ip_network(f"{address}/{int(bits)}", strict=False)
                    if ipaddress.ip_address(host) in network:
                        return token
                except ValueError:
                    continue
            else:
                try:
                    if ipaddress.ip_address(host) == ipaddress.ip_address(address):
                        return token
                except ValueError:
                    continue
    return None


def _curl_tokens(no_proxy: str, version: tuple[int, int]) -> list[str]:
    if version < CURL_CIDR_VERSION:
        return [t for t in no_proxy.replace(" ", ",").split(",") if t]
    tokens: list[str] = []
    rest = no_proxy
    while rest:
        rest = rest.lstrip(" \t")
        token = ""
        while rest and rest[0] not in " \t,":
            token, rest = token + rest[0], rest[1:]
        if token:
            tokens.append(token)
        rest = rest.lstrip(" \t")
        if not rest.startswith(","):
            break
        rest = rest.lstrip(",")
    return tokens


def entries(no_proxy: str) -> list[str]:
    return [e.strip() for e in no_proxy.split(",") if e.strip()]


def explain_entry(entry: str) -> dict[str, str]:
    """What each client does with one NO_PROXY entry, in words (for `llmdoctor env`)."""
    bare = entry.lstrip(".")
    address, slash, _bits = entry.partition("/")
    is_ip = _is_ipv4(address) or _is_ipv6(address)
    if entry == "*":
        return {"httpx": "disables every proxy", "requests": "disables every proxy only when it is the whole value",
                "curl": "disables every proxy only when it is the whole value"}
    if " " in entry or "\t" in entry:
        return {"httpx": "ignored (not a host name)", "requests": f"read as {entry.replace(' ', '')!r}",
                "curl": "blanks end the entry; 7.86+ stops reading the list there"}
    if "://" in entry:
        return {"httpx": f"matches only {entry} (scheme-specific)", "requests": "never matches",
                "curl": "never matches"}
    if slash and is_ip:
        return {"httpx": f"matches only the address {address} itself (httpx has no CIDR matching)",
                "requests": "CIDR match for IPv4 URLs" if _is_ipv4(address) else "never matches",
                "curl": "CIDR match since 7.86; never before"}
    if is_ip:
        same = f"matches {entry} only (not other names or addresses of the same host)"
        return {"httpx": same, "requests": same, "curl": same}
    if entry.startswith("*."):
        return {"httpx": f"httpx2 (openai >= 3, anthropic >= 2) matches subdomains of {entry[2:]}; "
                         "httpx 0.28 never matches it",
                "requests": "never matches (no wildcards)", "curl": "never matches (no wildcards)"}
    if ":" in entry.strip("[]"):
        return {"httpx": f"matches {entry} only with that port in the URL",
                "requests": "matches when the URL has that explicit port", "curl": "never matches (no ports)"}
    if entry.startswith("."):
        return {"httpx": f"matches subdomains of {bare} only, not {bare} itself",
                "requests": f"matches {bare} and its subdomains", "curl": f"matches {bare} and its subdomains"}
    if bare.lower() == "localhost":
        return {"httpx": "matches localhost only (not 127.0.0.1 or ::1)",
                "requests": "matches localhost only (not 127.0.0.1)", "curl": "matches localhost only (not 127.0.0.1)"}
    return {"httpx": f"matches {bare} and its subdomains",
            "requests": f"matches any host ending in {bare!r} (also e.g. my{bare})",
            "curl": f"matches {bare} and its subdomains"}


def _is_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text.strip("[]"))
        return True
    except ValueError:
        return False
