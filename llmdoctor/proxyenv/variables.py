"""The proxy variables themselves: which are set, upper/lower-case conflicts, malformed values.

What "malformed" means was checked against httpx 0.28 (`httpx.Client()` with the variable set):
a leading space or quotes give `ValueError: Unknown scheme for proxy URL`; a trailing space is
stripped; `socks://` and `socks4://` are unknown schemes; a value without a scheme is taken as
http://; `http:/host:port` becomes `http://http:/host:port` (host "http"); a path is kept but unused.
"""

from __future__ import annotations

import ipaddress
import urllib.parse
from collections.abc import Mapping

from llmdoctor.model import Finding, Status
from llmdoctor.proxyenv import noproxy
from llmdoctor.secrets import redact_url

KINDS = ("http", "https", "all", "no")
NAMES = tuple(n for kind in KINDS for n in (f"{kind.upper()}_PROXY", f"{kind}_proxy"))
# Ports where Clash, Clash Verge, v2rayN, Privoxy, Fiddler, Charles... serve plain HTTP (or mixed HTTP+SOCKS).
PLAIN_LOCAL_PORTS = frozenset({7890, 7897, 7899, 10809, 10811, 8080, 8118, 8888, 20171, 20172, 1087, 33210, 6152})
# Ports where the usual local proxies speak only SOCKS5: the scheme to write there is socks5h://, not http://.
# Clash's reference config: `port: 7890` (HTTP), `socks-port: 7891` (SOCKS5), `mixed-port` both; v2rayN's
# inbounds: 10808 socks, 10809 http; 1080 is SOCKS's registered port (Shadowsocks, ssh -D); ShadowsocksX-NG
# 1086 SOCKS / 1087 HTTP; v2rayA 20170 SOCKS / 20171-20172 HTTP (the labels in ports.py).
SOCKS_LOCAL_PORTS = frozenset({1080, 1086, 7891, 10808, 20170})
CAUSE = "env.proxy_misconfigured"


def present(env: Mapping[str, str]) -> dict[str, str]:
    """The proxy variables that exist in the snapshot (empty ones too), in a stable order."""
    return {name: env[name] for name in NAMES if name in env}


def shown(value: str) -> str:
    """The value without its password, also for `user:pass@host:port` written without a scheme."""
    if "://" not in value and "@" in value:
        return redact_url("http://" + value.strip())[len("http://"):]
    return redact_url(value)


def case_conflicts(env: Mapping[str, str]) -> list[Finding]:
    """Upper and lower case set differently: urllib (httpx, requests, the SDKs) and curl take lower case."""
    found: list[Finding] = []
    for kind in KINDS:
        upper, lower = f"{kind.upper()}_PROXY", f"{kind}_proxy"
        if upper not in env or lower not in env or env[upper].strip() == env[lower].strip():
            continue
        if not env[lower]:
            who = ("httpx and curl ignore NO_PROXY (the empty no_proxy wins); requests still reads NO_PROXY"
                   if kind == "no" else f"httpx, requests, the SDKs and curl all ignore {upper}")
            message = f"{lower} is set but empty, which unsets {upper}={shown(env[upper])}: {who}"
        else:
            message = (f"{upper}={shown(env[upper])} and {lower}={shown(env[lower])} differ; httpx, requests, "
                       f"the openai/anthropic SDKs and curl all use {lower} (lower case wins)")
        found.append(Finding(CAUSE, message, f"Set both to the same value, or unset one of them ({upper} or {lower}).",
                             Status.WARN, 0.6, {"upper": upper, "lower": lower}))
    return found


def _is_local(host: str) -> bool:
    try:
        addr = ipaddress.ip_address(host)
    except ValueError:
        return host == "localhost"
    return addr.is_loopback or addr.is_private


