"""Chinese for what the checks say: their summaries and finding messages, translated by pattern.

Why patterns, not translated checks: a check's English text is its contract (tests, the JSON, bug
reports grep it), and a plug-in knows nothing of languages. The report for `--lang zh` passes every
summary and message through this table before the diagnosis quotes them, so the check lines, the
evidence and the verdict's second half are Chinese. What the table does not know stays English: the
measured values (hosts, ports, the server's own words) are kept as they are in every template.
A check's hint goes through `hint_zh`: translated, kept when it is a bare command, or dropped so that the
cause's own Chinese fix steps lead. tests/e2e/zhscan.py finds what is left: every e2e scenario runs with
--lang zh and fails on a line a user reads that is still an English sentence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

# Each (pattern, template): the pattern must match the whole text; the template is str.format'ed with
# its named groups, each of which is translated again (so "blocked by" inside a longer text works).
_TABLE: tuple[tuple[str, str], ...] = (
    # --- the runner and skips ---
    (r"blocked by (?P<check>[a-z0-9-]+)", "因 {check} 检查失败而跳过"),
    (r"opt-in: enable with (?P<flag>--[a-z-]+)", "需主动开启：加上 {flag}"),
    (r"no request got far enough to be timed(?P<rest>.*)", "没有请求走到可以计时的阶段{rest}"),
    (r"no API answer to read \(the auth check got none\)", "没有可读取的 API 响应（auth 检查没有拿到响应）"),
    (r"(?P<who>.+) sent no rate-limit headers in (?P<n>\d+) answer\(s\)", "{who} 在 {n} 个响应中都没有返回限流头"),
    (r"direct connection; no proxy applies", "直连：没有适用的代理"),
    (r"direct connection; no proxy applies \(NO_PROXY entry (?P<entry>.+) covers (?P<host>.+)\)",
     "直连：没有适用的代理（NO_PROXY 条目 {entry} 覆盖了 {host}）"),
    (r"plain http:// base URL: no TLS on this path", "base URL 是明文 http://：这条路径上没有 TLS"),
    (r"the base URL cannot be parsed", "base URL 无法解析"),
    (r"the auth check did not get a model list", "auth 检查没有拿到模型列表"),
    (r"no key, and a local server \((?P<host>.+)\) such as Ollama, LM Studio, vLLM or llama\.cpp needs none",
     "没有密钥；本地服务（{host}，如 Ollama、LM Studio、vLLM、llama.cpp）不需要密钥"),
    (r"(?P<who>.+) needs no key", "{who} 不需要密钥"),
    # --- passes ---
    (r"(?P<url>\S+) \((?P<source>[^()]+)\)", "{url}（来自 {source}）"),
    (r"(?P<addr>\S+) is an IP address: no DNS needed", "{addr} 是 IP 地址：不需要 DNS 解析"),
    (r"(?P<host>\S+) is pinned to (?P<addr>\S+) by --resolve: no lookup needed",
     "{host} 已通过 --resolve 固定为 {addr}：不需要解析"),
    (r"httpx: direct; requests: direct; curl: direct", "httpx、requests、curl：均为直连"),
    (r"(?P<key>\S+) from (?P<source>\S+), (?P<n>\d+) characters", "{key}，来自 {source}，共 {n} 个字符"),
    (r"(?P<addr>\S+) in (?P<ms>[\d.]+) ms", "{addr}，用时 {ms} 毫秒"),
    (r"(?P<who>.+) accepted the key \((?P<header>[^)]+)\); (?P<n>\d+) models listed",
     "{who} 接受了密钥（{header}）；列出了 {n} 个模型"),
    (r"(?P<who>.+) answered without a key; (?P<n>\d+) models listed", "{who} 无需密钥即响应；列出了 {n} 个模型"),
    (r"(?P<model>\S+) is listed \((?P<n>\d+) models\)", "{model} 在模型列表中（共 {n} 个模型）"),
    (r"TLSv(?P<v>[\d.]+), certificate for (?P<host>\S+) from (?P<issuer>.+) verified \((?P<store>[^)]+)\) "
     r"in (?P<ms>[\d.]+) ms", "TLSv{v}，{host} 的证书（签发者 {issuer}）验证通过（{store}），用时 {ms} 毫秒"),
    (r"(?P<n>\d+) models listed", "列出了 {n} 个模型"),
    (r"no model configured \((?P<how>[^)]*)\)", "没有配置模型（{how}）"),
    (r"no model configured \((?P<how>[^)]*)\) \(relays often return a fixed list, or every model of every "
     r"channel, whatever the key may use\)",
     "没有配置模型（{how}）（中转站常常返回固定列表，或所有渠道的全部模型，不论该密钥能否使用）"),
    (r"(?P<phases>(?:dns|connect|tls|first byte|first token|transfer) [\d.]+ ms(?:, (?:dns|connect|tls|first byte|"
     r"first token|transfer) [\d.]+ ms)*)", "{phases}"),
    (r"total (?P<ms>[\d.]+) ms \((?P<what>auth|completion) request\)", "总计 {ms} 毫秒（{what} 请求）"),
    (r"with the SDK defaults \(connect (?P<c>[\d.]+) s, read (?P<r>[\d.]+) s, (?P<n>\d+) retries\) a silent "
     r"server makes a call wait up to (?P<wait>.+)",
     "按 SDK 的默认设置（连接 {c} 秒、读取 {r} 秒、重试 {n} 次），一个不响应的服务器会让一次调用最多等待 {wait}"),
    # --- configuration ---
    (r"no API key found for (?P<who>.+) \((?P<names>.+) is not set\)", "没有找到 {who} 的 API 密钥（未设置 {names}）"),
    (r"the key looks like a placeholder \((?P<n>\d+) characters\)", "密钥看起来是占位符（{n} 个字符）"),
    (r"the key has a trailing newline", "密钥末尾带有换行符"),
    (r"the key has leading or trailing whitespace", "密钥首尾带有空白字符"),
    (r"the key contains non-ASCII or invisible characters .*",
     "密钥中含有非 ASCII 字符或不可见字符（常见于聊天软件里的全角字符或零宽空格）"),
    (r"(?P<var>\S+) is set but (?P<what>empty|whitespace only)(?P<where> in \.env)?: the (?P<sdk>\w+) SDK then "
     r"uses it as the base URL instead of its default, and every call fails with APIConnectionError",
     "{var}{where}已设置但值为空：{sdk} SDK 会把它当作 base URL 而不是使用默认地址，"
     "每次调用都会以 APIConnectionError 失败"),
    (r"the base URL ends in /(?P<op>\S+): the SDK appends that itself, so the request goes to …/(?P<again>.+)",
     "base URL 以 /{op} 结尾：SDK 会自己再加一次，请求会发到 …/{again}"),
    # --- proxy ---
    (r"the proxy (?P<url>\S+) \((?P<source>[^)]+)\) is not listening: nothing accepts connections on (?P<addr>\S+)",
     "代理 {url}（来自 {source}）没有在监听：{addr} 上没有程序接受连接"),
    (r"the proxy (?P<url>\S+) refused the connection: nothing listens on (?P<addr>\S+) "
     r"\(is the proxy program running\?\)",
     "代理 {url} 拒绝连接：{addr} 上没有程序在监听（代理程序启动了吗？）"),
    (r"the proxy rejected the credentials in the proxy URL \((?P<status>[^)]+)\)(?P<rest>.*)",
     "代理拒绝了代理 URL 中的用户名或密码（{status}）{rest}"),
    (r" \(some proxies, tinyproxy among them, answer a wrong password with 401\)",
     "（有些代理，例如 tinyproxy，会用 401 回应错误的密码）"),
    (r"the proxy requires credentials and the proxy URL has none \((?P<status>[^)]+)\)",
     "代理需要认证，但代理 URL 中没有用户名和密码（{status}）"),
    (r"the request to the local gateway (?P<host>\S+) \((?P<target>[^)]+)\) goes to the proxy (?P<url>\S+): "
     r"NO_PROXY does not list it", "发往本地网关 {host}（{target}）的请求会走代理 {url}：NO_PROXY 中没有列出它"),
    (r"the proxy could not reach (?P<addr>\S+) \((?P<status>[^)]+)\)", "代理无法连接到 {addr}（{status}）"),
    (r"the proxy refuses to open a tunnel to (?P<addr>\S+) \((?P<status>[^)]+)\)",
     "代理拒绝建立到 {addr} 的隧道（{status}）"),
    (r"the SOCKS5 proxy at (?P<addr>\S+) rejected the user name or password in the proxy URL",
     "SOCKS5 代理 {addr} 拒绝了代理 URL 中的用户名或密码"),
    (r"the proxy at (?P<addr>\S+) accepted the TCP connection but did not answer the CONNECT request within "
     r"(?P<s>[\d.]+) s", "代理 {addr} 接受了 TCP 连接，但在 {s} 秒内没有响应 CONNECT 请求"),
    (r"(?P<var>[A-Za-z_]+) uses socks5://: httpx sends the host name to the proxy anyway, but curl and requests "
     r"resolve it locally first \(DNS leaks, poisoned answers\)",
     "{var} 使用 socks5://：httpx 总会把主机名交给代理解析，但 curl 和 requests 会先在本地解析"
     "（DNS 泄漏、被污染的应答）"),
    (r"a proxy is listening on (?P<addr>\S+) \((?P<what>.+)\), but no variable points to it: requests go direct",
     "{addr} 上有代理在监听（{what}），但没有任何变量指向它：请求会直连"),
    (r"(?P<var>[A-Za-z_]+)=(?P<value>\S+) has no scheme; httpx, requests and curl assume http://",
     "{var}={value} 没有写协议头；httpx、requests 和 curl 都会按 http:// 处理"),
    (r"NO_PROXY entry (?P<entry>\S+) sends (?P<host>\S+) direct although a proxy is configured",
     "NO_PROXY 条目 {entry} 让 {host} 直连，尽管配置了代理"),
    (r"(?P<client>httpx|requests|curl): via (?P<url>\S+) \((?P<source>[^)]+)\)", "{client}：经由 {url}（{source}）"),
    (r"(?P<client>httpx|requests|curl): direct", "{client}：直连"),
    (r"(?P<client>requests|curl): same", "{client}：同上"),
    # --- TCP / DNS / TLS ---
    (r"TCP to (?P<addr>\S+) failed on every address: (?P<detail>.+)",
     "到 {addr} 的 TCP 连接在所有地址上都失败了：{detail}"),
    (r"(?P<addr>\S+) refused", "{addr} 拒绝连接"),
    (r"(?P<addr>\S+) timeout", "{addr} 连接超时"),
    (r"(?P<host>\S+) cannot be resolved by the system resolver: the name does not exist \(NXDOMAIN\)",
     "系统解析器无法解析 {host}：该域名不存在（NXDOMAIN）"),
    (r"(?P<host>\S+) cannot be resolved by the system resolver: no DNS server answered in time",
     "系统解析器无法解析 {host}：没有 DNS 服务器及时响应"),
    (r"(?P<host>\S+) cannot be resolved by the system resolver: temporary failure in name resolution .*",
     "系统解析器无法解析 {host}：域名解析暂时失败（SERVFAIL、REFUSED 或没有响应）"),
    # the dns check's additions after "; " (checks/dns.py)
    (r"your proxy resolves names, so the SDK does not need local DNS", "你的代理会替 SDK 解析域名，SDK 不需要本地 DNS"),
    (r"(?P<resolver>[^;]+?) resolves it \((?P<addrs>[^)]*)\)", "{resolver} 能解析它（{addrs}）"),
    (r"(?P<host>\S+) -> (?P<addrs>[^(]+?) in (?P<ms>[\d.]+) ms \(the proxy resolves names for the SDK\)",
     "{host} -> {addrs}，用时 {ms} ms（代理会替 SDK 解析域名）"),
    (r"TLS certificate rejected: (?P<why>.+)", "TLS 证书被拒绝：{why}"),
    (r"the TLS handshake got no answer within (?P<s>[\d.]+) s", "TLS 握手在 {s} 秒内没有得到响应"),
    (r"the connection was reset by the peer or something in between", "连接被对端或中间设备重置"),
    # --- the API's answer ---
    (r"(?P<req>(?:GET|POST) \S+(?: \(model [^)]*\))?:? )?the connection was made but no answer came in time",
     "{req}连接已建立，但没有及时收到响应"),
    (r"(?P<req>(?:GET|POST) \S+(?: \(model [^)]*\))?:? )?The server answered HTTP (?P<code>\d+) \((?P<kind>[^)]*)\): "
     r"(?P<said>.*)", "{req}服务器返回 HTTP {code}（{kind}）：{said}"),
    (r"(?P<host>\S+) answered (?P<code>\d+): this server wants a key, and none is configured",
     "{host} 返回 {code}：这个服务需要密钥，但没有配置"),
    # --- the checks' hints that carry a measured value (the others give way to the cause's zh steps) ---
    (r"(?P<value>\S+) -m pip install socksio +\(the interpreter your code runs in\)\.",
     "{value} -m pip install socksio  （在你的代码实际运行的解释器中安装）"),
    (r"Add it to NO_PROXY — (?P<value>.+)", "把它加入 NO_PROXY — {value}"),
    (r"If the API is only reachable through it: (?P<value>.+)", "如果只能通过它访问 API：{value}"),
    (r"Put (?:the credentials|them) into the proxy URL: (?P<url>\S+)", "把用户名和密码写进代理 URL：{url}"),
    (r"Use (?P<url>socks5h://\S+) so every client lets the proxy resolve names\.",
     "改用 {url}，让所有客户端都由代理解析域名。"),
    (r"Use (?P<url>\S+) — the scheme is the proxy's protocol, even in HTTPS_PROXY\.",
     "改用 {url} — 协议头表示代理本身的协议，即使在 HTTPS_PROXY 中也是如此。"),
    (r"Use (?P<url>\S+) \(Clash and v2rayN speak SOCKS5 on their socks port\)\.",
     "改用 {url}（Clash 和 v2rayN 在其 socks 端口上使用 SOCKS5）。"),
    (r"Use (?P<url>\S+) \(and pip install 'httpx\[socks\]'\)\.", "改用 {url}（并执行 pip install 'httpx[socks]'）。"),
    (r"Use https:// in the base URL \((?P<url>\S+)\)\.", "在 base URL 中使用 https://（{url}）。"),
    (r"Write it in full: (?P<url>\S+) \(or socks5h://… for a SOCKS port\)\.",
     "写完整：{url}（SOCKS 端口则写 socks5h://…）。"),
    (r"Check the proxy URL's scheme; try (?P<url>\S+)\.", "检查代理 URL 的协议头；试试 {url}。"),
    (r"Nothing listens on (?P<addr>\S+): check the port in the base URL, and that the server is running \(a local "
     r"model server: start it, e\.g\. `ollama serve`\)\.",
     "{addr} 上没有程序在监听：检查 base URL 中的端口，以及服务是否已启动（本地模型服务请先启动，"
     "例如 `ollama serve`）。"),
    (r"Packets to (?P<addr>\S+) are dropped \(a firewall, or a blocked region\): use a proxy that can reach it "
     r"\(set HTTPS_PROXY=(?P<url>\S+) for a local one\) or a VPN\.",
     "发往 {addr} 的数据包被丢弃（防火墙或被封锁的地区）："
     "使用能访问它的代理（本地代理请设置 HTTPS_PROXY={url}）或 VPN。"),
    (r"This machine has no route to (?P<addr>\S+): check the network connection, VPN, or IPv6 setup\.",
     "本机没有到 {addr} 的路由：检查网络连接、VPN 或 IPv6 设置。"),
    (r"Start the proxy app so that it listens on (?P<addr>\S+); for a direct connection, unset (?P<var>\S+) — "
     r"(?P<cmd>.+)", "启动代理软件，让它监听 {addr}；如要直连，取消 {var}：{cmd}"),
    (r"Start the proxy app so that it listens on (?P<addr>\S+), or change the proxy setting to where it listens\.",
     "启动代理软件，让它监听 {addr}；或者把代理设置改成它实际监听的地址。"),
    (r"Start your proxy program so that it listens on (?P<addr>\S+) \(Clash listens on 127\.0\.0\.1:7890, v2rayN on "
     r"127\.0\.0\.1:10808\), or fix the port in the proxy variable; or unset the proxy variables \(or pass "
     r"--no-proxy\) if you want a direct connection\.",
     "启动代理程序，让它监听 {addr}（Clash 监听 127.0.0.1:7890，v2rayN 监听 127.0.0.1:10808），或改正代理变量中的端口；"
     "如果想直连，请取消设置代理变量（或加上 --no-proxy）。"),
    (r"Remove '(?P<entry>[^']+)' from NO_PROXY if (?P<host>\S+) is only reachable through the proxy\.",
     "如果 {host} 只能通过代理访问，请把 '{entry}' 从 NO_PROXY 中删除。"),
    (r"If the call fails at (?P<addr>\S+): check /etc/hosts for (?P<host>\S+), compare (?P<value>`[^`]+`) with "
     r"--dns-server 1\.1\.1\.1, or use a proxy that resolves names \(socks5h://\)\.",
     "如果调用在 {addr} 失败：检查 /etc/hosts 中的 {host}，把 {value} 与 --dns-server 1.1.1.1 的结果对比，"
     "或使用由代理解析域名的代理（socks5h://）。"),
    # --- configuration, keys, TLS stores, timing, the runner's cut-offs ---
    (r"this looks like a key for (?P<who>.+?) \((?P<key>\S+)\) but it is sent to (?P<value>.+?) \((?P<url>\S+)\)",
     "这看起来是 {who} 的密钥（{key}），却被发往 {value}（{url}）"),
    (r"(?P<who>.+?) keys start with (?P<value>.+?); this one does not, so it may be a relay's key sent to the "
     r"official (?P<host>\S+)", "{who} 的密钥以 {value} 开头；这个密钥不是，可能是中转站的密钥被发往了官方的 {host}"),
    (r"the key is only (?P<n>\d+) characters long", "密钥只有 {n} 个字符"),
    (r"(?P<var>\S+) is used, but (?P<value>.+?) is set too: the SDK sends both headers and the server may pick the "
     r"other one", "使用的是 {var}，但 {value} 也已设置：SDK 会同时发送两个请求头，服务器可能采用另一个"),
    (r"(?P<var>\S+) in \.env differs from the shell's (?P<again>\S+); the shell's value is used here \(python-dotenv "
     r"does not override by default\)", "{var} 在 .env 中的值与 shell 中的 {again} 不同；这里使用 shell 中的值"
     "（python-dotenv 默认不覆盖已有变量）"),
    (r"cannot read (?P<value>\S+): (?P<said>[^;]+); its values were not used",
     "无法读取 {value}：{said}；其中的值没有被使用"),
    (r"(?P<var>'\S+') in the (?P<where>environment|\.env file) is not read by any SDK or client \(openai < 1\.0 and "
     r"some LangChain versions read it; the openai >= 1 SDK does not\); did you mean (?P<again>\S+)\?",
     "{where}中的 {var} 不会被任何 SDK 或客户端读取（openai < 1.0 和部分 LangChain 版本会读取；"
     "openai >= 1 的 SDK 不会）；"
     "你是想用 {again} 吗？"),
    (r"environment", "环境变量"),
    (r"\.env file", " .env 文件"),
    (r"the base URL is plain http:// to (?P<host>\S+): the key would travel unencrypted",
     "base URL 是到 {host} 的明文 http://：密钥会以未加密的形式传输"),
    (r"the base URL is plain http:// to (?P<host>\S+): llmdoctor will not send the key unencrypted across the "
     r"network", "base URL 是到 {host} 的明文 http://：llmdoctor 不会把密钥以未加密的形式发到网络上"),
    (r"(?P<sdk>\S+) (?P<v>\S+) \(in (?P<value>\S+)\) passes proxies= to httpx, which httpx (?P<again>\S+) removed: "
     r"every client raises (?P<said>.+)",
     "{value} 中的 {sdk} {v} 会向 httpx 传入 proxies=，而 httpx {again} 已删除该参数："
     "每个客户端都会抛出 {said}"),
    (r"(?P<var>SSL_CERT_FILE|REQUESTS_CA_BUNDLE) points at (?P<value>\S+), which is not a file(?P<rest>.*)",
     "{var} 指向 {value}，但那不是一个文件{rest}"),
    (r": httpx raises FileNotFoundError before it connects", "：httpx 在连接前就会抛出 FileNotFoundError"),
    (r"REQUESTS_CA_BUNDLE is set but SSL_CERT_FILE is not: requests reads it, httpx \(under the OpenAI and Anthropic "
     r"SDKs\) ignores it", "设置了 REQUESTS_CA_BUNDLE 但没有设置 SSL_CERT_FILE：requests 会读取它，"
     "httpx（OpenAI 和 Anthropic SDK 的底层）会忽略它"),
    (r"the operating system's store trusts this certificate but httpx's \((?P<value>[^)]+)\) does not: httpx never "
     r"reads the OS store",
     "操作系统的证书库信任这张证书，但 httpx 的（{value}）不信任：httpx 从不读取操作系统的证书库"),
    (r"the local clock is (?P<n>[\d.]+) h (?P<way>behind|ahead of) the server's \((?P<value>[^)]+)\), so a valid "
     r"certificate looks (?P<state>\w+)", "本机时钟比服务器（{value}）{way} {n} 小时，所以一张有效的证书看起来{state}"),
    (r"behind", "慢"),
    (r"ahead of", "快"),
    (r"expired", "已过期"),
    (r"not_yet_valid", "尚未生效"),
    (r"the server's certificate is not yet valid \((?P<said>[^)]+)\); it is valid from (?P<value>\S+)",
     "服务器的证书尚未生效（{said}）；生效时间为 {value}"),
    (r"the certificate is not valid for this (?P<thing>host name|IP address) \((?P<said>.+)\); it names (?P<value>.+), "
     r"not (?P<host>\S+)", "证书对这个{thing}无效（{said}）；证书上写的是 {value}，而不是 {host}"),
    (r"host name", "主机名"),
    (r"IP address", " IP 地址"),
    (r"the peer did not speak TLS \(WRONG_VERSION_NUMBER\): a plain-HTTP port, or an http:// proxy given as "
     r"https://",
     "对端说的不是 TLS（WRONG_VERSION_NUMBER）：这是一个明文 HTTP 端口，或者把 http:// 代理写成了 https://"),
    (r"the connection was closed during the TLS handshake \(EOF\), typical of an SNI filter or a proxy that could "
     r"not reach the host", "连接在 TLS 握手期间被关闭（EOF），常见于 SNI 过滤，或代理无法连接到目标主机"),
    (r"(?P<host>\S+) has IPv6 addresses but IPv6 connects fail \((?P<what>\w+)\) while IPv4 works: the SDK tries "
     r"IPv6 first and waits for it to fail on every new connection",
     "{host} 有 IPv6 地址，但 IPv6 连接失败（{what}），而 IPv4 正常：SDK 每次新建连接都会先尝试 IPv6 并等它失败"),
    (r"(?P<host>\S+) resolves to (?P<addr>.+?), in 198\.18\.0\.0/15: the fake-IP range of Clash/Mihomo/Surge TUN "
     r"mode", "{host} 解析到 {addr}，位于 198.18.0.0/15：这是 Clash/Mihomo/Surge TUN 模式的 fake-IP 地址段"),
    (r"(?P<host>\S+) resolves to (?P<addr>.+?), which is not a public address \(loopback, private, shared or "
     r"reserved\): the answer DNS filters \(Pi-hole, AdGuard, a router's blocklist\) give for a blocked name",
     "{host} 解析到 {addr}，这不是公网地址（回环、私有、共享或保留地址）：这是 DNS 过滤"
     "（Pi-hole、AdGuard、路由器的黑名单）对被拦截域名给出的应答"),
    (r"(?P<host>\S+) resolves to (?P<addr>\S+), and the server there presents a certificate for (?P<value>\S+): the "
     r"DNS answer \(poisoned, or a portal's\) sends you to another server",
     "{host} 解析到 {addr}，而那里的服务器出示的是 {value} 的证书：DNS 应答（被污染，"
     "或来自认证门户）把你引到了另一台服务器"),
    (r"DNS servers of the system \(resolv\.conf\) cannot resolve (?P<host>\S+): (?P<why>.+); the system resolver can "
     r"\(a hosts-file entry, or another NSS source\)", "系统配置的 DNS 服务器（resolv.conf）无法解析 {host}：{why}；"
     "系统解析器可以解析（hosts 文件条目或其他 NSS 来源）"),
    (r"no DNS server answered in time", "没有 DNS 服务器及时响应"),
    (r"the name does not exist \(NXDOMAIN\)", "该域名不存在（NXDOMAIN）"),
    (r"your client's timeout \((?P<s>[^)]+)\) is shorter than the measured time to first byte \((?P<ms>[^)]+)\)",
     "你的客户端超时（{s}）比实测的首字节时间（{ms}）还短"),
    (r"the (?P<what>auth|completion) request connected but got no answer within (?P<s>\S+) s \(--timeout\)",
     "{what} 请求已连接，但在 {s} 秒内没有收到响应（--timeout）"),
    (r"(?P<req>(?:GET|POST) \S+(?: \(model [^)]*\))?): the stream arrived all at once: (?P<why>.+)",
     "{req}：流式响应一次性全部到达：{why}"),
    (r"the event stream came with a content-length, so it was assembled before it was sent",
     "事件流带有 content-length，说明它在发送前已被整体拼装"),
    (r"(?P<req>(?:GET|POST) \S+(?: \(model [^)]*\))?): the stream stopped after (?P<n>\d+) events and (?P<ms>\d+) "
     r"ms, then (?P<why>.+)", "{req}：流式响应在 {n} 个事件、{ms} 毫秒后停止，随后{why}"),
    (r"the connection was made but no answer came in time", "连接已建立，但没有及时收到响应"),
    (r"the (?P<check>[a-z-]+) check was still waiting for (?P<why>.+) when its time ran out \((?P<s>[^)]+)\)",
     "{check} 检查在时间用完（{s}）时仍在等待{why}"),
    (r"did not finish within (?P<s>\S+ s): still waiting for (?P<why>.+)", "未能在 {s} 内完成：仍在等待{why}"),
    (r"the proxy's reply \((?P<url>\S+)\) to CONNECT (?P<addr>\S+)", "代理（{url}）对 CONNECT {addr} 的回应"),
    (r"connection refused by the target \(reply (?P<code>0x\w+)\)", "目标拒绝连接（应答 {code}）"),
    (r"(?P<n>\d+) of (?P<c>\d+) requests left, resets in (?P<s>\S+ m?s)", "剩余请求 {n}/{c}，{s} 后重置"),
    (r"(?P<n>\d+) of (?P<c>\d+) tokens left, resets in (?P<s>\S+ m?s) \(from the completion answer\): a 429 now would "
     r"be a burst or a quota problem, not this window's limit",
     "剩余 token {n}/{c}，{s} 后重置（来自 completion 响应）：此时出现 429 应是突发或额度问题，而不是这个窗口的限额"),
    # --- relay families' own hints (llmdoctor/data/providers.json) ---
    (r"(?P<who>One API|New API) knows only the tokens it issued itself \(console → 令牌 / Tokens\): use one of "
     r"those in (?P<var>\S+), not a provider's key, and check that the token is enabled, not expired and has quota\.",
     "{who} 只认它自己签发的令牌（控制台 → 令牌）：在 {var} 中使用其中一个令牌，而不是服务商的密钥，"
     "并确认该令牌已启用、未过期且有额度。"),
    (r"The (?P<who>One API|New API) token or its user has no quota left \(额度\): top up in the relay's console or "
     r"ask its operator; waiting does not help\.",
     "{who} 令牌或其所属用户的额度已用完：在中转站控制台充值或联系运营者；等待无济于事。"),
    (r"No channel of this (?P<who>One API|New API) group serves the model \(无可用渠道\): pick a model the relay "
     r"lists, or ask the operator to add a channel for it\.",
     "这个 {who} 分组中没有渠道提供该模型（无可用渠道）：换用中转站列出的模型，或请运营者为它添加渠道。"),
    (r"The relay accepted your token; the key of the channel that serves this model was refused by its upstream "
     r"\(or the channel has no usable key left\)\. Tell the relay's operator: in the console's Channels page, test "
     r"that channel and replace its key\. Meanwhile use another model the relay lists\.",
     "中转站接受了你的令牌，但提供该模型的渠道的密钥被上游拒绝（或该渠道已没有可用密钥）。请告诉中转站运营者："
     "在控制台的渠道页面测试该渠道并更换密钥。在此期间请使用中转站列出的其他模型。"),
    (r"The relay could not get a usable answer from the channel's upstream \(it timed out, failed or answered "
     r"badly\): retry later, or try another model or group; the operator can see the channel's error in the "
     r"relay's logs\.", "中转站没能从渠道的上游得到可用的响应（超时、失败或响应异常）：稍后重试，或换一个模型或分组；"
     "运营者可以在中转站日志中看到该渠道的错误。"),
    # --- the env view: what each client does, and how each NO_PROXY entry matches ---
    (r"trusts (?P<value>SSL_CERT_FILE=\S+|SSL_CERT_DIR=\S+|/\S+)(?P<rest>.*)", "信任 {value}{rest}"),
    (r" \(REQUESTS_CA_BUNDLE is ignored\)", "（REQUESTS_CA_BUNDLE 被忽略）"),
    (r" \(REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE\)", "（REQUESTS_CA_BUNDLE/CURL_CA_BUNDLE）"),
    (r"trusts certifi's bundle", "信任 certifi 的证书包"),
    (r"trusts its built-in CA bundle", "信任它内置的 CA 证书包"),
    (r"trusts the system store \(truststore\)", "信任系统证书库（truststore）"),
    (r"trusts bundled Mozilla CAs(?P<value>(?: \+ NODE_EXTRA_CA_CERTS=\S+)?)(?P<sys>(?: \+ the system store)?)"
     r"(?P<rest>(?: \(SSL_CERT_FILE is ignored\))?)", "信任内置的 Mozilla CA{value}{sys}{rest}"),
    (r" \+ the system store", " + 系统证书库"),
    (r" \(SSL_CERT_FILE is ignored\)", "（SSL_CERT_FILE 被忽略）"),
    (r"trusts OpenSSL's store \(SSL_CERT_FILE/SSL_CERT_DIR\)", "信任 OpenSSL 的证书库（SSL_CERT_FILE/SSL_CERT_DIR）"),
    (r"certificate verification OFF \(NODE_TLS_REJECT_UNAUTHORIZED=0\)",
     "证书验证已关闭（NODE_TLS_REJECT_UNAUTHORIZED=0）"),
    (r"no curl on PATH \(curl 8\.0 rules\)", "PATH 中没有 curl（按 curl 8.0 的规则）"),
    (r"no proxy variable", "没有代理变量"),
    (r"NODE_USE_ENV_PROXY/--use-env-proxy is on", "NODE_USE_ENV_PROXY/--use-env-proxy 已开启"),
    (r"ignores HTTP\(S\)_PROXY: set NODE_USE_ENV_PROXY=1", "忽略 HTTP(S)_PROXY：请设置 NODE_USE_ENV_PROXY=1"),
    (r"ignores HTTP\(S\)_PROXY and Node (?P<v>\S+) has no NODE_USE_ENV_PROXY \(needs >= 22\.21 or >= 24\): the app "
     r"must pass a dispatcher \(undici ProxyAgent\)",
     "忽略 HTTP(S)_PROXY，且 Node {v} 不支持 NODE_USE_ENV_PROXY（需要 >= 22.21 或 >= 24）：应用必须自己传入 dispatcher"
     "（undici ProxyAgent）"),
    (r"what fetch does once NODE_USE_ENV_PROXY=1 is set", "设置 NODE_USE_ENV_PROXY=1 之后 fetch 的行为"),
    (r"global fetch, as above \(openai v4 / old @anthropic-ai/sdk: only an httpAgent proxies\)",
     "使用全局 fetch，同上（openai v4 / 旧版 @anthropic-ai/sdk：只有 httpAgent 才走代理）"),
    (r"reads no variable: only the URL the app passes; NO_PROXY is not applied",
     "不读取任何变量：只用应用传入的 URL；不应用 NO_PROXY"),
    (r"GLOBAL_AGENT_\* variables, after require\('global-agent/bootstrap'\); http/https modules only, not fetch",
     "GLOBAL_AGENT_* 变量，需先 require('global-agent/bootstrap')；只作用于 http/https 模块，不作用于 fetch"),
    (r"remove it from NODE_OPTIONS", "把它从 NODE_OPTIONS 中删除"),
    (r"Bun reads HTTP_PROXY/HTTPS_PROXY/NO_PROXY itself \(NO_PROXY matching as modelled for undici; Bun's own "
     r"matcher may differ in corner cases\)",
     "Bun 自己读取 HTTP_PROXY/HTTPS_PROXY/NO_PROXY（NO_PROXY 匹配按 undici 的规则建模；"
     "Bun 自己的匹配在边缘情况下可能不同）"),
    (r"documented rules \((?P<value>golang\.org/x/net/http/httpproxy)\); trusts the system store and SSL_CERT_FILE",
     "按文档规则（{value}）；信任系统证书库和 SSL_CERT_FILE"),
    (r"documented rules \(reqwest Proxy::system\); rustls \+ webpki roots \(e\.g\. Codex CLI\) ignore the system "
     r"store and SSL_CERT_FILE", "按文档规则（reqwest Proxy::system）；rustls + webpki 根证书（例如 Codex CLI）"
     "会忽略系统证书库和 SSL_CERT_FILE"),
    (r"a proxy variable is set, but Node (?P<v>\S+)'s fetch \(and the openai / anthropic Node SDKs, Claude Code's or "
     r"Gemini CLI's own fetch aside\) ignores it and connects directly",
     "设置了代理变量，但 Node {v} 的 fetch（以及 openai / anthropic 的 Node SDK；"
     "Claude Code 和 Gemini CLI 自带的 fetch 除外）"
     "会忽略它并直接连接"),
    (r"matches (?P<host>\S+) only \(not (?P<value>[^)]+)\)", "只匹配 {host}（不匹配 {value}）"),
    (r"matches (?P<host>\S+) and its subdomains", "匹配 {host} 及其子域名"),
    (r"matches (?P<host>\S+) and its subdomains \(before 2\.34 any host ending in (?P<value>'[^']+'), e\.g\. "
     r"(?P<again>\S+)\)", "匹配 {host} 及其子域名（2.34 之前：任何以 {value} 结尾的主机，例如 {again}）"),
    (r"matches subdomains of (?P<host>\S+) only, not (?P<again>\S+) itself",
     "只匹配 {host} 的子域名，不匹配 {again} 本身"),
    (r"matches (?P<entry>\S+) only \(not other names or addresses of the same host\)",
     "只匹配 {entry}（不匹配同一主机的其他名字或地址）"),
    (r"matches (?P<entry>\S+) only with that port in the URL", "只在 URL 带有该端口时匹配 {entry}"),
    (r"matches when the URL has that explicit port", "URL 显式带有该端口时匹配"),
    (r"matches only (?P<entry>\S+) \(scheme-specific\)", "只匹配 {entry}（区分协议）"),
    (r"never matches", "从不匹配"),
    (r"never matches \((?P<why>[^)]+)\)", "从不匹配（{why}）"),
    (r"no wildcards", "不支持通配符"),
    (r"no ports", "不支持端口"),
    (r"IPv6 entries are compared as text", "IPv6 条目按文本比较"),
    (r"CIDR match for IPv4 URLs", "对 IPv4 URL 按 CIDR 匹配"),
    (r"CIDR match since (?P<v>\S+); never before", "自 {v} 起按 CIDR 匹配；之前从不匹配"),
    (r"CIDR match from (?P<v>\S+); before, compared as text \(never matches a range\)",
     "自 {v} 起按 CIDR 匹配；之前按文本比较（从不匹配地址段）"),
    (r"httpx 0\.28 never matches it \(no CIDR\); httpx2 matches the range (?P<entry>\S+)",
     "httpx 0.28 从不匹配它（不支持 CIDR）；httpx2 匹配地址段 {entry}"),
    (r"httpx2 \(openai >= 3, anthropic >= 2\) matches subdomains of (?P<host>\S+); httpx 0\.28 never matches it",
     "httpx2（openai >= 3，anthropic >= 2）匹配 {host} 的子域名；httpx 0.28 从不匹配它"),
    (r"(?P<var>[A-Za-z_]+) entry (?P<entry>'[^']+'): only httpx2 \(openai >= 3, anthropic >= 2\) understands "
     r"'\*\.'; httpx 0\.28, requests and curl never match it",
     "{var} 条目 {entry}：只有 httpx2（openai >= 3，anthropic >= 2）理解 '*.'；"
     "httpx 0.28、requests 和 curl 都不会匹配它"),
    (r"Write (?P<entry>\S+) \(a leading dot works for every client\)\.",
     "改写为 {entry}（开头的点对所有客户端都有效）。"),
    (r"(?P<var>[A-Za-z_]+) entry (?P<entry>'[^']+') is a CIDR range: httpx 0\.28 does not match ranges \(IPv6 ones "
     r"make it fail\); httpx2, requests \(IPv4\) and curl 7\.86\+ do",
     "{var} 条目 {entry} 是一个 CIDR 地址段：httpx 0.28 不匹配地址段（IPv6 地址段还会让它出错）；"
     "httpx2、requests（IPv4）和 curl 7.86+ 会匹配"),
    (r"For httpx list the addresses you need \(e\.g\. (?P<value>[^)]+)\)\.",
     "对 httpx，请逐个列出需要的地址（例如 {value}）。"),
    (r"llmdoctor's own: no --python, virtual environment or project environment found",
     "llmdoctor 自己的解释器：没有 --python，也没有找到虚拟环境或项目环境"),
    (r"(?P<name>\.venv|venv|\.env|env) in (?P<value>\S+)", "{value} 中的 {name}"),
    (r"the probe did not finish in (?P<s>\S+) s", "探测未能在 {s} 秒内完成"),
    (r"cannot run it: (?P<said>.+)", "无法运行它：{said}"),
    (r"the probe failed \(exit (?P<code>\d+)\): (?P<said>.*)", "探测失败（退出码 {code}）：{said}"),
    (r"the run's deadline \((?P<s>\S+) s\) passed", "本次运行的截止时间（{s} 秒）已过"),
    (r"The error says: (?P<said>.+)", "错误信息：{said}"),
    (r"The server answered HTTP (?P<code>\d+): (?P<said>.+)", "服务器返回 HTTP {code}：{said}"),
    # a pasted error without a status (Zhipu's {"error": {"code": "1302", ...}}, Qianfan SDK's "code: 336006")
    (r"The server answered an error \((?P<kind>[^)]*)\): (?P<said>.+)", "服务器返回错误（{kind}）：{said}"),
    (r"The server answered an error: (?P<said>.+)", "服务器返回错误：{said}"),
    (r"The server answered HTTP (?P<code>\d+); the answer could not be read\.",
     "服务器返回 HTTP {code}；无法读取响应内容。"),
    # --- more proxy texts (issue 15.5: every line a Chinese reader sees) ---
    (r"(?P<kind>HTTP|SOCKS5) CONNECT to (?P<addr>\S+) through (?P<url>\S+) \((?P<source>[^)]+)\), login accepted; "
     r"the proxy resolves the host name", "经由 {url}（{source}）{kind} CONNECT 到 {addr}，认证通过；主机名由代理解析"),
    (r"(?P<kind>HTTP|SOCKS5) CONNECT to (?P<addr>\S+) through (?P<url>\S+) \((?P<source>[^)]+)\); "
     r"the proxy resolves the host name", "经由 {url}（{source}）{kind} CONNECT 到 {addr}；主机名由代理解析"),
    (r"proxy (?P<addr>\S+) in (?P<ms>[\d.]+) ms; the proxy connects to (?P<host>\S+) \(tunnel checked by the proxy "
     r"check\)", "代理 {addr}，用时 {ms} 毫秒；由代理连接 {host}（隧道已由 proxy 检查验证）"),
    (r"the SOCKS5 proxy at (?P<addr>\S+) requires credentials and the proxy URL has none \((?P<why>.+)\)",
     "SOCKS5 代理 {addr} 需要认证，但代理 URL 中没有用户名和密码（{why}）"),
    (r"it answered: (?P<said>.+)", "它的回应：{said}"),
    (r"it hung up on a no-authentication greeting", "它在收到无认证握手后断开了连接"),
    (r"the SOCKS5 proxy could not connect to (?P<addr>\S+): (?P<why>.+)", "SOCKS5 代理无法连接到 {addr}：{why}"),
    (r"the SOCKS5 proxy at (?P<addr>\S+) accepted TCP but did not answer the greeting within (?P<s>[\d.]+) s",
     "SOCKS5 代理 {addr} 接受了 TCP 连接，但在 {s} 秒内没有回应握手"),
    (r"the proxy URL from (?P<source>\S+) cannot be used by httpx: httpx does not support (?P<value>\S+) proxies; "
     r"use socks5:// or socks5h://",
     "来自 {source} 的代理 URL 无法被 httpx 使用：httpx 不支持 {value} 代理；请改用 socks5:// 或 socks5h://"),
    (r"(?P<var>[A-Za-z_]+)=(?P<value>\S+): httpx \(and so the openai/anthropic SDKs\) rejects (?P<url>\S+) proxies "
     r"\((?P<said>[^)]+)\); curl reads it as (?P<what>\S+)",
     "{var}={value}：httpx（因此 openai/anthropic SDK 也一样）不接受 {url} 代理（{said}）；curl 会按 {what} 处理"),
    (r"(?P<addr>\S+) is an HTTP proxy \((?P<said>[^)]+)\), but the proxy URL says (?P<url>\S+)",
     "{addr} 是 HTTP 代理（{said}），但代理 URL 写的是 {url}"),
    (r"(?P<addr>\S+) is a SOCKS5 proxy, but the proxy URL says (?P<url>\S+) \(HTTP CONNECT\)",
     "{addr} 是 SOCKS5 代理，但代理 URL 写的是 {url}（HTTP CONNECT）"),
    (r"(?P<addr>\S+) speaks TLS, not (?P<what>SOCKS5|plain HTTP)", "{addr} 使用的是 TLS，而不是 {what}"),
    (r"TLS to the https:// proxy (?P<addr>\S+) failed \((?P<said>.+)\)",
     "到 https:// 代理 {addr} 的 TLS 连接失败（{said}）"),
    (r"(?P<var>[A-Za-z_]+)=(?P<value>\S+) asks for TLS to the proxy itself, but a local proxy on port (?P<n>\d+) "
     r"\(Clash, v2rayN…\) almost always speaks plain HTTP: expect SSL WRONG_VERSION_NUMBER",
     "{var}={value} 要求与代理本身建立 TLS，但端口 {n} 上的本地代理（Clash、v2rayN…）几乎总是明文 HTTP："
     "会出现 SSL WRONG_VERSION_NUMBER"),
    (r"a SOCKS proxy \((?P<url>\S+)\) is configured but 'socksio' is not importable for (?P<who>.+?) in "
     r"(?P<value>\S+) \((?P<how>.+)\): the client raises ImportError before sending anything",
     "配置了 SOCKS 代理（{url}），但在 {value}（{how}）中 {who} 无法导入 socksio："
     "客户端在发出任何请求前就抛出 ImportError"),
    (r"the proxy is (?P<url>\S+) \(from (?P<source>[^)]+)\) but the 'socksio' package is missing, so httpx raises "
     r"ImportError before sending anything",
     "代理是 {url}（来自 {source}），但缺少 socksio 包，httpx 在发出任何请求前就抛出 ImportError"),
    (r"(?P<what>.+?)'s proxy settings \((?P<how>[^)]+)\) set a proxy \((?P<addr>\S+)\) that Python, httpx, the SDKs "
     r"and curl do not read",
     "{what} 的代理设置（{how}）设置了代理（{addr}），但 Python、httpx、各 SDK 和 curl 都不会读取它"),
    (r"the proxy's host (?P<host>\S+) cannot be resolved: the name does not exist \(NXDOMAIN\)",
     "代理的主机名 {host} 无法解析：该域名不存在（NXDOMAIN）"),
    (r"the proxy's host name (?P<host>\S+) cannot be resolved \((?P<said>.+)\)",
     "代理的主机名 {host} 无法解析（{said}）"),
    # --- more DNS / TLS / TCP ---
    (r"(?P<host>\S+) resolves to (?P<addr>.+?), which is not a public address \(loopback, private, shared or "
     r"reserved\): a hosts-file entry, split-horizon DNS to a gateway, a DNS filter or a hijacking resolver",
     "{host} 解析到 {addr}，这不是公网地址（回环、私有、共享或保留地址）：可能是 hosts 文件条目、指向网关的分区 DNS、"
     "DNS 过滤或被劫持的解析器"),
    (r"resolvers disagree about (?P<host>\S+): the system says (?P<addr>.+?), --dns-server says (?P<value>.+)",
     "解析器对 {host} 的结果不一致：系统解析为 {addr}，--dns-server 解析为 {value}"),
    (r"--dns-server cannot resolve (?P<host>\S+): the name does not exist \(NXDOMAIN\); the system resolver can "
     r"\(a hosts-file entry, or another NSS source\)",
     "--dns-server 无法解析 {host}：该域名不存在（NXDOMAIN）；系统解析器可以解析（hosts 文件条目或其他 NSS 来源）"),
    (r"(?P<host>\S+) uses a public CA, but this certificate was issued by (?P<issuer>.+): something in between "
     r"re-signs TLS", "{host} 使用公共 CA，但这张证书的签发者是 {issuer}：中间有设备在重新签发 TLS 证书"),
    (r"the certificate was issued by a CA that is not in the trust store \((?P<said>[^)]+)\); issuer: (?P<issuer>.+)",
     "证书的签发 CA 不在信任库中（{said}）；签发者：{issuer}"),
    (r"(?P<addr>\S+) speaks TLS \((?P<v>[^)]+)\), but the base URL says http://: the server drops plain HTTP "
     r"requests", "{addr} 使用 TLS（{v}），但 base URL 写的是 http://：服务器会丢弃明文 HTTP 请求"),
    # --- more of the API's answers ---
    (r"(?P<req>(?:GET|POST) \S+(?: \(model [^)]*\))?:? )?The server answered HTTP (?P<code>\d+) with an HTML page "
     r"titled (?P<said>'.*'), not an API response\.",
     "{req}服务器返回 HTTP {code} 和一个标题为 {said} 的 HTML 页面，不是 API 响应。"),
    (r"(?P<req>(?:GET|POST) \S+) answered HTTP (?P<code>\d+) \((?P<kind>[^)]+)\) with an HTML page titled "
     r"(?P<said>'.*') \(a Cloudflare bot challenge\), not the API",
     "{req} 返回 HTTP {code}（{kind}）和标题为 {said} 的 HTML 页面（Cloudflare 人机验证），不是 API"),
    (r"(?P<req>(?:GET|POST) \S+) answered HTTP (?P<code>\d+) \((?P<kind>[^)]+)\) with an HTML page titled "
     r"(?P<said>'.*') \(it looks like a captive portal or a login page\), not the API",
     "{req} 返回 HTTP {code}（{kind}）和标题为 {said} 的 HTML 页面（看起来是认证门户或登录页），不是 API"),
    (r"(?P<req>(?:GET|POST) \S+:? )?the body does not decode as its Content-Encoding says \((?P<said>.+)\)",
     "{req}响应体无法按其 Content-Encoding 解码（{said}）"),
    (r"(?P<req>(?:GET|POST) \S+:? )?the server broke the HTTP protocol \((?P<said>.+)\)",
     "{req}服务器违反了 HTTP 协议（{said}）"),
    (r"GET (?P<url>\S+) answered HTTP (?P<code>\d+), a redirect to (?P<value>\S+): another origin, so it was not "
     r"followed \(a redirect must not carry the key to another host\)",
     "GET {url} 返回 HTTP {code}，重定向到 {value}：这是另一个源，因此没有跟随（重定向不能把密钥带到别的主机）"),
    (r"(?P<model>\S+) \(from (?P<source>[^)]+)\) is not among the (?P<n>\d+) models listed; closest: (?P<value>.+)",
     "{model}（来自 {source}）不在列出的 {n} 个模型中；最接近的：{value}"),
    (r"(?P<model>\S+) \(from (?P<source>[^)]+)\) is not among the (?P<n>\d+) models listed",
     "{model}（来自 {source}）不在列出的 {n} 个模型中"),
    (r"(?P<who>.+?) keys start with (?P<value>.+?); this one does not", "{who} 的密钥以 {value} 开头；这个密钥不是"),
    (r"the key was rejected by (?P<host>\S+) \((?P<what>.+?)\) but accepted by (?P<addr>\S+) \((?P<how>.+?)\): it "
     r"belongs to the (?P<value>.+) platform",
     "密钥被 {host}（{what}）拒绝，但被 {addr}（{how}）接受：它属于 {value} 平台"),
    (r"the key has the shape One API / New API relays issue \(sk- and 48 letters and digits, without the "
     r"'T3BlbkFJ' mark of OpenAI's own keys\) and was sent to the official (?P<host>\S+)",
     "密钥的格式是 One API / New API 中转站签发的（sk- 加 48 位字母数字，没有 OpenAI 官方密钥的 'T3BlbkFJ' 标记），"
     "却被发往官方的 {host}"),
    (r"the key looks like an official OpenAI key, but it was sent to a relay \((?P<host>[^)]+)\), which only accepts "
     r"the keys it issues itself",
     "密钥看起来是 OpenAI 官方密钥，却被发往中转站（{host}），而中转站只接受它自己签发的密钥"),
    (r"(?P<n>\d+) of (?P<c>\d+) requests left, resets in (?P<s>\S+ m?s): the next call gets a 429 until the window "
     r"resets", "剩余请求 {n}/{c}，{s} 后重置：在窗口重置之前，下一次调用会得到 429"),
)

# Groups that hold measured values or the server's own words: never translated again.
_VERBATIM = {"phases", "resolver", "addrs", "v", "issuer", "store", "how", "c", "r", "wait",
             "url", "addr", "host", "source", "key", "said", "kind", "model", "var", "flag", "entry", "header",
             "value", "what", "client", "status", "n", "ms", "s", "code", "req", "names", "op", "again", "sdk",
             "target", "who", "sys", "name"}
@functools.cache
def _compiled() -> tuple[tuple[re.Pattern[str], str], ...]:
    """The table, compiled on the first translation: ~230 patterns (~27 ms) that an English run never needs."""
    return tuple((re.compile(p, re.DOTALL), t) for p, t in _TABLE)

_EVIDENCE = re.compile(r"^(?P<where>[a-z0-9-]+/[a-z0-9-]+): (?P<text>.*)$", re.DOTALL)


def to_zh(text: str) -> str:
    """The Chinese form of a check's summary or message, or `text` itself when no pattern knows it."""
    if not text:
        return text
    evidence = _EVIDENCE.match(text)
    if evidence:  # "target/check: message", as the diagnosis quotes a finding
        return f"{evidence['where']}：{to_zh(evidence['text'])}"
    if "; " in text and not any(p.fullmatch(text) for p, _t in _compiled()):
        parts = text.split("; ")
        translated = [to_zh(part) for part in parts]
        return "；".join(translated) if translated != parts else text
    for pattern, template in _compiled():
        match = pattern.fullmatch(text)
        if match:
            groups = {k: (v or "") if k in _VERBATIM else to_zh(v or "") for k, v in match.groupdict().items()}
            if "phases" in groups:
                groups["phases"] = _phases(groups["phases"])
            return template.format(**groups)
    return text


