"""How runtimes other than Python's and Node's name the step that failed: Ruby, .NET, Dart.

Rows read by `transport.compiled()` with the other clients' rows: (causes, pattern), lower-case regexes over
the whole text. Each client names the step in an exception class or a fixed sentence, read from its source:

- Ruby's net/http (lib/net/http.rb, lib/net/protocol.rb): `Net::OpenTimeout` is raised by the timeout around
  `TCPSocket.open` (the TCP connect, `open_timeout`), `Net::ReadTimeout` by `rbuf_fill` waiting for the answer
  (`read_timeout`), `Net::WriteTimeout` while sending the body. Faraday, HTTParty and ruby-openai re-raise them
  and keep the class name in the message ("Net::ReadTimeout with #<TCPSocket:(closed)>");
- .NET's HttpClient (System.Net.Http, Strings.resx): `net_http_request_timedout` "The request was canceled due
  to the configured HttpClient.Timeout of {0} seconds elapsing." is the client's own whole-request timeout
  (100 s by default, shorter than a long generation); its stack names the connect when it was still
  connecting (`ConnectToTcpHostAsync`, `EstablishProxyTunnelAsync`). `net_http_ssl_connection_failed` "The SSL
  connection could not be established, see inner exception." names the TLS step; the inner exception says
  why (a reset there is the handshake cut off);
- Dart's dart:io (sdk/lib/_internal/vm/bin/socket_patch.dart): `Failed host lookup: 'host'` is the resolver;
  Dio names the phase in its exception type ("DioException [receive timeout]", dio 4's "Connecting timed out");
  `OS Error: ..., errno = N` carries the OS's number (read with the other socket errors in `errnos`);
- Java: OkHttp's `RealConnection.createTunnel` ("Failed to authenticate with proxy" after a 407 it could not
  answer, "Unexpected response code for CONNECT: N"); Netty's `ProxyHandler.exceptionMessage` (reactor-netty,
  Spring WebClient, gRPC: "http, none, /127.0.0.1:7890 => api.openai.com:443, timeout" - connected to the proxy,
  no answer to CONNECT - ", disconnected", ", status: 407 ...", the SOCKS5 reply as `Socks5CommandStatus`
  "status: CONNECTION_REFUSED(5)", "authStatus: FAILURE"); the JDK's HttpClient (`HttpConnectTimeoutException:
  HTTP connect timed out`) and JSSE ("Remote host terminated the handshake", "No subject alternative DNS name
  matching", "Unsupported or unrecognized SSL message": the peer does not speak TLS);
- Go's net/http (transport.go): "request canceled while waiting for connection" is the Client.Timeout firing
  before a connection existed (dial, proxy, TLS), "net/http: timeout awaiting response headers" is
  ResponseHeaderTimeout, `read tcp a->b: i/o timeout` is the read after the connect, `malformed HTTP response
  "\x05..."` is a SOCKS5 greeting's reply where HTTP was expected, `"\x15\x03..."` a TLS alert (HTTP sent to a
  TLS port);
- Node's `socks` package (socks-proxy-agent; constants.ts ERRORS), Node's net (`ERR_SOCKET_CONNECTION_TIMEOUT`:
  every address of happy-eyeballs timed out);
- .NET's chain statuses after "errors in the certificate chain:" (X509ChainStatusFlags): NotTimeValid is the
  validity window; UntrustedRoot and PartialChain are read with the other unknown-issuer wordings (`trust`).
"""

from __future__ import annotations

import re

from llmdoctor.signatures.errnos import LOCALE_TEXTS
from llmdoctor.signatures.proxyanswer import CONNECT_STATUS, statuses_of

Row = tuple[tuple[tuple[str, float], ...], str]

# the inner exception of .NET's TLS step when the peer closed or reset the connection during the handshake
# (SocketException 10054 / 104, "Received an unexpected EOF or 0 bytes from the transport stream",
# "Authentication failed because the remote party has closed the transport stream")
_DOTNET_TLS_CUT = (r"forcibly closed by the remote host|connection reset by peer|远程主机强迫关闭了一个现有的连接|"
                   r"unexpected eof or 0 bytes from the transport stream|remote party has closed the transport stream|"
                   # ... said in another display language, or only by its number (issue 16, clients class)
                   r"socketexception \((?:10054|104)\)|" + "|".join(re.escape(t) for t in LOCALE_TEXTS["ECONNRESET"]))

