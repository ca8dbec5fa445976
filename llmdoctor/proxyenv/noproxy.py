"""NO_PROXY as each client reads it: httpx, requests (urllib's rules plus its own), and curl.

There is no standard: every client splits, matches and wildcards differently.
- httpx (`_utils.get_environment_proxies`): `*` anywhere disables all proxies; `.x.com` matches
  subdomains only; `*.x.com` too in httpx2 (httpx 0.28 turns it into `**.x.com`, which never
  matches); `x.com` matches x.com and subdomains; `host:port` only that port; IPv4/IPv6
  entries match that literal address — a CIDR such as `10.0.0.0/8` matches 10.0.0.0 itself and
  nothing else (verified with httpx's own URLPattern via `choose_proxy`).
- requests (`utils.should_bypass_proxies`): spaces removed; from 2.34 a name matches on a dot
  boundary (before, `str.endswith`: `x.com` also matched `myx.com`); IPv4 hosts are compared exactly
  or by CIDR; then urllib's `proxy_bypass_environment`. The rules live in `requests_rules`.
- curl (lib/noproxy.c): `*` only as the whole value; leading and trailing dots ignored; tail
  match on a dot boundary; CIDR for IPv4 since 7.86.0 (IPv6 from 8.18); a port in an entry never
  matches; blank-separated entries work in 7.86-8.8 and end the list from 8.9. The rules live in
  `curl_rules`; the functions here are thin views for one NO_PROXY value.
"""

from __future__ import annotations

import ipaddress
import urllib.parse

from llmdoctor.urls import is_ipv4

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


def urllib_bypass(host: str, no_proxy: str, port: int | None = None) -> str | None:
    """CPython's `proxy_bypass_environment` (the real stdlib function; host as urllib sees it)."""
    import urllib.request

    hostport = f"{host}:{port}" if port else host
    if not urllib.request.proxy_bypass_environment(hostport, {"no": no_proxy}):  # type: ignore[attr-defined]
        return None
    if no_proxy == "*":
        return "*"
    bypass = urllib.request.proxy_bypass_environment  # type: ignore[attr-defined]
    return next((e.strip() for e in no_proxy.split(",") if e.strip() and bypass(hostport, {"no": e.strip()})),
                no_proxy)


def requests_match(url: str, no_proxy: str, version: tuple[int, ...] = (2, 34)) -> str | None:
    """requests' `should_bypass_proxies` for one NO_PROXY value (the entry that matched): its own
    matching (`requests_rules.own_bypass`), then urllib's."""
    from llmdoctor.proxyenv import requests_rules

    host, _port, _scheme = split_host(url)
    if not host:
        return "(no host)"
    return requests_rules.own_bypass(url, no_proxy, version) or urllib_bypass(host, no_proxy)


def curl_match(url: str, no_proxy: str, version: tuple[int, int] = (8, 0)) -> str | None:
    """curl's `Curl_check_noproxy` for one NO_PROXY value, per curl version (`curl_rules`)."""
    from llmdoctor.proxyenv import curl_rules

    return curl_rules.check_noproxy(split_host(url)[0], no_proxy, version)


def entries(no_proxy: str) -> list[str]:
    return [e.strip() for e in no_proxy.split(",") if e.strip()]


def explain_entry(entry: str) -> dict[str, str]:
    """What each client does with one NO_PROXY entry, in words (for `llmdoctor env`)."""
    bare = entry.lstrip(".")
    address, slash, _bits = entry.partition("/")
    is_ip = is_ipv4(address) or _is_ipv6(address)
    if entry == "*":
        return {"httpx": "disables every proxy", "requests": "disables every proxy only when it is the whole value",
                "curl": "disables every proxy only when it is the whole value"}
    if " " in entry or "\t" in entry:
        return {"httpx": "ignored (not a host name)", "requests": f"read as {entry.replace(' ', '')!r}",
                "curl": "7.86-8.8: blanks separate entries; 8.9+: the list ends at the blank"}
    if "://" in entry:
        return {"httpx": f"matches only {entry} (scheme-specific)", "requests": "never matches",
                "curl": "never matches"}
    if entry.startswith("[") or (slash and _is_ipv6(address)):
        return {"httpx": "httpx 0.28 raises InvalidURL when the client is created (every request fails); "
                         "httpx2 " + ("matches the range" if slash else "ignores it"),
                "requests": "never matches (IPv6 entries are compared as text)",
                "curl": "CIDR match from 8.18; before, compared as text (never matches a range)"}
    if slash and is_ip:
        return {"httpx": f"httpx 0.28 never matches it (no CIDR); httpx2 matches the range {entry}",
                "requests": "CIDR match for IPv4 URLs" if is_ipv4(address) else "never matches",
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
            "requests": f"matches {bare} and its subdomains (before 2.34 any host ending in {bare!r}, e.g. my{bare})",
            "curl": f"matches {bare} and its subdomains"}


def _is_ipv6(text: str) -> bool:
    try:
        ipaddress.IPv6Address(text.strip("[]"))
        return True
    except ValueError:
        return False
