"""Real situations where a suspicious fact is fine or is the cause: the diagnosis follows the whole chain.

Each row runs the real CLI inside a private network namespace whose resolver answers as the world
does (split-horizon DNS, a hosts-file entry, Clash fake-IP, a DNS filter, a poisoned answer), with
servers on addresses of that namespace's own loopback (any address inside a namespace we made;
loopback only outside). Each asserts the exit code, the top cause and the fix text the user sees
with their own values (issue 13.1, 13.2, 13.6).
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from peers import HttpServer, Reply
from peers.fakeapi import HOST_NAMES, FakeApi

from e2e.test_fault_matrix import OFFICIAL, Scenario, openai_key, run_scenario
from e2e.test_fault_matrix import _shared_world as _shared_world
from e2e.test_fault_matrix import world as world
from e2e.world import World

RunCli = Callable[..., subprocess.CompletedProcess[str]]
OPENAI = ("--provider", "openai")  # the default base URL: https://api.openai.com/v1 on port 443


def add_address(w: World, address: str) -> None:
    """Put `address` on the namespace's lo, as a route to a gateway or a TUN device would make it reachable."""
    assert w.netns is not None
    prefix = "128" if ":" in address else "32"
    subprocess.run(["ip", "-n", w.netns.name, "addr", "add", f"{address}/{prefix}", "dev", "lo"], check=True,
                   timeout=10, capture_output=True)


class InNamespace:
    """A peer started inside the namespace, stopped inside it too (its stop() pokes its own address)."""

    def __init__(self, w: World, make: Callable[[], Any]) -> None:
        assert w.netns is not None
        self.netns = w.netns
        with self.netns.inside():
            self.peer = make()

    def stop(self) -> None:
        with self.netns.inside():
            self.peer.stop()


def api_at(address: str, cert: Callable[[World], tuple[Path, Path]] | None = None) -> Callable[[World], None]:
    """A working fake API on address:443 inside the namespace (its certificate names api.openai.com)."""
    def start(w: World) -> None:
        add_address(w, address)
        leaf = cert(w) if cert else None
        w.scoped(InNamespace(w, lambda: FakeApi(w.certs, names=HOST_NAMES, host=address, port=443, cert=leaf)))
    return start


def foreign_leaf(names: tuple[str, ...], untrusted: bool = False,
                 expired: bool = False) -> Callable[[World], tuple[Path, Path]]:
    """A leaf for `names`, from the test CA (trusted through SSL_CERT_FILE) or from the other, untrusted CA."""
    def make(w: World) -> tuple[Path, Path]:
        import datetime as dt

        issuer = w.certs.other_ca if untrusted else w.certs.ca
        now = dt.datetime.now(dt.timezone.utc)
        dates = {"not_before": now - dt.timedelta(days=60), "not_after": now - dt.timedelta(days=30)} if expired else {}
        leaf = issuer.issue_cert(*names, **dates)
        tag = ("-untrusted" if untrusted else "") + ("-expired" if expired else "")
        folder = w.dir("leaf-" + "-".join(names) + tag)
        cert_path, key_path = folder / "cert.pem", folder / "key.pem"
        cert_path.write_bytes(b"".join(blob.bytes() for blob in leaf.cert_chain_pems))
        key_path.write_bytes(leaf.private_key_pem.bytes())
        return cert_path, key_path
    return make


def namespace(zones: Any, *ready: Callable[[World], None],
              hosts: str | None = None) -> Callable[[World], dict[str, Any]]:
    def values(w: World) -> dict[str, Any]:
        w.namespace(zones, **({"hosts": hosts} if hosts else {}))
        for step in ready:
            step(w)
        return {}
    return values


GATEWAY = "10.20.0.5"  # a corporate egress gateway, as split-horizon DNS answers
FAKE_IP = "198.18.0.7"  # Clash/Mihomo fake-IP range
PUBLIC = "93.184.216.34"  # a public-looking address, only ever inside the namespace
V6 = "2606:4700::6810:85e5"  # a public IPv6 address with no route in the namespace
# Addresses that exist only inside the test's namespace: the loopback guard lets the CLI reach them there.
UNROUTED = "203.0.113.9"  # no route in the namespace: connecting fails at once (network unreachable)
INSIDE = (GATEWAY, FAKE_IP, PUBLIC, V6, UNROUTED, "0.0.0.0")

