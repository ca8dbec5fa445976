"""Test certificates: one trusted CA and a leaf for every TLS failure a user can meet.

trustme issues CA-signed leaves (including expired and not-yet-valid ones); it has no
self-signed leaf, so that one is built with `cryptography` directly.
"""

from __future__ import annotations

import datetime as dt
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import trustme
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

LeafKind = Literal["valid", "expired", "notyet", "wronghost", "unknownca", "selfsigned"]
LEAF_KINDS: tuple[LeafKind, ...] = ("valid", "expired", "notyet", "wronghost", "unknownca", "selfsigned")

#: Every name a "valid" leaf answers for: loopback literals plus the fake provider hosts
#: that tests reach through SNI or a test DNS server.
VALID_NAMES: tuple[str, ...] = (
    "localhost", "127.0.0.1", "::1", "api.openai.test", "api.anthropic.test", "gw.llm.test",
)
WRONG_HOST = "wrong.example"


@dataclass
class Certs:
    """A trusted test CA (`ca_pem`) plus lazily written leaf certificates, one per kind."""

    directory: Path
    ca: trustme.CA
    other_ca: trustme.CA  # issues the "unknownca" leaf; never in ca_pem
    ca_pem: Path
    _leaves: dict[str, tuple[Path, Path]] = field(default_factory=dict)

    def leaf(self, kind: LeafKind = "valid") -> tuple[Path, Path]:
        """(cert_pem, key_pem) for a server presenting a certificate of `kind`."""
        if kind not in LEAF_KINDS:
            raise ValueError(f"unknown certificate kind {kind!r}; expected one of {LEAF_KINDS}")
        if kind not in self._leaves:
            cert_pem, key_pem = self._build(kind)
            cert_path = self.directory / f"{kind}.cert.pem"
            key_path = self.directory / f"{kind}.key.pem"
            cert_path.write_bytes(cert_pem)
            key_path.write_bytes(key_pem)
            self._leaves[kind] = (cert_path, key_path)
        return self._leaves[kind]

    def server_context(self, kind: LeafKind = "valid") -> ssl.SSLContext:
        """A server-side SSLContext loaded with the `kind` leaf."""
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        cert, key = self.leaf(kind)
        ctx.load_cert_chain(cert, key)
        return ctx

    def client_context(self) -> ssl.SSLContext:
        """A client SSLContext that trusts only the test CA (what `verify=` should get)."""
        return ssl.create_default_context(cafile=str(self.ca_pem))

    def _build(self, kind: LeafKind) -> tuple[bytes, bytes]:
        now = dt.datetime.now(dt.timezone.utc)
        day = dt.timedelta(days=1)
        if kind == "selfsigned":
            return _self_signed(VALID_NAMES)
        issuer, names = self.ca, VALID_NAMES
        not_before: dt.datetime | None = None
        not_after: dt.datetime | None = None
        if kind == "expired":
            not_before, not_after = now - 30 * day, now - day
        elif kind == "notyet":
            not_before, not_after = now + day, now + 30 * day
        elif kind == "wronghost":
            names = (WRONG_HOST,)
        elif kind == "unknownca":
            issuer = self.other_ca
        leaf = issuer.issue_cert(*names, not_before=not_before, not_after=not_after)
        # The chain file holds the leaf followed by its issuer, as a real server would send it.
        chain = b"".join(blob.bytes() for blob in leaf.cert_chain_pems)
        return chain, leaf.private_key_pem.bytes()


def make_certs(tmpdir: Path | str) -> Certs:
    """Create the test CA in `tmpdir` (ca.pem); leaves are written on first use."""
    directory = Path(tmpdir)
    directory.mkdir(parents=True, exist_ok=True)
    ca, other = trustme.CA(), trustme.CA(organization_name="Unknown Test CA")
    ca_pem = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_pem))
    return Certs(directory=directory, ca=ca, other_ca=other, ca_pem=ca_pem)


def _self_signed(names: tuple[str, ...]) -> tuple[bytes, bytes]:
    """A leaf that is its own issuer, with the same SANs as the valid leaf."""
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "llmdoctor self-signed test")])
    sans: list[x509.GeneralName] = []
    for name in names:
        try:
            sans.append(x509.IPAddress(ipaddress.ip_address(name)))
        except ValueError:
            sans.append(x509.DNSName(name))
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return cert.public_bytes(serialization.Encoding.PEM), key_pem
