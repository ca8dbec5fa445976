"""Go's net/http and Rust's reqwest: their documented proxy rules (no Go or Rust toolchain is needed to apply them).

Go, `http.ProxyFromEnvironment` = golang.org/x/net/http/httpproxy `FromEnvironment().ProxyFunc()`
(proxy.go): `HTTP_PROXY` then `http_proxy`, `HTTPS_PROXY` then `https_proxy`, `NO_PROXY` then
`no_proxy` — upper case first, an empty value counts as unset (`getEnvAny`); no ALL_PROXY; with
`REQUEST_METHOD` set (CGI) an http:// request refuses HTTP_PROXY ("refusing to use HTTP_PROXY value in
CGI environment; see golang.org/s/cgihttpproxy"); `localhost` and loopback IPs never use a proxy;
NO_PROXY entries are comma-separated, trimmed, lower-cased: `*` alone disables, IP and CIDR entries
match IP hosts, `example.com` matches it and its subdomains, `.example.com` and `*.example.com` the
subdomains only, `host:port` only that port; a proxy without a scheme is read as http://.

Rust, reqwest (src/proxy.rs `get_from_environment`, `NoProxy::from_env`, `DomainMatcher`;
docs.rs/reqwest "Proxies"): `HTTP_PROXY` / `http_proxy`, `HTTPS_PROXY` / `https_proxy`, then
`ALL_PROXY` / `all_proxy` (upper case first; a blank value is skipped), HTTP_PROXY ignored under CGI;
NO_PROXY / no_proxy with IP, CIDR and domain entries (a domain matches itself and its subdomains, a
leading dot likewise, never `notfoo.bar`); loopback is not special. Modelled on reqwest 0.12's
matcher, where ALL_PROXY is the fallback; reqwest 0.11's HashMap insert let a valid ALL_PROXY replace
HTTP(S)_PROXY. On Windows and macOS reqwest also reads the system proxy when no variable is set (not
modelled here). Trust: the `rustls-tls` feature with webpki roots (Codex CLI's default build) trusts
only Mozilla's bundled roots and ignores the system store and SSL_CERT_FILE; `native-tls` /
`rustls-tls-native-roots` use the system store.
"""

from __future__ import annotations

import ipaddress
import urllib.parse
from collections.abc import Mapping
from dataclasses import replace

from llmdoctor.proxyenv.decision import DEFAULT_PORTS, ClientDecision, with_endpoint


def _first(env: Mapping[str, str], *names: str) -> tuple[str, str] | None:
    """The first variable that is set to something (Go: non-empty; reqwest: not blank either)."""
    for name in names:
        if env.get(name, "").strip():
            return name, env[name]
    return None


def _ip_in(host: str, entry: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
        if "/" in entry:
            return address in ipaddress.ip_network(entry, strict=False)
        return address == ipaddress.ip_address(entry)
    except ValueError:
        return False


def go_no_proxy(host: str, port: int, no_proxy: str) -> str | None:
    """httpproxy's `useProxy` negated: the entry (or rule) that sends host:port direct."""
    if host == "localhost":
        return "(localhost: Go never proxies it)"
    try:
        if ipaddress.ip_address(host).is_loopback:
            return "(loopback: Go never proxies it)"
    except ValueError:
        pass
    for raw in no_proxy.split(","):
        entry = raw.strip().lower()
        if not entry:
            continue
        if entry == "*":
            return "*"
        if "/" in entry and _ip_in(host, entry):
            return raw.strip()
        name, sep, entry_port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
        if not sep:
            name = entry
        try:
            ipaddress.ip_address(name.strip("[]"))
            if _ip_in(host, name.strip("[]")) and (not entry_port or entry_port == str(port)):
                return raw.strip()
            continue
        except ValueError:
            pass
        if entry_port and entry_port != str(port):
            continue
        if name.startswith("*."):
            name = name[1:]
        if name.startswith("."):
            if host.endswith(name):
                return raw.strip()
        elif host == name or host.endswith("." + name):
            return raw.strip()
    return None


def _endpoint(decision: ClientDecision, value: str) -> ClientDecision:
    proxy = value if "://" in value else f"http://{value}"
    try:
        parts = urllib.parse.urlsplit(proxy)
        port = parts.port or DEFAULT_PORTS.get(parts.scheme.lower(), 80)
    except ValueError:
        return replace(decision, proxy_url=proxy, problem="the proxy URL does not parse (bad port)")
    if not parts.hostname:
        return replace(decision, proxy_url=proxy, problem="the proxy URL has no host")
    return with_endpoint(replace(decision, proxy_url=proxy), parts.scheme, parts.hostname, port)


def _split(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urllib.parse.urlsplit(url)
        scheme = parts.scheme.lower()
        return scheme, (parts.hostname or "").lower(), parts.port or DEFAULT_PORTS.get(scheme, 80)
    except ValueError:
        return None


def go_decision(url: str, env: Mapping[str, str], version: str | None = None) -> ClientDecision:
    split = _split(url)
    if split is None:
        return ClientDecision("go net/http", "none", problem="the URL cannot be parsed")
    scheme, host, port = split
    note = "documented rules (golang.org/x/net/http/httpproxy); trusts the system store and SSL_CERT_FILE"
    chosen = _first(env, "HTTPS_PROXY", "https_proxy") if scheme == "https" else _first(env, "HTTP_PROXY",
                                                                                          "http_proxy")
    base = ClientDecision("go net/http", "none", version=version, note=note)
    if chosen is None:
        return base
    if scheme == "http" and env.get("REQUEST_METHOD"):
        return replace(base, source=f"env:{chosen[0]}", problem="refusing to use HTTP_PROXY value in CGI "
                                                                "environment (REQUEST_METHOD is set)")
    no_proxy = _first(env, "NO_PROXY", "no_proxy")
    matched = go_no_proxy(host, port, no_proxy[1] if no_proxy else "")
    if matched is not None:
        return replace(base, source="no_proxy", bypass=matched)
    return _endpoint(replace(base, source=f"env:{chosen[0]}"), chosen[1])


def reqwest_decision(url: str, env: Mapping[str, str]) -> ClientDecision:
    split = _split(url)
    if split is None:
        return ClientDecision("rust reqwest", "none", problem="the URL cannot be parsed")
    scheme, host, _port = split
    note = ("documented rules (reqwest Proxy::system); rustls + webpki roots (e.g. Codex CLI) ignore the system "
            "store and SSL_CERT_FILE")
    base = ClientDecision("rust reqwest", "none", note=note)
    names = ["HTTPS_PROXY", "https_proxy"] if scheme == "https" else (
        [] if env.get("REQUEST_METHOD") else ["HTTP_PROXY", "http_proxy"])
    chosen = _first(env, *names, "ALL_PROXY", "all_proxy")
    if chosen is None:
        return base
    no_proxy = _first(env, "NO_PROXY", "no_proxy")
    for raw in (no_proxy[1].split(",") if no_proxy else []):
        entry = raw.strip().lower()
        if not entry:
            continue
        bare = entry.lstrip(".")
        if entry == "*" or _ip_in(host, entry) or host == bare or host.endswith("." + bare):
            return replace(base, source="no_proxy", bypass=raw.strip())
    return _endpoint(replace(base, source=f"env:{chosen[0]}"), chosen[1])