# Netty's ProxyHandler message: "<protocol>, <auth scheme>, <proxy address> => <destination>, <what happened>"
_NETTY = r"(?:http|socks4a?|socks5), (?:none|basic|password|username), [^\n]{0,120}? => [^\n]{0,200}?, "


# every wording a client gives a proxy's answer to CONNECT in, the status after it: requests/urllib3, curl, OkHttp,
# undici, tunnel-agent, .NET, Java's HttpURLConnection
_CONNECT_WORDS = (r"(?:tunnel connection failed:?|connect tunnel failed,? response|received http code|"
                  r"unexpected response code for connect:|proxy response \(|tunneling socket could not be established, "
                  r"statuscode=|proxy tunnel request to proxy [^\n]{0,120}?failed with status code '?|"
                  r"unable to tunnel through proxy\. proxy returns \"?http/1\.[01])")
_GO_CONNECT_ANSWER = r'https?://[^\s"]+\\?": (?:{phrases})\s*(?:$|\\?["\'}}])'
_TABLE_CODES = "|".join(str(code) for code in CONNECT_STATUS)


def _by_connect_status(template: str) -> tuple[Row, ...]:
    """One row per cause of the CONNECT status table (`proxyanswer`), `{codes}` filled with its statuses."""
    causes = dict.fromkeys(CONNECT_STATUS.values())
    return tuple((((cause, 0.8 if cause == "proxy.protocol_mismatch" else 0.92),),
                  template.format(codes="|".join(str(code) for code in statuses_of(cause)))) for cause in causes)


