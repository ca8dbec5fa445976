# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""Transport texts from clients other than the Python SDKs, read right as classes (issue 16, the transport side).

Every text is real, quoted as its source printed it, from the tuned part of tests/corpus; the URL is the thread
that confirmed the cause. The classes: proxy answers, the proxy behind a refusal, curl/libcurl, Node, Windows
(also zh-CN), TLS, Go/Rust, Ctrl-C hangs. Texts that do not name their cause must say so and exit 1.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import reading

from llmdoctor.explain import explain

CASES = [
    # --- Proxy answers are the proxy's: the CONNECT reply in a curl -v transcript (401 from wstunnel, 502 from nginx's
    # forward proxy), a tunnel granted then lost, a SOCKS reply code, .NET's, Java's and tunnel-agent's tunnel status
    ('curl -v --proxy socks5h://127.0.0.1 google.com\n* Rebuilt URL to: google.com/\n*   Trying 127.0.0.1...\n* TCP_NODELAY set\n* SOCKS5 communication to google.com:80\n* SOCKS5 request granted.\n* Connected to 127.0.0.1 (127.0.0.1) port 1080 (#0)\n> GET / HTTP/1.1\n> Host: google.com\n> User-Agent: curl/7.54.0\n> Accept: */*\n>\n* Empty reply from server\n* Connection #0 to host 127.0.0.1 left intact\ncurl: (52) Empty reply from server',
     'proxy.upstream_failed'),  # https://github.com/klzgrad/naiveproxy/issues/9
    ('> User-Agent: curl/7.79.1\n> Accept: */*\n> Proxy-Connection: Keep-Alive\n> \n Mark bundle as not supporting multiuse\n< HTTP/1.1 502 Bad Gateway\n< Server: nginx\n< Date: Mon, 30 Dec 2024 02:35:24 GMT\n< Content-Type: text/html\n< Content-Length: 150\n< Connection: keep-alive',
     'proxy.upstream_failed'),  # https://github.com/chobits/ngx_http_proxy_connect_module/issues/326
    ('curl -sv -x http://127.0.0.1:3128 https://api.github.com/\n# < HTTP/1.1 401 Unauthorized\n# * CONNECT tunnel failed, response 401',
     'proxy.auth_failed'),  # https://github.com/erebe/wstunnel/issues/544
    ('$ curl -v --proxy http://127.0.0.1:3130 https://localhost:481\n*   Trying 127.0.0.1:3130...\n* CONNECT tunnel: HTTP/1.1 negotiated\n* allocate connect buffer\n* Establish HTTP proxy tunnel to localhost:481\n> CONNECT localhost:481 HTTP/1.1\n> Host: localhost:481\n> User-Agent: curl/8.11.0\n> Proxy-Connection: Keep-Alive\n>\n< HTTP/1.0 200 Connection established\n<\n* CONNECT phase completed\n* CONNECT tunnel established, response 200\n* ALPN: curl offers h2,http/1.1\n* TLSv1.3 (OUT), TLS handshake, Client hello (1):\n* Recv failure: Software caused connection abort\n*  CAfile: /etc/pki/tls/certs/ca-bundle.crt\n*  CApath: none\n* TLS connect error: error:00000000:lib(0)::reason(0)\n* OpenSSL SSL_connect: Software caused connection abort in connection to localhost:481\n* closing connection #0\ncurl: (35) Recv failure: Software caused connection abort',
     'proxy.upstream_failed'),  # https://github.com/3proxy/3proxy/issues/1145
    ('Error: SOCKS connection failed. Connection refused.\n     at Socket.socket.ondata (/home/apps/myapps/node_modules/socks5-http-client/node_modules/socks5-client/lib/socket.js:193:12)\n     at TCP.onread (net.js:527:27)',
     'proxy.upstream_failed'),  # https://github.com/mattcg/socks5-client/issues/6
    ('File "/home/kali/Downloads/CloudFail/socks.py", line 497, in _SOCKS5_request\nraise SOCKS5Error("{0:#04x}: {1}".format(status, error))\nsocks.SOCKS5Error: 0x01: General SOCKS server failure\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\nFile "/usr/local/lib/python3.11/dist-packages/urllib3/connection.py", line 158, in _new_conn\nconn = connection.create_connection(\nFile "/home/kali/Downloads/CloudFail/socks.py", line 754, in connect\nraise GeneralProxyError("Socket error", error)\nsocks.GeneralProxyError: Socket error: 0x01: General SOCKS server failure',
     'proxy.upstream_failed'),  # https://github.com/m0rtem/CloudFail/issues/101
    ('After starting bruteforce it tries 1 password and then error : 0x01 General SOCKS server failure',
     'proxy.upstream_failed'),  # https://github.com/complexpotato/Faitagram/issues/65
    ('The proxy tunnel request to proxy \'http://zproxy.lum-superproxy.io:22225/\' failed with status code \'407\'."',
     'proxy.auth_failed'),  # https://github.com/restsharp/RestSharp/issues/1741
    ('error:     [CredentialProvider]Failed to acquire session token: System.Net.Http.HttpRequestException: The proxy tunnel request to proxy \'http://web-proxy.snb.zz:8080/\' failed with status code \'407\'."\n\nerror:    at System.Net.Http.HttpConnectionPool.EstablishProxyTunnelAsync(Boolean async, HttpRequestHeaders headers, CancellationToken cancellationToken)',
     'proxy.auth_failed'),  # https://github.com/microsoft/artifacts-credprovider/issues/495
    ('java.io.IOException: Unable to tunnel through proxy. Proxy returns "HTTP/1.1 407 Proxy Authentication Required',
     'proxy.auth_failed'),  # https://github.com/kevinsawicki/http-request/issues/165
    ("error: Error: tunneling socket could not be established, cause=read ECONNRESET\n      at ClientRequest.onError (C:\\*****\\node_modules\\tunnel-agent\\index.js:177:17)\n      at Object.onceWrapper (events.js:422:26)\n      at ClientRequest.emit (events.js:315:20)\n      at Socket.socketErrorListener (_http_client.js:426:9) {\n    code: 'ECONNRESET'\n  },",
     'proxy.not_responding'),  # https://github.com/JimmyLaurent/cloudflare-scraper/issues/32
    ('{ Error: tunneling socket could not be established, statusCode=503\n    at ClientRequest.onConnect (D:\\projects\\test\\node_modules\\request\\node_modules\\tunnel-agent\\index.js:166:19)\n    at Object.onceWrapper (events.js:293:19)',
     'proxy.upstream_failed'),  # https://github.com/request/request/issues/2643
    ('info: Proxy for https://m.weibo.cn/api/container/getIndex?type=uid&value=2803301701\nerror: Request undefined fail, retry attempt #1: RequestError: tunneling socket could not be established, cause=read ECONNRESET',
     'proxy.not_responding'),  # https://github.com/DIYgod/RSSHub/issues/4471
    # --- A refusal or lookup failure that names the proxy (curl's exit 5, Go's proxyconnect, PySocks/aiohttp frames,
    # a loopback proxy port, Chromium's ERR_PROXY_CONNECTION_FAILED, VS Code's PAC agent) is the proxy
    ('curl: (7) Failed to connect to 127.0.0.1 port 7890: Connection refused',
     'proxy.unreachable'),  # https://github.com/VocabVictor/clash-for-AutoDL/issues/48
    ('curl -v --proxy proxy.local:8080 http://server.local\n* Could not resolve proxy: server.local\n* shutting down connection #0\ncurl: (5) Could not resolve proxy: server.local',
     'proxy.unreachable'),  # https://github.com/curl/curl/issues/17399
    ("Fatal error: Uncaught exception 'SSRS\\Soap\\Exception' with message 'CURL error: Could not resolve proxy: http=nebula' in C:\\xamppPHP5\\htdocs\\php-ssrs\\library\\SSRS\\Soap\\NTLM.php:165",
     'env.proxy_misconfigured'),  # https://github.com/ChartBlocks/php-ssrs/issues/29
    ('An error occurred in the request，Post "https://api.openai.com/v1/chat/completions": proxyconnect tcp: dial tcp 127.0.0.1:10809: connectex: No connection could be made because the target machine actively refused it.',
     'proxy.unreachable'),  # https://github.com/869413421/chatgpt-web/issues/35
    ('Traceback (most recent call last):\n  File "D:\\Python310\\lib\\site-packages\\aiohttp\\connector.py", line 986, in _wrap_create_connection\n    return await self._loop.create_connection(*args, **kwargs)  # type: ignore[return-value]  # noqa\n  File "D:\\Python310\\lib\\asyncio\\base_events.py", line 1076, in create_connection\n    raise exceptions[0]\n  File "D:\\Python310\\lib\\asyncio\\base_events.py", line 1060, in create_connection\n    sock = await self._connect_sock(\n  File "D:\\Python310\\lib\\asyncio\\base_events.py", line 969, in _connect_sock\n    await self.sock_connect(sock, address)\n  File "D:\\Python310\\lib\\asyncio\\selector_events.py", line 501, in sock_connect\n    return await fut\n  File "D:\\Python310\\lib\\asyncio\\selector_events.py", line 541, in _sock_connect_cb\n    raise OSError(err, f\'Connect call failed {address}\')\nConnectionRefusedError: [Errno 10061] Connect call failed (\'127.0.0.1\', 1080)',
     'proxy.unreachable'),  # https://github.com/synodriver/nonebot_plugin_picsearcher/issues/63
    ('[!] Tor proxy must be on port 9050 \n[+] Checking TOR... \nTraceback (most recent call last):\n  File "/usr/lib/python3/dist-packages/socks.py", line 787, in connect\n    super(socksocket, self).connect(proxy_addr)\nConnectionRefusedError: [Errno 111] Connection refused',
     'proxy.unreachable'),  # https://github.com/c4tcom/Katana/issues/23
    ('➜  ~ export http_proxy=http://127.0.0.1:1081;export https_proxy=http://127.0.0.1:1081;\n➜  ~ curl www.google.co.jp\ncurl: (7) Failed to connect to 127.0.0.1 port 1081: Connection refused',
     'proxy.unreachable'),  # https://github.com/JimLee1996/TrojanX/issues/46
    ('请求出错，,Post\n"https://api.open a i.com/v1/cha\nt/completions:proxy connect\ntcp:dial tcp:lookup\nhost.docker.internal on\n8.8.8.8:53:no such host',
     'proxy.unreachable'),  # https://github.com/slippersheepig/chatgpt-web/issues/13
    ('2025-06-16 14:52:22.390 [error] req<1070>: Request Finished with Error\t{"agent":"vscode","error":{"message":"Failed to establish a socket connection to proxies: PROXY 127.0.0.1:12334","stack":"Error: Failed to establish a socket connection to proxies: PROXY 127.0.0.1:12334\\n    at PacProxyAgent.<anonymous> (c:\\\\Users\\\\Nikita\\\\AppData\\\\Local\\\\Programs\\\\Microsoft VS Code\\\\resources\\\\app\\\\node_modules\\\\@vscode\\\\proxy-agent\\\\out\\\\agent.js:120:19)"},"protocol":"https","timeline":"start@0ms → error@6ms → close@6ms","url":"https://sourcegraph.com/.api/graphql?CurrentUserCodyProEnabled"}',
     'proxy.unreachable'),  # https://github.com/sourcegraph/cody/issues/8064
    ('VSCode get a net::ERR_PROXY_CONNECTION_FAILED',
     'proxy.unreachable'),  # https://github.com/microsoft/vscode/issues/179227
    ('{\n    "kind": "request_error",\n    "message": "Post \\"https://api.anthropic.com/v1/messages?beta=true\\": SOCKS5 connect: socks connect tcp 192.168.1.228:7890->api.anthropic.com:443: dial tcp 192.168.1.228:7890: connect: connection refused",\n    "platform": "anthropic",\n    "account_id": 4\n}',
     'proxy.unreachable'),  # https://github.com/Wei-Shaw/sub2api/issues/3814
    ('Error: tunneling socket could not be established, cause=connect EINVAL 0.0.31.144:80 - Local (0.0.0.0:0)',
     'env.proxy_misconfigured'),  # https://github.com/request/tunnel-agent/issues/39
    ("{ [Error: tunneling socket could not be established, cause=connect ETIMEDOUT xxx] code: 'ECONNRESET' }",
     'proxy.unreachable'),  # https://github.com/request/request/issues/2189
    # --- A proxy URL that does not fit the proxy (TLS spoken to a plain proxy)
    ('panic: Get https://baidu.com: proxyconnect tcp: tls: first record does not look like a TLS handshake',
     'proxy.protocol_mismatch'),  # https://github.com/snail007/goproxy/issues/259
    # --- curl and libcurl by exit code and wording: schannel, 28 vs 7, 35, 52, 60, 77
    ('*   Trying 188.114.96.3:443...\n  * Connected to jeroen.r-universe.dev (188.114.96.3) port 443\n  * schannel: disabled automatic use of client certificate\n  * Recv failure: Connection was reset\n  * schannel: failed to receive handshake, SSL/TLS connection failed\n  * Closing connection',
     'tls.handshake_reset'),  # https://github.com/curl/curl/issues/12112
    ('SSL connect error (schannel: failed to receive handshake, SSL/TLS connection failed)',
     'tls.handshake_reset'),  # https://github.com/2dust/clashN/issues/64
    ("fatal: unable to access 'https://github.com/mrusamamuzaffar/get_device_information.git/': schannel: failed to receive handshake, SSL/TLS connection failed",
     'tls.handshake_reset'),  # https://github.com/desktop/desktop/issues/15999
    ('curl: (35) schannel: AcquireCredentialsHandle failed: SEC_E_ALGORITHM_MISMATCH (0x80090331) - The client and server cannot communicate, because they do not possess a common algorithm.',
     'tls.protocol_mismatch'),  # https://github.com/thegoddambatman/diy-dogecoin-digger/issues/12
    ('curl https://closeai.deno.dev/v1/chat/completions\ncurl: (35) TCP connection reset by peer',
     'tls.handshake_reset'),  # https://github.com/justjavac/openai-proxy/issues/9
    ('[error: Failed to perform, curl: (35) Recv failure: Connection was reset. See https://curl.se/libcurl/c/libcurl-errors.html first for more details.]',
     'tls.handshake_reset'),  # https://github.com/sums001/Windows-Copilot-API/issues/32
    ('curl https://ollama.ai/install.sh | sh\n  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\ncurl: (60) SSL certificate problem: self-signed certificate in certificate chain\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it.',
     'tls.intercepted'),  # https://github.com/ollama/ollama/issues/1647
    ('curl: (60) SSL certificate problem: self-signed certificate in certificate chain\nMore details here: https://curl.se/docs/sslcerts.html\n\ncurl failed to verify the legitimacy of the server and therefore could not\nestablish a secure connection to it. To learn more about this situation and\nhow to fix it, please visit the web page mentioned above.\n\n我用的是内置证书',
     'tls.intercepted'),  # https://github.com/koalabearguo/php-proxy/issues/20
    ('curl: (60) SSL certificate problem: self signed certificate',
     'tls.self_signed'),  # https://github.com/StackStorm/st2docs/issues/1122
    ("Failed to perform, ErrCode: 77, Reason: 'error setting certificate verify locations:  CAfile: D:\\学习\\python\\爬虫\\venv\\lib\\site-packages\\curl_cffi\\cacert.pem CApath: none",
     'tls.ca_bundle_missing'),  # https://github.com/lexiforest/curl_cffi/issues/115
    ('cURL error 77: error setting certificate verify locations:\nCAfile: /usr/local/openssl/cert.pem\nCApath: none',
     'tls.ca_bundle_missing'),  # https://github.com/oneinstack/oneinstack/issues/246
    ('cURL error 77: error setting certificate verify locations:\nCAfile: C:\\Program Files (x86)\\Parallels\\Plesk\\Additional\\PHPSettings\\cacert.pem\nCApath: none (see http://curl.haxx.se/libcurl/c/libcurl-errors.html)',
     'tls.ca_bundle_missing'),  # https://github.com/mailgun/mailgun-php/issues/302
    ("Failed to perform, ErrCode: 35, Reason: 'BoringSSL SSL_connect: Connection was reset in connection to anthropic.com:443 '",
     'tls.handshake_reset'),  # https://github.com/wwwzhouhui/Claude2-PyAPI/issues/12
    # --- Node: fetch failed and its cause, FetchError reasons, undici codes, npm behind an inspecting proxy
    ("[TypeError: fetch failed] {\n  cause:  [Error: connect ECONNREFUSED 127.0.0.1:54321] {\n  errno: -111,\n  code: 'ECONNREFUSED',\n  syscall: 'connect',\n  address: '127.0.0.1',\n  port: 54321\n}\n}",
     'net.connect_refused'),  # https://github.com/The-Vibe-Company/quivr/issues/2351
    ("error - TypeError: fetch failed\n    at Object.fetch (node:internal/deps/undici/undici:11413:11)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)\n    at async fetcher (webpack-internal:///./lib/api.js:10:20) {\n  cause: Error: connect ECONNREFUSED ::1:1337\n      at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1494:16) {\n    errno: -4078,\n    code: 'ECONNREFUSED',\n    syscall: 'connect',\n    address: '::1',\n    port: 1337\n  }\n}",
     'net.connect_refused'),  # https://github.com/tpiros/jamstack-training-films-ui/issues/3
    ("TypeError: fetch failed\n    at Object.processResponse (node:internal/deps/undici/undici:6406:34)\n    at node:internal/deps/undici/undici:6727:42\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5) {\n  cause: Error: Client network socket disconnected before secure TLS connection was established\n      at connResetException (node:internal/errors:711:14)\n      at TLSSocket.onConnectEnd (node:_tls_wrap:1593:19)\n      at TLSSocket.emit (node:events:525:35)\n    code: 'ECONNRESET',\n    path: undefined,\n    host: 'api.openai.com',\n    port: 443,\n    localAddress: null\n  }\n}",
     'tls.handshake_reset'),  # https://github.com/waylaidwanderer/node-chatgpt-api/issues/376
    ('request to https://api.openai.com/v1/chat/completions failed, reason: Client network socket disconnected before secure TLS connection was established',
     'tls.handshake_reset'),  # https://github.com/Chanzhaoyu/chatgpt-web/issues/319
    ('{\n  "cause": {\n    "name": "ConnectTimeoutError",\n    "code": "UND_ERR_CONNECT_TIMEOUT",\n    "message": "Connect Timeout Error"\n  }\n}',
     'net.connect_timeout'),  # https://github.com/ChatGPTNextWeb/NextChat/issues/1713
    ('connect ETIMEDOUT 128.121.243.228:443',
     'net.connect_timeout'),  # https://github.com/philnash/asst/issues/1
    ("Failed to calculate number of tokens, falling back to approximate count TypeError: fetch failed\n    at Object.fetch (node:internal/deps/undici/undici:11372:11)\n    at process.processTicksAndRejections (node:internal/process/task_queues:95:5) {\n  cause: Error: certificate has expired\n      at TLSSocket.onConnectSecure (node:_tls_wrap:1600:34)\n      at TLSSocket.emit (node:events:517:28)\n      at TLSSocket._finishInit (node:_tls_wrap:1017:8)\n      at ssl.onhandshakedone (node:_tls_wrap:803:12) {\n    code: 'CERT_HAS_EXPIRED'\n  }\n}",
     'tls.expired'),  # https://github.com/lobehub/lobe-cli-toolbox/issues/45
    ("Error: certificate has expired\n    at TLSSocket.onConnectSecure (node:_tls_wrap:1679:34)\n    at TLSSocket.emit (node:events:507:28)\n    at TLSSocket._finishInit (node:_tls_wrap:1078:8)\n    at TLSWrap.ssl.onhandshakedone (node:_tls_wrap:864:12) {\n  code: 'CERT_HAS_EXPIRED'\n}\nFetchError: request to https://service.tunnelmole.com/tunnelmole-log-telemetry failed, reason: certificate has expired",
     'tls.expired'),  # https://github.com/robbie-cahill/tunnelmole-client/issues/77
    ('npm update -g\nnpm ERR! Linux 3.16.7-35-default\nnpm ERR! argv "/usr/local/bin/node" "/usr/local/bin/npm" "update" "-g"\nnpm ERR! node v4.4.2\nnpm ERR! npm  v2.15.0\nnpm ERR! code UNABLE_TO_GET_ISSUER_CERT_LOCALLY\n\nnpm ERR! unable to get local issuer certificate',
     'tls.intercepted'),  # https://github.com/nodejs/node/issues/3742
    ('$ npm install express@4 --save\nnpm ERR! Windows_NT 6.1.7601\nnpm ERR! node v4.4.4\nnpm ERR! npm  v2.15.1\nnpm ERR! code UNABLE_TO_GET_ISSUER_CERT_LOCALLY\n\nnpm ERR! unable to get local issuer certificate\nnpm ERR!\nnpm ERR! If you need help, you may report this error at:\nnpm ERR!     https://github.com/npm/npm/issues',
     'tls.intercepted'),  # https://github.com/npm/npm/issues/12701
    # --- Windows socket errors, also in a Chinese locale
    ('urllib.error.URLError: <urlopen error [WinError 10060] 由于连接方在一段时间后没有正确答复或连接的主机没有反应，连接尝试失败。>',
     'net.connect_timeout'),  # https://github.com/matterport/Mask_RCNN/issues/2996
    ('  File "C:\\Program Files\\Python39\\lib\\site-packages\\httpcore\\backends\\sync.py", line 57, in start_tls\n    sock = ssl_context.wrap_socket(\n  File "C:\\Program Files\\Python39\\lib\\ssl.py", line 501, in wrap_socket\n    return self.sslsocket_class._create(\n  File "C:\\Program Files\\Python39\\lib\\ssl.py", line 1041, in _create\n    self.do_handshake()\n  File "C:\\Program Files\\Python39\\lib\\ssl.py", line 1310, in do_handshake\n    self._sslobj.do_handshake()\nConnectionResetError: [WinError 10054] 远程主机强迫关闭了一个现有的连接。',
     'tls.handshake_reset'),  # https://github.com/acheong08/EdgeGPT/issues/140
    ('  File "D:\\python\\lib\\http\\client.py", line 1454, in connect\n    self.sock = self._context.wrap_socket(self.sock,\n  File "D:\\python\\lib\\ssl.py", line 513, in wrap_socket\n    return self.sslsocket_class._create(\n  File "D:\\python\\lib\\ssl.py", line 1071, in _create\n    self.do_handshake()\n  File "D:\\python\\lib\\ssl.py", line 1342, in do_handshake\n    self._sslobj.do_handshake()\nConnectionResetError: [WinError 10054] 远程主机强迫关闭了一个现有的连接。',
     'tls.handshake_reset'),  # https://github.com/terry3041/pyChatGPT/issues/47
    ('  File "D:\\00WS_GITLAB\\PYTHON\\llm-proxy\\.venv\\Lib\\site-packages\\httpx\\_transports\\default.py", line 83, in map_httpcore_exceptions\n    raise mapped_exc(message) from exc\nhttpx.ConnectError: [Errno 11001] getaddrinfo failed\nThe above exception was the direct cause of the following exception:\nTraceback (most recent call last):\n  File "D:\\00WS_GITLAB\\PYTHON\\llm-proxy\\.venv\\Lib\\site-packages\\litellm\\llms\\azure.py", line 325, in acompletion\n    response = await azure_client.chat.completions.create(',
     'dns.failure'),  # https://github.com/BerriAI/litellm/issues/1458
    ("requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.openai.com', port=443): Max retries exceeded with url: /v1/chat/completions (Caused by NewConnectionError('<urllib3.connection.HTTPSConnection object at 0x000001FC12BA9D90>: Failed to establish a new connection: [WinError 10051] 向一个无法连接的网络尝试了一个套接字操作。'))",
     'net.unreachable'),  # https://github.com/lss233/kirara-ai/issues/238
    ('Traceback (most recent call last):\n  File "run.py", line 189, in <module>\n  File "run.py", line 185, in main\n  File "run.py", line 132, in update_ip\n  File "run.py", line 103, in get_ip\n  File "util\\ip.py", line 32, in default_v6\nOSError: [WinError 10051] 向一个无法连接的网络尝试了一个套接字操作。\n[20232] Failed to execute script run',
     'net.unreachable'),  # https://github.com/NewFuture/DDNS/issues/123
    # --- TLS: rustls UnknownIssuer, Node/Go chains, hostname mismatch, a private server's own CA, named inspection CAs
    ('[ERROR] failed to fetch advisory database https://github.com/rustsec/advisory-db: An IO error occurred when talking to the server: error sending request for url (https://github.com/rustsec/advisory-db/info/refs?service=git-upload-pack): error trying to connect: invalid peer certificate: UnknownIssuer',
     'tls.intercepted'),  # https://github.com/EmbarkStudios/cargo-deny/issues/553
    ('x ERROR  Failed to fetch Bioconductor index\n  Network error: error sending request for url (https://bioconductor.org/packages/3.22/...)\n  client error (Connect)\n  invalid peer certificate: UnknownIssuer',
     'tls.intercepted'),  # https://github.com/nbafrank/uvr/issues/201
    ('❯ eilmeldung\nAttempting to login and synchronize...\nFailed to login: API error (invalid peer certificate: UnknownIssuer)',
     'tls.intercepted'),  # https://github.com/christo-auer/eilmeldung/issues/106
    ('2021-01-07T15:15:08.589Z error: self signed certificate in certificate chain\nError: self signed certificate in certificate chain\n    at TLSSocket.onConnectSecure (_tls_wrap.js:1484:34)\n    at TLSSocket.emit (events.js:310:20)\n    at TLSSocket._finishInit (_tls_wrap.js:927:8)\n    at TLSWrap.ssl.onhandshakedone (_tls_wrap.js:697:12)',
     'tls.intercepted'),  # https://github.com/oliverschwendener/ueli/issues/619
    ("SSLError: HTTPSConnectionPool(host='10.1.111.244', port=443): Max retries exceeded with url: /zosmf/restfiles/ds?dslevel=PKMO.IN.SALES.ADJ.%2A (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate in\ncertificate chain (_ssl.c:1000)')))",
     'tls.self_signed'),  # https://github.com/zowe/zowe-client-python-sdk/issues/349
    ('[AnyProxy ERROR][2017-08-26 00:10:20]: Error: Hostname/IP doesn\'t match certificate\'s altnames: "IP: 121.**.**.1** is not in the cert\'s list: "\nError: Hostname/IP doesn\'t match certificate\'s altnames: "IP: 121.**.**.1**  is not in the cert\'s list: "\n    at Object.checkServerIdentity (tls.js:199:17)\n    at TLSSocket.<anonymous> (_tls_wrap.js:1098:29)',
     'tls.hostname_mismatch'),  # https://github.com/alibaba/anyproxy/issues/246
    ("[ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: IP: 8.209.82.158 is not in the cert's list: \n    at Object.checkServerIdentity (tls.js:297:12)\n    at TLSSocket.onConnectSecure (_tls_wrap.js:1507:27)\n    at TLSSocket.emit (events.js:315:20)",
     'tls.hostname_mismatch'),  # https://github.com/emqx/MQTTX/issues/1456
    ("Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: Host: localhost. is not in the cert's altnames: DNS:www.bitmex.com, DNS:www2.bitmex.com, DNS:bitmex.com",
     'tls.hostname_mismatch'),  # https://github.com/BitMEX/bitmex-local-proxy/issues/3
    ('when i make https request with proxy, i got this error `self signed certificate in certificate chain`',
     'tls.intercepted'),  # https://github.com/TooTallNate/node-proxy-agent/issues/79
    ('pull model manifest: Get "https://registry.ollama.ai/v2/library/mixtral/manifests/latest": tls: failed to verify certificate: x509: certificate signed by unknown authority\n\nis this good ?\n\nopenssl s_client -connect ollama.ai:443 </dev/null 2>/dev/null\nCONNECTED(00000003)\n---\nCertificate chain\n 0 s:C = US, ST = California, L = San Francisco, O = "Cisco Systems, Inc.", CN = ollama.ai\n   i:O = Cisco, CN = Cisco Umbrella Secondary SubCA mad1-SG',
     'tls.intercepted'),  # https://github.com/ollama/ollama/issues/1798
    # --- Other transport texts: NSS resets, macOS resolver errno 8, Windows' English texts
    ('An error occurred during a connection to api.openai.com.  TCP connection reset by peer Error code: PR CONNECT RESET ERROR.',
     'tls.handshake_reset'),  # https://github.com/MuiseDestiny/zotero-gpt/issues/191
    ("   1346         h.request(req.get_method(), req.selector, req.data, headers,\n   1347                   encode_chunked=req.has_header('Transfer-encoding'))\n   1348     except OSError as err: # timeout error\n-> 1349         raise URLError(err)\n   1350     r = h.getresponse()\n   1351 except:\n\nURLError: <urlopen error [Errno 8] nodename nor servname provided, or not known>",
     'dns.failure'),  # https://github.com/acheong08/ChatGPT/issues/611
    ('ERROR MESSAGE: [Errno 8] nodename nor servname provided, or not known',
     'dns.failure'),  # https://github.com/Zero6992/chatGPT-discord-bot/issues/352
    ("Error: ConnectionError: HTTPConnectionPool(host='affinitysutton.com', port=80): Max retries exceeded with url: / (Caused by <class 'socket.error'>: [Errno 10061] No connection could be made because the target machine actively refused it)",
     'net.connect_refused'),  # https://github.com/wummel/linkchecker/issues/487
    # --- Go and Rust clients
    ('Post "https://api.openai.com/v1/chat/completions": dial tcp 31.13.75.12:443: i/o timeout',
     'net.connect_timeout'),  # https://github.com/tmc/langchaingo/issues/550
    # --- A traceback ended by Ctrl-C names the step that hung
    ('  File "/home/spirillen/.local/lib/python3.10/site-packages/socks.py", line 276, in _readall\n    d = file.read(count - len(data))\n  File "/usr/lib/python3.10/socket.py", line 705, in readinto\n    return self._sock.recv_into(b)\nKeyboardInterrupt',
     'proxy.socks_handshake_hang'),  # https://github.com/funilrys/PyFunceble/issues/316
    ('^CTraceback (most recent call last):\n  File "/usr/local/lib/python3.6/dist-packages/requests/packages/urllib3/connectionpool.py\n", line 379, in _make_request\n    httplib_response = conn.getresponse(buffering=True)\nTypeError: getresponse() got an unexpected keyword argument \'buffering\'\n\nDuring handling of the above exception, another exception occurred:\n\nTraceback (most recent call last):\n  File "/home/devilfromir/code/src/utilities/deckdl/ddtokenizer.py", line 63, in <module>\n    ip = anon.IP()\n  File "/home/devilfromir/code/src/utilities/deckdl/anon.py", line 37, in check\n    res = req.get(\'http://www.icanhazip.com\', headers=headerGen(\'\'))',
     'net.read_timeout'),  # https://github.com/psf/requests/issues/3353
]


