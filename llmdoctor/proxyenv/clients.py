"""What each client does with one URL: httpx (and the SDKs built on it), requests, and curl.

Each decision is computed over the environment snapshot (and the OS settings Python reads when
no *_proxy variable is set), never by asking the live process.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from llmdoctor.net.proxies import choose_proxy, environment_mounts, urllib_proxies
from llmdoctor.proxyenv import noproxy
from llmdoctor.proxyenv.system import SystemProxySettings
from llmdoctor.secrets import redact_url
from llmdoctor.urls import PROXY_SCHEMES, split_url

REQUESTS_SCHEMES = ("http", "https", "socks4", "socks4a", "socks5", "socks5h")  # urllib3 + PySocks
CURL_SCHEMES = ("http", "https", "socks", "socks4", "socks4a", "socks5", "socks5h")


@dataclass(frozen=True)
class ClientDecision:
    """The proxy one client takes for one URL, and why. `proxy_url` is raw: never print it."""

    client: str
    source: str  # "env:https_proxy", "system:registry", "no_proxy", "none"
    proxy_url: str | None = field(default=None, repr=False)
    bypass: str | None = None
    problem: str | None = None  # why this client would fail before sending a request

    @property
    def proxy(self) -> str | None:
        return redact_url(self.proxy_url) if self.proxy_url else None

    def to_dict(self) -> dict[str, object]:
        return {"client": self.client, "proxy": self.proxy, "source": self.source,
                "bypassed_by": self.bypass, "problem": self.problem}

    def describe(self) -> str:
        if self.problem:
            return f"fails: {self.problem}"
        if self.proxy_url:
            return f"via {self.proxy} ({self.source})"
        if self.bypass:
            return f"direct (NO_PROXY entry {self.bypass!r})"
        return "direct (no proxy configured)"


def proxy_scheme(url: str) -> str:
    return url.split("://", 1)[0].lower() if "://" in url else ""


def system_env(system: SystemProxySettings | None) -> dict[str, str]:
    """The OS proxies as the variables urllib would have returned them (no `no` entry: httpx skips the bypass)."""
    if system is None:
        return {}
    return {f"{scheme}_proxy": url for scheme, url in system.python_proxies.items()}


def httpx_decision(url: str, env: Mapping[str, str], system: SystemProxySettings | None = None,
                   socksio: bool = True, client: str = "httpx", flavour: str = "httpx") -> ClientDecision:
    """httpx with trust_env=True: the environment, else (Windows, macOS) the OS proxies via urllib."""
    source_env: Mapping[str, str] = env
    system_source = ""
    if not urllib_proxies(env) and system is not None and system.python_proxies:
        source_env, system_source = system_env(system), f"system:{system.source or system.platform}"
    try:
        choice = choose_proxy(url, source_env, flavour=flavour)
    except Exception as exc:  # an unparsable URL; httpx would raise the same before any proxy logic
        return ClientDecision(client, "none", problem=f"the URL cannot be parsed ({type(exc).__name__})")
    source = system_source or choice.source
    broken = _broken_mount(source_env, socksio)
    if broken:  # httpx builds every mount when the client is created: one bad value breaks every URL
        return ClientDecision(client, source, choice.url, choice.bypass, broken)
    if choice.url is None:
        return ClientDecision(client, source if choice.source != "no_proxy" else "no_proxy", None, choice.bypass)
    return ClientDecision(client, source, choice.url, None)


def _broken_mount(env: Mapping[str, str], socksio: bool) -> str | None:
    for _pattern, proxy, var in environment_mounts(env):
        if proxy is None:
            continue
        scheme = proxy_scheme(proxy)
        if scheme not in PROXY_SCHEMES:
            return (f"httpx raises ValueError (Unknown scheme for proxy URL) for {var}={redact_url(proxy)} "
                    "when the client is created")
        if split_url(proxy.strip()) is None:
            return f"httpx raises InvalidURL for {var}={redact_url(proxy)} (bad port) when the client is created"
        if scheme.startswith("socks") and not socksio:
            return (f"httpx raises ImportError for {var}={redact_url(proxy)}: the 'socksio' package is not "
                    "installed (pip install 'httpx[socks]')")
    return None


def _requests_no_proxy(env: Mapping[str, str]) -> str:
    # requests: `os.environ.get("no_proxy") or os.environ.get("NO_PROXY")`: an empty lower-case value falls through
    return env.get("no_proxy") or env.get("NO_PROXY") or ""


def _system_bypass(host: str, system: SystemProxySettings) -> str | None:
    """Windows `ProxyOverride` / macOS `ExceptionsList`, as urllib's proxy_bypass_* read them (no DNS lookup)."""
    for entry in system.bypass:
        if entry in ("<local>", "<simple hostnames>"):
            if "." not in host and ":" not in host:
                return entry
            continue
        if system.platform == "macos" and re.fullmatch(r"[\d.]+/\d+", entry):
            base, _, bits = entry.partition("/")
            parts = ([*base.split("."), "0", "0", "0"])[:4]
            try:
                if ipaddress.ip_address(host) in ipaddress.ip_network(f"{'.'.join(parts)}/{bits}", strict=False):
                    return entry
            except ValueError:
                continue
        elif fnmatch.fnmatchcase(host, entry.lower()):
            return entry
    return None


