# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""Transport failures printed by clients other than Python's, and proxies, read right as classes (issue 16).

Real texts from tests/corpus (the tuned part only; the held-out part is never used here), each with the thread
that confirmed its cause. The rows they exercise are families read from the clients' sources
(`llmdoctor.signatures.farclients`, `errnos`): the JDK's and .NET's SOCKS clients, OkHttp's and Go's timeouts,
Dart's TLS handshake, .NET Framework's SslStream, Firefox's proxy pages, SOCKS servers' logs; what a text does not
tell (a bare curl 7, hyper-util's "client error (SendRequest)", Chromium's tunnel failure, a reset) exits 1.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from helpers import reading

from llmdoctor.cli import main
from llmdoctor.explain import explain

CASES = [
    # --- clients other than Python's: Dart, PHP/Guzzle, .NET, Java/OkHttp/Netty/Spring, Go, Deno, Ruby, Perl
    ('Error: SocketException: Connection timed out (OS Error: Connection timed out, errno = 110), address = app.myadress, port = 38887',
     'net.connect_timeout'),  # https://github.com/flutter/flutter/issues/135495
    ('Unhandled Exception: SocketException: OS Error: Connection timed out, errno = 110, address = 10.0.2.2, port = 45864\nE/flutter (22560): #0      IOClient.send (package:http/src/io_client.dart:33:24)',
     'net.connect_timeout'),  # https://github.com/astrotars/stream-flutter/issues/5
    ('HandshakeException: HandshakeException: Connection terminated during handshake\n  File "io_client.dart", line 33, in IOClient.send\n  File "<asynchronous suspension>"\n  File "base_client.dart", line 169, in BaseClient._sendUnstreamed',
     'tls.handshake_reset'),  # https://github.com/devrnt/movie-catalog/issues/14
    ('GuzzleHttp\\Exception\\ConnectException: cURL error 7: Failed to connect to www.google-analytics.com port 80: Connection refused (see http://curl.haxx.se/libcurl/c/libcurl-errors.html) in /.../vendor/guzzlehttp/guzzle/src/Handler/CurlFactory.php:186',
     'net.connect_refused'),  # https://github.com/theiconic/php-ga-measurement-protocol/issues/34
    ('GuzzleHttp\\Exception\\ConnectException: cURL error 7: Failed to connect to avatars3.githubusercontent.com port 443: Connection refused (see https://curl.haxx.se/libcurl/c/libcurl-errors.html)\n  File "/app/Http/Controllers/Auth/SocialiteController.php", line 117, in App\\Http\\Controllers\\Auth\\SocialiteController::handleProviderCallback',
     'net.connect_refused'),  # https://github.com/baijunyao/laravel-bjyblog/issues/127
    ('GuzzleHttp\\Exception\\ConnectException: cURL error 7   Failed to connect to mlsservice.com port 6103: Connection refused.',
     'net.connect_refused'),  # https://github.com/troydavisson/PHRETS/issues/263
    ('"message":"Exception: {\\"Exception\\":\\"GuzzleHttp\\\\\\\\Exception\\\\\\\\ConnectException\\",\\"Message\\":\\"cURL error 7: Failed to connect to www.nextcloud.com port 80: Operation timed out\\"',
     'net.connect_timeout'),  # https://github.com/nextcloud/server/issues/11155
    ('System.AggregateException\n  HResult=0x80131500\n  Message=One or more errors occurred. (No connection could be made because the target machine actively refused it)\n  Source=System.Private.CoreLib\n\nInner Exception 1:\nHttpRequestException: No connection could be made because the target machine actively refused it\n\nInner Exception 2:\nSocketException: No connection could be made because the target machine actively refused it',
     'net.connect_refused'),  # https://github.com/kevbite/CompaniesHouse.NET/issues/112
    ('java.lang.RuntimeException: java.net.SocketTimeoutException: connect timed out\n\nMy network can connect to the OpenAI website.',
     'net.connect_timeout'),  # https://github.com/TheoKanning/openai-java/issues/178
    ('为何在项目里使用openai调用gpt接口，会报错，java.net.SocketTimeoutException: connect timed out，是需要做什么设置吗？',
     'net.connect_timeout'),  # https://github.com/Starcloud-Cloud/java-langchain/issues/1
    ('com.aallam.openai.api.exception.OpenAITimeoutException: Connect timeout has expired [url=https://api.openai.com/v1/chat/completions, connect_timeout=unknown ms]',
     'net.connect_timeout'),  # https://github.com/aallam/openai-kotlin/issues/157
    ("Hello, I'm getting java.lang.RuntimeException: java.net.SocketTimeoutException: timeout when calling the service in the standard way described in the documentation, call that receives the error:\n\nservice.createCompletion(completionRequest).getChoices().forEach(System.out::println);",
     'net.client_timeout_too_short'),  # https://github.com/TheoKanning/openai-java/issues/275
    ('I make some large requests to OpenAI, and even with the GPT 3.5 Turbo model, the responses are sometimes slow, and I receive a `java.net.SocketTimeoutException: timeout` exception.',
     'net.client_timeout_too_short'),  # https://github.com/TheoKanning/openai-java/issues/147
    ('with text-davinci-003 the response takes longer than before and times out.\n\nCaused by: java.net.SocketTimeoutException: timeout\n\tat okhttp3.internal.http2.Http2Stream$StreamTimeout.newTimeoutException(Http2Stream.kt:675)\n\tat okhttp3.internal.http2.Http2Stream$StreamTimeout.exitAndThrowIfTimedOut(Http2Stream.kt:684)\n\tat okhttp3.internal.http2.Http2Stream.takeHeaders(Http2Stream.kt:143)\n\tat okhttp3.internal.http2.Http2ExchangeCodec.readResponseHeaders(Http2ExchangeCodec.kt:96)',
     'net.client_timeout_too_short'),  # https://github.com/TheoKanning/openai-java/issues/37
    ('deno run https://deno.land/std/examples/welcome.ts\n\nDownload https://deno.land/std/examples/welcome.ts\nerror: error sending request for url (https://deno.land/std/examples/welcome.ts): error trying to connect: tcp connect error: No connection could be made because the target machine actively refused it. (os error 10061)',
     'net.connect_refused'),  # https://github.com/denoland/deno/issues/5580
    ('System.Reflection.TargetInvocationException: Exception has been thrown by the target of an invocation.\n ---> System.AggregateException: One or more errors occurred. (The SSL connection could not be established, see inner exception.)\n ---> System.Net.Http.HttpRequestException: The SSL connection could not be established, see inner exception.\n ---> System.IO.IOException:  Received an unexpected EOF or 0 bytes from the transport stream.\n   at System.Net.Security.SslStream.ReceiveBlobAsync[TIOAdapter](CancellationToken cancellationToken)\n   at System.Net.Security.SslStream.ForceAuthenticationAsync[TIOAdapter](Boolean receiveFirst, Byte[] reAuthenticationData, CancellationToken cancellationToken)\n   at System.Net.Http.ConnectHelper.EstablishSslConnectionAsync(SslClientAuthenticationOptions sslOptions, HttpRequestMessage request, Boolean async, Stream stream, CancellationToken cancellationToken)',
     'tls.handshake_reset'),  # https://github.com/RatScanner/RatScanner/issues/631
    ('MESSAGE     : Received an unexpected EOF or 0 bytes from the transport stream.\nSTACK TRACE : \n   at System.Net.FixedSizeReader.ReadPacket(Byte[] buffer, Int32 offset, Int32 count)\n   at System.Net.Security.SslState.StartReadFrame(Byte[] buffer, Int32 readBytes, AsyncProtocolRequest asyncRequest)\n   at System.Net.Security.SslState.StartReceiveBlob(Byte[] buffer, AsyncProtocolRequest asyncRequest)',
     'tls.handshake_reset'),  # https://github.com/openstacknetsdk/openstack.net/issues/119
    ('Errno::ECONNREFUSED: Connection refused - connect(2) for "mycombe2.library.ualberta.ca" port 8080\n  File "/usr/lib64/ruby/2.3.0/net/http.rb", line 880, in initialize\n  File "/usr/lib64/ruby/2.3.0/net/http.rb", line 880, in open\n  File "/usr/lib64/ruby/2.3.0/net/http.rb", line 880, in block in connect\n  File "/usr/lib64/ruby/2.3.0/timeout.rb", line 91, in block in timeout',
     'net.connect_refused'),  # https://github.com/ualbertalib/HydraNorth/issues/1518
    ('Failed to complete: context deadline exceeded (Client.Timeout or context cancellation while reading body)',
     'net.client_timeout_too_short'),  # https://github.com/rakyll/openai-go/issues/14
    ("couldn't connect: A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond",
     'net.connect_timeout'),  # https://github.com/OpenKore/openkore/issues/864
    ('StackTrace:    at System.Net.Sockets.Socket.AwaitableSocketAsyncEventArgs.ThrowException(SocketError error, CancellationToken cancellationToken)\n   at System.Net.Sockets.Socket.<ConnectAsync>g__WaitForConnectWithCancellation|281_0(AwaitableSocketAsyncEventArgs saea, ValueTask connectTask, CancellationToken cancellationToken)\n   at System.Net.Http.HttpConnectionPool.ConnectToTcpHostAsync(String host, Int32 port, HttpRequestMessage initialRequest, Boolean async, CancellationToken cancellationToken)\n2024-02-17 16:18:48.655 -06:00 [ERR] Exception caught: A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond. (cdrm-project.com:443)',
     'net.connect_timeout'),  # https://github.com/sim0n00ps/OF-DL/issues/283
    ('failed to connect to event server\nError:\nA connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond.',
     'net.connect_timeout'),  # https://github.com/azimjohn/jprq/issues/227
    ('Exception in thread "main" io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused: localhost/127.0.0.1:3000\nCaused by: java.net.ConnectException: Connection refused\n\tat sun.nio.ch.SocketChannelImpl.checkConnect(Native Method)\n\tat sun.nio.ch.SocketChannelImpl.finishConnect(SocketChannelImpl.java:716)\n\tat io.netty.channel.socket.nio.NioSocketChannel.doFinishConnect(NioSocketChannel.java:337)',
     'net.connect_refused'),  # https://github.com/netty/netty/issues/13545
    ('Error has been observed at the following site(s):\n        *__checkpoint ⇢ Request to POST http://localhost:8080 [DefaultWebClient]\nOriginal Stack Trace:\n                at org.springframework.web.reactive.function.client.ExchangeFunctions$DefaultExchangeFunction.lambda$wrapException$9(ExchangeFunctions.java:137)\n                at reactor.core.publisher.MonoErrorSupplied.subscribe(MonoErrorSupplied.java:55)\n[Bug] Flood of: `Connection refused: localhost/127.0.0.1:8080` in logs',
     'net.connect_refused'),  # https://github.com/thingsboard/tbmq/issues/371
    # --- proxies: 407 to CONNECT, SOCKS authentication (JDK, node), HTTP spoken at a SOCKS port (v2ray's log)
    ('Error: tunneling socket could not be established, statusCode=407\nProxy\nauthenticate: true\ndisabled: false\nhost: "proxy-host"\nport: 8080\ntunnel: false',
     'proxy.auth_failed'),  # https://github.com/postmanlabs/postman-app-support/issues/8862
    ('Exception in thread "main" cn.hutool.core.io.IORuntimeException: IOException: Unable to tunnel through proxy. Proxy returns "HTTP/1.1 407 Proxy Authentication Required"\n\tat cn.hutool.http.HttpRequest.send(HttpRequest.java:1164)\n\tat cn.hutool.http.HttpRequest.execute(HttpRequest.java:969)',
     'proxy.auth_failed'),  # https://github.com/chinabugotech/hutool/issues/1650
    ('Error: SOCKS authentication failed. Unexpected SOCKS authentication method: 255.\n    at Socket.<anonymous> (/home/ubuntu/workspace/node_modules/socks5-client/lib/Socket.js:165:12)\n    at Socket.g (events.js:286:16)',
     'proxy.auth_failed'),  # https://github.com/mattcg/socks5-http-client/issues/15
    ('java.net.SocketException: SOCKS : authentication failed\n\tat java.base/java.net.SocksSocketImpl.connect(SocksSocketImpl.java:404)\n\tat java.base/java.net.Socket.connect(Socket.java:633)\n\tat okhttp3.internal.platform.Platform.connectSocket(Platform.kt:128)\n\tat okhttp3.internal.connection.RealConnection.connectSocket(RealConnection.kt:295)',
     'proxy.auth_failed'),  # https://github.com/carlrobertoh/ProxyAI/issues/278
    ('v2ray提示一下错误\nrejected  v2ray.com/core/proxy/socks: unknown Socks version: 67',
     'proxy.protocol_mismatch'),  # https://github.com/233boy/v2ray/issues/245
    # --- a refusal that names the proxy: Firefox's page, Go's proxyconnect at Clash's port, tunnel-agent
    ('When I tried to open a link it is showing the error "Proxy server is refusing connections" and the page is not opening.',
     'proxy.unreachable'),  # https://github.com/guardianproject/ProxyMob/issues/10
    ('最近开启代理后出现如下报错，无法启动代理 ，127.0.0.1:7897    7897端口是Clash的。\n\n2025/12/15 13:43:32 [启动] 获取 ECH 配置失败: DNS 查询失败: DoH 请求失败: Get "https://dns.alidns.com/dns-query?dns=AAEBAAABAAAAAAAADmNsb3VkZmxhcmUtZWNoA2NvbQAAQQAB": proxyconnect tcp: dial tcp 127.0.0.1:7897: connectex: No connection could be made because the target machine actively refused it.',
     'proxy.unreachable'),  # https://github.com/byJoey/ech-wk/issues/49
    ('Uncaught Error: tunneling socket could not be established, cause=getaddrinfo ENOTFOUND proxy.rd.xxxxxxxx.fr proxy.rd.xxxxxxxx.fr:8080\n\nError: tunneling socket could not be established, cause=getaddrinfo ENOTFOUND proxy.rd.xxxxxxxx.fr proxy.rd.xxxxxxxx.fr:8080\n    at ClientRequest.onError (/app.asar/node_modules/tunnel-agent/index.js:177:17)\n    at Object.onceWrapper (events.js:290:19)',
     'proxy.unreachable'),  # https://github.com/atom/atom/issues/15679
    # --- Windows in a Chinese locale (Dart's errno 121, Twisted's 10060, WinError 10060)
    ('flutter: *** DioException ***:\nflutter: uri: https://generativelanguage.googleapis.com/v1beta/models/gemini-pro:streamGenerateContent?key=123456\nflutter: DioException [connection error]: The connection errored: 信号灯超时时间已到\n This indicates an error which most likely cannot be solved by the library.\nError: SocketException: 信号灯超时时间已到\n (OS Error: 信号灯超时时间已到\n, errno = 121), address = generativelanguage.googleapis.com, port = 53583',
     'net.connect_timeout'),  # https://github.com/babakcode/flutter_gemini/issues/8
    ('DEBUG Retrying <GET https://www.pornhub.com/robots.txt> (failed 1 times): TCP connection timed out: 10060: 由于连接方在一段时间后没有正确答复或连接的主机没有反应，连接尝试失败。',
     'net.connect_timeout'),  # https://github.com/xiyouMc/WebHubBot/issues/48
    ('Error: [WinError 10060] 由于连接方在一段时间后没有正确答复或连接的主机没有反应，连接尝试失败。',
     'net.connect_timeout'),  # https://github.com/baibinghere/huobiapi/issues/1
    # --- Windows' system proxy read as an https:// proxy by urllib3 1.26: TLS spoken to a plain HTTP proxy
    ("HTTPSConnectionPool(host='w3.org, port=443): Max retries exceeded with url: / (Caused by ProxyError('Cannot connect to proxy.', timeout('_ssl.c:1114: The handshake operation timed out')))",
     'proxy.protocol_mismatch'),  # https://github.com/psf/requests/issues/6139
    ("[ERROR - 21:00:32] HTTPSConnectionPool(host='ghxcx.lovestu.com', port=443): Max retries exceeded with url: /api/index/today_secret (Caused by ProxyError('Unable to connect to proxy', OSError(0, 'Error')))",
     'proxy.protocol_mismatch'),  # https://github.com/cwuom/MusicHelper
    # --- batch 2 (collected after the rules): JDK SOCKS replies, Netty's resolver, .NET Framework's send failure, Go
    ("org.springframework.web.reactive.function.client.WebClientRequestException: Failed to resolve 'W11BGRC156.luan.com' [A(1), AAAA(28)] after 7 queries \n\tat org.springframework.web.reactive.function.client.ExchangeFunctions$DefaultExchangeFunction.lambda$wrapException$9(ExchangeFunctions.java:136) ~[spring-webflux-6.1.6.jar:6.1.6]",
     'dns.failure'),  # https://github.com/codecentric/spring-boot-admin/issues/3363
    ('The plugin cannot connect to api.openai.com to login. Refresh models works well, but when press "Test Connection", the message few seconds later is "Failed to resolve \'api.openai.com\' [A(1)] after 2 queries".',
     'dns.failure'),  # https://github.com/didalgolab/ai-intellij-plugin/issues/30
    ('Calling any endpoint with https throws this error:\nThe underlying connection was closed: An unexpected error occurred on a send.',
     'tls.protocol_mismatch'),  # https://github.com/XiaoFaye/WooCommerce.NET/issues/206
    ('Followed the example to the letter and the above error message was returned for all calls to httpClient.PostAsync.\nThe underlying connection was closed: An unexpected error occurred on a send.',
     'tls.protocol_mismatch'),  # https://github.com/Azure-Samples/active-directory-dotnet-daemon/issues/41
    ('Invoke-WebRequest : The underlying connection was closed: An unexpected error occurred on a send.',
     'tls.protocol_mismatch'),  # https://github.com/ryan-jan/MSCatalog/issues/8
    ('Message:\nThe underlying connection was closed: An unexpected error occurred on a send.\n\nStackTrace:\n   at System.Net.HttpWebRequest.GetRequestStream(TransportContext& context)\n   at System.Net.HttpWebRequest.GetRequestStream()',
     'tls.protocol_mismatch'),  # https://github.com/ShareX/ShareX/issues/2159
    ('Disabling tls 1.1 on the client system triggers this error:\nThe underlying connection was closed: An unexpected error occurred on a receive',
     'tls.protocol_mismatch'),  # https://github.com/messagebird/csharp-rest-api/pull/64
    ('2018/01/28 05:14:05 net/http: request canceled (Client.Timeout exceeded while reading body)',
     'net.client_timeout_too_short'),  # https://github.com/nlamirault/speedtest_exporter/issues/5
    ('    模板：模板是C++中的一种重要概念，它可以帮助开发者实现代码的复用，提高程序的可维护性。context deadline exceeded (Client.Timeout or context cancellation while reading body)',
     'net.client_timeout_too_short'),  # https://github.com/PullRequestInc/go-gpt3/issues/21
    ('Error: error reading stream: context deadline exceeded (Client.Timeout or context cancellation while reading body)',
     'net.client_timeout_too_short'),  # https://github.com/rishikanthc/Scriberr/issues/168
    ('java.net.SocketException: SOCKS: Connection refused\n\tat java.net.SocksSocketImpl.connect(SocksSocketImpl.java:562)\n\tat java.net.Socket.connect(Socket.java:589)\n\tat java.net.Socket.connect(Socket.java:538)',
     'proxy.upstream_failed'),  # https://github.com/3proxy/3proxy/issues/643
    ("send mail with socks proxy error: java.net.SocketException: SOCKS : No acceptable methods\nCaused by: com.sun.mail.util.MailConnectException: Couldn't connect to host, port: smtp.exmail.qq.com, 25; timeout -1; Using SOCKS host, port: x.x.x.x, 1080",
     'proxy.auth_failed'),  # https://github.com/bbottema/simple-java-mail/issues/197
]


