"""What tells the candidates of an undecided error apart: the sign to look for, or what a live run sees.

When a pasted text does not name its cause (`Connection error.` alone, a reset with no step, a
bare 429), explain lists the candidates with one line each: the evidence that would confirm it.
"""

from __future__ import annotations

TELLS: dict[str, tuple[str, str]] = {
    "net.connect_timeout": ("a ConnectTimeout / ETIMEDOUT / WinError 10060 further up the traceback; the live tcp "
                            "check times the connect", "完整堆栈里更早的 ConnectTimeout / ETIMEDOUT / WinError 10060；"
                            "实时运行的 tcp 检查会测量连接耗时"),
    "net.read_timeout": ("a ReadTimeout, or an answer that starts but never finishes; the live completion check "
                         "measures the first byte", "ReadTimeout，或回答开始了却没结束；实时运行会测量首字节时间"),
    "proxy.unreachable": ("a proxy address (127.0.0.1:7890, HTTPS_PROXY) in the error or the environment; the live "
                          "proxy check connects to it", "错误或环境变量里出现代理地址（127.0.0.1:7890、HTTPS_PROXY）；"
                          "实时运行的 proxy 检查会连接它"),
    "dns.failure": ("getaddrinfo failed / ENOTFOUND / Name or service not known in the full error; the live dns "
                    "check resolves the host",
                    "完整错误里的 getaddrinfo failed / ENOTFOUND；实时运行的 dns 检查会解析主机名"),
    "tls.verify_failed": ("CERTIFICATE_VERIFY_FAILED or a certificate message in the full error; the live tls check "
                          "reads the certificate chain", "完整错误里的 CERTIFICATE_VERIFY_FAILED 或证书信息；"
                          "实时运行的 tls 检查会读取证书链"),
    "tls.handshake_reset": ("the reset happens in the TLS handshake (ssl.py do_handshake, before secure TLS "
                            "connection); the live tls check handshakes", "重置发生在 TLS 握手中（do_handshake）；"
                            "实时运行的 tls 检查会握手"),
    "proxy.not_responding": ("the reset or silence comes from a local proxy port; the live proxy check asks it for a "
                             "tunnel", "重置或无响应来自本地代理端口；实时运行的 proxy 检查会请求隧道"),
    "net.stream_stalled": ("the answer had started streaming before it stopped; the live completion check streams "
                           "a short answer", "回答已经开始流式输出后才中断；实时运行会流式请求一个短回答"),
    "ratelimit.exceeded": ("the body names a rate limit (rate_limit_exceeded, RPM/TPM) or a Retry-After header",
                           "响应体提到速率限制（rate_limit_exceeded、RPM/TPM）或带 Retry-After 头"),
    "quota.insufficient": ("the body names quota or billing (insufficient_quota, 余额不足); the console's usage page",
                           "响应体提到额度或账单（insufficient_quota、余额不足）；控制台用量页"),
    "auth.permission_denied": ("the body names a permission or a model the key may not use",
                               "响应体提到权限或该密钥不能用的模型"),
    "auth.region_blocked": ("the body names a country or region; the same key works from another network",
                            "响应体提到国家或地区；同一密钥换网络可用"),
    "proxy.blocked": ("the 403 comes from the proxy (a Via or Proxy-Agent header, an HTML page by the proxy)",
                      "403 来自代理（Via / Proxy-Agent 头，代理生成的 HTML 页面）"),
    "server.overloaded": ("the body says overloaded or busy", "响应体说明服务过载或繁忙"),
    "server.error": ("a 500 from the API itself with a request id", "来自 API 本身并带请求 ID 的 500"),
    "gateway.error": ("an HTML page by a relay, Cloudflare or a load balancer",
                      "中转、Cloudflare 或负载均衡返回的 HTML 页面"),
    "proxy.auth_failed": ("a 407 or a login error from the proxy", "代理返回 407 或登录错误"),
    "proxy.upstream_failed": ("a 502/503/504 from the proxy to its CONNECT", "代理对 CONNECT 回 502/503/504"),
    "auth.invalid_key": ("the handshake's 401/403 body names the key", "握手返回的 401/403 响应体提到密钥"),
    "tls.clock_skew": ("the system clock is off (a signed request's timestamp is rejected)",
                       "系统时钟不准（签名请求的时间戳被拒绝）"),
    # a 400 whose body was not pasted (issue 16: requests' "Bad Request for url")
    "request.invalid": ("the body names a parameter or a field (invalid_request_error, param); print "
                        "response.text instead of calling raise_for_status()",
                        "响应体提到某个参数或字段（invalid_request_error、param）；"
                        "打印 response.text 而不是 raise_for_status()"),
    "request.too_large": ("the body names the context length or a token count (context_length_exceeded)",
                          "响应体提到上下文长度或 token 数（context_length_exceeded）"),
    "net.client_timeout_too_short": ("the client's own timeout or abort signal (timeout=, AbortSignal.timeout) is "
                                     "shorter than the model takes to answer",
                                     "客户端自己的超时或中止信号（timeout=、AbortSignal.timeout）比模型回答所需时间短"),
    # candidates of the texts clients print in fault runs (benchmarks/corpus_faults.py)
    "net.tls_timeout": ("the TLS handshake named in the error (do_handshake, \"handshake operation timed out\", curl's "
                        "\"SSL connection timeout\"); the live tls check times the handshake",
                        "错误里点名 TLS 握手（do_handshake、handshake operation timed out、SSL connection timeout）；"
                        "实时运行的 tls 检查会测量握手耗时"),
    "server.protocol_error": ("the answer had started and was cut short (\"incomplete\", \"bytes remaining\"); the "
                              "live completion check reads a whole answer",
                              "回答已经开始却被截断（incomplete、bytes remaining）；实时运行会读取完整回答"),
    "tls.protocol_mismatch": ("an http:// URL for an https port or the reverse (wrong version number, a 400 page "
                              "about plain HTTP); the live tls check speaks TLS to the port",
                              "http:// 与 https:// 用反了（wrong version number、关于 plain HTTP 的 400 页面）；"
                              "实时运行的 tls 检查会对该端口做 TLS 握手"),
    "model.not_found": ("the body names the model (model_not_found, \"does not exist\"); the live models check lists "
                        "what the key can use", "响应体点名模型（model_not_found、does not exist）；实时运行的 models "
                        "检查会列出该密钥可用的模型"),
    "config.base_url_invalid": ("the called URL lacks or doubles /v1, or a web server's own 404 page answered; the "
                                "live endpoint check reads the base URL",
                                "调用的 URL 少了或多了 /v1，或回答的是 Web 服务器自己的 404 页面；"
                                "实时运行的 endpoint 检查会检查 base URL"),
    # the causes an either-or message leaves open (signatures/frameworks.EITHER)
    "auth.wrong_endpoint": ("the same key works against its own resource's endpoint (the Azure portal's Keys and "
                            "Endpoint page shows both); the live auth check calls the endpoint you configured",
                            "同一密钥在它所属资源的端点上可用（Azure 门户的“密钥和终结点”页面"
                            "同时列出两者）；实时运行的 auth 检查会调用你配置的端点"),
    # "x-api-key header is required" and its kin (explain/nokey.py): the key empty, or sent as a Bearer token
    "auth.wrong_header": ("the key variable is set and the client sends it as Authorization: Bearer (an OpenAI-style "
                          "client, gateway or proxy) where the API reads x-api-key or api-key",
                          "密钥变量已设置，但客户端（OpenAI 风格的客户端、网关或代理）把它放在 Authorization: Bearer "
                          "里发送，而该 API 读取的是 x-api-key 或 api-key"),
    "config.key_malformed": ("the key's prefix and length do not match what the provider issues (sk-… for OpenAI "
                             "and DeepSeek); compare its first characters and length, not its value, with the console",
                             "密钥的前缀和长度与服务商发放的不一致（OpenAI、DeepSeek 为 sk-…）；"
                             "只比较前几个字符和长度，不要打印完整值"),
    "config.missing_key": ("the key variable is empty or unset where the program runs (echo its length, not its "
                           "value); the live key check reads it",
                           "程序运行处的密钥变量为空或未设置（只看长度，不要打印值）；实时运行的 key 检查会读取它"),
}

