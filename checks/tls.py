"""The TLS handshake on the path the API call takes: protocol, certificate, trust, interception."""

from __future__ import annotations

import datetime as dt
import functools
import os
import ssl
from collections.abc import Callable, Mapping
from typing import Any

from llmdoctor.check import BaseCheck
from llmdoctor.context import Context
from llmdoctor.model import CheckResult, Finding, Status, about, from_findings, skipped
from llmdoctor.net.bounded import start_with_cap
from llmdoctor.net.certinfo import CertInfo
from llmdoctor.net.early import SYSTEM, USER
from llmdoctor.net.errors import classify
from llmdoctor.net.netpath import NetPath, direct_address, path_of, socket_factory
from llmdoctor.net.tlsprobe import (
    Handshake,
    handshake,
    interception_product,
    is_public_ca,
    os_store_handshake,
    unverified_context,
    user_handshake,
)
from llmdoctor.net.truststore import TrustStore
from llmdoctor.net.tunnel import ProxyProblem
from llmdoctor.prefetch import prefetch
from llmdoctor.providers import owner_of_host
from llmdoctor.urls import is_local_host

CORP_CA_HINT = "export SSL_CERT_FILE=/path/to/corporate-ca.pem (a bundle of certifi's CAs plus your company's root)"
MAX_CLOCK_SKEW_S = 300

HINTS = {
    "tls.expired": "If this is your own server or relay, renew its certificate (e.g. certbot renew); if it is a "
                   "public API, something in between (a TLS-inspecting proxy) presents an old certificate.",
    "tls.not_yet_valid": "Check the system clock (timedatectl; enable NTP); a certificate issued in the future "
                         "usually means the local clock is behind.",
    "tls.hostname_mismatch": "Check the host in the base URL; a certificate for another name means DNS, a proxy or "
                             "a captive portal sends you to a different server.",
    "tls.unknown_ca": f"If your network inspects TLS, {CORP_CA_HINT}; for your own server, use a certificate from a "
                      "public CA. Never turn verification off.",
    "tls.self_signed": "For your own server, export SSL_CERT_FILE=/path/to/its-certificate.pem, or use a certificate "
                       f"from a public CA; if your network inspects TLS, {CORP_CA_HINT}.",
    "tls.strict_x509": "This Python (3.13+) checks certificates strictly and the CA breaks RFC 5280; browsers and "
                       "curl accept it. Have the CA reissued, or drop only ssl.VERIFY_X509_STRICT from your client's "
                       "context. Never turn verification off.",
    "tls.handshake_reset": "The connection is cut when the server name is seen: typical of SNI filtering by a "
                           "firewall. Use a proxy or VPN that can reach the host (set HTTPS_PROXY=...).",
    "tls.protocol_mismatch": "The port speaks plain HTTP, not TLS: use http:// in the base URL, or the HTTPS port.",
    "net.tls_timeout": "The server accepted TCP but never completed TLS: a middlebox swallowing the handshake, or a "
                       "port that expects something else. Try through a proxy or VPN.",
}


def bundle_findings(env: Mapping[str, str], store: TrustStore) -> list[Finding]:
    """CA-bundle variables that point nowhere, or that httpx does not read."""
    found: list[Finding] = []
    if store.problem and store.kind == "SSL_CERT_FILE":
        found.append(Finding("tls.ca_bundle_missing", f"{store.problem}: httpx raises FileNotFoundError before it "
                             "connects", "Point SSL_CERT_FILE at an existing PEM bundle, or unset it.",
                             Status.FAIL, 0.95, {"variable": "SSL_CERT_FILE", "path": store.path}))
    elif store.problem:
        found.append(Finding("tls.ca_bundle_missing", store.problem, "Point SSL_CERT_DIR at an existing directory, "
                             "or unset it.", Status.WARN, 0.7, {"variable": "SSL_CERT_DIR", "path": store.path}))
    bundle = env.get("REQUESTS_CA_BUNDLE")
    if bundle and not os.path.isfile(bundle):
        found.append(Finding("tls.ca_bundle_missing", f"REQUESTS_CA_BUNDLE points at {bundle}, which is not a file",
                             "Point it at an existing PEM bundle, or unset it.", Status.WARN, 0.6,
                             {"variable": "REQUESTS_CA_BUNDLE", "path": bundle}))
    elif bundle and not env.get("SSL_CERT_FILE"):
        found.append(Finding("tls.ca_bundle_ignored", "REQUESTS_CA_BUNDLE is set but SSL_CERT_FILE is not: requests "
                             "reads it, httpx (under the OpenAI and Anthropic SDKs) ignores it",
                             f"export SSL_CERT_FILE={bundle}", Status.WARN, 0.6, {"path": bundle}))
    return found