@pytest.mark.parametrize(("text", "cause"), CASES)
def test_far_clients_and_proxies_read_right(text: str, cause: str) -> None:
    result = explain(text)
    assert reading(result) == cause, [(c.id, c.confidence) for c in result.causes[:3]]


@pytest.mark.parametrize("text", [
    'Error | internet_connection_check | GuzzleHttp\\Exception\\ConnectException: cURL error 7: (see https://curl.haxx.se/libcurl/c/libcurl-errors.html) for http://www.nextcloud.com/',  # https://github.com/nextcloud/server/issues/27582
    'TypeError: client error (SendRequest)\n    at async mainFetch (ext:deno_fetch/26_fetch.js:170:12)\n    at async fetch (ext:deno_fetch/26_fetch.js:391:7)',  # https://github.com/denoland/deno/issues/24632
    'Uncaught Exception:\nError: net::ERR_TUNNEL_CONNECTION_FAILED\nat SimpleURLLoaderWrapper.<anonymous> (node:electron/js2c/browser_init:2:49935)\nat SimpleURLLoaderWrapper.emit (node:events:513:28)',  # https://github.com/electron/electron/issues/39773
    'I am getting the following error\n`2021/03/14 20:29:57 Get "https://www.google.com/": EOF\nexit status 1`\nafter the connection hangs for a bit.',  # https://github.com/x04/cclient/issues/7
    '远程主机强迫关闭了一个现有的连接。 (os error 10054',  # https://github.com/rustdesk/rustdesk/issues/12444
    'ClientException: Connection closed before full header was received\n  File "io_client.dart", line 66, in IOClient.send',  # https://github.com/flutter/flutter/issues/95164
    '上架Appstore的时候遇到这个问题，初次连接服务器报错的概率比较大。\nflutter: *** DioError ***:\nflutter: DioError [DioErrorType.DEFAULT]: HttpException: Connection closed before full header was received, uri = http://jz1666.com/gateway.do?_url=/mgr/proprietor-audit/page&userType=PARTNER&apiChannel=app',  # https://github.com/cfug/dio/issues/476
])
def test_far_client_texts_that_do_not_tell_exit_1_without_a_verdict(text: str) -> None:
    result = explain(text)
    assert result.ambiguous and not result.recognised
    proc = CliRunner().invoke(main, ["explain", "--json", "-"], input=text)
    assert proc.exit_code == 1
    assert json.loads(proc.output)["ambiguous"] is True


