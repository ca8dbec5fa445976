"""How clients other than Python's word transport failures: curl/libcurl, Windows schannel, NSS, Node's agents,
Go's net/http, Rust's rustls/reqwest, and the SOCKS reply codes every client reports.

Rows are (causes, pattern) like `transport`'s, lower-case regexes over the whole text. Structured signs come
first: curl's exit code (`curl: (77)`, `cURL error 77`, curl_cffi's `ErrCode: 77`), a SOCKS reply code
(RFC 1928 §6, by the words each library prints for it), an schannel/NSS error constant, a proxy's status to
CONNECT as undici prints it. The wordings are the clients' own, read from their sources:

- curl: lib/strerror.c (`curl_easy_strerror`), lib/vtls/schannel.c, lib/http_proxy.c, lib/cf-h1-proxy.c,
  lib/socks.c, lib/vtls/openssl.c; exit codes from include/curl/curl.h (CURLE_*);
- undici: lib/dispatcher/proxy-agent.js (`Proxy response (N) !== 200 when HTTP Tunneling`); https-proxy-agent:
  parse-proxy-response.js; tunnel-agent: index.js (`tunneling socket could not be established, cause=...`);
- Node's `socks` and `socks5-client`, python-socks (`_errors.py`/ reply messages), PySocks;
- Go: net/http transport.go (`proxyconnect tcp:`, a CONNECT answer's status text as the error,
  `server gave HTTP response to HTTPS client`), crypto/tls and crypto/x509;
- rustls: `CertificateError` names (`UnknownIssuer`, `NotValidForName`, `Expired`, `NotValidYet`);
  hyper-util/reqwest: `tcp connect error`, `dns error`, `tunnel error`;
- NSS (Firefox, Zotero, Thunderbird): `PR_CONNECT_RESET_ERROR`, `SEC_ERROR_UNKNOWN_ISSUER`, ...
"""

from __future__ import annotations

import re

from llmdoctor.signatures.proxyanswer import CONNECT_STATUS, statuses_of
from llmdoctor.signatures.tls import INTERCEPTORS

Causes = tuple[tuple[str, float], ...]


def _curl(code: int) -> str:
    """Every way a program prints libcurl's exit code `code`: the curl tool, PHP/Guzzle, curl_cffi, pycurl, R."""
    return (rf"(?:curl: \({code}\)|curl error:? {code}\b|errcode: {code}\b|\[curl\] {code}\b|"
            rf"curl_easy_perform\(\) failed[^\n]{{0,20}}\b{code}\b|returned: {code} -|"
            rf"curl request failed[^\n]{{0,6}}\b{code}\))")


def _by_connect_status(template: str) -> tuple[tuple[Causes, str], ...]:
    """One row per cause of the CONNECT status table, `{codes}` in `template` filled with that cause's statuses."""
    causes = dict.fromkeys(CONNECT_STATUS.values())
    return tuple((((cause, 0.8 if cause == "proxy.protocol_mismatch" else 0.93),),
                   template.format(codes="|".join(str(code) for code in statuses_of(cause)))) for cause in causes)


# libcurl exit codes (include/curl/curl.h) that name their failure by number alone; 7, 28, 52 and 56 need their
# words (a refusal or a timeout, which step) and are read by the rows below and in `transport`.
_CURL_EXIT: dict[int, Causes] = {
    5: (("proxy.unreachable", 0.9),),  # CURLE_COULDNT_RESOLVE_PROXY
    6: (("dns.failure", 0.9),),  # CURLE_COULDNT_RESOLVE_HOST
    35: (("tls.handshake_reset", 0.8),),  # CURLE_SSL_CONNECT_ERROR
    51: (("tls.hostname_mismatch", 0.85),),  # CURLE_PEER_FAILED_VERIFICATION (old curl: the name check)
    60: (("tls.verify_failed", 0.55),),  # CURLE_PEER_FAILED_VERIFICATION: a candidate; its words say which
    77: (("tls.ca_bundle_missing", 0.92),),  # CURLE_SSL_CACERT_BADFILE
    83: (("tls.verify_failed", 0.55),),  # CURLE_SSL_ISSUER_ERROR
}


# A SOCKS server's reply (RFC 1928 §6) as libraries word it: PySocks/python-socks ("Connection refused by
# destination host", "Connection not allowed by ruleset"), Node socks ("Socks5 proxy rejected connection -
# ConnectionRefused"), socks5-client ("SOCKS connection failed. Connection refused."). The reply comes from the
# proxy, so "refused" here is the API refusing the proxy, never the proxy refusing us.
_SOCKS_REPLY = (r"(?:socks connection failed\.|socks5? proxy rejected connection -|socks5?error:?\s*(?:0x0[1-8]:)?|"
                r"proxyerror:?)\s*")