def _interception(cert: CertInfo | None, host: str, verified: bool, other_name: bool = False) -> list[Finding]:
    """A known inspection product's issuer, or a private CA for a host that uses a public one. A
    certificate for another name (`other_name`) is another server, not this host re-signed: only a
    product's name says interception then."""
    if cert is None:
        return []
    severity = Status.WARN if verified else Status.FAIL
    product = interception_product(cert.issuer)
    well_known = owner_of_host(host) is not None and not is_local_host(host)
    if product:
        message = f"the certificate for {host} was issued by {cert.issuer}: {product} inspects TLS on this network"
    elif well_known and not is_public_ca(cert.issuer) and not other_name:
        message = f"{host} uses a public CA, but this certificate was issued by {cert.issuer}: something in between " \
                  "re-signs TLS"
    else:
        return []
    hint = (f"Get the inspection root CA from your IT department and {CORP_CA_HINT}" if not verified else
            "Your trust store accepts it; if streaming or some hosts fail, ask IT to exempt the API host.")
    # Trusted inspection is a note (the call works); untrusted inspection is why it fails.
    return [Finding("tls.intercepted", message, hint, severity, 0.9 if not verified else 0.5,
                    {"issuer": cert.issuer, "product": product})]


def _misdirected(ctx: Context, path: NetPath, cause: str, cert: CertInfo | None) -> list[Finding]:
    """A certificate for another name from the address DNS gave for a well-known API host: the DNS
    answer sends the SDK to another server, whatever that address looks like (docs/diagnosis.md)."""
    if cause != "tls.hostname_mismatch" or cert is None or path.via_proxy or path.pin or path.host_is_ip:
        return []
    if owner_of_host(path.host) is None or is_local_host(path.host):
        return []
    address = direct_address(ctx, path)
    names = ", ".join(cert.sans[:3]) or cert.subject
    return [Finding("dns.hijacked", f"{path.host} resolves to {address}, and the server there presents a "
                    f"certificate for {names}: the DNS answer (poisoned, or a portal's) sends you to another server",
                    f"Compare `getent hosts {path.host}` with llmdoctor --only dns --dns-server 1.1.1.1, check "
                    f"/etc/hosts, and use a trusted resolver or a proxy that resolves names (socks5h://).",
                    Status.FAIL, 0.85, {"host": path.host, "port": path.port, "addresses": [address]})]


def _clock(seen: Handshake, cause: str) -> Finding | None:
    """A certificate valid by the server's clock but not by ours means our clock is wrong."""
    if seen.server_date is None or seen.cert is None:
        return None
    now = dt.datetime.now(dt.timezone.utc)
    skew = (now - seen.server_date).total_seconds()
    start, end = seen.cert.validity()
    valid_there = (start is None or start <= seen.server_date) and (end is None or seen.server_date <= end)
    if abs(skew) < MAX_CLOCK_SKEW_S or not valid_there:
        return None
    way = "behind" if skew < 0 else "ahead of"
    return Finding("tls.clock_skew", f"the local clock is {abs(skew) / 3600:.1f} h {way} the server's "
                   f"({seen.server_date.isoformat()}), so a valid certificate looks {cause.split('.')[-1]}",
                   "Fix the system clock: enable time sync (timedatectl set-ntp true, or the OS date settings).",
                   Status.FAIL, 0.9, {"clock_skew_s": round(skew)})