SIGNS: tuple[Row, ...] = (
    # --- Ruby net/http ----------------------------------------------------------------------------------------------
    ((("net.connect_timeout", 0.88),), r"\bnet::opentimeout\b"),
    ((("net.read_timeout", 0.86),), r"\bnet::readtimeout\b"),
    # --- .NET HttpClient ----------------------------------------------------------------------------------------------
    ((("net.client_timeout_too_short", 0.8),),
     r"configured httpclient\.timeout of [\d.,]+ seconds elapsing"),
    # ... while the stack shows it still connecting (to the API, or through the proxy's tunnel)
    ((("net.connect_timeout", 0.85),),
     r"configured httpclient\.timeout of [\d.,]+ seconds elapsing(?s:.{0,3000}?)connecttotcphostasync"),
    ((("proxy.not_responding", 0.85),),
     r"configured httpclient\.timeout of [\d.,]+ seconds elapsing(?s:.{0,3000}?)establishproxytunnelasync"),
    ((("tls.handshake_reset", 0.82),),
     r"the ssl connection could not be established(?s:.{0,800}?)(?:" + _DOTNET_TLS_CUT + ")"),
    # --- Dart dart:io -------------------------------------------------------------------------------------------------
    ((("dns.failure", 0.9),), r"failed host lookup: '"),
    # Dio (dio_exception.dart; dio 4's DioErrorType wordings): the phase is in the type and the sentence
    ((("net.connect_timeout", 0.86),),
     r"dioexception \[connection timeout\]|dioexceptiontype\.connectiontimeout|dioerrortype\.connecttimeout|"
     r"connecting timed out \[\d+ms\]"),
    ((("net.read_timeout", 0.85),),
     r"dioexception \[receive timeout\]|dioexceptiontype\.receivetimeout|dioerrortype\.receivetimeout|"
     r"took longer than [\d:.]+ to receive data|receiving data timeout ?\[\d+ms\]"),
    # --- Rust reqwest's builder refusing the proxy setting (proxy.rs: "unknown proxy scheme"), as apps built on it
    # say it (Zed: "Failed to parse proxy URI socks://...: builder error", "Parsing proxy url failed")
    ((("env.proxy_misconfigured", 0.9),),
     r"unknown proxy scheme|failed to parse proxy (?:uri|url)|parsing proxy url failed|invalid proxy (?:uri|url)\b"),
    # a connect that did not finish, in apps' own words ("Error connecting to 'https://zed.dev': timed out trying to
    # establish connection")
    ((("net.connect_timeout", 0.85),),
     r"timed out (?:while |when )?trying to (?:establish|open|make) (?:a |the )?connection"),
    # --- Rust hyper-util: the connect step with io::ErrorKind::TimedOut -----------------------------------------------
    ((("net.connect_timeout", 0.86),), r"tcp connect error[^\n]{0,160}?kind: timedout"),
    # --- Java: OkHttp, Netty, the JDK ------------------------------------------------------------------------------
    ((("proxy.auth_failed", 0.9),), r"failed to authenticate with proxy"),
    *_by_connect_status(r"unexpected response code for connect: ({codes})\b"),
    # any other status a proxy gives to CONNECT (404, 405, 501, a 302 to a login page), however the client words
    # it: an HTTP server that is not a forward proxy able to tunnel (`proxyanswer.OTHER`)
    ((("proxy.protocol_mismatch", 0.84),), _CONNECT_WORDS + r"\s*(?!(?:" + _TABLE_CODES + r")\b)[13-9]\d\d\b"),
    *_by_connect_status(_NETTY.replace("{", "{{").replace("}", "}}") + r"status: ({codes})\b"),
    ((("proxy.not_responding", 0.86),), _NETTY + r"timeout\b"),
    ((("proxy.not_responding", 0.8),), _NETTY + r"disconnected\b"),
    ((("proxy.auth_failed", 0.9),), _NETTY + r"authstatus: failure"),
    ((("proxy.blocked", 0.9),), _NETTY + r"status: forbidden"),
    ((("proxy.upstream_failed", 0.9),),
     _NETTY + r"status: (?:failure|network_unreachable|host_unreachable|connection_refused|ttl_expired)\b"),
    ((("net.connect_timeout", 0.88),), r"httpconnecttimeoutexception|http connect timed out"),
    ((("tls.handshake_reset", 0.8),),
     r"remote host terminated the handshake|remote host closed connection during handshake"),
    ((("tls.hostname_mismatch", 0.9),), r"no subject alternative (?:dns )?names? matching"),
    ((("tls.protocol_mismatch", 0.85),), r"unsupported or unrecognized ssl message"),
    # Go's net/http returns a proxy's non-200 answer to CONNECT as its bare reason phrase after the URL
    # (transport.go: `errors.New(text)` of "403 Forbidden"): an error that is only a phrase is the proxy's answer,
    # never the API's, which comes back as a response, not an error
    *((((cause, 0.86),), _GO_CONNECT_ANSWER.format(phrases=phrases)) for cause, phrases in (
        ("proxy.blocked", "forbidden"), ("proxy.auth_failed", "unauthorized"),
        ("proxy.protocol_mismatch", "bad request|not found|method not allowed|not implemented"),
        ("proxy.upstream_failed", "internal server error"))),
    # --- Go net/http: the phase by its words ------------------------------------------------------------------------
    ((("net.connect_timeout", 0.72),), r"request canceled while waiting for connection"),
    ((("net.read_timeout", 0.85),), r"net/http: timeout awaiting response headers|http2: timeout awaiting response "
                                    r"headers"),
    ((("net.read_timeout", 0.84),), r"\bread tcp [\d.:\[\]a-f]+->[\d.:\[\]a-f]+: i/o timeout"),
    ((("proxy.protocol_mismatch", 0.86),), r'malformed http response \\?"\\{1,2}x05'),
    ((("tls.protocol_mismatch", 0.84),), r'malformed http response \\?"\\{1,2}x15\\{1,2}x03'),
    # --- Node: the socks package, net's happy eyeballs ---------------------------------------------------------------
    ((("proxy.auth_failed", 0.88),), r"socks5 initial handshake \(no accepted authentication type\)"),
    ((("proxy.protocol_mismatch", 0.82),),
     r"received invalid socks5 initial handshake (?:response|\(invalid socks version\))|"
     r"received invalid socks5 final handshake response|received invalid socks4 handshake response"),
    ((("net.connect_timeout", 0.86),), r"err_socket_connection_timeout"),
    # Node names the syscall before the code ("connect ETIMEDOUT", "read ETIMEDOUT"): a read that timed out is an
    # established connection that went silent, not the connect
    ((("net.read_timeout", 0.86),), r"\bread etimedout\b"),
    # Node's dns.resolve*() (c-ares) codes, "queryA ETIMEOUT host": the resolver, not the connection
    ((("dns.failure", 0.88),),
     r"\bquery(?:a|aaaa|any|cname|srv|txt)? (?:etimeout|eservfail|econnrefused|enotfound|enodata|erefused)\b"),
    # --- every runtime's JSON parser given an answer that is not JSON (an HTML page, an empty body): read as the
    # SDKs' "is not valid JSON" is (`apierrors.rules`): Node before v20, Go's encoding/json, Jackson, serde under
    # reqwest, System.Text.Json, Dart's jsonDecode
    # (below an answer's own reading: a 502 page that failed to parse is the gateway, not the parser)
    # Go's encoding/json given Go net/http's own NotFound body, "404 page not found" (the router of Ollama and of Go
    # relays): "404" parses as a number and the 'p' after it fails, so the body was a router's 404, not the API's
    ((("config.base_url_invalid", 0.7),), r"invalid character 'p' after top-level value"),
    # serde_json's "expected value at line 1 column 1" under reqwest's "error decoding response body: " and under the
    # Rust clients' "failed to deserialize api response: {0}" (async-openai's error.rs JSONDeserialize, and others')
    ((("response.unparseable", 0.7),),
     r"unexpected token < in json at position 0|invalid character '<' looking for beginning of value|"
     r"unexpected character \('<' \(code 60\)\)|"
     r"(?:error decoding response body|failed to deserialize api response): expected value at line 1 column 1|"
     r"'<' is an invalid start of a value|formatexception: unexpected character \(at character 1\)"),
    # --- .NET's certificate chain status ----------------------------------------------------------------------------
    ((("tls.expired", 0.8), ("tls.clock_skew", 0.5)), r"errors in the certificate chain: nottimevalid"),
)