def value_findings(name: str, value: str) -> list[Finding]:
    """Problems with one *_PROXY value (not NO_PROXY), as httpx and the other clients read it."""
    if not value or name.lower() == "no_proxy":
        return []
    text = shown(value)
    fail, warn = Status.FAIL, Status.WARN
    if value != value.lstrip() or value[:1] in "\"'" or value.rstrip()[-1:] in "\"'":
        return [Finding(CAUSE, f"{name}={text!r} has a leading space or quotes; httpx rejects it "
                               "(ValueError: Unknown scheme for proxy URL)",
                        f"Set {name} to the bare URL, e.g. http://127.0.0.1:7890, without quotes.", fail, 0.9)]
    value = value.strip()
    if " " in value or "\t" in value:
        return [Finding(CAUSE, f"{name} contains a space ({text!r})", f"Set {name} to one bare proxy URL.", fail, 0.85)]
    if "://" not in value:
        if value.lower().startswith(("http:/", "https:/", "socks5:/", "socks5h:/")):
            return [Finding(CAUSE, f"{name}={text} is missing a slash after the scheme; httpx reads the host as "
                                   f"{value.split(':', 1)[0]!r}", f"Write {value.split(':', 1)[0]}://…", fail, 0.9)]
        assumed = shown(f"http://{value}")
        return [Finding(CAUSE, f"{name}={text} has no scheme; httpx, requests and curl assume http://",
                        f"Write it in full: {assumed} (or socks5h://… for a SOCKS port).", warn, 0.3)]
    scheme = value.split("://", 1)[0].lower()
    found: list[Finding] = []
    if scheme in ("socks", "socks4", "socks4a"):
        curl = "SOCKS4" if scheme != "socks4a" else "SOCKS4a"
        return [Finding(CAUSE, f"{name}={text}: httpx (and so the openai/anthropic SDKs) rejects {scheme}:// proxies "
                               f"(ValueError: Unknown scheme for proxy URL); curl reads it as {curl}",
                        f"Use {shown('socks5h://' + value.split('://', 1)[1])} (Clash and v2rayN speak SOCKS5 "
                        "on their socks port).", fail, 0.9)]
    if scheme not in ("http", "https", "socks5", "socks5h"):
        return [Finding(CAUSE, f"{name}={text}: unsupported proxy scheme {scheme}:// (httpx accepts http, https, "
                               "socks5, socks5h)", "Use http:// or socks5h://.", fail, 0.9)]
    try:
        parts = urllib.parse.urlsplit(value)
        port = parts.port
    except ValueError:
        return [Finding(CAUSE, f"{name}={text} has a bad port (must be a number from 1 to 65535)",
                        "Check the proxy's port in its settings (Clash: 7890, v2rayN: 10809).", fail, 0.9)]
    host = parts.hostname or ""
    hostport = parts.netloc.rsplit("@", 1)[-1]
    if not host:
        return [Finding(CAUSE, f"{name}={text} has no host", "Write it as http://HOST:PORT.", fail, 0.9)]
    if port is None and parts.netloc.endswith(":"):
        port = 0
    if port == 0:
        found.append(Finding(CAUSE, f"{name}={text}: port 0 cannot be connected to", "Use the proxy's real port.",
                             fail, 0.9))
    elif port is None:
        default = {"http": 80, "https": 443}.get(scheme, 1080)
        found.append(Finding(CAUSE, f"{name}={text} has no port: httpx uses {default}, curl 1080",
                             f"Add the port, e.g. {scheme}://{host}:7890.", warn, 0.5))
    if scheme == "https" and (port or 0) in SOCKS_LOCAL_PORTS:
        found.append(Finding(CAUSE, f"{name}={text} asks for TLS to the proxy itself, but port {port} is where "
                                    "local proxies (Clash's socks-port, v2rayN, Shadowsocks) speak SOCKS5, "
                                    "not HTTP or TLS", f"Use socks5h://{hostport} (pip install 'httpx[socks]'), or "
                                    "the proxy's HTTP port (Clash: 7890, v2rayN: 10809) with http://.", warn, 0.7))
    elif scheme == "https" and (_is_local(host) or (port or 0) in PLAIN_LOCAL_PORTS):
        found.append(Finding(CAUSE, f"{name}={text} asks for TLS to the proxy itself, but a local proxy on port "
                                    f"{port} (Clash, v2rayN…) almost always speaks plain HTTP: expect SSL "
                                    "WRONG_VERSION_NUMBER", f"Use http://{hostport} — the "
                                    "scheme is the proxy's protocol, even in HTTPS_PROXY.", warn, 0.7))
    if parts.path not in ("", "/") or parts.query:
        found.append(Finding(CAUSE, f"{name}={text} has a path; proxies are addressed by host and port only and "
                                    "the path is ignored", f"Remove the path: {scheme}://{hostport}",
                             warn, 0.3))
    if scheme == "socks5":
        found.append(Finding(CAUSE, f"{name} uses socks5://: httpx sends the host name to the proxy anyway, but curl "
                                    "and requests resolve it locally first (DNS leaks, poisoned answers)",
                             f"Use socks5h://{hostport} so every client lets the proxy "
                             "resolve names.", warn, 0.3))
    return found


def no_proxy_findings(name: str, value: str) -> list[Finding]:
    """NO_PROXY entries that the clients read differently (the per-target decisions show the effect)."""
    found: list[Finding] = []
    listed = noproxy.entries(value)
    warn = Status.WARN
    if "*" in listed and value.strip() != "*":
        found.append(Finding(CAUSE, f"{name} contains '*' among other entries: httpx then disables every proxy, "
                                    "requests and curl ignore the '*'", f"Use {name}=* alone, or drop the '*'.",
                             warn, 0.5))
    for entry in listed:
        address, slash, _bits = entry.partition("/")
        if slash and _ip(address):
            found.append(Finding(CAUSE, f"{name} entry {entry!r} is a CIDR range: httpx does not match ranges "
                                        f"(only {address} itself); requests (IPv4) and curl 7.86+ do",
                                 "For httpx list the addresses you need (e.g. 127.0.0.1, 10.0.0.5).", warn, 0.5))
        elif entry.startswith("*."):
            found.append(Finding(CAUSE, f"{name} entry {entry!r}: only httpx2 (openai >= 3, anthropic >= 2) "
                                        "understands '*.'; httpx 0.28, requests and curl never match it",
                                 f"Write {entry[1:]} (a leading dot works for every client).",
                                 warn, 0.4))
        elif " " in entry or "\t" in entry:
            found.append(Finding(CAUSE, f"{name} separates entries with spaces ({entry!r}); httpx ignores that entry "
                                        "and curl stops reading", f"Separate entries with commas: "
                                        f"{','.join(entry.split())}", warn, 0.6))
        elif "://" in entry:
            found.append(Finding(CAUSE, f"{name} entry {entry!r} has a scheme: only httpx reads it (for that scheme "
                                        "only)", "List host names only.", warn, 0.3))
    return found


def _ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
        return True
    except ValueError:
        return False


def all_findings(env: Mapping[str, str]) -> list[Finding]:
    found = case_conflicts(env)
    for name, value in present(env).items():
        if name.lower() == "no_proxy":
            found.extend(no_proxy_findings(name, value))
        else:
            found.extend(value_findings(name, value))
    return found