# The rest of each family, worded as the clients' sources word it (no thread behind these: the family's other
# members, so a row written for one wording is not a row for one string)
@pytest.mark.parametrize(("text", "cause"), [
    # JDK SocksSocketImpl: the reply names whose side failed
    ("java.net.SocketException: SOCKS : No acceptable methods", "proxy.auth_failed"),
    ("java.net.SocketException: SOCKS: Connection refused", "proxy.upstream_failed"),
    ("java.net.SocketException: SOCKS server general failure", "proxy.upstream_failed"),
    ("java.net.SocketException: SOCKS: Connection not allowed by ruleset", "proxy.blocked"),
    ("java.net.SocketException: Reply from SOCKS server has bad version", "proxy.protocol_mismatch"),
    ("java.net.SocketException: Can't connect to SOCKS proxy:Connection refused (Connection refused)",
     "proxy.unreachable"),
    # Go x/net socks: "unknown error <reply>" is the proxy reporting the API's side
    ('Post "https://api.openai.com/v1/chat/completions": socks connect tcp 127.0.0.1:7890->api.openai.com:443: '
     "unknown error connection refused", "proxy.upstream_failed"),
    ('Post "https://api.openai.com/v1/chat/completions": socks connect tcp 127.0.0.1:7890->api.openai.com:443: '
     "unknown error connection not allowed by ruleset", "proxy.blocked"),
    ('Get "https://api.openai.com/v1/models": socks connect tcp 127.0.0.1:7890->api.openai.com:443: '
     "unexpected protocol version 72", "proxy.protocol_mismatch"),
    # .NET SocksHelper
    ("System.Net.Http.HttpRequestException: SOCKS server failed to connect to the destination.",
     "proxy.upstream_failed"),
    ("System.Net.Http.HttpRequestException: Failed to authenticate with the SOCKS server.", "proxy.auth_failed"),
    ("System.Net.Http.HttpRequestException: Unexpected SOCKS protocol version. Required 5, got 72.",
     "proxy.protocol_mismatch"),
    # .NET's IPv4-mapped loopback address at a proxy app's port
    ("System.Net.Sockets.SocketException (10061): No connection could be made because the target machine actively "
     "refused it. [::ffff:127.0.0.1]:7890", "proxy.unreachable"),
    # Go's Client.Timeout while the body was coming in
    ('Post "https://api.openai.com/v1/chat/completions": net/http: request canceled (Client.Timeout exceeded while '
     "reading body)", "net.client_timeout_too_short"),
    # Go's TLS handshake with an https:// proxy URL that is a plain HTTP proxy
    ('Post "https://api.openai.com/v1/chat/completions": proxyconnect tcp: net/http: TLS handshake timeout',
     "proxy.protocol_mismatch"),
    # Netty's resolver names the host it could not resolve
    ("WebClientRequestException: Failed to resolve 'api.openai.com' after 2 queries", "dns.failure"),
    # python-socks' timeout is the proxy's, not the API's connect
    ("python_socks._errors.ProxyTimeoutError: Proxy connection timed out: 60", "proxy.unreachable"),
    # Win32's own number for an unreachable network; glibc's zh_CN strerror
    ("OSError: [WinError 1231] 不能访问网络位置。", "net.unreachable"),
    ("java.net.ConnectException: 拒绝连接 (Connection refused)", "net.connect_refused"),
    ("ssh: connect to host example.com port 22: 没有到主机的路由", "net.unreachable"),
    # the zh-CN .NET Framework's resource strings: a 407, and the TLS 1.2 send failure
    ("System.Net.WebException: 远程服务器返回错误: (407) 需要代理身份验证。", "proxy.auth_failed"),
    ("System.Net.WebException: 基础连接已经关闭: 发送时发生错误。", "tls.protocol_mismatch"),
])
def test_each_family_reads_by_its_sources_wordings(text: str, cause: str) -> None:
    result = explain(text)
    assert reading(result) == cause, [(c.id, c.confidence) for c in result.causes[:3]]


