"""The tls check against real TLS peers on loopback (trustme certificates, hostile raw peers, proxies).

Host names never reach a resolver: the target is `api.openai.test` (or api.openai.com) pinned to
127.0.0.1 with --resolve, so SNI and verification use the name while TCP goes to loopback.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from pathlib import Path

import pytest
import trustme
from helpers import codes, make_target, run_check
from peers import BlackholeServer, Certs, FinServer, HttpServer, PproxyServer, Reply, ResetServer

from checks.tls import TlsCheck
from llmdoctor.model import CheckResult, Status

HOST = "api.openai.test"


def tls(port: int, host: str = HOST, env: dict[str, str] | None = None, proxy: str | None = None,
        timeout: float = 1.0) -> CheckResult:
    target = make_target("openai", f"https://{host}:{port}/v1")
    pins = {} if host.startswith("127.") else {(host, port): "127.0.0.1"}
    return run_check(TlsCheck, target=target, env=env or {}, resolve=pins, proxy=proxy, timeout=timeout)


def trusting(certs: Certs) -> dict[str, str]:
    return {"SSL_CERT_FILE": str(certs.ca_pem)}


def first(result: CheckResult, code: str):  # type: ignore[no-untyped-def]
    found = [f for f in result.findings if f.code == code]
    assert found, (code, result)
    return found[0]


def write_leaf(tmp_path: Path, ca: trustme.CA, *names: str) -> tuple[Path, Path]:
    leaf = ca.issue_cert(*names)
    cert, key = tmp_path / "leaf.pem", tmp_path / "leaf.key"
    cert.write_bytes(b"".join(b.bytes() for b in leaf.cert_chain_pems))
    key.write_bytes(leaf.private_key_pem.bytes())
    return cert, key


def http_date(when: dt.datetime) -> str:
    return email.utils.format_datetime(when.astimezone(dt.timezone.utc), usegmt=True)


# --- a good handshake ---------------------------------------------------------------------------


def test_valid_certificate_passes_with_negotiated_facts(https_server, certs: Certs,  # type: ignore[no-untyped-def]
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certs.ca_pem))  # OpenSSL's default store: the "system" one agrees
    server = https_server(Reply(200))
    result = tls(server.port, env=trusting(certs))
    assert result.status is Status.PASS, result
    facts = result.facts
    assert facts["verified"] is True and facts["system_store_verified"] is True
    assert facts["protocol"].startswith("TLS") and facts["tls_ms"] >= 0 and facts["sni"] == HOST
    assert HOST in facts["cert"]["sans"] and facts["cert"]["issuer_org"].startswith("trustme")
    assert facts["cert"]["not_after"] > facts["cert"]["not_before"]
    assert facts["trust_store"]["kind"] == "SSL_CERT_FILE" and server.requests == []
    json.dumps(facts)


def test_only_httpx_store_trusts_it_warns_trust_store_mismatch(https_server, certs: Certs) -> None:  # type: ignore[no-untyped-def]
    server = https_server(Reply(200))
    result = tls(server.port, env=trusting(certs))
    assert result.status is Status.WARN
    assert codes(result) == ["tls.trust_store_mismatch"]
    assert "update-ca-certificates" in first(result, "tls.trust_store_mismatch").hint


def test_only_os_store_trusts_it_fails_with_ssl_cert_file_hint(https_server, certs: Certs,  # type: ignore[no-untyped-def]
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certs.ca_pem))  # the process's OpenSSL (the "OS store") trusts it
    server = https_server(Reply(200))
    result = tls(server.port, env={})  # the user's httpx: certifi
    assert result.status is Status.FAIL
    mismatch = first(result, "tls.trust_store_mismatch")
    assert mismatch.severity is Status.FAIL and "SSL_CERT_FILE=/path/to/corporate-ca.pem" in mismatch.hint
    assert "tls.unknown_ca" in codes(result)


# --- certificates that fail verification -----------------------------------------------------------


@pytest.mark.parametrize("kind,cause,seen,fix", [
    ("expired", "tls.expired", "expired on", "renew"),
    ("notyet", "tls.not_yet_valid", "valid from", "system clock"),
    ("wronghost", "tls.hostname_mismatch", "wrong.example", "Check the host in the base URL"),
    ("unknownca", "tls.unknown_ca", "Unknown Test CA", "SSL_CERT_FILE=/path/to/corporate-ca.pem"),
    ("selfsigned", "tls.self_signed", "self-signed", "SSL_CERT_FILE=/path/to/its-certificate.pem"),
])
def test_certificate_failures(https_server, certs: Certs, kind: str, cause: str, seen: str, fix: str) -> None:  # type: ignore[no-untyped-def]
    server = https_server(Reply(200), kind=kind)
    result = tls(server.port, env=trusting(certs))
    assert result.status is Status.FAIL
    assert codes(result)[0] == cause
    finding = first(result, cause)
    assert seen in finding.message and fix in finding.hint
    assert result.facts["verified"] is False and result.facts["cert"] is not None  # read by the second handshake


def test_clock_behind_makes_a_valid_cert_look_not_yet_valid(https_server, certs: Certs) -> None:  # type: ignore[no-untyped-def]
    server_now = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=2)
    server = https_server(Reply(200, headers={"date": http_date(server_now)}), kind="notyet")
    result = tls(server.port, env=trusting(certs))
    skew = first(result, "tls.clock_skew")
    assert result.status is Status.FAIL and skew.severity is Status.FAIL
    assert "behind" in skew.message and "timedatectl set-ntp true" in skew.hint
    assert skew.facts["clock_skew_s"] < -86400


def test_clock_ahead_makes_a_valid_cert_look_expired(https_server, certs: Certs) -> None:  # type: ignore[no-untyped-def]
    server_now = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=10)
    server = https_server(Reply(200, headers={"date": http_date(server_now)}), kind="expired")
    result = tls(server.port, env=trusting(certs))
    skew = first(result, "tls.clock_skew")
    assert "ahead of" in skew.message and "time sync" in skew.hint


def test_genuinely_expired_cert_is_not_blamed_on_the_clock(https_server, certs: Certs) -> None:  # type: ignore[no-untyped-def]
    server = https_server(Reply(200), kind="expired")  # the server's Date is now: the cert really expired
    result = tls(server.port, env=trusting(certs))
    assert "tls.clock_skew" not in codes(result) and codes(result) == ["tls.expired"]
    assert result.facts["server_date"]


# --- interception -----------------------------------------------------------------------------------


def test_inspection_product_issuer_is_interception(tmp_path: Path) -> None:
    zscaler = trustme.CA(organization_name="Zscaler Inc.")
    with HttpServer(Reply(200), cert=write_leaf(tmp_path, zscaler, HOST)) as server:
        result = tls(server.port)
    intercepted = first(result, "tls.intercepted")
    assert result.status is Status.FAIL and intercepted.severity is Status.FAIL
    assert "Zscaler" in intercepted.message and "SSL_CERT_FILE=/path/to/corporate-ca.pem" in intercepted.hint
    assert "tls.unknown_ca" in codes(result)


def test_trusted_inspection_is_a_warning(tmp_path: Path) -> None:
    fortinet = trustme.CA(organization_name="Fortinet")
    ca_file = tmp_path / "forti.pem"
    fortinet.cert_pem.write_to_path(str(ca_file))
    with HttpServer(Reply(200), cert=write_leaf(tmp_path, fortinet, HOST)) as server:
        result = tls(server.port, env={"SSL_CERT_FILE": str(ca_file)})
    intercepted = first(result, "tls.intercepted")
    assert intercepted.severity is Status.WARN and "Fortinet FortiGate" in intercepted.message
    assert "exempt the API host" in intercepted.hint


def test_well_known_host_with_private_issuer_is_interception(tmp_path: Path, certs: Certs) -> None:
    with HttpServer(Reply(200), cert=write_leaf(tmp_path, certs.ca, "api.openai.com")) as server:
        result = tls(server.port, host="api.openai.com", env=trusting(certs))
    intercepted = first(result, "tls.intercepted")
    assert "api.openai.com uses a public CA" in intercepted.message
    assert result.status is Status.WARN


# --- handshakes that never finish -----------------------------------------------------------------


@pytest.mark.parametrize("peer,cause,fix", [
    (ResetServer, "tls.handshake_reset", "SNI filtering"),
    (FinServer, "tls.handshake_reset", "SNI filtering"),
    (BlackholeServer, "net.tls_timeout", "never completed TLS"),
])
def test_broken_handshakes(peer: type, cause: str, fix: str) -> None:
    with peer() as server:
        result = tls(server.port, timeout=0.5)
    assert codes(result) == [cause] and result.status is Status.FAIL
    assert fix in result.findings[0].hint


def test_plain_http_on_the_tls_port(http_server) -> None:  # type: ignore[no-untyped-def]
    server = http_server(Reply(200))
    result = tls(server.port)
    assert codes(result) == ["tls.protocol_mismatch"] and result.status is Status.FAIL
    assert "WRONG_VERSION_NUMBER" in result.findings[0].message and "http://" in result.findings[0].hint


def test_http_base_url_skips(http_server) -> None:  # type: ignore[no-untyped-def]
    target = make_target("openai", "http://127.0.0.1:9/v1")
    result = run_check(TlsCheck, target=target)
    assert result.status is Status.SKIP and "http://" in result.summary


# --- trust-store variables --------------------------------------------------------------------------


def test_ssl_cert_file_pointing_nowhere(https_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    server = https_server(Reply(200))
    result = tls(server.port, env={"SSL_CERT_FILE": str(tmp_path / "gone.pem")})
    assert codes(result) == ["tls.ca_bundle_missing"] and result.status is Status.FAIL
    assert "FileNotFoundError" in result.findings[0].message and "unset it" in result.findings[0].hint


def test_requests_ca_bundle_missing_file_warns(https_server, certs: Certs, tmp_path: Path,  # type: ignore[no-untyped-def]
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certs.ca_pem))
    server = https_server(Reply(200))
    result = tls(server.port, env={**trusting(certs), "REQUESTS_CA_BUNDLE": str(tmp_path / "nope.pem")})
    missing = first(result, "tls.ca_bundle_missing")
    assert result.status is Status.WARN and "REQUESTS_CA_BUNDLE" in missing.message


def test_relying_on_requests_ca_bundle_which_httpx_ignores(https_server, certs: Certs) -> None:  # type: ignore[no-untyped-def]
    server = https_server(Reply(200))
    result = tls(server.port, env={"REQUESTS_CA_BUNDLE": str(certs.ca_pem)})
    ignored = first(result, "tls.ca_bundle_ignored")
    assert result.status is Status.FAIL and ignored.severity is Status.FAIL  # and it explains the unknown CA
    assert ignored.hint == f"export SSL_CERT_FILE={certs.ca_pem}"
    assert "tls.unknown_ca" in codes(result)


# --- through a proxy tunnel ---------------------------------------------------------------------------


def test_handshake_through_the_proxy_tunnel(https_server, certs: Certs, pproxy: PproxyServer,  # type: ignore[no-untyped-def]
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(certs.ca_pem))
    server = https_server(Reply(200))
    for scheme in ("http", "socks5h"):
        result = tls(server.port, host="127.0.0.1", env=trusting(certs), proxy=pproxy.url(scheme=scheme))
        assert result.status is Status.PASS, result
        assert result.facts["via"] == "proxy" and result.facts["verified"] is True


def test_expired_cert_through_the_proxy_tunnel(https_server, certs: Certs, pproxy: PproxyServer) -> None:  # type: ignore[no-untyped-def]
    server = https_server(Reply(200), kind="expired")
    result = tls(server.port, host="127.0.0.1", env=trusting(certs), proxy=pproxy.url())
    assert codes(result) == ["tls.expired"] and result.facts["via"] == "proxy"