# An unknown issuer (verify code 20, Go's "unknown authority", Node's UNABLE_TO_GET_ISSUER_CERT_LOCALLY): what tells
# its three usual causes apart (`signatures.trust`).
TELLS.update({
    "tls.intercepted": ("the issuer the server presents names your company or a security product: openssl s_client "
                        "-connect HOST:443 -showcerts </dev/null | grep 'i:'; the live tls check reads it",
                        "服务器出示的证书签发者是你的公司或某个安全产品：openssl s_client -connect HOST:443 -showcerts "
                        "</dev/null | grep 'i:'；实时运行的 tls 检查会读取它"),
    "tls.unknown_ca": ("the issuer is a public CA (then the bundle is outdated or an intermediate is missing) or the "
                       "server's own private CA",
                       "签发者是公共 CA（则证书包过旧或缺少中间证书），或者是服务器自己的私有 CA"),
    "tls.ca_bundle_missing": ("the program has no CA file at all: a container image without ca-certificates, "
                              "python.org's macOS Python before Install Certificates.command, PHP without "
                              "curl.cainfo; every HTTPS site fails the same way",
                              "程序根本没有 CA 文件：没装 ca-certificates 的容器镜像、"
                              "未运行 Install Certificates.command 的 python.org macOS 版 Python、"
                              "未设置 curl.cainfo 的 PHP；所有 HTTPS 网站都同样失败"),
    "tls.expired": ("openssl s_client -connect HOST:443 </dev/null | openssl x509 -noout -dates shows notAfter "
                    "in the past while the clock is right",
                    "openssl s_client -connect HOST:443 </dev/null | openssl x509 -noout -dates 显示 notAfter "
                    "已过，而系统时钟正确"),
    "tls.hostname_mismatch": ("the certificate's names (subjectAltName) do not include the host you called",
                              "证书的名称（subjectAltName）不包含你访问的主机名"),
})

# A local resource the client's own machine ran out of (WSAEADDRINUSE at connect: no free local port), or a local
# server's port it could not listen on (a socket error from bind(): in use, or reserved on Windows)
TELLS.update({
    "net.error": ("netstat -ano shows thousands of connections in TIME_WAIT from the program (a new client per "
                  "request), or, for an error from bind(), which program holds the port (netsh interface ipv4 show "
                  "excludedportrange protocol=tcp lists the ports Windows reserves); the live tcp check connects once",
                  "netstat -ano 显示该程序有成千上万个 TIME_WAIT 连接（每次请求都新建客户端）；若错误来自 bind()，"
                  "它显示哪个程序占用了该端口（netsh interface ipv4 show excludedportrange protocol=tcp 列出 Windows "
                  "保留的端口）；实时运行的 tcp 检查只连接一次"),
})

RUN_HINT = {
    "en": "this text alone does not tell; run `llmdoctor` where the call fails",
    "zh": "仅凭这段文字无法判断；请在调用失败的那台机器上运行 `llmdoctor`",
}


def tells(cause: str, lang: str) -> str:
    text = TELLS.get(cause)
    if not text:
        return ""
    return text[1] if lang == "zh" else text[0]