@pytest.mark.parametrize(("text", "cause"), CASES)
def test_transport_texts_read_right(text: str, cause: str) -> None:
    result = explain(text)
    got = reading(result)
    assert got == cause, [(c.id, c.confidence) for c in result.causes[:3]]


AMBIGUOUS = [
    # Claude Code's sentence for any self-signed chain: a VPN's root in anthropics/claude-code#26897, nothing
    # confirmed on a home network in #74369 (tests/test_explain_tls_family.py)
    '"Unable to connect to API: Self-signed certificate detected. Check your proxy or corporate SSL certificates"',
    # curl's "Connection timed out after N milliseconds" is its connect phase, TCP or the TLS handshake alike
    # (lib/multi.c: MSTATE_CONNECTING; a silent TLS port prints it too): the text cannot tell which
    'returned: 28 - Connection timed out after 3248 milliseconds\nreturned: 28 - Connection timed out after 3247 milliseconds\nreturned: 28 - Connection timed out after 3247 milliseconds',  # https://github.com/curl/curl/issues/3602
    'curl: (52) Empty reply from server',  # https://github.com/TyrantLucifer/ssr-command-client/issues/21
    '测试\n  ⎿  API Error (Connection error.) · Retrying in 1 seconds… (attempt 1/10)\n    ⎿  TypeError (fetch failed)',  # https://github.com/SSYCloud/claude-code-proxy-ssy/issues/1
    '# assistant:\nStream Error: Connection error.\nError: Connection error.\n    at Anthropic.makeRequest (/home/jeanluc/.local/share/nvim/lazy/magenta.nvim/node_modules/@anthropic-ai/sdk/src/core.ts:479:13)\nStopped (end_turn) [input: 0, output: 0]',  # https://github.com/dlants/magenta.nvim/issues/56
    'stream disconnected before completion: error sending request for url (https://chatgpt.com/backend-api/codex/responses)',  # https://github.com/openai/codex/issues/13811
    'AbortError: Proxy response !== 200 when HTTP Tunneling\n    at Client.connect (C:\\Users\\Owner\\Documents\\node-projects\\test\\node_modules\\undici\\lib\\proxy-agent.js:103:22)\n    at processTicksAndRejections (node:internal/process/task_queues:95:5)',  # https://github.com/noahcoolboy/funcaptcha/issues/45
    'Error: net::ERR_TUNNEL_CONNECTION_FAILED',  # https://github.com/electron/electron/issues/24948
    'litellm.APIError: APIError: OpenAIException - Connection error.\nRetrying in 0.2 seconds...\nlitellm.APIError: APIError: OpenAIException - Connection error.\nRetrying in 0.5 seconds...\nlitellm.APIError: APIError: OpenAIException - Connection error.',  # https://github.com/Aider-AI/aider/issues/2812
]


