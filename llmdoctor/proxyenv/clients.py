"""What each client does with one URL: httpx (and the SDKs built on it), requests, and curl.

Each decision is computed over the environment snapshot (and the OS settings Python reads when
no *_proxy variable is set), never by asking the live process.
"""

from __future__ import annotations

import fnmatch
import ipaddress
import re
from collections.abc import Mapping

from llmdoctor.net.proxies import urllib_proxies
from llmdoctor.proxyenv import curl_rules, httpx_rules, noproxy, requests_rules
from llmdoctor.proxyenv.decision import ClientDecision
from llmdoctor.proxyenv.stack import Installed, PythonStack
from llmdoctor.proxyenv.system import SystemProxySettings

__all__ = ["ClientDecision", "curl_decision", "decisions", "httpx_decision", "proxy_scheme", "requests_decision"]


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
    if not urllib_proxies(env) and system is not None and system.python_proxies:
        return httpx_rules.decide(url, system_env(system), socksio, client, flavour,
                                  f"system:{system.source or system.platform}")
    return httpx_rules.decide(url, env, socksio, client, flavour)


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


def requests_decision(url: str, env: Mapping[str, str], system: SystemProxySettings | None = None,
                      version: tuple[int, ...] = (2, 34), pysocks: bool = False) -> ClientDecision:
    """requests' `merge_environment_settings` + `select_proxy` + its adapter (else the OS proxies)."""
    if not urllib_proxies(env) and system is not None and system.python_proxies:
        host = noproxy.split_host(url)[0]
        return requests_rules.decide(url, env, system.python_proxies, version, pysocks,
                                     f"system:{system.source or system.platform}", _system_bypass(host, system))
    return requests_rules.decide(url, env, None, version, pysocks)


def curl_decision(url: str, env: Mapping[str, str], version: tuple[int, int] = (8, 0)) -> ClientDecision:
    """The curl binary (it never reads the Windows registry or macOS settings)."""
    return curl_rules.decide(url, env, version)


def decisions(url: str, env: Mapping[str, str], system: SystemProxySettings | None,
              installed: Installed) -> tuple[ClientDecision, ...]:
    """Every Python client and curl, each with the rules of its installed version.

    httpx (llmdoctor's own probes use it, and SDKs before openai 3 / anthropic 2), requests and
    curl are always described; httpx2 when the described Python has it.
    """
    from dataclasses import replace

    py = installed.python
    where = py.executable
    notes = trust_notes(env, py)
    missing = "not installed in this Python (the rules of the current release); "
    out = [replace(httpx_decision(url, env, system, py.socksio), version=py.packages.get("httpx"), interpreter=where,
                   note=("" if py.has("httpx") else missing) + notes["httpx"]),
           replace(requests_decision(url, env, system, py.version_of("requests") or (2, 34), py.pysocks),
                   version=py.packages.get("requests"), interpreter=where,
                   note=("" if py.has("requests") else missing) + notes["requests"]),
           replace(curl_decision(url, env, installed.curl_rules),
                   version=".".join(map(str, installed.curl)) if installed.curl else None,
                   note=notes["curl"] if installed.curl else "no curl on PATH (curl 8.0 rules); " + notes["curl"])]
    if py.has("httpx2"):
        out.append(replace(httpx_decision(url, env, system, py.socksio, "httpx2", "httpx2"),
                           version=py.packages.get("httpx2"), interpreter=where, note=notes["httpx2"]))
    return tuple(out)


def trust_notes(env: Mapping[str, str], py: PythonStack) -> dict[str, str]:
    """Which CAs each Python client and curl verify against (httpx `create_ssl_context`, requests
    `merge_environment_settings`, curl's tool: CURL_CA_BUNDLE, then SSL_CERT_FILE / SSL_CERT_DIR)."""
    certifi = str(py.ssl.get("certifi") or "certifi's bundle")
    httpx = (f"trusts SSL_CERT_FILE={env['SSL_CERT_FILE']}" if env.get("SSL_CERT_FILE") else
             f"trusts SSL_CERT_DIR={env['SSL_CERT_DIR']}" if env.get("SSL_CERT_DIR") else f"trusts {certifi}")
    bundle = env.get("REQUESTS_CA_BUNDLE") or env.get("CURL_CA_BUNDLE")
    requests = f"trusts {bundle} (REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE)" if bundle else f"trusts {certifi}"
    curl_bundle = env.get("CURL_CA_BUNDLE") or env.get("SSL_CERT_FILE") or env.get("SSL_CERT_DIR")
    curl = f"trusts {curl_bundle}" if curl_bundle else "trusts its built-in CA bundle"
    httpx2 = "trusts the system store (truststore)"
    if env.get("REQUESTS_CA_BUNDLE") and not env.get("SSL_CERT_FILE"):
        httpx += " (REQUESTS_CA_BUNDLE is ignored)"
    return {"httpx": httpx, "requests": requests, "curl": curl, "httpx2": httpx2}