SIGNS: tuple[tuple[Causes, str], ...] = (
    # --- the proxy's own answer ------------------------------------------------------------------------------
    # 407's reason phrase is the proxy's alone; Go's net/http returns a CONNECT answer's status text as the
    # error ("Post \"https://...\": Proxy Authentication Required"), reqwest/hyper-util say "proxy authorization
    # required".
    ((("proxy.auth_failed", 0.93),), r"\bproxy authentication required\b|tunnel error: proxy authori[sz]ation|"
                                     r"proxy authori[sz]ation required"),
    # undici's ProxyAgent (and Node's built-in EnvHttpProxyAgent) name the CONNECT status in brackets; .NET's
    # HttpConnectionPool.EstablishProxyTunnelAsync quotes it: both read by the CONNECT status table
    *_by_connect_status(r"proxy response \(({codes})\) !== 200"),
    *_by_connect_status(r"proxy tunnel request to proxy [^\n]{{0,120}}?failed with status code '?({codes})\b"),
    # Go's net/http CONNECT answers other than 407, as the status text after the URL
    ((("proxy.upstream_failed", 0.86),), r"https?://[^\s\"]+\": (?:bad gateway|gateway timeout|service unavailable)"
                                         r"\s*$"),
    # curl: the proxy's answer to CONNECT did not come in time (lib/cf-h1-proxy.c, "Proxy CONNECT aborted due to
    # timeout"); without "due to" it hung up instead (VAGUE below)
    ((("proxy.not_responding", 0.86),), r"proxy connect aborted due to timeout"),
    # tunnel-agent (request, Postman, Atom, old Node SDKs): the cause after "cause=" says which step failed
    ((("proxy.not_responding", 0.86),),
     r"tunneling socket could not be established, cause=(?:socket hang up|read econnreset|[^\n]{0,40}econnreset)"),
    # ... and a proxy value without "http://" (127.0.0.1:3128) that tunnel-agent parsed into a number: 0.0.x.y
    ((("env.proxy_misconfigured", 0.94),),
     r"tunneling socket could not be established, cause=connect (?:einval|econnrefused) 0\.0\.\d+\.\d+"),
    ((("proxy.unreachable", 0.92),),
     r"tunneling socket could not be established, cause=(?:getaddrinfo (?:enotfound|eai_again)|connect etimedout|"
     r"connect ehostunreach|connect enetunreach)"),
    # SOCKS replies, by reply code: 2 = the proxy's rules forbid it; 1, 3-6 = the proxy could not reach the API;
    # 7-8 = the proxy does not understand the request
    ((("proxy.blocked", 0.95),), _SOCKS_REPLY + r"(?:connection )?not ?allowed(?: by ruleset)?|"
                                 r"connection not allowed by ruleset"),
    ((("proxy.upstream_failed", 0.96),),
     _SOCKS_REPLY + r"(?:connection ?refused|host ?unreachable|network ?unreachable|ttl ?expired|failure\b|"
                    r"general socks server failure)|connection refused by destination host"),
    ((("proxy.protocol_mismatch", 0.85),),
     _SOCKS_REPLY + r"(?:command not supported|address type not supported|commandnotsupported|"
                    r"addresstypenotsupported)"),
    # urllib3 1.26 says outright that an https:// proxy URL points at a plain-HTTP proxy
    ((("proxy.protocol_mismatch", 0.96),), r"your proxy appears to only use http and not https"),
    ((("env.proxy_misconfigured", 0.92),), r"proxy url had no scheme|proxyschemeunknown|proxyschemeunsupported|"
                                           r"not supported proxy scheme|unsupported proxy scheme"),

    # Chromium's net errors, as Electron apps (VS Code, Cursor, Claude desktop, Postman) print them
    ((("proxy.unreachable", 0.92),), r"err_proxy_connection_failed"),
    ((("env.proxy_misconfigured", 0.9),), r"erro?_no_supported_proxies"),
    ((("proxy.auth_failed", 0.9),), r"err_proxy_auth_(?:requested|unsupported)"),
    ((("proxy.upstream_failed", 0.9),), r"err_socks_connection_host_unreachable"),
    ((("tls.unknown_ca", 0.8), ("tls.intercepted", 0.6)), r"err_cert_authority_invalid"),
    ((("tls.hostname_mismatch", 0.9),), r"err_cert_common_name_invalid"),
    ((("tls.expired", 0.75), ("tls.clock_skew", 0.6)), r"err_cert_date_invalid"),
    ((("net.connect_refused", 0.88),), r"err_connection_refused"),
    ((("net.connect_timeout", 0.86),), r"err_connection_timed_out"),
    ((("dns.failure", 0.9),), r"err_name_not_resolved"),
    ((("net.unreachable", 0.88),), r"err_internet_disconnected|err_address_unreachable|err_network_access_denied"),
    ((("tls.protocol_mismatch", 0.85),), r"err_ssl_version_or_cipher_mismatch"),
    ((("tls.handshake_reset", 0.7),), r"err_ssl_protocol_error"),
    # VS Code's PAC-aware agent (@vscode/proxy-agent): every proxy in the list refused the connection
    ((("proxy.unreachable", 0.92),), r"failed to establish a socket connection to proxies"),

    # --- the way to the proxy -------------------------------------------------------------------------------------
    # curl exit 5 and its words: the proxy's name does not resolve (or the value is a Windows "http=host"
    # per-protocol list, which no client reads as a URL)
    ((("env.proxy_misconfigured", 0.94),), r"could not resolve proxy: [a-z]+="),
    ((("proxy.unreachable", 0.92),), _curl(5) + r"|could(?:n't| not) resolve proxy"),
    # Go: everything after "proxyconnect tcp:" is about the proxy (spacing as users retype screenshots)
    ((("proxy.unreachable", 0.93),),
     r"proxy\s*connect\s*tcp\s*:(?s:.{0,160}?)(?:refused|no such host|i/o timeout|unreachable|no route to host|"
     r"did not properly respond|network is down)"),
    ((("proxy.protocol_mismatch", 0.94),),
     r"proxy\s*connect\s*tcp\s*:(?s:.{0,160}?)(?:first record does not look like a tls handshake|"
     r"server gave http response to https client|oversized record)"),
    ((("proxy.not_responding", 0.84),), r"proxy\s*connect\s*tcp\s*:\s*(?:eof|read: connection reset)"),

    # --- curl/libcurl by exit code ----------------------------------------------------------------------------------
    # the exit codes whose number alone names the failure, however the program prints it (curl_cffi's "ErrCode: 35")
    *((causes, _curl(code)) for code, causes in _CURL_EXIT.items()),
    ((("tls.ca_bundle_missing", 0.92),),
     _curl(77) + r"|error setting certificate verify locations|error adding trust anchors from file|"
                 r"problem with the ssl ca cert"),
    # libcurl 60 with "local issuer" inside PHP/Guzzle/R: no CA bundle configured there (php.ini's curl.cainfo);
    # the curl tool itself reads the system bundle, so its "curl: (60)" stays a plain unknown CA. Below the verdict
    # line: the same PHP behind an inspecting proxy says the same (openai-php/laravel#126); `trust` says it as the
    # most likely cause of its (curl) family
    ((("tls.ca_bundle_missing", 0.8),), r"(?:curl error:? 60\b|errcode: 60\b|error code: 60\b)(?s:.{0,120}?)"
                                         r"unable to get\s+local\s+issuer"),
    # libcurl's CURLE_OPERATION_TIMEDOUT is CURLOPT_TIMEOUT running out: a whole-transfer limit the program set (curl
    # -m, Guzzle's 'timeout', google-gemini-php's GEMINI_REQUEST_TIMEOUT of 30 s), not a socket read timeout. With 0
    # bytes the answer had not started; the threads split between a slow answer and a limit shorter than a
    # non-streamed answer takes (google-gemini-php/laravel#13, grok-php/laravel#2): the second is a candidate
    ((("net.read_timeout", 0.86), ("net.client_timeout_too_short", 0.6)),
     r"operation timed out after \d+ milliseconds\s+with \d+ (?:out of -?\d+ )?bytes"),
    ((("dns.failure", 0.86),), r"resolving timed out after \d+ milli"),
    ((("net.tls_timeout", 0.85),), r"ssl connection timeout"),
    ((("net.stream_stalled", 0.82),), r"transfer closed with (?:\d+ bytes|outstanding read data) remaining|"
                                      + _curl(18) + r"|" + _curl(92) + r"|was not closed cleanly: internal_error"),

    # --- Windows schannel (curl and git on Windows, R, PowerShell) ----------------------------------------------
    ((("tls.handshake_reset", 0.82),), r"schannel: failed to receive handshake|schannel: failed to send"),
    ((("tls.protocol_mismatch", 0.88),), r"sec_e_algorithm_mismatch|do not possess a common algorithm|"
                                         r"sec_e_unsupported_function"),
    ((("tls.unknown_ca", 0.82), ("tls.intercepted", 0.6)),
     r"sec_e_untrusted_root|cert_e_untrustedroot|chain was issued by an authority that is not trusted"),
    # the CA's CRL/OCSP servers did not answer and schannel (curl's default there) fails closed: a network that lets
    # the API through but not those addresses, or an inspecting proxy's certificates without them. The constants
    # and their localized sentences (winerror.h; curl_sspi.c names them since 8.5, "Unknown error (0x8009201N)"
    # before); OpenSSL's verify code 3 is the same question unanswered (`tls.CERT_FAILURES`).
    ((("tls.revocation_unchecked", 0.9),),
     r"crypt_e_no_revocation_check|crypt_e_revocation_offline|0x8009201[23]\b|unable to check revocation|"
     r"cert_trust_revocation_status_unknown|cert_trust_is_offline_revocation|吊销功能无法检查|"
     r"sperrfunktion konnte keine sperrpr|fonction de r[ée]vocation n'a pas pu"),
    ((("tls.hostname_mismatch", 0.9),), r"sec_e_wrong_principal|target principal name is incorrect|"
                                        r"cert_e_cn_no_match"),
    ((("tls.expired", 0.85),), r"sec_e_cert_expired|cert_e_expired"),
    ((("tls.handshake_reset", 0.7),), r"sec_e_illegal_message"),

    # --- NSS (Firefox-based clients such as Zotero plug-ins) ----------------------------------------------------
    # "An error occurred during a connection to HOST" is NSS's TLS failure page; a reset there is in the handshake
    ((("tls.handshake_reset", 0.8),), r"pr[_ ]connect[_ ]reset[_ ]error|pr[_ ]end[_ ]of[_ ]file[_ ]error"),
    ((("tls.intercepted", 0.92),), r"mozilla_pkix_error_mitm_detected"),
    ((("tls.unknown_ca", 0.8), ("tls.intercepted", 0.6)), r"sec_error_unknown_issuer"),
    ((("tls.hostname_mismatch", 0.9),), r"ssl_error_bad_cert_domain"),
    ((("tls.expired", 0.85),), r"sec_error_expired_certificate"),

    # Claude Code's own sentence for any self-signed certificate (SELF_SIGNED_CERT_IN_CHAIN, DEPTH_ZERO_...): the
    # threads confirm an inspecting proxy or VPN and also none (a home network): `trust` ranks it as a guess
    ((("tls.intercepted", 0.6), ("tls.self_signed", 0.45)), r"self-signed certificate detected"),

    # --- Rust: rustls and hyper-util/reqwest -------------------------------------------------------------------------
    # rustls ships its own roots (webpki-roots): a public site whose chain ends at an unknown root is an
    # inspecting proxy's CA, installed in the OS store where rustls does not look
    ((("tls.intercepted", 0.82), ("tls.unknown_ca", 0.78)), r"\bunknownissuer\b"),
    # Node (and npm, Bun) check against their own bundled Mozilla roots, not the OS store, the same way: its code
    # for "no issuer found" on a public site is an inspecting proxy's CA the OS trusts and Node does not
    ((("tls.intercepted", 0.82), ("tls.unknown_ca", 0.8)), r"\bunable_to_get_issuer_cert_locally\b"),
    ((("tls.hostname_mismatch", 0.9),), r"\bnotvalidforname\b|certificate not valid for name"),
    ((("tls.expired", 0.85),), r"invalid peer certificate(?: contents)?: (?:expired|certificate expired)"),
    ((("tls.clock_skew", 0.85),), r"\bnotvalidyet\b|certificate not valid yet"),
    ((("tls.protocol_mismatch", 0.82),), r"received corrupt message of type invalidcontenttype"),
    ((("dns.failure", 0.9),), r"dns error: failed to lookup address"),
    ((("net.connect_timeout", 0.85),), r"error trying to connect: (?:deadline has elapsed|operation timed out)"),

    # --- Go ----------------------------------------------------------------------------------------------------------
    ((("tls.protocol_mismatch", 0.86),), r"server gave http response to https client|"
                                         r"first record does not look like a tls handshake"),
    ((("tls.ca_bundle_missing", 0.92),), r"x509: failed to load system roots"),
    ((("dns.failure", 0.86),), r"dial tcp: lookup [^\s:]+(?: on [^\s]+)?: (?:i/o timeout|server misbehaving)"),
    ((("tls.handshake_reset", 0.65),), r"remote error: tls: handshake failure"),
    ((("tls.protocol_mismatch", 0.8),), r"remote error: tls: protocol version not supported"),
    # curl's SOCKS client: the port answered nothing, or something that is not SOCKS (lib/socks.c)
    ((("proxy.not_responding", 0.78),), r"unable to receive initial socks5 response|"
                                        r"failed to receive socks5 connect request ack"),
    ((("proxy.protocol_mismatch", 0.85),), r"received invalid version in initial socks5 response"),
    # curl 7's strerror without the exit code (PHP, R, git); after many seconds the timeout row is stronger
    ((("net.connect_refused", 0.7),), r"couldn'?t connect to server|could't connect to server"),
)