def requests_decision(url: str, env: Mapping[str, str], system: SystemProxySettings | None = None) -> ClientDecision:
    """requests' `get_environ_proxies` + `select_proxy` (keys scheme://host, scheme, all://host, all)."""
    host, _port, scheme = noproxy.split_host(url)
    env_proxies = {k: v for k, (v, _name) in urllib_proxies(env).items()}
    names = {k: name for k, (_v, name) in urllib_proxies(env).items()}
    proxies, from_system = env_proxies, False
    if not env_proxies and system is not None and system.python_proxies:
        proxies, from_system = dict(system.python_proxies), True
    bypass = noproxy.requests_match(url, _requests_no_proxy(env)) if _requests_no_proxy(env) else None
    if bypass is None and from_system and system is not None:
        bypass = _system_bypass(host, system)
    if bypass is not None:
        return ClientDecision("requests", "no_proxy", None, bypass)
    for key in (f"{scheme}://{host}", scheme, f"all://{host}", "all"):
        value = proxies.get(key)
        if value:
            source = f"system:{system.source}" if from_system and system else f"env:{names.get(key, key)}"
            proxy = value if "://" in value else f"http://{value}"
            problem = None  # SOCKS works only with PySocks (`pip install 'requests[socks]'`)
            if proxy_scheme(proxy) not in REQUESTS_SCHEMES:
                problem = f"requests/urllib3 do not support {proxy_scheme(proxy)}:// proxies"
            return ClientDecision("requests", source, proxy, None, problem)
    return ClientDecision("requests", "none")


def curl_decision(url: str, env: Mapping[str, str], version: tuple[int, int] = (8, 0)) -> ClientDecision:
    """curl's `detect_proxy`: `http_proxy` lower-case only; `https_proxy`, then `HTTPS_PROXY`; then
    `all_proxy`, `ALL_PROXY`. A variable that is set but empty stops the search. curl never reads the
    Windows registry or macOS settings."""
    _host, _port, scheme = noproxy.split_host(url)
    candidates = ["http_proxy"] if scheme == "http" else [f"{scheme}_proxy", f"{scheme.upper()}_PROXY"]
    candidates += ["all_proxy", "ALL_PROXY"]
    name = next((n for n in candidates if n in env), None)
    value = env.get(name, "") if name else ""
    no_proxy = env["no_proxy"] if "no_proxy" in env else env.get("NO_PROXY", "")
    if not value:
        return ClientDecision("curl", "none")
    bypass = noproxy.curl_match(url, no_proxy, version)
    if bypass is not None:
        return ClientDecision("curl", "no_proxy", None, bypass)
    proxy = value.strip() if "://" in value else f"http://{value.strip()}"
    problem = None
    if proxy_scheme(proxy) not in CURL_SCHEMES:
        problem = f"curl: Unsupported proxy scheme {proxy_scheme(proxy)}://"
    return ClientDecision("curl", f"env:{name}", proxy, None, problem)
