"""Python 3.13's strict certificate checks, against a real CA that breaks RFC 5280.

Since 3.13, `ssl.create_default_context` sets VERIFY_X509_STRICT, and httpx builds its context
with it. llmdoctor builds its contexts the same way (net/truststore.py), so on 3.13 it sees the
rejection the SDK sees, and names it. CI runs an older Python: the tests set the flag the way
3.13's `create_default_context` does, and handshake with a real loopback server.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from helpers import make_target, run_check
from peers import HttpServer, Reply

from checks.tls import TlsCheck
from llmdoctor.net import truststore
from llmdoctor.net.errors import classify
from llmdoctor.net.truststore import TrustStore, ssl_context_for

NOW = dt.datetime.now(dt.timezone.utc)


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _lax_ca_chain(directory: Path, flaw: str) -> tuple[Path, tuple[Path, Path]]:
    """(ca.pem, (leaf cert, key)) from a CA made like many inspection CAs: trusted, but not RFC 5280 clean."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_builder = (x509.CertificateBuilder().subject_name(_name("Corp Inspection CA"))
                  .issuer_name(_name("Corp Inspection CA")).public_key(ca_key.public_key()).serial_number(1)
                  .not_valid_before(NOW - dt.timedelta(days=1)).not_valid_after(NOW + dt.timedelta(days=30))
                  .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=flaw != "bc")
                  .add_extension(x509.KeyUsage(True, False, False, False, False, True, True, False, False), True)
                  .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False))
    ca = ca_builder.sign(ca_key, hashes.SHA256())
    key = ec.generate_private_key(ec.SECP256R1())
    leaf_builder = (x509.CertificateBuilder().subject_name(_name("127.0.0.1")).issuer_name(ca.subject)
                    .public_key(key.public_key()).serial_number(2)
                    .not_valid_before(NOW - dt.timedelta(days=1)).not_valid_after(NOW + dt.timedelta(days=30))
                    .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                   critical=False))
    if flaw != "aki":
        leaf_builder = leaf_builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
    leaf = leaf_builder.sign(ca_key, hashes.SHA256())
    ca_pem, cert, key_pem = directory / "ca.pem", directory / "leaf.pem", directory / "leaf.key"
    ca_pem.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    cert.write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    key_pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    return ca_pem, (cert, key_pem)


@pytest.fixture(params=["aki", "bc"])
def lax_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[HttpServer, Path]]:
    ca_pem, leaf = _lax_ca_chain(tmp_path, request.param)
    server = HttpServer(Reply(200), cert=leaf)
    yield server, ca_pem
    server.stop()


@pytest.fixture
def python_313_defaults(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`ssl.create_default_context` as Python 3.13 made it: VERIFY_X509_STRICT on."""
    original = ssl.create_default_context

    def strict(*args: object, **kwargs: object) -> ssl.SSLContext:
        ctx = original(*args, **kwargs)  # type: ignore[arg-type]
        ctx.verify_flags |= ssl.VERIFY_X509_STRICT
        return ctx

    monkeypatch.setattr(ssl, "create_default_context", strict)
    truststore._cached_context.cache_clear()
    yield
    truststore._cached_context.cache_clear()


def test_contexts_are_made_the_way_httpx_makes_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from httpx._config import create_ssl_context

    ca_pem, _leaf = _lax_ca_chain(tmp_path, "aki")
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_pem))
    theirs, ours = create_ssl_context(), ssl_context_for(TrustStore("SSL_CERT_FILE", str(ca_pem)))
    assert (ours.verify_flags, ours.options, ours.minimum_version, ours.check_hostname, ours.verify_mode) == \
        (theirs.verify_flags, theirs.options, theirs.minimum_version, theirs.check_hostname, theirs.verify_mode)


def test_the_strict_rejection_is_classified(lax_server: tuple[HttpServer, Path]) -> None:
    server, ca_pem = lax_server
    ctx = ssl.create_default_context(cafile=str(ca_pem))
    ctx.verify_flags |= ssl.VERIFY_X509_STRICT
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw, \
            pytest.raises(ssl.SSLCertVerificationError) as caught:
        ctx.wrap_socket(raw, server_hostname="127.0.0.1")
    failure = classify(caught.value)
    assert failure.cause == "tls.strict_x509"
    assert failure.facts["verify_code"] in (85, 89)
    assert "strict X.509 checks" in failure.message


def test_without_the_strict_flag_the_same_ca_verifies(lax_server: tuple[HttpServer, Path]) -> None:
    """The CA is trusted: only the strict checks reject it (what Python 3.12, curl and browsers do)."""
    server, ca_pem = lax_server
    target = make_target("openai", f"https://127.0.0.1:{server.port}/v1")
    result = run_check(TlsCheck, target=target, env={"SSL_CERT_FILE": str(ca_pem)}, timeout=2.0)
    if ssl.create_default_context().verify_flags & ssl.VERIFY_X509_STRICT:
        pytest.skip("this Python is strict by default (3.13+): covered by the next test")
    assert result.status.value in ("pass", "warn"), result  # warn: a private CA the OS store lacks
    assert "tls.strict_x509" not in [f.code for f in result.findings]


def test_the_tls_check_names_it_on_a_strict_python(lax_server: tuple[HttpServer, Path],
                                                   python_313_defaults: None) -> None:
    server, ca_pem = lax_server
    target = make_target("openai", f"https://127.0.0.1:{server.port}/v1")
    result = run_check(TlsCheck, target=target, env={"SSL_CERT_FILE": str(ca_pem)}, timeout=2.0)
    assert result.status.value == "fail"
    finding = next(f for f in result.findings if f.code == "tls.strict_x509")
    assert finding.confidence >= 0.9
    assert "drop only ssl.VERIFY_X509_STRICT" in finding.hint and "Never turn verification off" in finding.hint