_PHASE_WORDS = {"first byte": "首字节", "first token": "首个 token", "transfer": "传输", "connect": "连接"}


def _phases(text: str) -> str:
    """"dns 0 ms, connect 1 ms, first byte 100 ms" → "dns 0 毫秒，连接 1 毫秒，首字节 100 毫秒"."""
    for english, chinese in _PHASE_WORDS.items():
        text = text.replace(english, chinese)
    return text.replace(" ms", " 毫秒").replace(", ", "，")


_HAN = re.compile(r"[\u4e00-\u9fff]")
# What a Chinese line may keep in Latin letters: commands in backticks, URLs, VARIABLE names, options.
_KEPT = re.compile(r"`[^`]*`|(?:[a-z][a-z0-9+.-]*)://\S+|\b[A-Z][A-Z0-9_]{2,}\b|--[a-z][a-z-]*|\b[a-z]+\.[a-z_]+\b")
_BRACKETED = re.compile(r"\([^()]*\)|（[^（）]*）")
_SENTENCE = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")


def reads_english(text: str) -> bool:
    """Whether `text` is an English sentence (no Han character, three English words in a row once the
    values are out), as opposed to a bare command or value that reads the same in any language."""
    # A Chinese word quoted in brackets ("(无可用渠道)") does not make an English sentence Chinese.
    bare = _BRACKETED.sub(" ", text)
    return bool(text) and not _HAN.search(bare) and bool(_SENTENCE.search(_KEPT.sub(" ", bare)))