@pytest.mark.parametrize("text", AMBIGUOUS)
def test_texts_that_do_not_name_their_cause_are_not_given_a_verdict(text: str) -> None:
    result = explain(text)
    assert result.ambiguous and not result.recognised
    assert len(result.causes) >= 2 and all(c.id for c in result.causes)


def test_an_ambiguous_transport_text_exits_1_and_says_it_does_not_tell() -> None:
    guard = str(Path(__file__).parent / "guard")
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "PYTHONPATH": guard, "NO_COLOR": "1"}
    for text in AMBIGUOUS:
        result = subprocess.run([sys.executable, "-m", "llmdoctor", "explain", "--json", text], capture_output=True,
                                env=env, timeout=60)
        data = json.loads(result.stdout)
        assert result.returncode == 1 and data["ambiguous"] is True and data["recognised"] is False, text


# Each client's own wording for the same failure, from its source (the module docstring of
# llmdoctor/signatures/clients.py names the files): the class is read, not the one string.
WORDINGS = [
    # undici ProxyAgent / EnvHttpProxyAgent: the CONNECT status in brackets
    ("TypeError: fetch failed\n  [cause]: RequestAbortedError [AbortError]: Proxy response (407) !== 200 when HTTP "
     "Tunneling", "proxy.auth_failed"),
    ("Proxy response (403) !== 200 when HTTP Tunneling", "proxy.blocked"),
    ("Proxy response (502) !== 200 when HTTP Tunneling", "proxy.upstream_failed"),
    # Go net/http returns a CONNECT answer's status text as the error
    ('Post "https://api.openai.com/v1/chat/completions": Proxy Authentication Required', "proxy.auth_failed"),
    ('Post "https://api.openai.com/v1/chat/completions": proxyconnect tcp: dial tcp 127.0.0.1:7890: connect: '
     "connection refused", "proxy.unreachable"),
    ('Post "https://api.openai.com/v1/chat/completions": proxyconnect tcp: tls: first record does not look like a '
     "TLS handshake", "proxy.protocol_mismatch"),
    # a SOCKS reply code: the proxy could not reach the API (python-socks, node socks, PySocks)
    ("python_socks._errors.ProxyError: Connection refused by destination host", "proxy.upstream_failed"),
    ("SocksClientError: Socks5 proxy rejected connection - ConnectionRefused", "proxy.upstream_failed"),
    ("socks.SOCKS5Error: 0x02: Connection not allowed by ruleset", "proxy.blocked"),
    # urllib3 1.26's own words for an https:// proxy URL at a plain-HTTP proxy
    ("ProxyError('Your proxy appears to only use HTTP and not HTTPS, try changing your proxy URL to be HTTP. See: "
     "https://urllib3.readthedocs.io/en/1.26.x/advanced-usage.html#https-proxy-error-http-proxy', "
     "SSLError(SSLError(1, '[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1131)')))",
     "proxy.protocol_mismatch"),
    # curl exit codes: 5 (the proxy's name), 77 (CA file), 28 after connecting, 7 with "timed out"
    ("curl: (5) Could not resolve proxy: proxy.corp.example", "proxy.unreachable"),
    ("curl: (77) error setting certificate verify locations:  CAfile: /etc/ssl/certs/ca-certificates.crt",
     "tls.ca_bundle_missing"),
    ("curl: (28) Operation timed out after 30001 milliseconds with 0 bytes received", "net.read_timeout"),
    ("curl: (7) Failed to connect to api.openai.com port 443 after 21046 ms: Timed out", "net.connect_timeout"),
    # Windows schannel and NSS constants
    ("curl: (60) schannel: SEC_E_UNTRUSTED_ROOT (0x80090325) - The certificate chain was issued by an authority "
     "that is not trusted.", "tls.intercepted"),
    ("curl: (35) schannel: next InitializeSecurityContext failed: SEC_E_WRONG_PRINCIPAL (0x80090322) - The target "
     "principal name is incorrect.", "tls.hostname_mismatch"),
    ("Error code: MOZILLA_PKIX_ERROR_MITM_DETECTED", "tls.intercepted"),
    # rustls by CertificateError name; an inspection product named in the chain
    ("error sending request for url (https://api.anthropic.com/v1/messages): client error (Connect): invalid peer "
     "certificate: NotValidForName", "tls.hostname_mismatch"),
    ("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate; issuer: "
     "CN=Zscaler Intermediate Root CA", "tls.intercepted"),
    # Windows' English texts and Rust's "(os error N)"
    ("connectex: A connection attempt failed because the connected party did not properly respond after a period "
     "of time, or established connection failed because connected host has failed to respond.",
     "net.connect_timeout"),
    ("tcp connect error: No connection could be made because the target machine actively refused it. "
     "(os error 10061)", "net.connect_refused"),
]


