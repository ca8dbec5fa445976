"""Transport failures as clients other than Python's print them, family by family (issue 16: other clients,
proxies): the JDK's SOCKS client, Go's SOCKS dialer, .NET's SocksHelper, SOCKS servers' own logs, Dart's
secure sockets, OkHttp's timeouts, Go's Client.Timeout, hyper-util's client error kinds (reqwest, Deno),
.NET Framework's SslStream, Firefox's proxy error pages and PHP/Guzzle's bare curl exit 7.

Rows are (causes, pattern) like `runtimes`' and `clients`': lower-case regexes over the whole text, read by
`transport.compiled()`. Each family's wordings come from its source, so the whole family reads the same:

- the JDK, java/net/SocksSocketImpl.java: "SOCKS : authentication failed", "SOCKS : No acceptable methods",
  SOCKS4's "SOCKS authentication failed" (reply 93) - the proxy refused the credentials; "SOCKS server general
  failure", "SOCKS: Network unreachable" / "Host unreachable" / "Connection refused" / "TTL expired", SOCKS4's
  "SOCKS server couldn't reach destination" (92) - the proxy could not reach the API; "SOCKS: Connection not
  allowed by ruleset" - its rules; "SOCKS: Command not supported", "address type not supported", "Reply from
  SOCKS server has bad version / bad length / badly formatted / contains wrong code" - the port does not speak
  SOCKS5 the way the client does; "Can't connect to SOCKS proxy:" - the proxy itself is not there;
- Go, golang.org/x/net/internal/socks (and the copy in net/http): a reply other than success is
  "unknown error " + the reply's name ("unknown error connection refused" is the API refusing the *proxy*),
  "unexpected protocol version N", "username/password authentication failed";
- .NET, System.Net.Http SocksHelper (Strings.resx net_socks_*): "SOCKS server failed to connect to the
  destination.", "Failed to authenticate with the SOCKS server.", "SOCKS server did not return a suitable
  authentication method.", "SOCKS server requested username & password authentication.", "Unexpected SOCKS
  protocol version. Required 5, got N."; Wasabi-style wrappers name the reply ("GeneralSocksServerFailure");
- SOCKS servers (v2ray/xray "proxy/socks: unknown Socks version: 67", and most others): the first byte of what
  the client sent was not 4 or 5 - 67 'C', 71 'G', 80 'P' are an HTTP request, 22 a TLS hello: http:// (or
  https://) at a SOCKS port;
- Clash, Clash.Meta and mihomo (tunnel/tunnel.go): the proxy's own log of a dial out that failed, "dial Proxy
  error: ...", "[TCP] dial PROXY (match Match/) 10.0.0.13:2141 --> alive.github.com:443 error: ..." - the proxy
  could not reach its node or the site;
- V2Ray / Xray (app/proxyman/outbound/handler.go): "failed to process outbound traffic > proxy/vmess/outbound: failed
  to find an available destination > ..." - the proxy could not reach its server;
- Dart, dart:io secure_socket.dart: "HandshakeException: Connection terminated during handshake" - the peer
  closed during TLS;
- OkHttp (okio AsyncTimeout): a read that ran past OkHttpClient's readTimeout is "SocketTimeoutException:
  timeout" (the JDK's own socket says "Read timed out"; a connect says "connect timed out"). OkHttp's default
  read timeout is 10 s, and so is openai-java's: shorter than many answers take to start - the threads'
  fix is a longer timeout; the whole call past its callTimeout is "InterruptedIOException: timeout";
- Go net/http: "(Client.Timeout or context cancellation while reading body)" / "(Client.Timeout exceeded while
  reading body)" - the answer had started (headers were in) when the client's whole-request deadline cut it;
- hyper-util's legacy client (reqwest 0.12, Deno): `client error (Connect)` names the connect step and nothing
  more, `client error (SendRequest)` an established connection that failed while the request was sent or the
  answer read: candidates only;
- .NET Framework's SslStream, "Received an unexpected EOF or 0 bytes from the transport stream." (net_io_eof):
  the peer closed during the TLS handshake, with or without .NET Core's "The SSL connection could not be
  established" around it;
- Firefox's error pages (aboutNetError.ftl): "The proxy server is refusing connections", "Unable to find the
  proxy server";
- urllib3 1.26 (requests, pip) speaking TLS to a proxy URL that says https:// for a plain HTTP proxy - what Windows'
  system proxy becomes under Python 3.9-3.10: "Cannot connect to proxy.', timeout('_ssl.c:1114: The handshake
  operation timed out')", "Unable to connect to proxy', OSError(0, 'Error')";
- libcurl exit 7 (CURLE_COULDNT_CONNECT) printed without its reason ("cURL error 7: (see https://...)",
  "cURL error 7: Failed to connect to host port 443"): refused, timed out or unreachable - not said.
"""

