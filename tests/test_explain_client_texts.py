# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""Clients other than Python's, read as a class: Ruby's, .NET's and Dart's own exception names, curl's phases under
PHP, a refusal a Rust client prints without the address it dialed, a URL given where a host name belongs.

Each text is quoted as its source printed it (tests/corpus, tuned part); the URL is where the cause was confirmed.
The held-out corpus is never used here. The last tests are built from the clients' formats (not from the corpus)
to pin what the rules must leave alone.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from helpers import reading

from llmdoctor.cli import main
from llmdoctor.explain import explain

_DOTNET_TIMEOUT = """An unhandled exception occurred while processing the request.
SocketException: Operation canceled
Unknown location

IOException: Unable to read data from the transport connection: Operation canceled.
System.Net.Sockets.Socket+AwaitableSocketAsyncEventArgs.ThrowException(SocketError error, CancellationToken cancellationToken)

TaskCanceledException: The operation was canceled.
System.Net.Http.HttpConnection.SendAsyncCore(HttpRequestMessage request, bool async, CancellationToken cancellationToken)

TimeoutException: The operation was canceled.
System.Net.Http.HttpConnection.SendAsyncCore(HttpRequestMessage request, bool async, CancellationToken cancellationToken)

TaskCanceledException: The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing."""

