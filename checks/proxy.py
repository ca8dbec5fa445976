"""The proxy on the way to the API: chosen as httpx chooses it, reached, and asked for a tunnel."""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from typing import Any

from llmdoctor.check import BaseCheck
from llmdoctor.context import Context
from llmdoctor.model import CheckResult, Finding, Status, about, from_findings, passed, skipped
from llmdoctor.net.early import TUNNEL
from llmdoctor.net.netpath import connection_route, path_of
from llmdoctor.net.tunnel import ProxyEndpoint, ProxyProblem, open_tunnel
from llmdoctor.urls import validate_proxy_url

ModuleFinder = Callable[[str], Any]


def importable(name: str) -> Any:
    """The module when it really imports, else None: a missing or broken module is a finding, never a crash
    (find_spec alone says yes for a package whose import then fails, and raises for a blocked one)."""
    try:
        if importlib.util.find_spec(name) is None:
            return None
        return importlib.import_module(name)
    except (ImportError, ValueError):
        return None


def proxy_facts(choice_source: str, proxy: ProxyEndpoint, bypass: str | None = None) -> dict[str, Any]:
    """Who the proxy is and who resolves names; never the password."""
    return {
        "proxy": proxy.redacted,
        "scheme": proxy.scheme,
        "source": choice_source,
        "proxy_host": proxy.host,
        "proxy_port": proxy.port,
        # httpcore sends the host *name* to every proxy: CONNECT host:port, and SOCKS5 ATYP=DOMAIN even
        # for socks5:// (RECIPES §2), so local DNS does not matter to the SDK once a proxy applies.
        "resolves_names": "proxy",
        "credentials": proxy.has_credentials,
    }


class ProxyCheck(BaseCheck):
    """The proxy httpx would use: reachable, speaking its protocol, accepting the login, reaching the API."""

    name = "proxy"
    requires = ("endpoint",)
    phase = "proxy"
    writes = ("proxy_handshake_ms",)
    budget_timeouts = 4.0  # connect, handshake, and a protocol probe when the answer makes no sense

    def __init__(self, module_finder: ModuleFinder | None = None) -> None:
        # Where to look for socksio; a test can simulate an environment without it.
        self.module_finder: ModuleFinder = module_finder or importable

    def run(self, ctx: Context) -> CheckResult:
        path = path_of(ctx)
        if path is None:
            return skipped("the base URL cannot be parsed")
        choice = path.proxy
        if choice.url is None:
            if choice.bypass:
                return skipped(f"direct connection; no proxy applies (NO_PROXY entry {choice.bypass!r} covers "
                               f"{path.host})", {"proxy": None, "source": choice.source, "bypassed_by": choice.bypass})
            reason = "direct connection (--no-proxy)" if choice.source == "--no-proxy" else \
                "direct connection; no proxy applies"
            return skipped(reason, {"proxy": None, "source": choice.source})
        problem = validate_proxy_url(choice.url)
        proxy = ProxyEndpoint.parse(choice.url)
        facts = proxy_facts(choice.source, proxy)
        facts["target"] = path.authority
        if problem:
            return from_findings("", [Finding("proxy.invalid_url", f"the proxy URL from {choice.source} cannot be "
                                              f"used by httpx: {problem}", "Fix the proxy variable (e.g. "
                                              "HTTPS_PROXY=http://127.0.0.1:7890).", Status.FAIL, 0.9)], facts)
        if proxy.is_socks and self.module_finder("socksio") is None:
            return from_findings("", [Finding(
                "env.socks_dependency_missing",
                f"the proxy is {proxy.redacted} (from {choice.source}) but the 'socksio' package is missing, so "
                "httpx raises ImportError before sending anything",
                "pip install 'httpx[socks]' in the environment your application runs in.",
                Status.FAIL, 0.95)], facts)
        timeout = ctx.timeout()
        if proxy.is_socks:
            ctx.step(f"the SOCKS5 proxy's reply ({proxy.redacted}) to its greeting and CONNECT {path.authority}",
                     "proxy.socks_handshake_hang", proxy=proxy.redacted)
        else:
            ctx.step(f"the proxy's reply ({proxy.redacted}) to CONNECT {path.authority}", "proxy.not_responding",
                     proxy=proxy.redacted)
        # The tunnel opened while the checks loaded (net/early.py), if any: the TLS handshake over it
        # is already the tls check's, so this check only reads what it took.
        early = ctx.http.early.take(TUNNEL, connection_route(ctx, path))
        try:
            tunnel = early.result(timeout * 3 + 1.0) if early is not None else open_tunnel(
                choice.url, path.host, path.port, timeout, ctx.http.ssl_context() if proxy.scheme == "https" else None)
        except ProxyProblem as problem_seen:
            facts.update(problem_seen.facts)
            return about(from_findings("", [problem_seen.finding()], facts), proxy=proxy.redacted)
        if early is None and path.scheme == "https":  # the tls check's handshake goes over this very tunnel
            ctx.http.handoff.leave(connection_route(ctx, path), tunnel.sock)
        elif early is None:
            tunnel.close()  # (an early tunnel's socket belongs to the early TLS handshake)
        facts.update(tunnel.facts)
        facts.update(tunnel.timings)
        facts["proxy_handshake_ms"] = round(sum(v for k, v in tunnel.timings.items()
                                                if k != "proxy_connect_ms"), 1)
        how = "SOCKS5 CONNECT" if proxy.is_socks else "HTTP CONNECT"
        login = ", login accepted" if proxy.has_credentials else ""
        return passed(f"{how} to {path.authority} through {proxy.redacted} ({choice.source}){login}; "
                      f"the proxy resolves the host name", facts)