# An inspection product named next to a certificate failure (its CA's name in the chain, in the issuer the client
# printed): the live tls check's table of issuer names. "checkpoint" is left out: ML tracebacks say it everywhere.
_PRODUCTS = "|".join(rf"\b{re.escape(needle)}\b" for needle, _ in INTERCEPTORS if needle != "checkpoint")
_CERT_WORDS = r"certificate|\bcert\b|x509|issuer|ssl|tls|verify"
SIGNS = (*SIGNS, ((("tls.intercepted", 0.93),),
                  rf"(?:{_PRODUCTS})(?s:.{{0,200}}?)(?:{_CERT_WORDS})|(?:{_CERT_WORDS})(?s:.{{0,200}}?)(?:{_PRODUCTS})"))

# Wordings that say something failed but not which of a few causes it was: candidates, never a verdict.
VAGUE: tuple[tuple[Causes, str], ...] = (
    # undici before the status was added to its message
    ((("proxy.auth_failed", 0.4), ("proxy.blocked", 0.35), ("proxy.upstream_failed", 0.35)),
     r"proxy response !== 200 when http tunneling"),
    # https-proxy-agent: the proxy closed the connection without answering CONNECT
    ((("proxy.upstream_failed", 0.45), ("proxy.not_responding", 0.4), ("proxy.blocked", 0.35)),
     r"proxy connection ended before receiving connect response"),
    # curl: the proxy closed the connection before any answer to CONNECT (lib/cf-h1-proxy.c: recv() gave 0 bytes,
    # failf "Proxy CONNECT aborted"). Proxies do that when they cannot reach the target (pproxy, gost, v2ray), when
    # the port is no HTTP proxy (a SOCKS-only port, an SSH tunnel) or when they drop the client; which is not said
    ((("proxy.upstream_failed", 0.4), ("proxy.protocol_mismatch", 0.35), ("proxy.not_responding", 0.3)),
     r"proxy connect aborted(?! due to)"),
    # curl 52: the peer closed without a byte of answer (a proxy whose node died, a server that crashed)
    ((("proxy.upstream_failed", 0.4), ("server.error", 0.35), ("proxy.not_responding", 0.35)),
     _curl(52) + r"|empty reply from server"),
    # Chromium: the proxy did not open the tunnel (407, 403, 502 or a hang-up); which is not said
    ((("proxy.auth_failed", 0.4), ("proxy.blocked", 0.35), ("proxy.upstream_failed", 0.35)),
     r"err_tunnel_connection_failed"),
    ((("proxy.unreachable", 0.45), ("proxy.upstream_failed", 0.4)), r"err_socks_connection_failed"),
    ((("tls.handshake_reset", 0.4), ("proxy.not_responding", 0.35), ("net.stream_stalled", 0.3)),
     r"err_connection_reset|err_connection_closed|err_empty_response"),
    # undici's "other side closed" (UND_ERR_SOCKET): the peer hung up; where is not said
    ((("tls.handshake_reset", 0.35), ("proxy.not_responding", 0.35), ("net.stream_stalled", 0.35)),
     r"und_err_socket|other side closed"),
    # reqwest's outer error with nothing after it (Codex, Rust CLIs): which step failed is not said
    ((("net.connect_timeout", 0.35), ("proxy.unreachable", 0.35), ("dns.failure", 0.3), ("tls.verify_failed", 0.25)),
     r"error sending request for url"),
    # hyper: the server closed the connection before the answer was complete
    ((("net.stream_stalled", 0.35), ("proxy.not_responding", 0.3), ("server.error", 0.3)),
     r"connection closed before message completed|incompletemessage"),
)