@dataclass(frozen=True)
class Row:
    scenario: Scenario
    fix_has: tuple[str, ...] = ()  # strings the top cause's fix must contain (the user's own values)
    also: tuple[str, ...] = field(default=())  # cause ids that must be in the report too


def row(name: str, values: Callable[[World], dict[str, Any]], exit: int, top: str | None,
        fix_has: tuple[str, ...] = (), also: tuple[str, ...] = (), args: tuple[str, ...] = OPENAI,
        needs: tuple[str, ...] = ("netns",), key_scenario: str = "good") -> Any:
    key = openai_key(key_scenario)
    env = {**key, "LLMDOCTOR_TEST_NETNS_ADDRESSES": ",".join(INSIDE)} if "netns" in needs else key
    sc = Scenario(name, "chain", values, args, env, exit, top, needs, timeout=1.0, deadline=8.0)
    return pytest.param(Row(sc, fix_has, also), id=name, marks=sc.marks())


EXPIRED = foreign_leaf(("api.openai.com",), expired=True)

ROWS = [
    # Split-horizon DNS sends api.openai.com to an internal gateway that re-signs TLS with a CA the machine
    # trusts: the call works, the notes stay.
    row("split-horizon-gateway-works", namespace({"api.openai.com": {"A": [GATEWAY]}}, api_at(GATEWAY)), 0,
        "dns.hijacked", also=("tls.intercepted",)),
    row("split-horizon-gateway-refuses", namespace({"api.openai.com": {"A": [GATEWAY]}},
                                                   lambda w: add_address(w, GATEWAY)), 1, "dns.hijacked",
        fix_has=("grep -i api.openai.com /etc/hosts", "getent hosts api.openai.com")),
    # A hosts-file entry points the official name at a local relay with a trusted certificate.
    row("hosts-file-local-relay-trusted", namespace(None, api_at("127.0.0.1"),
                                                    hosts="127.0.0.1 localhost\n127.0.0.1 api.openai.com\n"), 0,
        "dns.hijacked"),
    # Clash fake-IP: works while the TUN device routes the range; fails once the proxy is stopped.
    row("fake-ip-tun-running", namespace({"api.openai.com": {"A": [FAKE_IP]}}, api_at(FAKE_IP)), 0, "dns.hijacked"),
    row("fake-ip-tun-stopped", namespace({"api.openai.com": {"A": [FAKE_IP]}}), 1, "dns.hijacked",
        fix_has=("getent hosts api.openai.com",)),
    # A DNS filter's 0.0.0.0 for a blocked name.
    row("dns-filter-zero-address", namespace({"api.openai.com": {"A": ["0.0.0.0"]}}), 1, "dns.hijacked",
        fix_has=("grep -i api.openai.com /etc/hosts",)),
    # A poisoned, public-looking answer: the server there has a certificate for another name.
    row("poisoned-answer-other-certificate",
        namespace({"api.openai.com": {"A": [PUBLIC]}}, api_at(PUBLIC, foreign_leaf(("www.example.org",)))), 1,
        "dns.hijacked", fix_has=("getent hosts api.openai.com",)),
    # Behind a non-public answer that works, the API's own faults are the cause; the DNS note stays below.
    row("split-horizon-gateway-rate-limited", namespace({"api.openai.com": {"A": [GATEWAY]}}, api_at(GATEWAY)), 1,
        "ratelimit.exceeded", also=("dns.hijacked",), key_scenario="ratelimit"),
    row("split-horizon-gateway-revoked-key", namespace({"api.openai.com": {"A": [GATEWAY]}}, api_at(GATEWAY)), 1,
        "auth.invalid_key", also=("dns.hijacked",), key_scenario="invalid"),
    row("split-horizon-gateway-expired-certificate",
        namespace({"api.openai.com": {"A": [GATEWAY]}}, api_at(GATEWAY, EXPIRED)), 1,
        "tls.expired", also=("dns.hijacked",)),
    # IPv6 broken while IPv4 works: a real cost on every connection, ranked above the notes.
    row("ipv6-broken-ipv4-works", namespace({"api.openai.com": {"A": [PUBLIC], "AAAA": [V6]}}, api_at(PUBLIC)), 0,
        "net.ipv6_broken", also=("tls.intercepted",)),
]