CASES = [
    # --- Ruby net/http names the phase in the class (Faraday, HTTParty keep it)
    ("Net::OpenTimeout: execution expired\n  from net/http.rb:947:in `initialize'\n  from net/http.rb:947:in `open'\n  from net/http.rb:947:in `block in connect'\n  from timeout.rb:103:in `timeout'\n  from net/http.rb:945:in `connect'\n  from net/http.rb:930:in `do_start'\n  from net/http.rb:919:in `start'\n  from net/http.rb:1470:in `request'\n  from faraday/adapter/net_http.rb:87:in `perform_request'",
     "net.connect_timeout"),  # https://github.com/yegor256/0rsk/issues/54
    ("Net::OpenTimeout (execution expired)", "net.connect_timeout"),  # https://github.com/jnunemaker/httparty/issues/422
    # --- .NET HttpClient: its own whole-request timeout; its TLS step with a reset inside
    (_DOTNET_TIMEOUT, "net.client_timeout_too_short"),  # https://github.com/RageAgainstThePixel/OpenAI-DotNet/issues/151
    ("The SSL connection could not be established, see inner exception.\nSocketException: An existing connection was forcibly closed by the remote host.",
     "tls.handshake_reset"),  # https://github.com/betalgo/openai/issues/180
    # --- Dart: errno = N is the OS's number
    ("E/flutter (30451): [ERROR:flutter/runtime/dart_vm_initializer.cc(41)] Unhandled Exception: SocketException: Connection refused (OS Error: Connection refused, errno = 111), address = localhost, port = 50730\nE/flutter (30451): #0      _NativeSocket.startConnect (dart:io-patch/socket_patch.dart:682:35)",
     "net.connect_refused"),  # https://github.com/dart-lang/sdk/issues/50941
    # --- curl's phases under PHP/Guzzle: the read phase across a line break; the connect phase of a plain http:// URL
    ("(GuzzleHttp\\\\Exception\\\\ConnectException(code: 0): cURL error 28: Operation timed out after 5001 milliseconds\nwith 0 bytes received (see https://curl.haxx.se/libcurl/c/libcurl-errors.html) for \nhttps://api.torchlight.dev/highlight at \n/var/www/html/vendor/guzzlehttp/guzzle/src/Handler/CurlFactory.php:210)",
     "net.read_timeout"),  # https://github.com/torchlight-api/torchlight-laravel/issues/39
    ('cURL error 28: Connection timed out after 4514 milliseconds (see http://curl.haxx.se/libcurl/c/libcurl-errors.html), url:http://dev.market.soholly.com/within/gb/skuInfo, params:{"sku":"YNJ-S"}',
     "net.connect_timeout"),  # https://github.com/guzzle/guzzle/issues/2377
    # --- a URL given where a host name belongs: the proxy setting
    ('{"level":"error","message":"[/files] Error processing file: Error uploading code environment file: getaddrinfo ENOTFOUND http://172.17.0.1:3128","stack":"Error: Error uploading code environment file: getaddrinfo ENOTFOUND http://172.17.0.1:3128\\n    at uploadCodeEnvFile (/app/api/server/services/Files/Code/crud.js:108:11)"}',
     "env.proxy_misconfigured"),  # https://github.com/danny-avila/LibreChat/issues/6285
    ("{ Error: getaddrinfo ENOTFOUND proxy.linkeddatafragments.orghttps proxy.linkeddatafragments.orghttps:80\n    at GetAddrInfoReqWrap.onlookup [as oncomplete] (dns.js:56:26)\n  errno: 'ENOTFOUND',\n  code: 'ENOTFOUND',\n  syscall: 'getaddrinfo',\n  hostname: 'proxy.linkeddatafragments.orghttps',\n  host: 'proxy.linkeddatafragments.orghttps',\n  port: 80 }",
     "env.proxy_misconfigured"),  # https://github.com/comunica/comunica/issues/497
    # --- the proxy named by its port, in Node, Java and curl wordings
    ("[ERROR] MAIN [MAIN-ERROR] Mobile task failed forexample@gmail.com: AxiosError: Request failed with status code 407",
     "proxy.auth_failed"),  # https://github.com/SkyBlue997/MicrosoftRewardsPilot/issues/1
    ('java.io.IOException: Unable to tunnel through proxy. Proxy returns "HTTP/1.1 407 Proxy Authentication Required"\n\tat sun.net.www.protocol.http.HttpURLConnection.getInputStream0(HttpURLConnection.java:1516)',
     "proxy.auth_failed"),  # https://github.com/karakun/OpenWebStart/issues/592
    ("! curl 1.1.1.1\n     curl: (7) Failed to connect to localhost port 3128 after 1 ms: Couldn't connect to server",
     "proxy.unreachable"),  # https://github.com/anthropics/claude-code/issues/64789
    ("How to propley set proxy,\nI pass the proxy string but I get this error\ntunneling socket could not be established, cause=socket hang up",
     "proxy.not_responding"),  # https://github.com/drawrowfly/tiktok-scraper/issues/376
    # --- reqwest's builder refusing the proxy setting; an app's own words for a connect that did not finish
    ("[2025-03-28T10:13:47+08:00 ERROR reqwest_client] Failed to parse proxy URI socks://127.0.0.1:20170/: builder error",
     "env.proxy_misconfigured"),  # https://github.com/zed-industries/zed/issues/27641
    ('[2024-10-24T16:08:41+08:00 ERROR zed::reliability] {\n  "thread": "main",\n  "payload": "could not start HTTP client: builder error\\n\\nCaused by:\\n    unknown proxy scheme",',
     "env.proxy_misconfigured"),  # https://github.com/zed-industries/zed/issues/19665
    ("Error connecting to 'https://zed.dev': timed out trying to establish connection",
     "net.connect_timeout"),  # https://github.com/zed-industries/zed/issues/16054
    # --- Node: undici's causes
    ("0|main  | send error: TypeError: fetch failed\n0|main  |     at Object.fetch (node:internal/deps/undici/undici:11404:11)\n0|main  |   cause: HeadersTimeoutError: Headers Timeout Error\n0|main  |     code: 'UND_ERR_HEADERS_TIMEOUT'",
     "net.read_timeout"),  # https://github.com/transitive-bullshit/agentic/issues/448
    ("Cannot connect to API: Connect Timeout Error", "net.connect_timeout"),  # https://github.com/anomalyco/opencode/issues/48413
    # --- Java: OkHttp's and Android's CONNECT answers, JSSE's handshake cut off; the socks package
    ("java.lang.RuntimeException: java.io.IOException: Unexpected response code for CONNECT: 501\n\tat com.pkslow.ai.GoogleBardClient.getSNlM0e(GoogleBardClient.java:186)\nCaused by: java.io.IOException: Unexpected response code for CONNECT: 501\n\tat okhttp3.internal.connection.RealConnection.createTunnel(RealConnection.kt:483)",
     "proxy.protocol_mismatch"),  # https://github.com/LarryDpk/Google-Bard/issues/5
    ("> java.lang.RuntimeException: java.io.IOException: Unexpected response code for CONNECT: 405\n\tat io.reactivex.internal.util.ExceptionHelper.wrapOrThrow(ExceptionHelper.java:46)\n\tat com.theokanning.openai.service.OpenAiService.execute(OpenAiService.java:217)",
     "proxy.protocol_mismatch"),  # https://github.com/TheoKanning/openai-java/issues/190
    ("java.io.IOException: Unexpected response code for CONNECT: 503\nat libcore.net.http.HttpsURLConnectionImpl$HttpsEngine.makeTunnel(HttpsURLConnectionImpl.java:509)",
     "proxy.upstream_failed"),  # https://github.com/Amab/SWADroid/issues/157
    ("2023-07-15 11:10:36.065  INFO 18856 --- [.openai.com/...] c.u.chatgpt.interceptor.OpenAILogger     : OkHttp-------->:<-- HTTP FAILED: javax.net.ssl.SSLHandshakeException: Remote host closed connection during handshake",
     "tls.handshake_reset"),  # https://github.com/Grt1228/chatgpt-java/issues/190
    ("Using a proxy URL like `socks5://username:password@$host:port` keeps failing with `Error: Received invalid Socks5 initial handshake (no accepted authentication type)`.",
     "proxy.auth_failed"),  # https://github.com/nodemailer/nodemailer/issues/1054
    # --- a proxy that answers CONNECT with a status outside the table: not a forward proxy
    ("""127.0.0.1 - - [01/Apr/2023 13:39:38] "CONNECT api.openai.com:443 HTTP/1.0" 404 -\n[WARNING][2023-04-01 13:39:38][log.py:39] - Error communicating with OpenAI: HTTPSConnectionPool(host='api.openai.com', port=443): Max retries exceeded with url: /v1/chat/completions (Caused by ProxyError('Cannot connect to proxy.', OSError('Tunnel connection failed: 404 NOT FOUND')))""",
     "proxy.protocol_mismatch"),  # https://github.com/zhayujie/bot-on-anything/issues/241
    # --- .NET's chain status, Go's phases
    ("System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.\n ---> System.Security.Authentication.AuthenticationException: The remote certificate is invalid because of errors in the certificate chain: NotTimeValid",
     "tls.expired"),  # https://github.com/natemcmaster/LettuceEncrypt/issues/219
    ('ERROR: Get "https://registry-1.docker.io/v2/": net/http: request canceled while waiting for connection (Client.Timeout exceeded while awaiting headers)',
     "net.connect_timeout"),  # https://github.com/honmashironeko/ARL-docker/issues/25
    ('2021-07-26T05:36:40.104+0800    ERROR   [http]  beats-output-http@v0.0.8/http.go:227    Writing event to http failed with: Post "http:/xxx.com:12345/api/access": net/http: timeout awaiting response headers',
     "net.read_timeout"),  # https://github.com/crazygreenpenguin/beats-output-http/issues/3
    # --- a timeout waiting for a server on this machine: the model is slower than the client's timeout
    ('LLM call failed: HTTP request failed: Post "http://host.docker.internal:11434/api/chat": net/http: timeout awaiting response headers',
     "net.client_timeout_too_short"),  # https://github.com/AgenticGoKit/AgenticGoKit/issues/96
    ('time=2025-07-17T13:24:43.607-04:00 level=WARN msg="Retry extract" package=golightrag function=Insert retry=3 error="failed to call LLM: error sending request: Post \\"http://localhost:11434/api/chat\\": context deadline exceeded"',
     "net.client_timeout_too_short"),  # https://github.com/MegaGrindStone/go-light-rag/issues/8
]


