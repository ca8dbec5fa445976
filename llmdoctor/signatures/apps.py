"""What coding agents and chat apps print around a failure, in their own words (issue 16, clients class).

Rows are (causes, pattern) like `transport`'s, lower-case regexes over the whole text. An app's own sentence for
a failed call mostly says that it failed, not how; the rows here are candidates (`VAGUE`) unless the sentence
itself names who answered (`SIGNS`). Read from the apps' sources:

- Goose (crates/goose/src/providers/errors.rs, `provider_error_from_reqwest`): a reqwest connect failure, whatever
  its kind (refused, DNS, timeout, TLS), becomes "Could not connect to <host>:<port> — check your network
  connection and try again.", a timeout "Request timed out — check your network connection and try again.",
  anything else "Network error — check your network connection and try again.";
- Cursor: "Connection failed. If the problem persists, please check your internet connection or VPN" for any
  failure to reach its backend (a proxy, a VPN, an outage);
- WebKit's (Safari's, a macOS/iOS WKWebView app's) fetch() rejects with `TypeError: Load failed` where Chromium says
  "Failed to fetch" and Firefox "NetworkError when attempting to fetch resource." (`transport._VAGUE_CLIENTS`);
- GitHub Copilot's clients check that an error answer came from GitHub: "HTTP 403 response does not appear to
  originate from GitHub. Is a proxy or firewall intercepting this request?" (gh.io/copilot-firewall): the answer
  is a proxy's or a firewall's, not GitHub's.

- Bun (the runtime of opencode and of Claude Code's native build) names its fetch failures by code, not errno:
  `ConnectionRefused` ("Unable to connect. Is the computer able to access the url?", `{"code": "ConnectionRefused",
  "path": "https://..."}`), `ConnectionClosed`, `FailedToOpenSocket` (the Vercel AI SDK's handle-fetch-error lists
  them as Bun's network errors). The message without its code does not say which of them it was.

- the HTTP parser these apps run on, llhttp (Node's http and undici, aiohttp's C parser), rejects an answer that
  does not start with a status line: "Parse Error: Expected HTTP/, RTSP/ or ICE/" (HPE_INVALID_CONSTANT). The bytes
  came from something that is not an HTTP server: most often a SOCKS port configured as an HTTP proxy (its reply
  starts with 0x05), or http:// spoken to a TLS port (the answer is a TLS alert). With the bytes shown
  (aiohttp's "b'\\x05\\xff'") `transport` decides; without them, candidates.

- SillyTavern (public/scripts/openai.js, testApiConnection) catches any failure of its test request with one toast:
  "Could not get a reply from API. Check your connection settings / API key and try again.";
- Open WebUI's frontend (src/lib/apis/openai) throws `OpenAI: ${err?.error?.message ?? 'Network Problem'}`: "Network
  Problem" is what it says when the fetch failed or the answer carried no OpenAI-shaped error message (its backend's
  own 500 for an unreachable or wrong connection URL), "Ollama: Network Problem" the same for Ollama.

- .NET Framework's WebException (PowerShell's Invoke-WebRequest and Invoke-RestMethod, Windows desktop apps) says
  the step in its own sentence, in the display language of Windows (System.Net resources): NameResolutionFailure
  "The remote name could not be resolved: 'host'" ("未能解析此远程名称", "Der Remotename konnte nicht aufgelöst
  werden", "リモート名を解決できませんでした", "Le nom distant n'a pas pu être résolu", "No se puede resolver el nombre
  remoto"), ProxyNameResolutionFailure "The proxy name could not be resolved", ConnectFailure "Unable to connect to
  the remote server" (the inner SocketException says how), SecureChannelFailure "Could not create SSL/TLS secure
  channel" (English and Chinese in `tls`, the other languages here, read the same).

`EITHER` are apps' canned sentences that name two causes for one status (FluidVoice's "HTTP 429: Invalid key or
insufficient credits"): read by `explain.either` like `frameworks.EITHER`.
"""

from __future__ import annotations

Causes = tuple[tuple[str, float], ...]

_CONNECT_UNKNOWN: Causes = (("net.connect_timeout", 0.35), ("proxy.unreachable", 0.35), ("dns.failure", 0.3),
                            ("net.connect_refused", 0.3), ("tls.verify_failed", 0.25))