def _inspection(untrusted: bool) -> Callable[[World], dict[str, Any]]:
    """api.openai.com (pinned with --resolve) behind an inspecting proxy's certificate, trusted or not."""
    def values(w: World) -> dict[str, Any]:
        cert = foreign_leaf(("api.openai.com",), untrusted)(w)
        api = w.scoped(FakeApi(w.certs, cert=cert))
        return {"port": api.port, "api": api.url}
    return values


def v2rayn_proxy(w: World) -> dict[str, Any]:
    """A proxy on v2rayN's HTTP port 10809 (not Clash's 7890) that no variable names; the API is unreachable."""
    w.namespace(None)
    w.scoped(InNamespace(w, lambda: HttpServer(Reply(407, {"proxy-authenticate": 'Basic realm="v2ray"'}),
                                               port=10809)))
    return {}


ROWS += [
    row("unreachable-api-with-an-unused-proxy-on-10809", v2rayn_proxy, 1, "env.proxy_not_configured",
        fix_has=("export HTTPS_PROXY=http://127.0.0.1:10809",),
        args=("--provider", "openai", "--base-url", "https://llm.example.net/v1",
              "--resolve", f"llm.example.net:443:{UNROUTED}")),

    row("inspection-ca-trusted", _inspection(False), 0, "tls.intercepted", args=OFFICIAL, needs=()),
    row("inspection-ca-untrusted", _inspection(True), 1, "tls.intercepted", args=OFFICIAL, needs=(),
        fix_has=("SSL_CERT_FILE",)),
]


@pytest.mark.parametrize("case", ROWS)
@pytest.mark.parametrize("lang", ["en", "zh"])  # zh: the same chain, and no English line left (issue 15.5)
def test_chain(case: Row, lang: str, world: World, run_cli: RunCli, request: pytest.FixtureRequest) -> None:
    sc = case.scenario
    if "netns" in sc.needs:
        request.getfixturevalue("_require_netns")
    proc, report, problems = run_scenario(sc, world, run_cli, lang=None if lang == "en" else lang)
    assert report is not None, problems
    causes = report.get("causes", [])
    seen = [(c["id"], c["severity"], c["confidence"]) for c in causes][:5]
    if proc.returncode != sc.exit:
        problems.append(f"exit code {proc.returncode}, expected {sc.exit}; verdict: {report.get('verdict')}")
    top = causes[0] if causes else None
    if (top or {}).get("id") != sc.top:
        problems.append(f"top cause {(top or {}).get('id')!r}, expected {sc.top!r}; causes: {seen}")
    fixes = "\n".join(top["fix"]) if top else ""
    for text in case.fix_has:
        if text not in fixes:
            problems.append(f"the fix does not say {text!r}:\n{fixes}")
    if "10809" in "".join(case.fix_has) and "7890" in fixes:
        problems.append(f"the fix suggests port 7890 where 10809 was found:\n{fixes}")
    if top and sc.exit and top["id"].startswith("dns.") and "api.openai.com" not in fixes:
        problems.append("the fix does not name the user's host")
    for cause_id in case.also:
        if cause_id not in [c["id"] for c in causes]:
            problems.append(f"{cause_id} missing; causes: {seen}")
    if sc.exit == 0 and report.get("healthy") is not True:
        problems.append("exit 0 but not healthy")
    if top and sc.exit and top["severity"] != "fail":
        problems.append(f"the top cause of a failed run is a {top['severity']}")
    if top and sc.exit and top["id"] == "dns.hijacked" and not top["explains"]:
        problems.append("the DNS answer is blamed without the later failure it explains")
    assert not problems, f"{sc.name}:\n  " + "\n  ".join(problems)