class TlsCheck(BaseCheck):
    """The TLS handshake along the SDK's path: certificate, trust store, interception, clock."""

    name = "tls"
    requires = ("tcp",)
    phase = "tls"
    writes = ("tls_ms", "verified")
    budget_timeouts = 5.0  # user store, OS store, an unverified read and a HEAD for the server's clock

    def run(self, ctx: Context) -> CheckResult:
        path = path_of(ctx)
        if path is None:
            return skipped("the base URL cannot be parsed")
        if path.scheme != "https":
            return skipped("plain http:// base URL: no TLS on this path")
        result = self._handshakes(ctx, path)
        if path.proxy.url is not None:
            return about(result, host=path.host, port=path.port, proxy=path.proxy.url)
        return about(result, host=path.host, port=path.port, address=direct_address(ctx, path))

    def _handshakes(self, ctx: Context, path: NetPath) -> CheckResult:
        timeout = ctx.timeout()
        ctx.step(f"the TLS handshake with {path.host}", "net.tls_timeout", host=path.host, port=path.port)
        store = ctx.http.trust_store()
        facts: dict[str, Any] = {"sni": None if path.host_is_ip else path.host, "via": "proxy" if path.via_proxy
                                 else "direct", "trust_store": store.to_dict(), "verified": False}
        findings = bundle_findings(ctx.env, store)
        prefetch("cryptography.x509")  # read the certificate with it after the handshake, loaded during it
        opener = socket_factory(ctx, path, timeout)
        route = ctx.http.tls_route(path.url, path.proxy)
        # Handshakes started while the checks loaded (net/early.py), if any; else started here.
        early_user = ctx.http.early.take(USER, route) if route is not None else None
        early_system = ctx.http.early.take(SYSTEM, route) if route is not None else None
        # The OS store's verdict comes from a handshake of its own, alongside the user's (not after it).
        system = _verdict(functools.partial(early_system.result, timeout * 2 + 1.0)) if early_system is not None \
            else _system_handshake(opener, path.host, timeout) if store.kind != "system" else None
        try:
            user = early_user.result(timeout * 4 + 1.0) if early_user is not None else \
                user_handshake(socket_factory(ctx, path, timeout, reuse=True), path.host, ctx.http.ssl_context(),
                               timeout)
        except ProxyProblem as problem:
            return from_findings("", [*findings, problem.finding(0.8)], facts)
        except OSError as exc:
            failure = classify(exc)
            return from_findings("", [*findings, Finding(failure.cause, f"no TCP connection for TLS: "
                                                         f"{failure.message}", "See the tcp check.")], facts)
        if user.ok:
            if user.sock is not None and route is not None:  # the first API request goes over it
                ctx.http.handoff.leave(route, user.sock)
            # Verified: the API checks may start now; the certificate's details and the OS store's
            # verdict follow beside them, off the critical path (they can only add warnings).
            ctx.release(from_findings(f"{user.protocol}, certificate for {path.host} verified ({store.kind}) in "
                                      f"{user.tls_ms} ms", findings, {**facts, **user.facts(), "verified": True,
                                                                      "tls_ms": user.tls_ms}))
            return self._verified(path, user.describe(), store, facts, findings, system)
        user.describe()
        return self._rejected(ctx, path, user, store, facts, findings, opener, timeout, system)

    def _verified(self, path: NetPath, user: Handshake, store: TrustStore, facts: dict[str, Any],
                  findings: list[Finding], system_probe: Callable[[], Handshake] | None) -> CheckResult:
        facts.update(user.facts(), verified=True, tls_ms=user.tls_ms)
        findings += _interception(user.cert, path.host, verified=True)
        if system_probe is not None:
            system = system_probe()
            facts["system_store_verified"] = system.ok
            if isinstance(system.error, ssl.SSLCertVerificationError):
                findings.append(Finding(
                    "tls.trust_store_mismatch", f"httpx's trust store ({store.kind}) accepts this certificate, the "
                    f"operating system's store does not ({system.error.verify_message})",
                    "SDKs built on httpx2/truststore verify against the OS store: add the CA there too (e.g. "
                    "update-ca-certificates), or keep SSL_CERT_FILE set for them.", Status.WARN, 0.6))
        issuer = user.cert.issuer if user.cert else "?"
        return from_findings(f"{user.protocol}, certificate for {path.host} from {issuer} verified "
                             f"({store.kind}) in {user.tls_ms} ms", findings, facts)

    def _rejected(self, ctx: Context, path: NetPath, user: Handshake, store: TrustStore, facts: dict[str, Any],
                  findings: list[Finding], opener: Any, timeout: float,
                  system_probe: Callable[[], Handshake] | None) -> CheckResult:
        assert user.error is not None
        failure = classify(user.error)
        facts.update(failure.facts)
        if not isinstance(user.error, ssl.SSLCertVerificationError):
            if isinstance(user.error, TimeoutError) and failure.cause != "net.tls_timeout":
                failure_cause, message = "net.tls_timeout", f"the TLS handshake got no answer within {timeout:.1f} s"
            else:
                failure_cause, message = failure.cause, failure.message
            findings.append(Finding(failure_cause, message, HINTS.get(failure_cause, ""), Status.FAIL, 0.85))
            return from_findings("", findings, facts)
        cause = failure.cause
        try:
            seen = handshake(opener, path.host, unverified_context(), timeout,
                             want_date=cause in ("tls.expired", "tls.not_yet_valid"))
        except (ProxyProblem, OSError):
            seen = Handshake(False)
        facts.update(seen.facts())
        facts["tls_ms"] = seen.tls_ms
        if seen.server_date is not None:
            facts["server_date"] = seen.server_date.isoformat()
        # OpenSSL checks validity dates and the name only on a chain it built to a trusted root: behind these
        # the issuer is trusted, so an inspection CA there is a note, and the dates or the name are the cause.
        chain_trusted = cause in ("tls.expired", "tls.not_yet_valid", "tls.hostname_mismatch")
        intercepted = _interception(seen.cert, path.host, verified=chain_trusted,
                                    other_name=cause == "tls.hostname_mismatch")
        skew = _clock(seen, cause) if cause in ("tls.expired", "tls.not_yet_valid") else None
        missing_bundle = any(f.code == "tls.ca_bundle_missing" and f.severity is Status.FAIL for f in findings)
        detail = _detail(cause, seen.cert, path.host)
        if not (missing_bundle and cause == "tls.unknown_ca"):
            # An interception CA that the store trusts but strict checks reject: the strictness is the cause.
            doubt = (skew or (intercepted and not chain_trusted)) and cause != "tls.strict_x509"
            findings.append(Finding(cause, failure.message + detail, HINTS.get(cause, ""), Status.FAIL,
                                    0.6 if doubt else 0.9))
        findings += intercepted + ([skew] if skew else []) + _misdirected(ctx, path, cause, seen.cert)
        if system_probe is not None:
            system = system_probe()
            facts["system_store_verified"] = system.ok
            if system.ok:
                findings.append(Finding(
                    "tls.trust_store_mismatch", f"the operating system's store trusts this certificate but httpx's "
                    f"({store.kind}: {store.path}) does not: httpx never reads the OS store", CORP_CA_HINT.replace(
                        "export", "Export the CA the OS trusts for httpx:", 1), Status.FAIL, 0.9))
        for finding in findings:
            if finding.code == "tls.ca_bundle_ignored" and cause in ("tls.unknown_ca", "tls.self_signed"):
                findings[findings.index(finding)] = Finding(finding.code, finding.message, finding.hint,
                                                            Status.FAIL, 0.9, finding.facts)
        return from_findings("", findings, facts)