@pytest.mark.parametrize(("text", "cause"), CASES)
def test_client_texts_read_right(text: str, cause: str) -> None:
    result = explain(text)
    assert reading(result) == cause, [(c.id, c.confidence) for c in result.causes[:3]]


def test_a_refusal_a_rust_client_prints_without_the_address_it_dialed_is_most_likely_the_proxy() -> None:
    # Codex (reqwest) prints the refusal of a stale HTTPS_PROXY port with no address at all
    text = ('Codex Desktop repeatedly showed:\n\n"Reconnecting... waiting for network"\n\nand then:\n\n'
            '"stream disconnected before completion: 由于目标计算机积极拒绝，无法连接。 (os error 10061)"')  # https://github.com/openai/codex/issues/44517
    result = explain(text)
    assert result.likely and not result.ambiguous
    assert [c.id for c in result.causes[:2]] == ["proxy.unreachable", "net.connect_refused"]
    assert result.tells.get("proxy.unreachable")


@pytest.mark.parametrize("text", [
    "Connection error.",  # https://github.com/cline/cline/issues/2165
    "The SSL connection could not be established",  # https://github.com/OkGoDoIt/OpenAI-API-dotnet/issues/58
    "java.io.IOException: unexpected end of stream on https://api.openai.com/...",  # https://github.com/hncboy/ai-beehive/issues/81
    "net::ERR_TUNNEL_CONNECTION_FAILED at https://www.twitch.tv/thechannelname",  # https://github.com/gorkemhacioglu/Stream-Viewer-Chat-Bot/issues/246
    "Intermittently few api calls gets closed with the following error `Error: IncompleteMessage: connection closed before message completed`.",  # https://github.com/juspay/hyperswitch/issues/3428
    'Error: failed to sync catalog: fetch catalog: Get "https://models.dev/catalog.json": context deadline exceeded (Client.Timeout exceeded while awaiting headers)',  # https://github.com/routatic/proxy/issues/132
    'When doing the request, i sometimes get a error thrown "fopen(https://172.66.0.243/v1/chat/completions): Failed to open stream: HTTP request failed!"',  # https://github.com/openai-php/client/issues/534
    "2024-10-07 16:20:34.184 [error] Error: net::ERR_HTTP2_PROTOCOL_ERROR\n    at SimpleURLLoaderWrapper.<anonymous> (node:electron/js2c/utility_init:2:10266)\n    at SimpleURLLoaderWrapper.emit (node:events:519:28): Error on conversation request",  # https://github.com/microsoft/vscode-copilot-release/issues/1751
])
def test_client_texts_that_do_not_name_a_cause_exit_1_without_a_verdict(text: str) -> None:
    result = explain(text)
    assert result.ambiguous and not result.recognised
    proc = CliRunner().invoke(main, ["explain", "--json", "-"], input=text)
    assert proc.exit_code == 1
    assert json.loads(proc.output)["ambiguous"] is True


