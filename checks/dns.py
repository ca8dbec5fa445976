"""Name resolution of the API host (and the proxy's host) as the SDK does it, compared with DNS servers."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from llmdoctor.check import BaseCheck
from llmdoctor.context import Context
from llmdoctor.model import CheckResult, Finding, Status, from_findings, naming, passed, skipped
from llmdoctor.net.netpath import NetPath, path_of
from llmdoctor.net.resolver import DnsPythonResolver, Lookup, Resolver, SystemResolver
from llmdoctor.net.tunnel import ProxyEndpoint
from llmdoctor.urls import ip_or_none, is_local_host

FAKE_IP = ipaddress.ip_network("198.18.0.0/15")  # RFC 2544 benchmarking; Clash/Mihomo/Surge fake-IP mode
KINDS = {
    "nxdomain": ("the name does not exist (NXDOMAIN)", "Check the spelling of the host in the base URL; if it is "
                 "right, your DNS filters it: try --dns-server 1.1.1.1 to compare, or use a proxy."),
    "no_answer": ("the name exists but has no A or AAAA address (NODATA)", "Check the host in the base URL: the "
                  "name is there but has no address record."),
    "servfail": ("the DNS server failed to answer (SERVFAIL)", "Your DNS server cannot resolve it right now: switch "
                 "DNS servers (e.g. 1.1.1.1 or 8.8.8.8) or use a proxy that resolves names (socks5h://)."),
    "refused": ("the DNS server refused the query (REFUSED)", "Your DNS server will not answer for this name: use "
                "another DNS server, or a proxy that resolves names (socks5h://)."),
    "temporary": ("temporary failure in name resolution (SERVFAIL, REFUSED or no answer)", "Check the DNS servers "
                  "in /etc/resolv.conf (or your network settings), your VPN, and compare with --dns-server 1.1.1.1."),
    "timeout": ("no DNS server answered in time", "Check the network connection, VPN and the DNS servers in "
                "/etc/resolv.conf; compare with --dns-server 1.1.1.1."),
    "error": ("the lookup failed", "Compare with --dns-server 1.1.1.1."),
}


def _bad(address: str) -> bool:
    ip = ip_or_none(address)
    return ip is not None and not ip.is_global


class DnsCheck(BaseCheck):
    """The host's addresses from the system resolver (what the SDK uses) and from DNS servers, compared."""

    name = "dns"
    requires = ("endpoint",)
    phase = "dns"
    writes = ("addresses", "a", "aaaa", "dns_ms")

    def __init__(self, system: Resolver | None = None,
                 configured: Callable[[], list[Resolver]] | None = None) -> None:
        # Tests stand a dnspython resolver on a loopback DNS server in for the system and the configured ones.
        self.system: Resolver = system or SystemResolver()
        self.configured = configured or (lambda: [r for r in [DnsPythonResolver.from_system()] if r is not None])

    def run(self, ctx: Context) -> CheckResult:
        path = path_of(ctx)
        if path is None:
            return skipped("the base URL cannot be parsed")
        base = {"host": path.host, "proxy_resolves_names": path.via_proxy}
        if path.host_is_ip:
            return passed(f"{path.host} is an IP address: no DNS needed",
                          {**base, "addresses": [path.host.strip("[]")], "dns_ms": 0.0, "literal": True})
        if path.pin:
            return passed(f"{path.host} is pinned to {path.pin} by --resolve: no lookup needed",
                          {**base, "addresses": [path.pin], "pinned": path.pin, "dns_ms": 0.0})
        timeout = ctx.timeout()
        ctx.step(f"the DNS answer for {path.host}", "dns.failure", host=path.host)
        others: list[Resolver] = []
        if not is_local_host(path.host):  # localhost and *.local never go to a DNS server
            others = [DnsPythonResolver(list(ctx.settings.dns_servers), "--dns-server")] \
                if ctx.settings.dns_servers else self.configured()
        resolvers: list[Resolver] = [self.system, *others]
        with ThreadPoolExecutor(max_workers=len(resolvers), thread_name_prefix="llmdoctor-lookup") as pool:
            lookups = list(pool.map(lambda r: r.lookup(path.host, path.port, timeout), resolvers))
        system, compared = lookups[0], lookups[1:]
        ctx.http.path.addresses = tuple(system.ordered)  # where the SDK's connection will go (net/netpath.py)
        facts: dict[str, Any] = {**base, "addresses": system.ordered, "a": system.a, "aaaa": system.aaaa,
                                 "dns_ms": system.ms, "resolvers": [lk.to_dict() for lk in lookups]}
        # What the lookups said is about the API host: the diagnosis links it by that fact (concerns.py),
        # so it cannot be read as the reason a proxy at another address refused.
        findings = [naming(f, host=path.host) for f in (*self._system_findings(path, system, compared),
                                                        *self._comparisons(path, system, compared))]
        findings += self._proxy_host(ctx, path, timeout, facts)
        if path.via_proxy:
            findings = [_soften(f) for f in findings]
        ok = f"{path.host} -> {', '.join(system.ordered[:4])} in {system.ms} ms"
        if path.via_proxy:
            ok += " (the proxy resolves names for the SDK)"
        return from_findings(ok, findings, facts)

    def _system_findings(self, path: NetPath, system: Lookup, compared: list[Lookup]) -> list[Finding]:
        if not system.ok:
            what, hint = KINDS.get(system.failure or "error", KINDS["error"])
            elsewhere = next((c for c in compared if c.ok), None)
            message = f"{path.host} cannot be resolved by the system resolver: {what}"
            if elsewhere is not None:
                message += f"; {elsewhere.resolver} resolves it ({', '.join(elsewhere.ordered[:3])})"
            if path.via_proxy:
                message += "; your proxy resolves names, so the SDK does not need local DNS"
            return [Finding("dns.failure", message, hint, Status.FAIL, 0.9,
                            {"kind": system.failure, "resolver": system.resolver, "detail": system.detail})]
        if is_local_host(path.host):
            return []
        bad = [a for a in system.ordered if _bad(a)]
        if not bad:
            return []
        fake = [a for a in bad if (ip := ip_or_none(a)) is not None and ip in FAKE_IP]
        # A suspicion, never a block (docs/diagnosis.md): split-horizon DNS to an egress gateway, a hosts-file
        # entry for a local relay and fake-IP all answer this way and work. Later checks at this address
        # decide; the diagnosis makes this the root cause when one of them fails there.
        facts = {"host": path.host, "port": path.port, "addresses": bad}
        if fake and len(fake) == len(bad):
            return [Finding("dns.hijacked", f"{path.host} resolves to {', '.join(fake)}, in 198.18.0.0/15: the "
                            "fake-IP range of Clash/Mihomo/Surge TUN mode", "This works only while the proxy's TUN "
                            "mode runs; if connections fail, start it or turn fake-IP off.", Status.WARN, 0.5,
                            {**facts, "fake_ip": True})]
        if any(a in ("0.0.0.0", "::") for a in bad):
            what = "the answer DNS filters (Pi-hole, AdGuard, a router's blocklist) give for a blocked name"
        else:
            what = "a hosts-file entry, split-horizon DNS to a gateway, a DNS filter or a hijacking resolver"
        return [Finding("dns.hijacked", f"{path.host} resolves to {', '.join(bad)}, which is not a public address "
                        f"(loopback, private, shared or reserved): {what}", f"If the call fails at {bad[0]}: check "
                        f"/etc/hosts for {path.host}, compare `getent hosts {path.host}` with --dns-server 1.1.1.1, "
                        "or use a proxy that resolves names (socks5h://).", Status.WARN, 0.6, facts)]

    def _comparisons(self, path: NetPath, system: Lookup, compared: list[Lookup]) -> list[Finding]:
        found: list[Finding] = []
        for other in compared:
            if not other.ok and system.ok:
                what, _ = KINDS.get(other.failure or "error", KINDS["error"])
                found.append(Finding("dns.failure", f"{other.resolver} cannot resolve {path.host}: {what}; the "
                                     "system resolver can (a hosts-file entry, or another NSS source)",
                                     "Nothing to fix for the SDK; other tools that ask DNS directly may fail.",
                                     Status.WARN, 0.3, {"kind": other.failure, "resolver": other.resolver}))
            elif other.ok and system.ok and not set(other.ordered) & set(system.ordered):
                found.append(Finding("dns.resolver_mismatch", f"resolvers disagree about {path.host}: the system "
                                     f"says {', '.join(system.ordered[:3])}, {other.resolver} says "
                                     f"{', '.join(other.ordered[:3])}", "Often harmless (CDNs answer per region); "
                                     "if connections fail, check /etc/hosts and the DNS servers in use.",
                                     Status.WARN, 0.4, {"other": other.resolver, "other_addresses": other.ordered}))
        return found

    def _proxy_host(self, ctx: Context, path: NetPath, timeout: float, facts: dict[str, Any]) -> list[Finding]:
        """The SDK must resolve the proxy's own host name locally, whatever the proxy does."""
        if path.proxy.url is None:
            return []
        proxy = ProxyEndpoint.parse(path.proxy.url)
        if ip_or_none(proxy.host) is not None:
            return []
        found = self.system.lookup(proxy.host, proxy.port, timeout)
        facts["proxy_host_addresses"] = found.ordered
        if found.ok:
            return []
        what, _ = KINDS.get(found.failure or "error", KINDS["error"])
        return [Finding("dns.failure", f"the proxy's host {proxy.host} cannot be resolved: {what}",
                        "Use the proxy's IP address in the proxy URL, or fix the name.", Status.FAIL, 0.9,
                        {"kind": found.failure, "proxy_host": proxy.host, "proxy": proxy.redacted})]


def _soften(finding: Finding) -> Finding:
    """With a proxy that resolves names, local DNS trouble about the API host is a warning, not the cause."""
    if finding.severity is not Status.FAIL or "proxy_host" in finding.facts:
        return finding
    return Finding(finding.code, finding.message, finding.hint, Status.WARN, min(finding.confidence, 0.3),
                   finding.facts)
