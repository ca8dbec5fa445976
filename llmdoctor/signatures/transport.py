"""The rows `explain` matches a pasted transport or client error against, structured signs first.

Each row is (causes with confidence, pattern), matched case-insensitively over the whole text.
Order: what a client says about its own set-up (missing key, bad proxy URL), what a proxy or
gateway answered, TLS verify reasons (from `tls`), socket errors by name, number and wording (from
`errnos`), timeout classes, and last the vague wordings that do not name a cause (`vague=True`):
those only ever make candidates, never a verdict.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from llmdoctor.signatures import (
    aiohttp,
    apps,
    azure_config,
    clients,
    config_shapes,
    errnos,
    farclients,
    frameworks,
    keys,
    runtimes,
    tls,
)
from llmdoctor.signatures.prefilter import Lazy

Causes = tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Sign:
    causes: Causes
    pattern: str
    vague: bool = False


# --- what a client says about its own configuration --------------------------------------------------------
_CLIENT: tuple[Sign, ...] = (
    Sign((("env.socks_dependency_missing", 0.97),), r"socks proxy,\s*but the\s*'socksio'\s*package is not installed"),
    Sign((("env.sdk_incompatible", 0.95),), r"unexpected keyword argument '?proxies'?"),
    Sign((("env.proxy_misconfigured", 0.92),),
         r"unknown scheme for proxy url|unable to determine socks version|proxy url .{0,40}(invalid|malformed)"),
    # openai-python 0.x's own words; and the npm `socks` package (under socks-proxy-agent and
    # fetch-socks), src/common/constants.ts ERRORS.InvalidSocksClientOptionsProxy, thrown by
    # validateSocksClientOptions when the proxy's host, port or type (4/5) does not parse
    Sign((("proxy.invalid_url", 0.9),), r"check proxy url\. it is malformed|invalid socks proxy details were provided"),
    # the SDKs' and frameworks' own words for "no key": openai (1.x and 2.x), anthropic, openai-node,
    # LangChain, LiteLLM, the Vercel AI SDK, Gemini
    Sign((("config.missing_key", 0.95),),
         r"api_key client option must be set|missing credentials\. please pass an|"
         r"could not resolve authentication method|"
         r"(openai|anthropic|gemini|google|deepseek|groq|mistral)_api_key environment variable "
         r"(is )?(missing|or empty)|"
         r"did not find \w*api_key|no api key (was )?(provided|found)|missing \w+ api key|"
         r"api key is missing\. pass it using|ai_loadapikeyerror|loadapikeyerror|"
         r"no access token supplied|authorization header is missing|"
         r"incorrect api key provided: (?:undefined|null|none|\s*\.|\s*$)"),
    Sign((("config.key_whitespace", 0.85),),
         r"(illegal|invalid) header value b?['\"](?!bearer ?['\"])(bearer )?[^'\"]*(\\n|\\r| ['\"])"),
    Sign((("config.key_malformed", 0.8),), r"'(ascii|latin-1)' codec can't encode character"),
    Sign((("config.base_url_invalid", 0.9),),
         r"request url is missing an 'http://' or 'https://' protocol|request url has an unsupported protocol"),
    # a doubled path in the URL the client called: the base URL already ended in /v1 or the endpoint path
    Sign((("config.base_url_invalid", 0.9),), r"https?://[^\s'\"]*?(?:/v\d+/v\d+/|/chat/completions/chat/completions)"),
    Sign((("config.missing_key", 0.7), ("auth.invalid_key", 0.55)), r"vercel ai gateway access failed"),
    Sign((("env.sdk_incompatible", 0.7),), r"'str' object has no attribute '_set_private_attributes'"),
    # more wordings of "no key": a program reading os.environ["OPENAI_API_KEY"] (KeyError), libraries' own
    # "<Provider> API key not found / not set", status fields like "error: API key not set", Chinese UIs,
    # google-genai's client ("Missing key inputs argument! ... provide (`api_key`)"), Dify's model manager
    # ("Model gpt-4o credentials is not initialized."), Vercel's AI Gateway. Small rows of their own: a row is
    # compiled only when the text holds its literal pieces, and "api key" is in most errors.
    Sign((("config.missing_key", 0.92),), r"keyerror: ['\"]\w*(?:api_?key|_token)['\"]"),
    Sign((("config.missing_key", 0.92),),
         r"missing key inputs argument|credentials is not initialized|unauthenticated request to ai gateway"),
    Sign((("config.missing_key", 0.92),), r"config err(?:or)?: api[ _]?key required"),
    Sign((("config.missing_key", 0.92),),
         r"(?:openai|anthropic|claude|gemini|google|groq|mistral|cohere|deepseek|azure|openrouter|minimax|zhipu|"
         r"moonshot|dashscope|siliconflow|xai) (?:api key|api_key|apikey) (?:is )?"
         r"(?:not found|not set|not provided|not configured)"),
    Sign((("config.missing_key", 0.92),), r"(?:api key|api_key|apikey) (?:is )?not (?:set|configured)\b"),
    Sign((("config.missing_key", 0.92),), r"未(?:设置|配置|填写)\s?api ?key|api ?key\s?未(?:设置|配置|填写)"),
)

# --- what a proxy answered ----------------------------------------------------------------------------------
# The status a proxy gives to CONNECT decides the cause, whatever client words it (requests' "Tunnel connection
# failed: 407", curl's "CONNECT tunnel failed, response 407" / "Received HTTP code 407 from proxy after CONNECT",
# Node tunnel-agent's "statusCode=407", Java's "Unable to tunnel through proxy"). tinyproxy answers a wrong
# password with 401, not 407: a 401 to CONNECT is the proxy too.
_TUNNEL = (r"(?:tunnel connection failed:?|connect tunnel failed,? response|tunneling socket could not be "
           r"established, statuscode=|tunnel(?:ing)? (?:through|to) proxy.{0,40}?(?:response|returns|code)\D{0,12}|"
           r"received http code|proxy returns \"?http/1\.[01]|http code(?!\s*\d{3} from api)|"
           r"inappropriate http connect response: http/1\.[01]|proxyerror.{0,20}?|"
           r"could not connect to proxy.{0,60}status code:?)\s*")
_RESET_WORDS = r"connectionreseterror|connection reset|econnreset|forcibly closed|远程主机强迫关闭"
_CURL_SOCKS5_REPLY = r"(?:can't|cannot) complete socks5 connection to [^\s]+ \("
_PROXY: tuple[Sign, ...] = (
    Sign((("proxy.auth_failed", 0.93),),
         r"407 proxy authentication required|" + _TUNNEL + r"40[17]\b|response code 407|"
         r"invalid username/password|no acceptable (authentication )?methods|no authentication method was acceptable|"
         r"socks5? ?auth(entication)?(error| failed)|offered socks5 authentication methods were rejected|"
         r"username and password authentication failure|status of 407 \(proxy authentication required\)|"
         r"proxy_authentication_required|administrator of this proxy has not configured it to service requests "
         r"from you\."),
    Sign((("proxy.blocked", 0.92),),
         _TUNNEL + r"403\b|administrator of this proxy has not configured it to service requests from your host|"
         r"403 tunnel or ssl forbidden"),
    Sign((("proxy.upstream_failed", 0.9),),
         _TUNNEL + r"50[0234]\b|proxy server could not connect|\b50[0234] unable to connect|"
         r"received http code 50[0234] from proxy|socks5error: 0x0[1-8]\b|general socks server failure"),
    Sign((("proxy.protocol_mismatch", 0.8),),
         _TUNNEL + r"400\b|malformed reply|socks.{0,40}protocol ?error|unsupported socks version"),
    Sign((("proxy.unreachable", 0.93),),
         r"(?:unable to connect to proxy|cannot connect to proxy|failed to connect to proxy|proxy connection refused|"
         r"clientproxyconnectionerror|proxyconnect tcp:.{0,80}(refused|no such host)|error connecting to (?:socks5?|"
         r"http) proxy .{0,60}(refused|10061|111\b|61\b))"
         r"(?!(?s:.*)(?:tunnel (?:connection )?failed|eof occurred|wrong_version|wrong version|"
         r"remote end closed|remotedisconnected|" + _RESET_WORDS + r"))"),
    # requests' "Cannot connect to proxy" with the proxy hanging up without an answer, or speaking TLS/other
    Sign((("proxy.not_responding", 0.8),),
         r"(?:cannot|unable to) connect to proxy.{0,80}(remote end closed connection without response|"
         r"remotedisconnected)"),
    Sign((("proxy.protocol_mismatch", 0.85),),
         r"(?:cannot|unable to) connect to proxy.{0,80}(eof occurred in violation of protocol|sslerror|"
         r"wrong.version.number)"),
    # ... or resetting the connection: the proxy was there and dropped it, at the connect or at the CONNECT urllib3
    # sends inside the same step (urllib3 wraps both as "Cannot connect to proxy."); like curl's "Proxy CONNECT
    # aborted", which of its reasons is not said
    Sign((("proxy.upstream_failed", 0.4), ("proxy.protocol_mismatch", 0.35), ("proxy.not_responding", 0.35)),
         r"(?:cannot|unable to) connect to proxy.{0,120}?(?:" + _RESET_WORDS + r")", vague=True),
    # curl's SOCKS5 errors carry the proxy's reply code (RFC 1928 §6; curl lib/socks.c, failf "Can't complete
    # SOCKS5 connection to %s. (%d)", worded "cannot complete" since curl 8): 2 = not allowed by the proxy's rules,
    # 1 and 3-6 = the proxy could not reach the target, 7-8 = it does not speak this request.
    Sign((("proxy.blocked", 0.88),), _CURL_SOCKS5_REPLY + r"2\)"),
    Sign((("proxy.upstream_failed", 0.88),), _CURL_SOCKS5_REPLY + r"[13-6]\)"),
    Sign((("proxy.protocol_mismatch", 0.8),), _CURL_SOCKS5_REPLY + r"[78]\)"),
    Sign((("proxy.auth_failed", 0.9),), r"user was rejected by the socks5 server|socks5 gssapi|"
                                        r"proxy requires authentication"),
    Sign((("proxy.auth_failed", 0.45), ("proxy.upstream_failed", 0.4)), r"curl: \(97\)", vague=True),
)

# --- gateways and hosting platforms that answer for the API ---------------------------------------------------
_GATEWAY: tuple[Sign, ...] = (
    Sign((("gateway.error", 0.93),),
         r"upstream connect error or disconnect/reset before headers|no healthy upstream|"
         r"upstream request timeout|the deployment failed while serving the request|"
         r"\b52[0-7]: (?:a timeout occurred|web server is down|connection timed out|origin is unreachable|"
         r"web server returned an unknown error|ssl handshake failed)|error code 52[0-7]\b|"
         r"web server reported a bad gateway error|cloudflare location|\b502: bad gateway\b"),
    Sign((("config.base_url_invalid", 0.9),),
         r"deployment_not_found|the deployment could not be found on vercel|this deployment cannot be found"),
    # a bot challenge page; the passive /cdn-cgi/challenge-platform/scripts/jsd/main.js Cloudflare adds to ordinary
    # pages (a 401 from the API's own gateway) is not one
    Sign((("endpoint.not_an_api", 0.88),),
         r"<title>just a moment\.\.\.</title>|challenge-platform(?!/scripts/jsd/)|"
         r"checking if the site connection is secure|enable javascript and cookies to continue|cloudflare detected|"
         r"cloudflareerror"),
)

# --- what a gateway, a platform or a client's own UI says about the hop it owns (issue 16: gateways, base URL) --
# A gateway's own log line about its upstream ("connect() failed (111: Connection refused) while connecting to
# upstream": nginx, OpenResty, APISIX, Kong) is the gateway failing to reach the API, not the user's socket; a
# gradio page's "Something went wrong / Expecting value" is its browser half reading a proxy's answer for
# 127.0.0.1 (the system proxy took the app's own loopback call); "Bearer undefined" is a key never set.
_PLATFORM: tuple[Sign, ...] = (
    Sign((("gateway.error", 0.93),),
         r"while (?:connecting to|reading response header from) upstream|upstream prematurely closed connection|"
         r"no live upstreams while connecting|could not find a good candidate within \d+ attempts at load balancing|"
         r"failure to get a peer from the ring-balancer"),
    Sign((("env.local_via_proxy", 0.9),), r"something went wrong\s*expecting value: line 1 column 1"),
    Sign((("config.missing_key", 0.93),), r"authorization['\"]?\s*:\s*['\"]?bearer (?:undefined|null|none)\b"),
)

# --- TLS beyond the verify reasons ------------------------------------------------------------------------------
_TLS_PROTOCOL: tuple[Sign, ...] = (
    # libcurl embedded in PHP, Guzzle or R ("cURL error 60") with no CA bundle configured says exactly this; so does
    # the same PHP behind an inspecting proxy (openai-php/laravel#126): below the verdict line, `trust` says it as
    # the most likely cause (the curl family)
    Sign((("tls.ca_bundle_missing", 0.8),),
         r"(?:curl error |error code: )60\b.{0,80}unable to get local issuer certificate"),
    # the certificate that came back names an unrelated site: DNS answered with somebody else's address
    Sign((("dns.hijacked", 0.92),), r"altnames: dns:\*?\.?(?:facebook|fbcdn|twitter|instagram)\."),
    # ... or the proxy's own name: HTTPS_PROXY points at a web server, not a forward proxy
    Sign((("env.proxy_misconfigured", 0.92),), r"altnames: dns:[^\n]{0,80}proxy"),
    Sign((("tls.ca_bundle_missing", 0.85),),
         r"could not find a suitable tls ca certificate bundle|(filenotfounderror|no such file).{0,80}"
         r"(\.pem|\.crt|cert)|ssl_cert_file.{0,40}(does not exist|not found)"),
    # OpenSSL 3 no longer connects to a peer without RFC 5746 secure renegotiation (SSL_OP_LEGACY_SERVER_CONNECT is
    # off by default): the threads confirm an old server or appliance in front of it (curl#8943, Kong/insomnia#4543:
    # NetScaler, openssl#16278, whyour/qinglong#1765: a bank's site) more often than an old inspecting proxy
    Sign((("tls.protocol_mismatch", 0.78), ("tls.intercepted", 0.45)),
         r"unsafe_legacy_renegotiation_disabled|unsafe legacy renegotiation"),
    Sign((("tls.handshake_reset", 0.65),),
         r"sslv3_alert_handshake_failure|alert handshake failure|tlsv1_alert_protocol_version|"
         r"alert protocol version|no shared cipher"),
    # the umbrella, below a verdict: "certificate verify failed" alone names no store or certificate (the tuned
    # corpus's threads confirm a finer cause for every such text); the reason after it, when printed, tells
    Sign((("tls.verify_failed", 0.55),), r"certificate_verify_failed|certificate verify failed|curl: \(60\)"),
    Sign((("tls.protocol_mismatch", 0.85),),
         r"wrong_version_number|wrong version number|record layer failure|\[ssl: http_request\]|"
         r"packet length too long"),
    Sign((("tls.handshake_reset", 0.8),),
         r"curl: \(35\)|ssl_error_syscall|"
         r"sslzeroreturnerror|tls/ssl connection has been closed|"
         r"client network socket disconnected before secure tls connection was established"),
    Sign((("net.tls_timeout", 0.7), ("net.connect_timeout", 0.4)), r"handshake operation timed out"),
)

# --- TLS wordings whose cause the corpus showed (issue 16) ------------------------------------------------------
# Go's x509.CertificateInvalidError says which side of the validity window the clock is on ("current time X is
# after/before Y", crypto/x509/verify.go); without that tail it does not say whether the certificate expired or
# the clock is wrong. A handshake_failure / protocol_version alert is the server refusing what the client offered
# (an old OpenSSL without TLS 1.2, a cipher or SNI it lacks): a mismatch, not a reset. .NET's and schannel's
# generic "the remote certificate is invalid" covers every certificate failure: candidates only.
_TLS_WORDS: tuple[Sign, ...] = (
    Sign((("tls.expired", 0.86), ("tls.clock_skew", 0.4)),
         r"expired or is not yet valid: current time \S+ is after"),
    Sign((("tls.clock_skew", 0.88),), r"expired or is not yet valid: current time \S+ is before"),
    Sign((("tls.expired", 0.45), ("tls.clock_skew", 0.45)),
         r"x509: certificate has expired or is not yet valid(?!: current time)", vague=True),
    Sign((("tls.protocol_mismatch", 0.78), ("tls.handshake_reset", 0.4)),
         r"sslv3_alert_handshake_failure|sslv3 alert handshake failure|tlsv1_alert_protocol_version|"
         r"tlsv1 alert protocol version|unsupported protocol|no protocols available|"
         r"received fatal alert: (?:handshake_failure|protocol_version)"),
    Sign((("tls.hostname_mismatch", 0.88),), r"remotecertificatenamemismatch"),
    # Python's "EOF occurred in violation of protocol": the peer closed during the handshake. The threads confirm a
    # proxy as often as the server (an https:// proxy URL for a plain proxy, a proxy node that dropped the
    # tunnel): candidates, unless frames or proxy words say whose side it was (`explain.match`, `transcript`).
    Sign((("tls.handshake_reset", 0.45), ("proxy.protocol_mismatch", 0.4), ("proxy.not_responding", 0.35)),
         r"unexpected_eof_while_reading|eof occurred in violation of protocol", vague=True),
    Sign((("tls.intercepted", 0.4), ("tls.unknown_ca", 0.4), ("tls.expired", 0.3), ("tls.hostname_mismatch", 0.3)),
         r"remote certificate is invalid according to the validation procedure|"
         r"could not establish trust relationship for the ssl/tls secure channel|"
         r"未能为 ssl/tls 安全通道建立信任关系|根据验证过程，远程证书无效|remotecertificatechainerrors", vague=True),
)

# --- HTTP-level oddities ------------------------------------------------------------------------------------
_HTTP: tuple[Sign, ...] = (
    Sign((("server.protocol_error", 0.8),),
         r"decodingerror|error -3 while decompressing|incorrect header check|failed to decode it|curl: \(61\)"),
    Sign((("model.not_found", 0.9),), r"not found, try pulling it first"),  # Ollama, with or without a status
    # The SDK could not read a 200 answer; a dumped body next to it must not hide that (apierrors has the rest)
    Sign((("response.unparseable", 0.9),),
         r"validation errors? for (chatcompletion|chatcompletionchunk|completion|message|choice)\b|"
         r"keyerror: '(choices|content|message|delta)'"),
    Sign((("net.stream_stalled", 0.85),),
         r"incomplete chunked read|peer closed connection without sending complete message body"),
)

# --- timeouts by class name and wording --------------------------------------------------------------------------
_TIMEOUTS: tuple[Sign, ...] = (
    Sign((("net.connect_timeout", 0.88),),
         r"connecttimeout|connect timeout error|und_err_connect_timeout|connection timed out(?! after \d+ milli)|"
         r"curl: \(28\) (?:failed to connect|connection time)|connect etimedout|connect timeout|"
         r"timeout was reached: .{0,40}failed to connect|failed to connect to .{0,60}(?:timed out|"
         r"after [1-9]\d{4,} ms)|dial tcp [^\s]+: i/o timeout"),
    Sign((("net.read_timeout", 0.85),),
         r"readtimeout|read timed out|the read operation timed out|curl: \(28\) operation timed out|"
         r"headerstimeouterror|und_err_headers_timeout"),
    Sign((("net.stream_stalled", 0.8),), r"bodytimeouterror|und_err_body_timeout"),
    # curl exit 7 without a timeout is a refusal; with one (or after many seconds) it is a connect timeout
    Sign((("net.connect_refused", 0.86),), r"curl: \(7\)(?!.{0,200}(?:timed? ?out|after [1-9]\d{4,} ms))"),
    # anyio (async httpx): every address refused or unreachable; the OS error is not kept.
    Sign((("net.connect_refused", 0.6), ("proxy.unreachable", 0.45), ("net.unreachable", 0.4)),
         r"all connection attempts failed"),
    # A deadline that names no phase. Besides the SDKs' APITimeoutError: the DOMException an AbortSignal.timeout()
    # rejects fetch with, "TimeoutError: The operation timed out." (Bun, and so Claude Code's "API Error: The
    # operation timed out"), "The operation was aborted due to timeout" (Node's undici).
    Sign((("net.read_timeout", 0.45), ("net.connect_timeout", 0.4)),
         r"apitimeouterror|request timed out|(?m:^\s*(?:socket\.timeout|timeouterror): timed out\s*$)|"
         r"context deadline exceeded|client\.timeout exceeded|the operation timed out|"
         r"the operation was aborted due to timeout", vague=True),
)

# The answer's body cut short, as each client says it: h11 (httpx, the SDKs: "peer closed connection without
# sending complete message body (received 94 bytes, expected 812)" or "(incomplete chunked read)"), urllib3 and
# http.client under requests ("Connection broken: IncompleteRead(94 bytes read, 718 more expected)",
# "InvalidChunkLength(got length b'', 0 bytes read)", "Response ended prematurely"), curl 18 ("transfer closed with
# 718 bytes remaining to read", "... outstanding read data remaining"), aiohttp ("Response payload is not
# completed", ContentLengthError / TransferEncodingError "Not enough data for satisfy ... length header"), undici
# (an uncaught trace that quotes `controller.error(new TypeError("terminated"` or shows `at Fetch.onAborted`: the
# body's stream failed; the bare line "TypeError: terminated" alone stays a candidate list, below).
BODY_CUT = (r"peer closed connection without sending complete message body|incomplete chunked read|"
            r"incompleteread\(\d+ bytes read|connection broken: incompleteread|invalidchunklength\(got length|"
            r"response ended prematurely|curl: \(18\)|transfer closed with (?:\d+ bytes|outstanding read data) "
            r"remaining|response payload is not completed|contentlengtherror|not enough data for satisfy "
            r"(?:content|transfer) length header|new typeerror\(\"terminated\"|"
            r"typeerror: terminated\s*\n\s*at fetch\.onaborted")

# --- what clients print in fault runs (benchmarks/corpus_faults.py), every wording from the clients' sources --
_FAULT_RUNS: tuple[Sign, ...] = (
    # requests without PySocks (requests/adapters.py SOCKSProxyManager); urllib3's warning (contrib/socks.py)
    Sign((("env.socks_dependency_missing", 0.95),),
         r"missing dependencies for socks support|socks support in urllib3 requires the installation of optional"),
    # the TLS handshake named as the step that timed out: CPython's ssl (raised as httpx's ConnectTimeout or inside
    # urllib3's ReadTimeoutError), curl with --connect-timeout (lib/vtls/openssl.c), Go's net/http
    Sign((("net.tls_timeout", 0.9),),
         r"handshake operation timed out|ssl connection timeout|tls handshake timeout|"
         r"timed out during (?:the )?(?:tls|ssl) handshake"),
    # the answer's body cut short; a stalled stream instead when it was streaming (explain/match.py)
    Sign((("server.protocol_error", 0.84),), BODY_CUT),
    # curl gave up waiting for the proxy's answer to CONNECT (lib/http_proxy.c)
    Sign((("proxy.not_responding", 0.88),), r"proxy connect aborted due to timeout"),
    # curl's deadline hit while resolving (lib/multi.c)
    Sign((("dns.failure", 0.8),), r"resolving timed out after \d+ milli"),
    # curl's -m deadline: "Operation timed out after N ms with M bytes received" is the transfer (read) phase
    # (a limit the program set: a limit shorter than the answer needs is the other reading, `clients`)
    Sign((("net.read_timeout", 0.85), ("net.client_timeout_too_short", 0.6)),
         r"operation timed out after \d+ milliseconds\s+with \d+"),
    # curl's "Connection timed out after N milliseconds" (libcurl: "cURL error 28: ..."): the connect phase, which
    # in curl includes the TLS handshake and a proxy's answer (a dropped SYN, a silent TLS peer and a silent proxy
    # print the same line under -m)
    Sign((("net.connect_timeout", 0.45), ("net.tls_timeout", 0.4), ("proxy.not_responding", 0.3)),
         r"connection timed out after \d+ milli|connection timeout after \d+ ms", vague=True),
    # curl 52: closed before any answer (plain HTTP at a TLS port, a server or proxy hanging up)
    Sign((("server.protocol_error", 0.35), ("tls.protocol_mismatch", 0.3), ("proxy.not_responding", 0.3)),
         r"curl: \(52\)|empty reply from server", vague=True),
    # a SOCKS5 reply code (RFC 1928 §6) in PySocks' words ("0x05: Connection refused") and httpcore's ("Proxy
    # Server could not connect: Connection not allowed by ruleset."): 2 is the proxy's rules, 1 and 3-6 its upstream
    Sign((("proxy.blocked", 0.93),), r"0x02: connection not allowed by ruleset|"
                                     r"proxy server could not connect: connection not allowed by ruleset"),
    Sign((("proxy.upstream_failed", 0.9),),
         r"0x0[13456]: (?:general socks server failure|network unreachable|host unreachable|connection refused|"
         r"ttl expired)"),
    Sign((("proxy.protocol_mismatch", 0.8),), r"0x0[78]: (?:command not supported|address type not supported)"),
    # a SOCKS5 greeting's reply (version byte 5) where an HTTP status line was expected: http:// at a SOCKS port
    Sign((("proxy.protocol_mismatch", 0.88),), r"badstatusline\('\\x05"),
    # JavaScript reading an answer without the API's shape (completion.choices[0].message): what came back is
    # not said
    Sign((("response.unparseable", 0.45), ("endpoint.not_an_api", 0.4)),
         r"cannot read propert(?:y|ies) of undefined \(reading '(?:0|choices|message|content|delta)'\)", vague=True),
    # the same timeouts in other clients' words: aiohttp 3.10+ (client_exceptions.py: "Connection timeout to host",
    # "Timeout on reading data from socket"), Java's SocketTimeoutException
    Sign((("net.connect_timeout", 0.88),), r"connectiontimeouterror: connection timeout to host|connect timed out\b"),
    Sign((("net.read_timeout", 0.85),), r"timeout on reading data from socket"),
    # AbortSignal.timeout() in fetch (a DOMException TimeoutError) and node-fetch's abort: the step is not said
    Sign((("net.read_timeout", 0.45), ("net.connect_timeout", 0.4), ("net.tls_timeout", 0.3)),
         r"the operation was aborted due to timeout|aborterror: (?:the user aborted a request|th(?:e|is) operation was "
         r"aborted)",
         vague=True),
)

# --- what does not name its cause ----------------------------------------------------------------------------
# An SDK's bare "Connection error.", Node's bare "fetch failed", a reset with no step named: candidates only.
_VAGUE: tuple[Sign, ...] = (
    Sign((("net.connect_timeout", 0.35), ("proxy.unreachable", 0.35), ("dns.failure", 0.3),
          ("tls.verify_failed", 0.25)),
         r"apiconnectionerror|connection error\.|error communicating with openai|\bfetch failed\b|"
         r"unable to connect to api|cannot connect to host [^\s]+ ssl:(?:true|default)\s*$", vague=True),
    Sign((("tls.handshake_reset", 0.4), ("proxy.not_responding", 0.35), ("net.stream_stalled", 0.3)),
         r"server disconnected without sending a response|remote end closed connection without response|"
         r"remoteprotocolerror", vague=True),
    Sign((("proxy.unreachable", 0.35), ("proxy.auth_failed", 0.3), ("proxy.upstream_failed", 0.3)),
         r"unsuccessful tunnel", vague=True),
    Sign((("auth.invalid_key", 0.35), ("auth.permission_denied", 0.3), ("tls.clock_skew", 0.25)),
         r"server rejected websocket connection: http 40[13]", vague=True),
)

# --- what clients say when they do not know why (issue 16: overconfidence) ------------------------------------
# Browsers' and axios' network failures, axios' and AbortSignal's timeouts (read or connect: the message does not
# say), a bare httpx.ConnectError, undici's "terminated" and node-fetch's "Premature close" (the body stopped),
# curl's empty reply, openai-node's "Request was aborted." (the caller's own signal): candidates only.
_VAGUE_CLIENTS: tuple[Sign, ...] = (
    Sign((("proxy.unreachable", 0.35), ("net.connect_timeout", 0.3), ("dns.failure", 0.3),
          ("tls.verify_failed", 0.25)),
         r"axioserror: network error|(?m:^\s*(?:error: )?network error\s*$)|\bfailed to fetch\b|"
         r"networkerror when attempting to fetch resource|\berr_network\b|net::err_failed\b|"
         r"(?m:^\s*(?:httpx\.)?connecterror\s*:?\s*$)", vague=True),
    Sign((("net.read_timeout", 0.45), ("net.connect_timeout", 0.4)),
         r"timeout of \d+ms exceeded|\beconnaborted\b|the operation was aborted due to timeout", vague=True),
    Sign((("net.stream_stalled", 0.4), ("proxy.not_responding", 0.35), ("gateway.error", 0.3)),
         r"(?m:^\s*(?:type)?error: terminated\s*$)|premature close|curl: \(52\)|empty reply from server|"
         r"(?m:^\s*(?:error: )?(?:unexpected )?eof\s*$)", vague=True),
    Sign((("net.client_timeout_too_short", 0.4), ("net.read_timeout", 0.35)),
         r"request was aborted\.|apiuseraborterror", vague=True),
)

# --- a failure said in words on forums and in apps' own messages (issue 16) -------------------------------------
# Apps and tools say that the connection failed without saying how: Cursor's "Unable to reach the model provider /
# We're having trouble connecting", Claude Code's "Unable to connect to Anthropic services", a CLI's "OpenAI API
# network error (attempt 1/4)", requests' "Max retries exceeded" pasted without its "Caused by" (the part that
# names the cause). Candidates only; a definite row elsewhere in the text still decides. Claude Code's
# "Failed to connect to <host>: ERR_BAD_REQUEST" is an answer in the 4xx range (axios' code), not a socket error.
_WORDS_VAGUE: tuple[Sign, ...] = (
    Sign((("auth.region_blocked", 0.4), ("proxy.blocked", 0.35), ("auth.permission_denied", 0.3)),
         r"failed to connect to [\w.-]+\.[a-z]{2,}(?::\d+)?\s*:\s*err_bad_request", vague=True),
    Sign((("net.connect_timeout", 0.35), ("proxy.unreachable", 0.35), ("dns.failure", 0.3),
          ("tls.verify_failed", 0.25)),
         r"trouble connecting to|unable to reach (?:the )?(?:model provider|provider|server|api|upstream)|"
         r"unable to connect to \w+ (?:services?|api|servers?)|\bapi network error\b|network error \(attempt \d|"
         r"max retries exceeded", vague=True),
)

# Apps' own Chinese for "the connection failed" without saying how (a desktop client's "网络错误 — 可能原因：…", a
# relay panel's "网络连接失败"): candidates only, like their English twins above.
_WORDS_VAGUE_ZH: tuple[Sign, ...] = (
    Sign((("net.connect_timeout", 0.35), ("proxy.unreachable", 0.35), ("dns.failure", 0.3),
          ("tls.verify_failed", 0.25)),
         r"网络错误|网络连接失败|网络异常|网络不通|网络请求失败|无法连接到服务器|连接服务器失败", vague=True),
)

# connect-step outcome -> how a pasted text naming it reads; a reset with no step named is vague
_OUTCOME_READ: dict[str, tuple[Causes, bool]] = {
    errnos.REFUSED: ((("net.connect_refused", 0.9),), False),
    errnos.TIMEOUT: ((("net.connect_timeout", 0.85),), False),
    errnos.UNREACHABLE: ((("net.unreachable", 0.9),), False),
    errnos.DNS: ((("dns.failure", 0.9),), False),
    errnos.FORBIDDEN: ((("net.connect_refused", 0.6),), False),
    errnos.RESET: ((("tls.handshake_reset", 0.45), ("proxy.not_responding", 0.35), ("net.stream_stalled", 0.3)),
                   True),
    # no free local port (WSAEADDRINUSE at connect): the text does not say whether the program leaks connections or
    # a proxy in the path does
    errnos.LOCAL: ((("net.error", 0.4), ("proxy.unreachable", 0.3)), True),
}


def _windows_number_forms(numbers: tuple[int, ...]) -> list[str]:
    """How Windows socket errors are numbered in what users paste, whatever the words around them say.

    The numbers (WSAE* 100xx, WSAHOST_NOT_FOUND 11001, Win32 1225/121) are the same in every Windows locale and
    unique across platforms, so they still carry the row when the words are Chinese, Russian or mojibake (a GBK
    message shown as UTF-8 or cp1252): Python's OSError repr "ConnectionResetError(10054, '...', None, 10054,
    None)" and Python 2's "error(10013, '\\xd2\\xd4...')", .NET's "SocketException (10060):", Delphi/Indy's "Socket
    Error # 10061", "Window Error 10061", "Winsock error 10054", "network error: 10060 (...)". A bare "error code
    10013" is not one of them: iFlytek Spark numbers its own errors 10003-11200 ("code": 10013 is its audit).
    """
    forms = []
    for n in numbers:
        forms += [rf"error\({n},", rf"socketexception \({n}\)",
                  rf"(?:winerror|winsock|windows? error|socket error|wsa ?error|errno)\s*[:#=]?\s*{n}\b",
                  rf"\berror\s*[:#]\s*{n}\b"]
    return forms


def _socket_signs() -> tuple[Sign, ...]:
    signs = []
    for row in errnos.SOCKET_ERRORS:
        numbers = sorted({*row.linux, *row.macos, *row.windows})
        parts = [rf"\b{row.name.lower()}\b"]
        parts += [rf"\[(?:errno|winerror|error) {n}\]" for n in numbers]
        parts += [rf"\berror {n}\b" for n in numbers if n >= 1000]  # "Error 10061 connecting to ..."
        parts += [rf"\(os error {n}\)" for n in numbers]  # Rust's io::Error: "Connection refused (os error 111)"
        parts += [rf"\berrno = {n}\b" for n in numbers]  # Dart's OSError: "(OS Error: ..., errno = 11001)"
        parts += [re.escape(text) for text in row.texts]
        parts += [rf"\b{name.lower()}\b" for name in errnos.WINSOCK_NAMES.get(row.name, ())]
        parts += [re.escape(stem) for stem in errnos.ZH_STEMS.get(row.name, ())]
        parts += [re.escape(text) for text in errnos.LOCALE_TEXTS.get(row.name, ())]
        # after the ASCII ": " or "] " strerror follows in C, Java and Python: not the words in a user's own prose
        parts += [r"[:\]]\s?" + re.escape(text) for text in errnos.GLIBC_ZH.get(row.name, ())]
        parts += _windows_number_forms(row.windows)
        causes, vague = _OUTCOME_READ[row.outcome]
        signs.append(Sign(causes, "|".join(parts), vague))
    return tuple(signs)


def _cert_signs() -> tuple[Sign, ...]:
    return (*(Sign(row.read_as, row.texts) for row in tls.CERT_FAILURES),
            *(Sign(causes, pattern, vague) for causes, pattern, vague in tls.CLIENT_WORDINGS))


def _other_clients() -> tuple[Sign, ...]:
    """curl/libcurl, schannel, NSS, Node agents, Go, Rust and SOCKS replies (`clients`), definite then vague."""
    return (*(Sign(causes, pattern) for causes, pattern in clients.SIGNS),
            *(Sign(causes, pattern, vague=True) for causes, pattern in clients.VAGUE))


def _frameworks() -> tuple[Sign, ...]:
    """Set-up and proxy wordings of frameworks and non-Python clients (`frameworks`, `keys`, `config_shapes`,
    `azure_config`), after the SDKs' own."""
    return (*(Sign(causes, pattern) for causes, pattern in keys.SIGNS),
            *(Sign(causes, pattern) for causes, pattern in frameworks.SIGNS),
            *(Sign(causes, pattern) for causes, pattern in config_shapes.SIGNS),
            *(Sign(causes, pattern) for causes, pattern in azure_config.SIGNS),
            *(Sign(causes, pattern, vague=True) for causes, pattern in frameworks.VAGUE),
            *(Sign(causes, pattern, vague=True) for causes, pattern in config_shapes.VAGUE))