@pytest.mark.parametrize(("text", "cause"), WORDINGS)
def test_each_clients_wording_of_a_class_reads_the_same(text: str, cause: str) -> None:
    result = explain(text)
    assert not result.ambiguous and result.causes and result.causes[0].id == cause, \
        [(c.id, c.confidence) for c in result.causes[:3]]


def test_a_reply_from_the_socks_proxy_is_not_the_proxy_refusing_us() -> None:
    """"Connection refused" inside a SOCKS reply is the API refusing the proxy: not net.connect_refused, and not
    proxy.unreachable (the proxy answered)."""
    result = explain("Error: SOCKS connection failed. Connection refused.")
    ids = [c.id for c in result.causes]
    assert ids[0] == "proxy.upstream_failed"


# Chromium's net errors as Electron apps print them, and .NET's tunnel status (wordings from their sources:
# net/base/net_error_list.h, System.Net.Http's SR.net_http_proxy_tunnel_returned_failure_status_code)
CHROMIUM_AND_DOTNET = [
    ("Error: net::ERR_PROXY_CONNECTION_FAILED", "proxy.unreachable"),
    ("net::ERR_CERT_COMMON_NAME_INVALID", "tls.hostname_mismatch"),
    ("net::ERR_NAME_NOT_RESOLVED", "dns.failure"),
    ("System.Net.Http.HttpRequestException: The proxy tunnel request to proxy 'http://proxy:3128/' failed with "
     "status code '502'.", "proxy.upstream_failed"),
]


