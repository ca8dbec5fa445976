"""Chinese for what the checks say: their summaries and finding messages, translated by pattern.

Why patterns, not translated checks: a check's English text is its contract (tests, the JSON, bug
reports grep it), and a plug-in knows nothing of languages. The report for `--lang zh` passes every
summary and message through this table before the diagnosis quotes them, so the check lines, the
evidence and the verdict's second half are Chinese. What the table does not know stays English: the
measured values (hosts, ports, the server's own words) are kept as they are in every template.
"""

from __future__ import annotations

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
)

# Groups that hold measured values or the server's own words: never translated again.
_VERBATIM = {"phases", "v", "issuer", "store", "how", "c", "r", "wait",
             "url", "addr", "host", "source", "key", "said", "kind", "model", "var", "flag", "entry", "header",
             "value", "what", "client", "status", "n", "ms", "s", "code", "req", "names", "op", "again", "sdk",
             "target"}
_COMPILED: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.DOTALL), t) for p, t in _TABLE)
_EVIDENCE = re.compile(r"^(?P<where>[a-z0-9-]+/[a-z0-9-]+): (?P<text>.*)$", re.DOTALL)


def to_zh(text: str) -> str:
    """The Chinese form of a check's summary or message, or `text` itself when no pattern knows it."""
    if not text:
        return text
    evidence = _EVIDENCE.match(text)
    if evidence:  # "target/check: message", as the diagnosis quotes a finding
        return f"{evidence['where']}：{to_zh(evidence['text'])}"
    if "; " in text and not any(p.fullmatch(text) for p, _t in _COMPILED):
        parts = text.split("; ")
        translated = [to_zh(part) for part in parts]
        return "；".join(translated) if translated != parts else text
    for pattern, template in _COMPILED:
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
_SENTENCE = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z]{2,}){2,}\b")


def reads_english(text: str) -> bool:
    """Whether `text` is an English sentence (no Han character, three English words in a row once the
    values are out), as opposed to a bare command or value that reads the same in any language."""
    return bool(text) and not _HAN.search(text) and bool(_SENTENCE.search(_KEPT.sub(" ", text)))


def hint_zh(hint: str) -> str:
    """A check's hint for a Chinese reader: translated when a pattern knows it, kept when it is a bare
    command, and dropped ("") when it stays an English sentence, so the cause's own Chinese fix steps
    (written with the same measured values, llmdoctor/fixvalues.py) lead instead."""
    translated = to_zh(hint)
    return "" if reads_english(translated) else translated


def translator(lang: str) -> Callable[[str], str]:
    """`to_zh` for Chinese, the identity otherwise."""
    return to_zh if lang == "zh" else (lambda text: text)