from __future__ import annotations

Row = tuple[tuple[tuple[str, float], ...], str]

# RFC 1928 §6 reply names as the JDK, Go's x/net socks and .NET-based wrappers print them
_UPSTREAM_REPLIES = (r"general socks server failure|network unreachable|host unreachable|connection refused|"
                     r"ttl expired")
_MISMATCH_REPLIES = r"command not supported|address type not supported"

SIGNS: tuple[Row, ...] = (
    # --- the JDK's SOCKS client (SocksSocketImpl) -------------------------------------------------------------------
    ((("proxy.auth_failed", 0.93),), r"socks : (?:authentication failed|no acceptable methods)"),
    ((("proxy.upstream_failed", 0.93),),
     r"socks server general failure|socks: (?:network unreachable|host unreachable|connection refused|ttl expired)|"
     r"socks server couldn't reach destination"),
    ((("proxy.blocked", 0.93),), r"socks: connection not allowed by ruleset"),
    ((("proxy.protocol_mismatch", 0.88),),
     r"socks: (?:command not supported|address type not supported)|reply from socks server (?:has bad version|"
     r"has bad length|badly formatted|contains wrong code|contains bad status)|malformed reply from socks server"),
    ((("proxy.unreachable", 0.9),), r"can't connect to socks proxy\s*:"),
    # --- Go's SOCKS5 dialer (x/net/internal/socks, net/http's bundled copy) ------------------------------------------
    ((("proxy.upstream_failed", 0.95),), r"socks connect [^\n]{0,200}?: unknown error (?:" + _UPSTREAM_REPLIES + ")"),
    ((("proxy.blocked", 0.95),), r"socks connect [^\n]{0,200}?: unknown error connection not allowed by ruleset"),
    ((("proxy.protocol_mismatch", 0.9),),
     r"socks connect [^\n]{0,200}?: (?:unknown error (?:" + _MISMATCH_REPLIES + r")|unexpected protocol version \d+)"),
    ((("proxy.auth_failed", 0.93),), r"socks connect [^\n]{0,200}?: username/password authentication failed"),
    # --- .NET's SocksHelper, and wrappers that name the reply ----------------------------------------------------
    ((("proxy.upstream_failed", 0.88),),
     r"socks server failed to connect to the destination|socks5? proxy responded with generalsocksserverfailure|"
     r"responded with (?:hostunreachable|networkunreachable|connectionrefused|ttlexpired)\b"),
    ((("proxy.auth_failed", 0.93),),
     r"failed to authenticate with the socks server|socks server did not return a suitable authentication method|"
     r"socks server requested username & password authentication"),
    ((("proxy.protocol_mismatch", 0.88),), r"unexpected socks protocol version\. required \d, got \d+|"
                                           r"proxy server responded with unknown socks version"),
    # --- a SOCKS server's own log: the client spoke something else at its port --------------------------------------
    # (4 and 5 are SOCKS versions: "unknown socks version: 4" is a SOCKS4 client at a SOCKS5-only server)
    ((("proxy.protocol_mismatch", 0.9),), r"unknown socks version:? (?!4\b|5\b)\d+"),
    # --- Clash's own log of the dial out that failed: Clash tunnel/tunnel.go "dial %s error: %s" (the proxy group
    # or node's name, then Go's error), Clash.Meta "[TCP] dial %s (match %s/%s) to %s error: %s", mihomo "[TCP] dial
    # %s (match %s/%s) %s --> %s error: %s". The line is the proxy reporting that it could not reach its node or the
    # site, whatever Go error follows ("i/o timeout", "connection refused", "no such host" are the node's or site's)
    ((("proxy.upstream_failed", 0.9),), r"\[tcp\] dial [^\n]{1,160}? (?:-->|to) [^\n]{1,200}? error: |"
                                        r"\bwarn(?:ing)?\b[^\n]{0,12}?\bdial [^\s:]{1,40} error: "),
    # --- V2Ray / Xray's log of an outbound that failed: app/proxyman/outbound/handler.go "failed to process outbound
    # traffic" over the outbound's own error - VMess/VLESS/Trojan "failed to find an available destination" (its
    # server could not be dialed), freedom "failed to dial" / "failed to open connection". ("... > connection ends >
    # context canceled" is the client closing, not a failure: not read.)
    ((("proxy.upstream_failed", 0.9),),
     r"failed to find an available destination|failed to process outbound traffic[^\n]{0,200}?(?:failed to dial|"
     r"failed to open connection|all retry attempts failed|dial tcp)"),
    # --- Dart dart:io -------------------------------------------------------------------------------------------------
    ((("tls.handshake_reset", 0.82),), r"connection terminated during handshake"),
    # --- OkHttp's own read timeout (okio AsyncTimeout), at the header wait or any read ------------------------------
    ((("net.client_timeout_too_short", 0.82), ("net.read_timeout", 0.6)),
     r"sockettimeoutexception: timeout\b"),
    # ... and its call timeout (RealCall.kt timeoutExit: InterruptedIOException("timeout")), the whole call's limit:
    # OkHttp's default is none, openai4j's (LangChain4j's OpenAiChatModel) 60 s, so the app or library set it; a
    # hung connect fails first on its own connect timeout ("connect timed out"). The threads (langchain4j#179, #238,
    # Tools4AI#34: a short question answers, a long one times out) fixed it with a longer .timeout(...)
    ((("net.client_timeout_too_short", 0.84), ("net.read_timeout", 0.55)),
     r"interruptedioexception: timeout\b"),
    # ... and either of them as Spring's RestTemplate/RestClient passes it on (ResourceAccessException: "I/O error on
    # " + method + " request for \"" + url + "\": " + the cause's message): OkHttp's own "timeout", no exception name
    # left (spring-ai#1634: longer answers from Ollama cut off, short ones fine)
    ((("net.client_timeout_too_short", 0.8), ("net.read_timeout", 0.55)),
     r"i/o error on [a-z]+ request for \"[^\"\n]+\": timeout\b"),
    # --- Symfony HttpClient's idle timeout (openai-php's default transport when Guzzle is absent) ------------------
    # Response/TransportResponseTrait.php: sprintf('Idle timeout reached for "%s".', url), raised as TimeoutException
    # when nothing arrived for the `timeout` option's seconds (default: php.ini's default_socket_timeout, 60 s). An
    # answer generated without streaming sends nothing until it is done; the threads' fix (openai-php/client#129,
    # #153, openai-php/laravel#36) is a longer timeout.
    ((("net.client_timeout_too_short", 0.8), ("net.read_timeout", 0.6)),
     r"idle timeout reached for [\"'\\]*https?://"),
    # --- Go's Client.Timeout after the answer had started ------------------------------------------------------------
    ((("net.client_timeout_too_short", 0.86), ("net.read_timeout", 0.55)),
     r"client\.timeout (?:or context cancellation|exceeded) while reading body"),
    # --- .NET Framework's SslStream: the peer closed during the handshake --------------------------------------------
    ((("tls.handshake_reset", 0.8),), r"unexpected eof or 0 bytes from the transport stream"),
    # --- .NET Framework's WebException "An unexpected error occurred on a send" (net_webstatus_SendFailure): its
    # TLS handshake failing, and the threads behind it (WooCommerce.NET#206, Azure-Samples daemon#41, ShareX#2159,
    # MSCatalog#8, messagebird#64) found one cause: .NET Framework before 4.7 offers TLS 1.0/1.1 only, servers
    # accept 1.2 and up (ServicePointManager.SecurityProtocol = Tls12, or a newer target framework)
    ((("tls.protocol_mismatch", 0.82), ("tls.handshake_reset", 0.45)),
     r"underlying connection (?:was )?closed: (?:an )?unexpected error (?:occurred on|during) a (?:send|receive)|"
     r"基础连接已经关闭: (?:发送|接收)时发生错误"),  # the zh-CN .NET Framework's own resource strings
    # a proxy's 407 in Windows' zh-CN words (WinINet; .NET's "远程服务器返回错误: (407) 需要代理身份验证。")
    ((("proxy.auth_failed", 0.93),), r"需要代理身份验证"),
    # --- Firefox's proxy error pages ------------------------------------------------------------------------------
    ((("proxy.unreachable", 0.92),), r"proxy server is refusing connections|unable to find the proxy server|"
                                     r"ns_error_proxy_connection_refused|ns_error_unknown_proxy_host"),
    # python-socks' ProxyTimeoutError ("Proxy connection timed out: 60"): the connect to the proxy and the handshake
    # with it share one deadline - which of the two hung is not said, but it is the proxy, not the API (above the
    # errno row that reads "connection timed out" as the API's connect)
    ((("proxy.unreachable", 0.9), ("proxy.not_responding", 0.8)), r"proxy connection timed out"),
    # --- TLS spoken to a plain HTTP proxy, as urllib3 1.26 shows it (requests, pip) --------------------------------
    # urllib3 1.26 speaks TLS to a proxy whose URL says https://, and Python 3.9-3.10 on Windows turns the system
    # proxy ("127.0.0.1:7890") into exactly that (urllib3#2164, requests#6139, pip#9216): the plain proxy never answers
    # the ClientHello (the handshake times out) or closes on it (ssl's bare OSError(0, 'Error') on Windows).
    # Above the "Cannot connect to proxy" row, which reads the proxy as not running.
    ((("proxy.protocol_mismatch", 0.95),),
     r"(?:cannot|unable to) connect to proxy\.?['\"],\s*oserror\(0, ['\"]error['\"]\)"),
    ((("proxy.protocol_mismatch", 0.94), ("proxy.not_responding", 0.5)),
     r"(?:cannot|unable to) connect to proxy\.?['\"],\s*(?:timeout|sslerror|connecttimeouterror)\(['\"]?_ssl\.c:\d+: "
     r"the handshake operation timed out"),
    # ... and Go's net/http the same way: "proxyconnect tcp:" wraps the TLS handshake *with the proxy*, done only for
    # an https:// proxy URL (transport.go dialConn); a plain proxy waits for a request line and the handshake times out
    ((("proxy.protocol_mismatch", 0.9), ("proxy.not_responding", 0.5)),
     r"proxyconnect tcp: net/http: tls handshake timeout"),
    # --- a resolver that names the host it could not resolve: Netty's DnsNameResolver (Spring WebClient, gRPC-Java:
    # "Failed to resolve 'api.openai.com' after 2 queries") and urllib3 2's NameResolutionError ("Failed to resolve
    # 'api.openai.com' ([Errno -2] Name or service not known)")
    ((("dns.failure", 0.88),), r"failed to resolve '[^'\s]+'"),
)