@pytest.mark.parametrize(("text", "cause"), CHROMIUM_AND_DOTNET)
def test_chromium_and_dotnet_wordings(text: str, cause: str) -> None:
    result = explain(text)
    assert not result.ambiguous and result.causes[0].id == cause, [(c.id, c.confidence) for c in result.causes[:3]]


def test_a_tunnel_chromium_could_not_open_is_not_given_a_verdict() -> None:
    result = explain("Error: net::ERR_TUNNEL_CONNECTION_FAILED")
    assert result.ambiguous and {c.id for c in result.causes} >= {"proxy.auth_failed", "proxy.blocked"}


def test_a_pasted_transcripts_proxy_credentials_are_not_echoed() -> None:
    """curl -v prints the Proxy-Authorization header it sent; explain quotes lines back, never that value."""
    transcript = ("> CONNECT api.openai.com:443 HTTP/1.1\n> Proxy-Authorization: Basic dXNlcjpodW50ZXIy\n"
                  "> Authorization: Bearer abc.def-Secret\n< HTTP/1.1 401 Unauthorized\n")
    guard = str(Path(__file__).parent / "guard")
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "PYTHONPATH": guard, "NO_COLOR": "1"}
    for args in (["-"], ["--json", "-"]):
        result = subprocess.run([sys.executable, "-m", "llmdoctor", "explain", *args], input=transcript.encode(),
                                capture_output=True, env=env, timeout=60)
        out = result.stdout + result.stderr
        assert result.returncode == 1 and b"proxy.auth_failed" in out
        assert b"dXNlcjpodW50ZXIy" not in out and b"abc.def-Secret" not in out
