"""The dns check against real DNS servers on loopback: dnslib DnsServer, dnsmasq, and a netns for getaddrinfo.

In-process, "the system resolver" is a dnspython resolver pointed at the loopback server (the
check's resolver seam); the real getaddrinfo path runs the CLI inside a private network namespace.
Answers such as 104.18.0.1 are data only: the dns check never connects anywhere.
"""

from __future__ import annotations

import json

import pytest
from helpers import codes, make_target, run_check
from peers import DnsServer

from checks.dns import DnsCheck
from llmdoctor.model import CheckResult, Status
from llmdoctor.net.resolver import DnsPythonResolver

HOST = "api.openai.test"
PUBLIC_A, PUBLIC_AAAA = "104.18.0.1", "2606:4700::6812:1"


def lookup_with(server_address: str, zones_server: DnsServer | None = None, base_url: str | None = None,
                others: list[str] = (), timeout: float = 1.0, **kwargs: object) -> CheckResult:  # type: ignore[assignment]
    host, port = server_address.rsplit(":", 1)
    system = DnsPythonResolver([(host, int(port))], "system (test DNS server)")
    pairs = [o.rsplit(":", 1) for o in others]
    configured = [DnsPythonResolver([(h, int(p))], f"DNS server {h}:{p}") for h, p in pairs]
    check = DnsCheck(system=system, configured=lambda: list(configured))  # type: ignore[arg-type]
    target = make_target("openai", base_url or f"https://{HOST}/v1")
    return run_check(check, target=target, timeout=timeout, **kwargs)


def first(result: CheckResult, code: str):  # type: ignore[no-untyped-def]
    found = [f for f in result.findings if f.code == code]
    assert found, (code, result)
    return found[0]


# --- answers ---------------------------------------------------------------------------------------


def test_a_and_aaaa_answers_with_timings(dns_server) -> None:  # type: ignore[no-untyped-def]
    server = dns_server({HOST: {"A": [PUBLIC_A], "AAAA": [PUBLIC_AAAA]}})
    result = lookup_with(server.address)
    assert result.status is Status.PASS, result
    assert result.facts["a"] == [PUBLIC_A] and result.facts["aaaa"] == [PUBLIC_AAAA]
    assert set(result.facts["addresses"]) == {PUBLIC_A, PUBLIC_AAAA} and result.facts["dns_ms"] >= 0
    assert {q.qtype for q in server.queries} == {"A", "AAAA"}
    json.dumps(result.facts)


def test_ip_literal_needs_no_dns(dns_server) -> None:  # type: ignore[no-untyped-def]
    server = dns_server({})
    result = lookup_with(server.address, base_url="https://127.0.0.1:8443/v1")
    assert result.status is Status.PASS and "no DNS needed" in result.summary
    assert result.facts["addresses"] == ["127.0.0.1"] and server.queries == []


def test_resolve_pin_needs_no_lookup(dns_server) -> None:  # type: ignore[no-untyped-def]
    server = dns_server({})
    result = lookup_with(server.address, resolve={(HOST, 443): "127.0.0.5"})
    assert result.status is Status.PASS and "pinned to 127.0.0.5 by --resolve" in result.summary
    assert result.facts["pinned"] == "127.0.0.5" and server.queries == []


# --- failures told apart -------------------------------------------------------------------------------


@pytest.mark.parametrize("entry,kind,seen,fix", [
    ("NXDOMAIN", "nxdomain", "NXDOMAIN", "Check the spelling"),
    ("SERVFAIL", "servfail", "SERVFAIL", "switch DNS servers"),
    ("REFUSED", "refused", "REFUSED", "use another DNS server"),
    ("DROP", "timeout", "no DNS server answered", "/etc/resolv.conf"),
    ({"TXT": ["v=spf1 -all"]}, "no_answer", "NODATA", "no address record"),
])
def test_failures_are_told_apart(dns_server, entry: object, kind: str, seen: str, fix: str) -> None:  # type: ignore[no-untyped-def]
    server = dns_server({HOST: entry})
    result = lookup_with(server.address, timeout=0.6)
    assert result.status is Status.FAIL and codes(result) == ["dns.failure"]
    finding = result.findings[0]
    assert finding.facts["kind"] == kind and seen in finding.message and fix in finding.hint