SIGNS: tuple[tuple[Causes, str], ...] = (
    # .NET Framework's WebException, by its status's sentence in each display language
    ((("dns.failure", 0.88),), r"the remote name could not be resolved|未能解析此远程名称|"
                               r"der remotename konnte nicht aufgelöst werden|リモート名を解決できませんでした|"
                               r"le nom distant n'a pas pu être résolu|no se puede resolver el nombre remoto|"
                               r"o nome remoto não pôde ser resolvido"),
    ((("proxy.unreachable", 0.85),), r"the proxy name could not be resolved|未能解析代理名称|"
                                     r"der proxyname konnte nicht aufgelöst werden"),
    ((("tls.protocol_mismatch", 0.8), ("tls.handshake_reset", 0.4)),
     r"es konnte kein geschützter ssl/tls-kanal erstellt werden|"
     r"ssl/tls のセキュリティで保護されているチャネルを作成できません|"
     r"impossible de créer un canal sécurisé ssl/tls|no se puede crear un canal seguro ssl/tls|"
     r"não foi possível criar um canal seguro para ssl/tls"),
    # Bun's code for a refused connect, as its error prints it or an app logs it
    ((("net.connect_refused", 0.88),), r"[\"']?code[\"']?\s*[:=]\s*[\"']connectionrefused[\"']|"
                                       r"\bconnectionrefused: unable to connect"),
    ((("proxy.blocked", 0.9),), r"http 40[13] response does not appear to originate from github"),
    ((("proxy.auth_failed", 0.9),), r"http 407 response does not appear to originate from github"),
)

VAGUE: tuple[tuple[Causes, str], ...] = (
    # Goose's reqwest connect failure and its other network errors
    (_CONNECT_UNKNOWN, r"could not connect to (?:[\w.-]+(?::\d+)?|the provider) \W{1,3} check your network connection|"
                       r"network error \W{1,3} check your network connection"),
    ((("net.read_timeout", 0.4), ("net.connect_timeout", 0.4), ("net.client_timeout_too_short", 0.3)),
     r"request timed out \W{1,3} check your network connection"),
    # Cursor, and apps that say the same ("check your internet connection or VPN/proxy")
    (_CONNECT_UNKNOWN, r"connection failed\.?(?s:.{0,80}?)check your (?:internet|network) connection"),
    # .NET Framework's ConnectFailure without its inner SocketException
    (_CONNECT_UNKNOWN, r"unable to connect to the remote server|无法连接到远程服务器|"
                       r"es konnte keine verbindung mit dem remoteserver hergestellt werden|"
                       r"リモート サーバーに接続できません|"
                       r"impossible de se connecter au serveur distant|no es posible conectar con el servidor remoto"),
    # Bun's message alone, and its other codes
    ((("net.connect_refused", 0.4), ("proxy.unreachable", 0.35), ("net.connect_timeout", 0.3), ("dns.failure", 0.25)),
     r"unable to connect\. is the computer able to access the url"),
    ((("dns.failure", 0.4), ("net.connect_refused", 0.35), ("proxy.unreachable", 0.3)),
     r"[\"']?code[\"']?\s*[:=]\s*[\"']failedtoopensocket[\"']|was there a typo in the url or port"),
    ((("proxy.not_responding", 0.4), ("net.stream_stalled", 0.35), ("tls.handshake_reset", 0.3)),
     r"[\"']?code[\"']?\s*[:=]\s*[\"']connectionclosed[\"']|socket connection was closed unexpectedly"),
    # llhttp's answer that is not HTTP, without the bytes that would tell whose
    ((("proxy.protocol_mismatch", 0.45), ("config.base_url_invalid", 0.3), ("proxy.unreachable", 0.25)),
     r"expected http/, rtsp/ or ice/|\bhpe_invalid_constant\b"),
    # SillyTavern's and Open WebUI's sentences for any failed call (their sources, above)
    ((("auth.invalid_key", 0.35), ("config.base_url_invalid", 0.3), ("net.connect_timeout", 0.3),
      ("proxy.unreachable", 0.25)),
     r"could not get a reply from api\. check your connection settings / api key"),
    ((("net.connect_timeout", 0.35), ("config.base_url_invalid", 0.3), ("proxy.unreachable", 0.3),
      ("dns.failure", 0.25), ("net.connect_refused", 0.25)),
     r"\b(?:openai|ollama): network problem\b"),
    # WebKit's fetch() TypeError, alone on its line or as an app's error message
    ((("proxy.unreachable", 0.35), ("net.connect_timeout", 0.3), ("dns.failure", 0.3), ("tls.verify_failed", 0.25)),
     r"(?m:^\s*(?:typeerror:\s*)?load failed\.?\s*$)|[\"']message[\"']\s*:\s*[\"'](?:typeerror: )?load failed[\"']"),
)

EITHER: tuple[tuple[str, Causes], ...] = (
    (r"invalid (?:api )?key or insufficient (?:credits|balance|quota)|"
     r"insufficient (?:credits|balance|quota) or (?:an )?invalid (?:api )?key",
     (("quota.insufficient", 0.5), ("auth.invalid_key", 0.45), ("ratelimit.exceeded", 0.4))),
)