def hint_zh(hint: str) -> str:
    """A check's hint for a Chinese reader: translated when a pattern knows it, kept when it is a bare
    command, and dropped ("") when it stays an English sentence, so the cause's own Chinese fix steps
    (written with the same measured values, llmdoctor/fixvalues.py) lead instead."""
    translated = to_zh(hint)
    return "" if reads_english(translated) else translated


# The built-in checks' one-line descriptions for `llmdoctor checks` (a plug-in's own docstring stays as written).
CHECK_DESCRIPTIONS_ZH = {
    "proxy-env": "代理环境变量和系统代理设置：httpx、requests 和 curl 对这个目标 URL 会怎么做。",
    "endpoint": "base URL：能否解析、路径形式是否正确，以及绝不以明文 http 连接远程主机。",
    "key": "API 密钥：是否存在、是否干净、是否为占位符，以及是否属于这个服务商。",
    "dns": "主机地址：系统解析器（SDK 使用的）与 DNS 服务器的结果，并加以比较。",
    "proxy": "httpx 会使用的代理：能否连上、协议是否正确、是否接受认证、能否连到 API。",
    "tcp": "到每个解析出的地址（或代理）的 TCP 连接，计时，并区分拒绝、超时和不可达。",
    "tls": "沿 SDK 路径的 TLS 握手：证书、信任库、中间人检查、时钟。",
    "auth": "用密钥访问 API：最便宜的需认证请求，按状态码和响应体判断。",
    "completion": "一次最小的流式生成（需主动开启，会消耗 token）：额度、模型权限、流式传输。",
    "models": "密钥能列出的模型，以及配置的模型是否在其中。",
    "rate-limits": "从每个 API 响应头读取限流余量：还剩多少、何时重置。",
    "timing": "各阶段耗时（DNS、连接、TLS、首字节、首个 token）与 SDK 超时设置的对比。",
}


def translator(lang: str) -> Callable[[str], str]:
    """`to_zh` for Chinese, the identity otherwise."""
    return to_zh if lang == "zh" else (lambda text: text)