# Wordings that name a step but not what went wrong in it: candidates only
VAGUE: tuple[Row, ...] = (
    # .NET's TLS step without its inner exception: a certificate the client does not trust, a handshake cut off,
    # a protocol neither side shares, or a proxy in between
    ((("tls.handshake_reset", 0.4), ("tls.unknown_ca", 0.35), ("tls.protocol_mismatch", 0.3),
      ("proxy.not_responding", 0.25)),
     r"the ssl connection could not be established"),
    # the JDK's whole-request timeout (HttpRequest.timeout): the step is not said
    ((("net.read_timeout", 0.45), ("net.client_timeout_too_short", 0.4), ("net.connect_timeout", 0.35)),
     r"httptimeoutexception: request timed out"),
    # SOCKS4's reply 91, "request rejected or failed": the proxy's rules or its upstream
    ((("proxy.upstream_failed", 0.45), ("proxy.blocked", 0.4)), r"socks4 proxy rejected connection"),
    # Go: the connection closed before any answer ("Post \"https://...\": EOF"): the server, a proxy or a middlebox
    ((("tls.handshake_reset", 0.4), ("proxy.not_responding", 0.35), ("server.protocol_error", 0.3)),
     r'https?://[^\s"]+\\?": (?:unexpected )?eof\b'),
    # the peer closed or reset an established connection, the step not said: Node's EPIPE on a write, Java's
    # SocketException ("Connection reset", "Broken pipe"), JSSE's SSLException around the same reset
    ((("tls.handshake_reset", 0.4), ("proxy.not_responding", 0.35), ("net.stream_stalled", 0.3)),
     r"\bwrite epipe\b|(?:socketexception|sslexception): (?:connection reset|broken pipe)\b"),
    # PHP's http:// stream wrapper (file_get_contents, fopen) without a status line after it: the connection failed,
    # how is not said ("HTTP request failed! HTTP/1.1 404 Not Found" carries the status and reads by it)
    ((("net.connect_timeout", 0.35), ("proxy.unreachable", 0.35), ("dns.failure", 0.3), ("tls.verify_failed", 0.25)),
     r"failed to open stream: http request failed!(?!\s*http/)"),
    # Chromium (Electron apps: VS Code, Copilot, Cursor) when an HTTP/2 stream broke: an inspecting proxy that
    # mangles h2, the server, or a middlebox resetting the stream
    ((("server.protocol_error", 0.4), ("tls.intercepted", 0.35), ("proxy.not_responding", 0.3)),
     r"err_http2_protocol_error|err_http2_ping_failed|err_quic_protocol_error"),
    # any other answer Go could not parse as HTTP: not an HTTP server at that address
    ((("proxy.protocol_mismatch", 0.4), ("tls.protocol_mismatch", 0.35), ("endpoint.not_an_api", 0.3)),
     r"malformed http response"),
)
