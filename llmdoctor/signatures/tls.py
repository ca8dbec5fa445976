"""TLS certificate failures: OpenSSL verify codes and reasons, and how each client words them.

The live tls check sees `ssl.SSLCertVerificationError.verify_code`; a pasted error shows the same
failure as OpenSSL's reason (`unable to get local issuer certificate`), Node's code
(`UNABLE_TO_GET_ISSUER_CERT_LOCALLY`), Go's x509 sentence or curl's. Codes are OpenSSL's
X509_V_ERR_* (include/openssl/x509_vfy.h); Node's codes are its `err.code` names.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CertFailure:
    """One way a certificate check fails, as a verify code, a live verdict and pasted wordings."""

    codes: tuple[int, ...]
    cause: str  # what a live handshake with this verify code means
    plain: str
    texts: str  # regex alternatives (lower-case) that name this failure in a pasted error
    read_as: tuple[tuple[str, float], ...]  # the causes a pasted text with these words shows


CERT_FAILURES: tuple[CertFailure, ...] = (
    CertFailure((9,), "tls.not_yet_valid", "the server's certificate is not yet valid",
                r"certificate is not yet valid|cert_not_yet_valid",
                (("tls.clock_skew", 0.9),)),
    CertFailure((10,), "tls.expired", "the server's certificate has expired",
                r"certificate has expired(?! or is not yet valid)|cert_has_expired",
                (("tls.expired", 0.8), ("tls.clock_skew", 0.4))),
    # 19: a self-signed root at the top of the chain that is not trusted: typical of TLS interception.
    CertFailure((19,), "tls.self_signed",
                "the chain ends in a self-signed root that is not trusted (typical of TLS interception)",
                r"self[- ]signed certificate\s+in\s+certificate\s+chain|self_signed_cert_in_chain",
                (("tls.intercepted", 0.85), ("tls.self_signed", 0.4))),
    CertFailure((18,), "tls.self_signed", "the server sent a self-signed certificate",
                r"self[- ]signed certificate(?!\s+in|\s+detected)|depth_zero_self_signed_cert",
                (("tls.self_signed", 0.85),)),
    CertFailure((20, 21), "tls.unknown_ca",
                "the certificate was issued by a CA that is not in the trust store",
                r"unable to get local\s*issuer\s*certificate|unable to verify the first certificate|"
                r"unable to get issuer certificate|unable_to_verify_leaf_signature|unable_to_get_issuer_cert|"
                r"x509: certificate signed by unknown authority|verify return code: 2[01]\b",
                (("tls.unknown_ca", 0.8), ("tls.intercepted", 0.55))),
    CertFailure((62, 64), "tls.hostname_mismatch", "the certificate is not valid for this host name",
                r"hostname mismatch|ip address mismatch|doesn't match|no alternative certificate subject name|"
                r"certificate is not valid for|err_tls_cert_altname_invalid|does not match certificate's altnames|"
                r"x509: certificate is valid for",
                (("tls.hostname_mismatch", 0.9),)),
    # 3: a CRL was asked for and not found - only with CRL checking on, the same unanswered question as schannel's
    # CRYPT_E_NO_REVOCATION_CHECK (read in `clients`)
    CertFailure((3,), "tls.revocation_unchecked", "the certificate's revocation list (CRL) could not be fetched",
                r"unable to get certificate crl",
                (("tls.revocation_unchecked", 0.9),)),
    # OpenSSL 3's RFC 5280 checks under VERIFY_X509_STRICT, a default of ssl.create_default_context on 3.13+
    CertFailure((85, 86, 89, 92), "tls.strict_x509", "a CA certificate fails Python's strict X.509 checks",
                r"missing authority key identifier|missing subject key identifier|"
                r"basic constraints of ca cert not marked critical|ca cert does not include key usage extension",
                (("tls.strict_x509", 0.92),)),
)

# The same failures as clients that are not OpenSSL word them, read from their sources: (causes, pattern, vague).
# - Go on macOS passes the Security framework's sentence through (crypto/x509/root_darwin.go): "“name” certificate
#   is expired / is not yet valid / is not trusted / name does not match input"; crypto/x509 itself for IP SANs and
#   the Common Name fallback removed in Go 1.15;
# - Java: JSSE's and OkHttp's host name checks (sun.security.util.HostnameChecker, okhttp3 RealConnection, Apache
#   HttpClient's DefaultHostnameVerifier), the PKIX validator's exceptions (CertificateExpiredException,
#   CertificateNotYetValidException; "validity check failed" says one of the two without which), JSSE's record layer;
# - .NET 5+ SslStream names the X509ChainStatusFlags after "errors in the certificate chain:"; .NET Framework's
#   "Could not create SSL/TLS secure channel";
# - rustls' CertificateError::UnknownRevocationStatus, Chromium's net error names, curl's own name check
#   (lib/vtls/openssl.c "SSL: certificate subject name ... does not match target host name").
# The unknown-issuer ones ("not trusted", UntrustedRoot, PartialChain, "No trusted certificate found") are ranked
# by `trust` like every other "no trusted root" wording.
Causes = tuple[tuple[str, float], ...]
CLIENT_WORDINGS: tuple[tuple[Causes, str, bool], ...] = (
    ((("tls.expired", 0.85), ("tls.clock_skew", 0.4)), r"” certificate is expired|certificateexpiredexception", False),
    ((("tls.clock_skew", 0.85),), r"” certificate is not yet valid|certificatenotyetvalidexception", False),
    ((("tls.hostname_mismatch", 0.88),),
     r"” certificate name does not match input|cannot validate certificate for \S+ because it doesn't contain any ip "
     r"sans|certificate relies on legacy common name field|no subject alternative (?:dns )?names? matching .{0,120}"
     r"found|no name matching \S+ found|hostname \S+ not verified|certificate for <[^>\n]+> doesn't match any of "
     r"the subject alternative names|certificate subject name '[^'\n]*' does not match target host name", False),
    ((("tls.intercepted", 0.6), ("tls.unknown_ca", 0.55)),
     r"” certificate is not trusted|no trusted certificate found|certificate chain: [^\n]{0,80}"
     r"\b(?:untrustedroot|partialchain)\b", False),
    ((("tls.revocation_unchecked", 0.9),),
     r"\b(?:revocationstatusunknown|offlinerevocation|unknownrevocationstatus)\b|unknown revocation status|"
     r"could not determine revocation status|err_cert_unable_to_check_revocation|err_cert_no_revocation_mechanism",
     False),
    ((("tls.protocol_mismatch", 0.85),),
     r"unsupported or unrecognized ssl message|no appropriate protocol \(protocol is disabled or cipher suites are "
     r"inappropriate\)", False),
    ((("tls.handshake_reset", 0.8),), r"remote host terminated the handshake|remote host closed connection during "
                                      r"handshake", False),
    # .NET Framework's WebException when no protocol both sides allow was found: before 4.7 it offers TLS 1.0 only
    # unless ServicePointManager.SecurityProtocol says Tls12 (System.Net resources, English and Chinese)
    ((("tls.protocol_mismatch", 0.8), ("tls.handshake_reset", 0.4)),
     r"could not create ssl/tls secure channel|未能创建 ssl/tls 安全通道", False),
    ((("tls.expired", 0.45), ("tls.clock_skew", 0.45)),
     r"certpathvalidatorexception: (?:validity|timestamp) check failed|certificate chain: [^\n]{0,80}"
     r"\bnottimevalid\b", True),
    # Go's prefix for every certificate failure, with a tail no row above names (macOS' opaque "OSStatus -26276"):
    # a certificate was rejected, which way is not said
    ((("tls.verify_failed", 0.45), ("tls.intercepted", 0.4), ("tls.unknown_ca", 0.4)),
     r"tls: failed to verify certificate: x509: osstatus -?\d+|tls: failed to verify certificate", True),
    # OpenSSL's reasons for alerts the server sent and for parameters the client refused (ssl/ssl_err.c): the server
    # does not know the name asked for (SNI: a base URL whose host that server does not serve); a weak DH group;
    # an internal_error alert, which CDNs also send for a name or protocol they do not serve: candidates
    ((("tls.hostname_mismatch", 0.75), ("dns.hijacked", 0.4)),
     r"tlsv1_unrecognized_name|tlsv1 unrecognized name|unrecognized_name", False),
    ((("tls.protocol_mismatch", 0.8),), r"dh_key_too_small|dh key too small", False),
    ((("tls.protocol_mismatch", 0.4), ("tls.handshake_reset", 0.35), ("tls.hostname_mismatch", 0.3)),
     r"tlsv1_alert_internal_error|tlsv1 alert internal error", True),
    # pip's sentence when loading the CA file or directory failed with an OSError (--cert, PIP_CERT,
    # REQUESTS_CA_BUNDLE or SSL_CERT_DIR naming a path that is not there, or a file where a directory belongs)
    ((("tls.ca_bundle_missing", 0.85),),
     r"problem confirming the ssl certificate: \[errno (?:2|20)\] (?:no such file|not a directory)", False),
    # --- NSS's own sentences (lib/util/SECerrs.h, lib/ssl/SSLerrs.h), as libcurl built with NSS (RHEL/CentOS curl
    # before 7.76, R's curl package there) and Firefox-based clients print them; and libcurl's older strerror for
    # CURLE_PEER_FAILED_VERIFICATION (60): "Peer certificate cannot be authenticated with given CA certificates".
    # The unknown-issuer ones are ranked by `trust` like every other "no trusted root" wording.
    ((("tls.unknown_ca", 0.8), ("tls.intercepted", 0.55)),
     r"peer's certificate issuer is not recognized|peer's certificate issuer has been marked as not trusted|"
     r"peer certificate cannot be authenticated with given ca certificates", False),
    ((("tls.expired", 0.85), ("tls.clock_skew", 0.4)),
     r"peer's certificate has expired|the certificate issuer's certificate has expired", False),
    ((("tls.hostname_mismatch", 0.9),),
     r"requested domain name does not match the server's certificate", False),
    # --- the peer's alert about a certificate (OpenSSL ssl/ssl_err.c: SSLV3_ALERT_CERTIFICATE_UNKNOWN,
    # _BAD_CERTIFICATE, TLSV1_ALERT_UNKNOWN_CA, SSLV3_ALERT_CERTIFICATE_EXPIRED): the other side rejected a certificate.
    # In a server's log ("SSL accept failed from 127.0.0.1:...") its clients do not trust its certificate
    # (AuraFriday/mcp-link#10: an expired Let's Encrypt one); which check failed the alert does not say, except for
    # "expired": candidates
    ((("tls.unknown_ca", 0.4), ("tls.expired", 0.35), ("tls.self_signed", 0.35)),
     r"sslv3[_ ]alert[_ ]certificate[_ ]unknown|tlsv1[_ ]alert[_ ]unknown[_ ]ca|sslv3[_ ]alert[_ ]bad[_ ]certificate",
     True),
    ((("tls.expired", 0.75), ("tls.clock_skew", 0.4)), r"sslv3[_ ]alert[_ ]certificate[_ ]expired", False),
    # --- a trust store that loaded nothing. Java's PKIXParameters refuses an empty set of trust anchors: the JDK's
    # cacerts (or the file -Djavax.net.ssl.trustStore names) is missing, empty or unreadable (Debian/Ubuntu's OpenJDK
    # without ca-certificates-java); OpenSSL's X509_load_cert_crl_file failing (ERR 0B084002, "system lib": the file
    # is not there) or finding no certificate in it, as Python's load_verify_locations reports them
    ((("tls.ca_bundle_missing", 0.9),), r"the trustanchors parameter must be non-empty", False),
    ((("tls.ca_bundle_missing", 0.88),),
     r"x509_load_cert_crl_file:system lib|0b084002|x509: no_certificate_or_crl_found|no certificate or crl found",
     False),
)

# Finer wording for the strict-X.509 codes, as the live check reports them.
_STRICT_PLAIN = {
    85: "a certificate in the chain has no Authority Key Identifier (strict X.509 checks)",
    86: "a certificate in the chain has no Subject Key Identifier (strict X.509 checks)",
    89: "the CA certificate's Basic Constraints are not marked critical (strict X.509 checks)",
    92: "the CA certificate has no Key Usage extension (strict X.509 checks)",
    18: "the server sent a self-signed certificate",
    21: "the certificate chain cannot be verified (missing intermediate or unknown CA)",
    64: "the certificate is not valid for this IP address",
}


def verdict_for_code(code: int) -> tuple[str, str]:
    """(cause, plain sentence) for an OpenSSL verify code; an unknown code is a plain verify failure."""
    for row in CERT_FAILURES:
        if code in row.codes:
            return row.cause, _STRICT_PLAIN.get(code, row.plain)
    return "tls.verify_failed", "certificate verification failed"


# A certificate the client checked and rejected: the handshake got that far, so a generic "TLS connect failed" read
# beside it (curl's exit 35 around an schannel certificate constant) is not a reset.
_CHECKED = ("tls.revocation_unchecked", "tls.unknown_ca", "tls.intercepted", "tls.self_signed", "tls.hostname_mismatch",
            "tls.expired", "tls.clock_skew", "tls.not_yet_valid", "tls.strict_x509")


def checked_not_cut(found: dict[str, tuple[float, str]]) -> None:
    """Drops the handshake-reset reading when a certificate reason was read in the same text."""
    if "tls.handshake_reset" in found and any(cause in found for cause in _CHECKED):
        del found["tls.handshake_reset"]


# Issuer names of TLS-inspection products (corporate proxies, antivirus, debugging proxies): the live tls check
# reads them in the issuer it was shown, explain in a pasted certificate error.
INTERCEPTORS = (
    ("zscaler", "Zscaler"), ("fortinet", "Fortinet FortiGate"), ("fortigate", "Fortinet FortiGate"),
    ("palo alto", "Palo Alto Networks"), ("paloalto", "Palo Alto Networks"), ("blue coat", "Blue Coat ProxySG"),
    ("bluecoat", "Blue Coat ProxySG"), ("proxysg", "Symantec ProxySG"), ("netskope", "Netskope"),
    ("cisco umbrella", "Cisco Umbrella"), ("opendns", "Cisco Umbrella"), ("sophos", "Sophos"),
    ("kaspersky", "Kaspersky"), ("eset", "ESET"), ("avast", "Avast"), ("avg technologies", "AVG"),
    ("bitdefender", "Bitdefender"), ("mitmproxy", "mitmproxy"), ("charles proxy", "Charles"),
    ("charlesproxy", "Charles"), ("do_not_trust_fiddlerroot", "Fiddler"), ("fiddler", "Fiddler"),
    ("portswigger", "Burp Suite"), ("burp", "Burp Suite"), ("forcepoint", "Forcepoint"),
    ("checkpoint", "Check Point"), ("check point", "Check Point"),
)