def test_failure_is_only_a_warning_when_the_proxy_resolves_names(dns_server) -> None:  # type: ignore[no-untyped-def]
    server = dns_server({HOST: "NXDOMAIN"})
    result = lookup_with(server.address, proxy="http://127.0.0.1:7890")
    assert result.status is Status.WARN and codes(result) == ["dns.failure"]
    assert "your proxy resolves names" in result.findings[0].message
    assert result.facts["proxy_resolves_names"] is True


def test_other_resolver_that_resolves_is_named(dns_server) -> None:  # type: ignore[no-untyped-def]
    broken = dns_server({HOST: "NXDOMAIN"})
    good = dns_server({HOST: {"A": [PUBLIC_A]}})
    result = lookup_with(broken.address, others=[good.address])
    assert codes(result)[0] == "dns.failure" and f"resolves it ({PUBLIC_A})" in result.findings[0].message


def test_proxy_host_that_does_not_resolve_fails(dns_server) -> None:  # type: ignore[no-untyped-def]
    server = dns_server({HOST: {"A": [PUBLIC_A]}, "proxy.corp.test": "NXDOMAIN"})
    result = lookup_with(server.address, proxy="http://proxy.corp.test:3128")
    finding = first(result, "dns.failure")
    assert result.status is Status.FAIL and "proxy.corp.test" in finding.message
    assert "IP address in the proxy URL" in finding.hint


# --- answers that cannot be right ----------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["127.0.0.1", "10.10.34.35", "0.0.0.0", "192.168.1.1", "240.0.0.1", "100.64.3.4"])
def test_non_public_answer_for_a_public_host_is_a_suspicion(dns_server, answer: str) -> None:  # type: ignore[no-untyped-def]
    """A warning, never a block: split-horizon DNS, a hosts-file relay and fake-IP answer this way and work;
    the later checks at that address decide (docs/diagnosis.md)."""
    server = dns_server({"api.openai.com": {"A": [answer]}})
    result = lookup_with(server.address, base_url="https://api.openai.com/v1")
    finding = first(result, "dns.hijacked")
    assert result.status is Status.WARN and finding.severity is Status.WARN
    assert not result.status.blocks_dependents
    assert finding.facts["host"] == "api.openai.com" and finding.facts["addresses"] == [answer]
    assert answer in finding.message and "/etc/hosts" in finding.hint and "--dns-server 1.1.1.1" in finding.hint


def test_fake_ip_range_is_named_as_tun_mode(dns_server) -> None:  # type: ignore[no-untyped-def]
    server = dns_server({"api.openai.com": {"A": ["198.18.0.23"]}})
    result = lookup_with(server.address, base_url="https://api.openai.com/v1")
    finding = first(result, "dns.hijacked")
    assert result.status is Status.WARN and "fake-IP" in finding.message and "TUN" in finding.hint


def test_hijack_is_a_warning_when_the_proxy_resolves(dns_server) -> None:  # type: ignore[no-untyped-def]
    server = dns_server({"api.openai.com": {"A": ["10.0.0.9"]}})
    result = lookup_with(server.address, base_url="https://api.openai.com/v1", proxy="socks5h://127.0.0.1:1080")
    assert result.status is Status.WARN and codes(result) == ["dns.hijacked"]


def test_private_answer_for_a_local_host_is_fine(dns_server) -> None:  # type: ignore[no-untyped-def]
    server = dns_server({"gpu-box.local": {"A": ["192.168.1.20"]}})
    result = lookup_with(server.address, base_url="http://gpu-box.local:11434/v1")
    assert result.status is Status.PASS and result.facts["addresses"] == ["192.168.1.20"]