VAGUE: tuple[Row, ...] = (
    # curl reading something that is not HTTP/1.x where an answer was expected: http:// at a SOCKS port, or a server
    # that does not speak HTTP at that port
    ((("proxy.protocol_mismatch", 0.45), ("endpoint.not_an_api", 0.35), ("tls.protocol_mismatch", 0.3)),
     r"received http/0\.9 when not allowed"),
    # .NET Framework's other WebException wordings (System.Net's net_webstatus_*): the step, not the reason
    ((("tls.handshake_reset", 0.4), ("proxy.not_responding", 0.35), ("server.protocol_error", 0.3)),
     r"the underlying connection was closed: the connection was closed unexpectedly"),
    ((("net.read_timeout", 0.4), ("net.connect_timeout", 0.4), ("net.client_timeout_too_short", 0.35)),
     r"webexception: the operation has timed out"),
    ((("net.connect_refused", 0.4), ("net.connect_timeout", 0.4), ("proxy.unreachable", 0.35)),
     r"unable to connect to the remote server|无法连接到远程服务器"),
    ((("tls.handshake_reset", 0.4), ("proxy.not_responding", 0.35), ("server.protocol_error", 0.3)),
     r"基础连接已经关闭: 连接被意外关闭"),
    ((("net.read_timeout", 0.4), ("net.connect_timeout", 0.4), ("net.client_timeout_too_short", 0.35)),
     r"webexception: 操作超时"),
    # Dart's HTTP parser (http_parser.dart) when the peer closed before the answer's header, or inside its body
    ((("proxy.not_responding", 0.4), ("server.protocol_error", 0.35), ("tls.handshake_reset", 0.3)),
     r"connection closed before full header was received"),
    ((("net.stream_stalled", 0.4), ("server.protocol_error", 0.4), ("proxy.not_responding", 0.3)),
     r"connection closed while receiving data"),
    # libcurl 7 with no reason after it (PHP/Guzzle, Nextcloud): which of refused, timed out, unreachable is not said
    ((("net.connect_refused", 0.4), ("net.connect_timeout", 0.35), ("proxy.unreachable", 0.35),
      ("net.unreachable", 0.3)),
     r"curl error:? 7\b|curl: \(7\)|errcode: 7\b"),
    # hyper-util: the connect step failed, how is not said (reqwest's and Deno's outer error)
    ((("net.connect_refused", 0.35), ("net.connect_timeout", 0.35), ("proxy.unreachable", 0.35),
      ("dns.failure", 0.3)),
     r"client error \(connect\)"),
    # hyper-util: an established connection failed while sending or reading (a proxy or server hanging up, an h2
    # stream reset)
    ((("proxy.not_responding", 0.35), ("net.stream_stalled", 0.35), ("tls.handshake_reset", 0.3),
      ("server.protocol_error", 0.3)),
     r"client error \(sendrequest\)"),
)