# --- built from the clients' formats, to pin what the rules leave alone -----------------------------------------


@pytest.mark.parametrize(("text", "cause"), [
    # reqwest at a local server that is down: the URL itself is loopback, no proxy is involved
    ("error sending request for url (http://127.0.0.1:11434/api/chat): error trying to connect: tcp connect error: "
     "Connection refused (os error 111)", "net.connect_refused"),
    # Node prints the address it dialed: a public address refusing is that address, not a hidden proxy
    ("request to https://api.openai.com/v1/chat/completions failed, reason: connect ECONNREFUSED 104.18.6.192:443",
     "net.connect_refused"),
    # a name that is not a URL's scheme stays a name that does not resolve
    ("getaddrinfo ENOTFOUND api.openai.com", "dns.failure"),
    # the proxy's name missing from DNS stays the proxy unreachable, not a malformed setting
    ("Error: tunneling socket could not be established, cause=getaddrinfo ENOTFOUND proxy.corp.example",
     "proxy.unreachable"),
    # curl's connect phase on an https:// URL still does not say TCP or TLS
    ("curl: (28) Connection timed out after 10002 milliseconds", "ambiguous"),
    # a proxy's 407 to CONNECT stays the password, whatever else the generic CONNECT row reads
    ("java.io.IOException: Unexpected response code for CONNECT: 407", "proxy.auth_failed"),
    # the same Go wait for a remote API does not say whose timeout was short
    ('Post "https://api.openai.com/v1/chat/completions": context deadline exceeded', "ambiguous"),
    # Netty's ProxyHandler: connected to the proxy, no answer to CONNECT in time
    ("io.netty.handler.proxy.ProxyConnectException: http, none, /127.0.0.1:7890 => api.openai.com:443, timeout",
     "proxy.not_responding"),
    # Go's net/http returns a proxy's CONNECT answer as its bare reason phrase after the URL
    ('Post "https://api.openai.com/v1/chat/completions": Forbidden', "proxy.blocked"),
    ('{"error":"Post \\"https://api.openai.com/v1/chat/completions\\": Not Found"}', "proxy.protocol_mismatch"),
    # ... while words after the phrase are an API's message, not a CONNECT answer
    ('Post "https://api.openai.com/v1/chat/completions": Forbidden request for this model', "ambiguous"),
    # the Docker host's name on a proxy app's port is the host's proxy; on Ollama's port it is Ollama
    ("connect ECONNREFUSED host.docker.internal:7890", "proxy.unreachable"),
    ("Error: connect ECONNREFUSED host.docker.internal:11434", "net.connect_refused"),
    # a connect on loopback that timed out at a proxy app's port is the app hung, with or without the request's URL
    ("Error: connect ETIMEDOUT 127.0.0.1:7890", "proxy.unreachable"),
    # reqwest / hyper-util with io::ErrorKind::TimedOut in the connect step
    ('reqwest::Error { kind: Request, url: "https://api.openai.com/v1/chat/completions", source: hyper_util::client::legacy::Error(Connect, ConnectError("tcp connect error", 104.18.6.192:443, Os { code: 60, kind: TimedOut, message: "Operation timed out" })) }',
     "net.connect_timeout"),
    # Dio names the phase in its exception type
    ("DioException [receive timeout]: The request took longer than 0:01:00.000000 to receive data. It was aborted.",
     "net.read_timeout"),
    # Node names the syscall: a read that timed out is not the connect; queryA is the resolver
    ("Error: read ETIMEDOUT\n    at TLSWrap.onStreamRead (node:internal/stream_base_commons:217:20)", "net.read_timeout"),
    ("Error: queryA ETIMEOUT api.openai.com", "dns.failure"),
    # a reset or a broken pipe on an established connection: whose side is not said
    ("Error: write EPIPE", "ambiguous"),
    ("java.net.SocketException: Connection reset", "ambiguous"),
    # other runtimes' JSON parsers given an HTML page read as the SDKs' "is not valid JSON"
    ("Error: invalid character '<' looking for beginning of value", "response.unparseable"),
    ("com.fasterxml.jackson.core.JsonParseException: Unexpected character ('<' (code 60)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
     "response.unparseable"),
    # serde_json's words under the Rust clients' "failed to deserialize api response: {0}"
    ("Error: failed to deserialize api response: expected value at line 1 column 1",
     "response.unparseable"),  # https://github.com/64bit/async-openai/issues/61
    # Go's encoding/json given Go net/http's "404 page not found": "404" parses, the 'p' after it does not
    ("invalid character 'p' after top-level value",
     "config.base_url_invalid"),  # https://github.com/Receipt-Wrangler/receipt-wrangler/issues/444
    # ... below the answer's own reading: a gateway's 502 page that failed to parse is the gateway
    ("error, status code: 502, status: 502 Bad Gateway, message: invalid character '<' looking for beginning of value, body: <html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
     "gateway.error"),
    # Go's bare EOF after the URL: closed before any answer, whose side is not said
    ('Post "https://api.openai.com/v1/chat/completions": EOF', "ambiguous"),
    # Go reading a SOCKS5 greeting's reply where an HTTP answer was expected (http:// at a SOCKS port)
    ('Get "https://api.openai.com/v1/models": net/http: HTTP/1.x transport connection broken: malformed HTTP response '
     '"\\x05\\x00"', "proxy.protocol_mismatch"),
])
def test_what_the_client_rules_leave_alone(text: str, cause: str) -> None:
    assert reading(explain(text)) == cause