# --- comparing resolvers (--dns-server) -------------------------------------------------------------


def test_resolvers_that_disagree_warn(dns_server) -> None:  # type: ignore[no-untyped-def]
    system = dns_server({HOST: {"A": [PUBLIC_A]}})
    named = dns_server({HOST: {"A": ["104.18.99.99"]}})
    host, port = named.address.rsplit(":", 1)
    result = lookup_with(system.address, dns_servers=((host, int(port)),))
    finding = first(result, "dns.resolver_mismatch")
    assert result.status is Status.WARN and "--dns-server" in finding.message and "CDNs" in finding.hint
    assert [q.name for q in named.queries] == [HOST, HOST]


def test_dns_server_option_agreeing_passes(dns_server) -> None:  # type: ignore[no-untyped-def]
    system = dns_server({HOST: {"A": [PUBLIC_A]}})
    named = dns_server({HOST: {"A": [PUBLIC_A]}})
    host, port = named.address.rsplit(":", 1)
    result = lookup_with(system.address, dns_servers=((host, int(port)),))
    assert result.status is Status.PASS and len(result.facts["resolvers"]) == 2


# --- dnsmasq (Debian), a second real implementation ------------------------------------------------


def test_dnsmasq_answers_and_failures(dnsmasq) -> None:  # type: ignore[no-untyped-def]
    server = dnsmasq("--local=/test/", f"--address=/{HOST}/{PUBLIC_A}", "--host-record=v4only.llm.test,104.18.0.7",
                     "--server=/slow.example/127.0.0.1#9")
    assert lookup_with(server.address).facts["a"] == [PUBLIC_A]
    nx = lookup_with(server.address, base_url="https://nx.test/v1")
    assert nx.findings[0].facts["kind"] == "nxdomain"
    refused = lookup_with(server.address, base_url="https://unknown.example/v1")
    assert refused.findings[0].facts["kind"] == "refused" and "REFUSED" in refused.findings[0].message
    slow = lookup_with(server.address, base_url="https://x.slow.example/v1", timeout=0.6)
    assert slow.findings[0].facts["kind"] == "timeout"
    v4 = lookup_with(server.address, base_url="https://v4only.llm.test/v1")
    assert v4.status is Status.PASS and v4.facts["aaaa"] == []


# --- the real system resolver, in a private network namespace ---------------------------------------


def _dns_result(proc) -> dict:  # type: ignore[no-untyped-def]
    data = json.loads(proc.stdout)
    results = [r for t in data["targets"] for r in t["results"] if r["check"] == "dns"]
    assert results, proc.stdout
    return results[0]


def test_getaddrinfo_in_a_netns_via_the_cli(netns, run_cli) -> None:  # type: ignore[no-untyped-def]
    space = netns({HOST: {"A": [PUBLIC_A]}, "nx.test": "NXDOMAIN", "bad.test": "SERVFAIL"})
    ok = _dns_result(run_cli("--base-url", f"https://{HOST}/v1", "--only", "dns", "--json", netns=space))
    assert ok["status"] == "pass" and ok["facts"]["addresses"] == [PUBLIC_A]
    assert ok["facts"]["resolvers"][0]["resolver"] == "system (getaddrinfo)"
    nx = _dns_result(run_cli("--base-url", "https://nx.test/v1", "--only", "dns", "--json", netns=space))
    assert nx["status"] == "fail" and nx["findings"][0]["code"] == "dns.failure"
    assert nx["findings"][0]["facts"]["kind"] == "nxdomain"
    bad = _dns_result(run_cli("--base-url", "https://bad.test/v1", "--only", "dns", "--json", netns=space))
    assert bad["findings"][0]["facts"]["kind"] in ("temporary", "servfail")
    assert space.dns is not None and any(q.name == HOST for q in space.dns.queries)
