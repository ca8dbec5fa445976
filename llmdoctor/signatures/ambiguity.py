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
    "net.client_timeout_too_short": ("the client's own timeout or abort signal (timeout=, AbortSignal.timeout) is "
                                     "shorter than the model takes to answer",
                                     "客户端自己的超时或中止信号（timeout=、AbortSignal.timeout）比模型回答所需时间短"),
    # the causes an either-or message leaves open (signatures/frameworks.EITHER)
    "auth.wrong_endpoint": ("the same key works against its own resource's endpoint (the Azure portal's Keys and "
                            "Endpoint page shows both); the live auth check calls the endpoint you configured",
                            "同一密钥在它所属资源的端点上可用（Azure 门户的“密钥和终结点”页面"
                            "同时列出两者）；实时运行的 auth 检查会调用你配置的端点"),
    "config.missing_key": ("the key variable is empty or unset where the program runs (echo its length, not its "
                           "value); the live key check reads it",
                           "程序运行处的密钥变量为空或未设置（只看长度，不要打印值）；实时运行的 key 检查会读取它"),
}

RUN_HINT = {
    "en": "this text alone does not tell; run `llmdoctor` where the call fails",
    "zh": "仅凭这段文字无法判断；请在调用失败的那台机器上运行 `llmdoctor`",
}


def tells(cause: str, lang: str) -> str:
    text = TELLS.get(cause)
    if not text:
        return ""
    return text[1] if lang == "zh" else text[0]