def _runtimes() -> tuple[Sign, ...]:
    """Ruby's, .NET's and Dart's own names for the step that failed (`runtimes`), definite then vague."""
    return (*(Sign(causes, pattern) for causes, pattern in runtimes.SIGNS),
            *(Sign(causes, pattern, vague=True) for causes, pattern in runtimes.VAGUE))


def _far_clients() -> tuple[Sign, ...]:
    """The JDK's, Go's and .NET's SOCKS clients, SOCKS servers' logs, Dart, OkHttp, Firefox (`farclients`)."""
    return (*(Sign(causes, pattern) for causes, pattern in farclients.SIGNS),
            *(Sign(causes, pattern, vague=True) for causes, pattern in farclients.VAGUE))


def _aiohttp() -> tuple[Sign, ...]:
    """aiohttp's exception classes for the step that failed (`aiohttp`), definite then vague."""
    return (*(Sign(causes, pattern) for causes, pattern in aiohttp.SIGNS),
            *(Sign(causes, pattern, vague=True) for causes, pattern in aiohttp.VAGUE))


def _apps() -> tuple[Sign, ...]:
    """Coding agents' and chat apps' own sentences (`apps`), definite then vague."""
    return (*(Sign(causes, pattern) for causes, pattern in apps.SIGNS),
            *(Sign(causes, pattern, vague=True) for causes, pattern in apps.VAGUE))


@functools.cache
def compiled() -> tuple[tuple[Causes, Lazy, bool], ...]:
    """Every row, each compiled only once a text holds one of its literal pieces (see `prefilter`)."""
    rows = (*_CLIENT, *_frameworks(), *_PROXY, *_GATEWAY, *_PLATFORM, *_cert_signs(), *_TLS_PROTOCOL, *_TLS_WORDS,
            *_HTTP, *_TIMEOUTS, *_socket_signs(), *_FAULT_RUNS, *_VAGUE, *_VAGUE_CLIENTS, *_WORDS_VAGUE,
            *_WORDS_VAGUE_ZH, *_other_clients(), *_runtimes(), *_aiohttp(), *_apps(), *_far_clients())
    return tuple((row.causes, Lazy(row.pattern, re.I), row.vague) for row in rows)
