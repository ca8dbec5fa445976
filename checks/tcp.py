"""TCP to the API host (every address, IPv4 and IPv6 apart) or to the proxy when one applies."""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

from llmdoctor.check import BaseCheck
from llmdoctor.context import Context
from llmdoctor.model import CheckResult, Finding, Status, about, from_findings, passed, skipped
from llmdoctor.net.bounded import WallClockTimeout, call_with_cap
from llmdoctor.net.dialer import Dialed, dial_all
from llmdoctor.net.netpath import NetPath, path_of
from llmdoctor.net.tunnel import ProxyEndpoint, ProxyProblem, connect_to_proxy

CAUSES = {"refused": "net.connect_refused", "timeout": "net.connect_timeout", "unreachable": "net.unreachable",
          "error": "net.error"}


def _hint(outcome: str, where: str, proxy: str | None = None) -> str:
    local = f"export HTTPS_PROXY={proxy}: the proxy found on this machine" if proxy else \
        "set HTTPS_PROXY=http://127.0.0.1:<port> for a local one"
    return {
        "refused": f"Nothing listens on {where}: check the port in the base URL, and that the server is running "
                   "(a local model server: start it, e.g. `ollama serve`).",
        "timeout": f"Packets to {where} are dropped (a firewall, or a blocked region): use a proxy that can reach "
                   f"it ({local}) or a VPN.",
        "unreachable": f"This machine has no route to {where}: check the network connection, VPN, or IPv6 setup.",
    }.get(outcome, f"Check the network path to {where}.")


def _addresses(ctx: Context, path: NetPath, timeout: float) -> tuple[list[str], str]:
    """The addresses the SDK will try, in its order, and where they came from."""
    if path.pin:
        return [path.pin], "--resolve"
    if path.host_is_ip:
        return [path.host.strip("[]")], "literal"
    found = ctx.fact("dns", "addresses")
    if isinstance(found, list) and found:
        return [str(a) for a in found], "dns"
    infos = call_with_cap(lambda: socket.getaddrinfo(path.host, path.port, type=socket.SOCK_STREAM), timeout)
    return list(dict.fromkeys(str(info[4][0]) for info in infos)), "getaddrinfo"


def _found_proxy(ctx: Context) -> str | None:
    """The proxy the port scan found on this machine (the proxy-env check), to name in the advice.

    Asked only when a connect failed: a healthy connect does not wait for the machine's proxy
    settings and port scan, which run beside it."""
    env_result = ctx.consult("proxy-env")
    listeners = env_result.facts.get("listeners") if env_result is not None else None
    if isinstance(listeners, list) and listeners and isinstance(listeners[0], dict):
        url = listeners[0].get("suggested_url")
        return url if isinstance(url, str) else None
    return None


def _findings(dialed: list[Dialed], path: NetPath, ipv6_answers: bool,
              found_proxy: Callable[[], str | None] = lambda: None) -> list[Finding]:
    failed = [d for d in dialed if not d.ok]
    if not failed:
        return []
    proxy = found_proxy()
    where = path.authority
    if len(failed) == len(dialed):
        worst = failed[0]
        return [Finding(CAUSES[worst.outcome], f"TCP to {where} failed on every address: " + "; ".join(
            f"{d.address} {d.outcome}" for d in failed), _hint(worst.outcome, where, proxy), Status.FAIL, 0.9,
            {"addresses": [d.to_dict() for d in failed]})]
    v4_ok = any(d.ok and d.family == 4 for d in dialed)
    v6 = [d for d in dialed if d.family == 6]
    if ipv6_answers and v6 and v4_ok and not any(d.ok for d in v6):
        return [Finding("net.ipv6_broken", f"{path.host} has IPv6 addresses but IPv6 connects fail "
                        f"({v6[0].outcome}) while IPv4 works: the SDK tries IPv6 first and waits for it to fail "
                        "on every new connection", "Fix IPv6 routing, or make this machine prefer IPv4 "
                        "(add `precedence ::ffff:0:0/96 100` to /etc/gai.conf), or disable IPv6.",
                        Status.WARN, 0.8, {"failed": [d.to_dict() for d in v6]})]
    worst = failed[0]
    return [Finding(CAUSES[worst.outcome], f"{len(failed)} of {len(dialed)} addresses of {path.host} fail "
                    f"({', '.join(d.address + ' ' + d.outcome for d in failed)}); the SDK tries them in order",
                    _hint(worst.outcome, where, proxy), Status.WARN, 0.5)]


