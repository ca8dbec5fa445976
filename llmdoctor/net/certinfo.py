"""A server certificate in plain fields (subject, issuer, SANs, validity), from DER bytes.

`cryptography` parses it when installed (it comes with trustme, but it is not a runtime
dependency); otherwise CPython's own decoder (`ssl._ssl._test_decode_cert`, which needs a PEM
file) gives the same fields as `getpeercert()`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import ssl
import tempfile
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class CertInfo:
    subject: str
    issuer: str
    issuer_org: str = ""
    sans: tuple[str, ...] = ()
    not_before: str = ""  # ISO 8601, UTC
    not_after: str = ""
    serial: str = ""
    self_signed: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["sans"] = list(self.sans)
        data.pop("extra")
        return data

    def validity(self) -> tuple[dt.datetime | None, dt.datetime | None]:
        return _iso(self.not_before), _iso(self.not_after)


def _iso(text: str) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


def _with_cryptography(der: bytes) -> CertInfo | None:
    try:
        from cryptography import x509
        from cryptography.x509.oid import NameOID
    except ImportError:
        return None
    # cryptography parses lazily: a malformed subject, name or extension from a hostile or broken
    # server raises (ValueError, DuplicateExtension, ...) when its field is read, not at load time.
    # Any of those means "cannot read it this way"; the stdlib decoder gets its turn.
    try:
        cert = x509.load_der_x509_certificate(der)
        sans: list[str] = []
        with contextlib.suppress(x509.ExtensionNotFound):
            ext = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            sans = [str(v) for v in ext.get_values_for_type(x509.DNSName)]
            sans += [str(v) for v in ext.get_values_for_type(x509.IPAddress)]
        orgs = cert.issuer.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)
        return CertInfo(
            subject=cert.subject.rfc4514_string(),
            issuer=cert.issuer.rfc4514_string(),
            issuer_org=str(orgs[0].value) if orgs else "",
            sans=tuple(sans),
            not_before=cert.not_valid_before_utc.isoformat(),
            not_after=cert.not_valid_after_utc.isoformat(),
            serial=format(cert.serial_number, "x"),
            self_signed=cert.issuer == cert.subject,
        )
    except Exception:
        return None


def _name(parts: Any) -> tuple[str, str]:
    """getpeercert()'s nested tuples -> ("CN=x,O=y", organization)."""
    pairs = [(k, v) for rdn in parts or () for (k, v) in rdn]
    short = {"commonName": "CN", "organizationName": "O", "organizationalUnitName": "OU", "countryName": "C"}
    text = ",".join(f"{short.get(k, k)}={v}" for k, v in reversed(pairs))
    org = next((v for k, v in pairs if k == "organizationName"), "")
    return text, org


def from_peercert(data: dict[str, Any]) -> CertInfo:
    """The dict `getpeercert()` (verified) or `_test_decode_cert` returns."""
    subject, _ = _name(data.get("subject"))
    issuer, org = _name(data.get("issuer"))

    def when(key: str) -> str:
        text = data.get(key)
        if not text:
            return ""
        return dt.datetime.fromtimestamp(ssl.cert_time_to_seconds(text), dt.timezone.utc).isoformat()

    sans = tuple(v for _, v in data.get("subjectAltName", ()))
    return CertInfo(subject, issuer, org, sans, when("notBefore"), when("notAfter"),
                    str(data.get("serialNumber", "")).lower(), subject == issuer)


def _with_stdlib(der: bytes) -> CertInfo | None:
    decode = getattr(getattr(ssl, "_ssl", None), "_test_decode_cert", None)
    if decode is None:
        return None
    fd, path = tempfile.mkstemp(suffix=".pem")
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(ssl.DER_cert_to_PEM_cert(der))
        return from_peercert(decode(path))
    except (OSError, ssl.SSLError, ValueError):
        return None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)


def parse_der(der: bytes | None) -> CertInfo | None:
    if not der:
        return None
    return _with_cryptography(der) or _with_stdlib(der)