def _detail(cause: str, cert: CertInfo | None, host: str) -> str:
    if cert is None:
        return ""
    if cause == "tls.expired":
        return f"; it expired on {cert.not_after[:10]}"
    if cause == "tls.not_yet_valid":
        return f"; it is valid from {cert.not_before[:19]}"
    if cause == "tls.hostname_mismatch":
        return f"; it names {', '.join(cert.sans[:5]) or cert.subject}, not {host}"
    return f"; issuer: {cert.issuer}"


def _verdict(waiting: Callable[[], Handshake]) -> Callable[[], Handshake]:
    """The OS store's verdict, whoever made its handshake: a failure to get one is a failed handshake."""
    def verdict() -> Handshake:
        try:
            return waiting()
        except Exception as exc:  # ProxyProblem, OSError, or no verdict in time (WallClockTimeout, TimeoutError)
            return Handshake(False, error=exc)

    return verdict


def _system_handshake(opener: Any, host: str, timeout: float) -> Callable[[], Handshake]:
    """The OS store's handshake, started at once in its own thread so that it costs no time after the
    user's handshake; the returned function waits for its verdict."""
    # opening the path, then the handshake, each bounded by `timeout`
    return _verdict(start_with_cap(lambda: os_store_handshake(opener, host, timeout), timeout * 2 + 1.0,
                                   "llmdoctor-tls-system"))