@pytest.mark.parametrize("text", [
    "curl: (1) Received HTTP/0.9 when not allowed",
    "HttpException: Connection closed before full header was received, uri = https://api.openai.com/v1/models",
    "System.Net.WebException: 基础连接已经关闭: 连接被意外关闭。",
    "System.Net.WebException: 无法连接到远程服务器",
    "error sending request for url (https://api.openai.com/v1/models): client error (Connect)",
])
def test_family_wordings_that_do_not_tell_are_candidates_only(text: str) -> None:
    result = explain(text)
    assert result.ambiguous and not result.recognised


def test_the_live_table_knows_windows_numbers_and_tor_ports() -> None:
    """The same rows serve the live checks: Win32's 1231/1232 are an unreachable network/host at connect time, and a
    refusal at Tor's SOCKS port is a local proxy app that is not running."""
    from llmdoctor.proxyenv.ports import KNOWN_PORTS
    from llmdoctor.signatures import errnos

    assert errnos.outcome_of(1231) == errnos.UNREACHABLE and errnos.outcome_of(1232) == errnos.UNREACHABLE
    assert {9050, 9150} <= set(KNOWN_PORTS)
    assert reading(explain("Error: connect ECONNREFUSED 127.0.0.1:9150")) == "proxy.unreachable"