class TcpCheck(BaseCheck):
    """TCP connect to each resolved address (or to the proxy), timed, refused vs timeout vs unreachable."""

    name = "tcp"
    requires = ("dns", "proxy")
    consults = ("proxy-env",)  # the proxy the port scan found, named in the advice when a connect fails
    phase = "tcp"
    writes = ("connected_to", "connect_ms")

    def run(self, ctx: Context) -> CheckResult:
        path = path_of(ctx)
        if path is None:
            return skipped("the base URL cannot be parsed")
        timeout = ctx.timeout()
        ctx.step(f"a TCP connection to {path.authority}", "net.connect_timeout", host=path.host, port=path.port)
        if path.proxy.url is not None:
            return self._via_proxy(ctx, path, timeout)
        try:
            addresses, origin = _addresses(ctx, path, timeout)
        except (OSError, WallClockTimeout) as exc:
            return from_findings("", [Finding("dns.failure", f"{path.host} could not be resolved for the connect "
                                              f"({exc})", "See the dns check.", Status.FAIL, 0.6)])
        dialed = dial_all(addresses, path.port, timeout, keep_first=path.scheme == "https")
        first_ok = next((d for d in dialed if d.ok), None)
        ctx.http.path.connected_to = first_ok.address if first_ok else None
        if first_ok is not None and first_ok.sock is not None:  # the tls check's handshake goes over it
            ctx.http.handoff.leave(ctx.http.route("tcp", first_ok.address, path.host, path.port), first_ok.sock)
        facts: dict[str, Any] = {
            "via": "direct", "port": path.port, "addresses_from": origin,
            "addresses": [d.to_dict() for d in dialed],
            "connected_to": first_ok.address if first_ok else None,
            "connect_ms": first_ok.connect_ms if first_ok else None,
        }
        aaaa = ctx.fact("dns", "aaaa")
        ipv6_answers = bool(aaaa) or any(d.family == 6 for d in dialed)
        findings = _findings(dialed, path, ipv6_answers, lambda: _found_proxy(ctx))
        ok = f"{first_ok.address}:{path.port} in {first_ok.connect_ms} ms" if first_ok else ""
        if first_ok and len(dialed) > 1:
            ok += f" ({sum(d.ok for d in dialed)}/{len(dialed)} addresses reachable)"
        return about(from_findings(ok, findings, facts), host=path.host, port=path.port)

    def _via_proxy(self, ctx: Context, path: NetPath, timeout: float) -> CheckResult:
        assert path.proxy.url is not None
        proxy = ProxyEndpoint.parse(path.proxy.url)
        facts: dict[str, Any] = {"via": "proxy", "proxy": proxy.redacted, "port": proxy.port}
        # The proxy check's tunnel went over a TCP connection to this very proxy: report that one. A
        # second connection only to time it cost a round trip to a distant proxy (issue 18).
        peer, connect_ms = ctx.fact("proxy", "proxy_connected_to"), ctx.fact("proxy", "proxy_connect_ms")
        if not isinstance(peer, str) or not isinstance(connect_ms, (int, float)):
            try:
                sock, connect_ms = connect_to_proxy(proxy, timeout)
            except ProxyProblem as problem:
                return about(from_findings("", [problem.finding()], {**facts, **problem.facts}),
                             proxy=proxy.redacted)
            peer = str(sock.getpeername()[0])
            sock.close()
        facts.update(connected_to=str(peer), connect_ms=connect_ms,
                     tunnel_ms=ctx.fact("proxy", "proxy_handshake_ms"))
        return passed(f"proxy {proxy.address} in {connect_ms} ms; the proxy connects to {path.authority} "
                      "(tunnel checked by the proxy check)", facts)
