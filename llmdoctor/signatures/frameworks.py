"""What clients outside the official Python and Node SDKs say about their own set-up, and about proxies.

Rows read by `transport.compiled()` right after its own client rows, so a new framework's wording is a
row here. Each wording was read from the client's source or a thread that quoted it:

- requests' `SOCKSProxyManager` raises `InvalidSchema("Missing dependencies for SOCKS support.")` when
  PySocks is absent (requests/adapters.py); urllib3's contrib warns "SOCKS support in urllib3 requires
  the installation of optional dependencies: specifically, PySocks";
- LiteLLM's `get_llm_provider` raises "LLM Provider NOT provided. Pass in the LLM provider you are
  trying to call. You passed model=..." for a model string without a provider prefix;
- "no key" as Spring AI ("OpenAI API key must be set. Use the connection property: spring.ai.openai.
  api-key"; "API key value must not be null or empty"), LangChain4j ("apiKey cannot be null or blank"),
  .NET's argument checks ("Value cannot be null. (Parameter 'apiKey')"), chatgpt-api ("OpenAI missing
  required apiKey"), env-reading apps ("Missing OPENAI_API_KEY ... environment variable") say it; and
  the server's "You didn't provide an API key" (OpenAI) or "No auth credentials found" (OpenRouter)
  under a client that always sends its key's header: the key it sent was empty;
- ruby-openai and the `openai` gem share `OpenAI::Client`: "initialize': missing keyword: :api_key" is
  the other gem's constructor answering ruby-openai's call (or the reverse);
- OkHttp's "ConnectException: Failed to connect to /127.0.0.1:7890" (a refused connect; Android's socket
  says "failed to connect to ... after 10000ms" when it timed out), a reset in its `connectTunnel`;
- Java's exception classes name the step (UnknownHostException, SocketTimeoutException: connect timed out,
  SSLHandshakeException: PKIX path building failed); OkHttp's "unexpected end of stream" and reactor-netty's
  "Connection prematurely closed BEFORE response" do not say who hung up (candidates only);
- Go's net/http takes a proxy URL with a scheme it does not know as a host name: "proxyconnect tcp:
  dial tcp: lookup socks5h on ..." is the scheme word looked up as a host (httpx says "Unknown scheme for
  proxy URL", Node's agents "Unsupported proxy protocol");
- a refusal said in Chinese by a proxy client ("无法连接代理服务器 127.0.0.1:7777") or in prose next to
  the proxy variable ("refused ... after I export ALL_PROXY=socks5://127.0.0.1:1080");
- a loopback call answered by a proxy ("500 Internal Privoxy Error" for http://localhost:11434), the
  LangChain Ollama wrapper's "Ollama call failed with status code 502" (Ollama itself never answers 502),
  or a user saying 127.0.0.1:11434 "was proxied": the call to a local server went through the proxy.
"""

from __future__ import annotations

Row = tuple[tuple[tuple[str, float], ...], str]

_LOOPBACK = r"(?:127\.0\.0\.1|localhost|\[::1\]|0\.0\.0\.0)"
# a loopback URL with a path: a local server's endpoint, not a proxy's own address (http://127.0.0.1:3128)
_LOCAL_PATH = r"https?://" + _LOOPBACK + r"(?::\d+)?/[a-z]"

SIGNS: tuple[Row, ...] = (
    ((("env.socks_dependency_missing", 0.96),),
     r"missing dependencies for socks support|socks support in urllib3 requires the installation of optional "
     r"dependencies"),
    ((("config.model_provider_missing", 0.96),), r"llm provider not provided"),
    ((("config.missing_key", 0.93),),
     r"api[ _-]?key (?:value )?must (?:be set|not be (?:null|empty|blank))|"
     r"api_?key cannot be (?:null|empty|blank)|"
     r"value cannot be (?:null|an empty string)[^\n]{0,80}\(parameter '\w*api_?key'\)|"
     r"missing required api_?key|"
     r"missing (?:the )?[a-z]*_?(?:api_key|access_token)\b[^\n]{0,40}environment variable"),
    # a program naming the variable it did not find (Haystack's "None of the following authentication environment
    # variables are set: ('OPENAI_API_KEY',)", "Missing required environment variable: X_API_KEY", "请先设置
    # OPENAI_API_KEY", "OPENAI_API_KEY environment variable is not set"), an empty key field, Chinese UIs' "未检测到"
    ((("config.missing_key", 0.9),),
     r"(?:please set|请先?设置|未设置|未配置|missing(?: required)?(?: environment variable)?:?|"
     r"none of the following authentication environment variables are set)[^\n]{0,60}?"
     r"\b[a-z][a-z0-9]*_(?:api_key|access_token|auth_token)\b|"
     r"\b[a-z][a-z0-9]*_(?:api_key|access_token|auth_token)\b[^\n]{0,30}?(?:environment variable )?(?:is )?"
     r"(?:not set|missing|empty|required|未设置|未配置)|"
     r"api_?key (?:field |value )?is empty|未(?:检测到|找到|提供)\s?api ?key"),
    # the server's "no key arrived": from an SDK or framework, which always sends its key's header, the key was
    # empty (a header in the wrong place is the apierrors' reading when nothing says who called)
    ((("config.missing_key", 0.78),), r"you didn't provide an api key"),
    ((("config.missing_key", 0.8),),
     r"(?:litellm|ai_apicallerror|openrouterexception|openaiexception|openai\\exceptions|"
     r"anthropic\.authenticationerror|authenticationerror: error code: 401)"
     r"(?s:.{0,400})(?:no auth credentials found|missing authentication header|x-api-key header is required)"),
    ((("config.missing_key", 0.86),),
     r"\bapi[ _-]?key (?:is )?missing\b|`?api[ _-]?key`? (?:option |parameter |argument |field )?is required|"
     r"api[ _-]?key must be (?:provided|specified)|missing api[ _-]?key[^\n]{0,120}(?:environment variable|pass it|"
     r"constructor)|access token missing|environment variable not found:? ['\"`]?\w*(?:api_key|_token)\b|"
     # Google's client libraries (Vertex AI, google-genai on Vertex): no Application Default Credentials
     r"default credentials were not found|could not automatically determine credentials"),
    # Java: OkHttp wraps a refused connect as "ConnectException: Failed to connect to /127.0.0.1:7890"; Android's
    # socket adds "after 10000ms" when it timed out instead; a reset while OkHttp builds the proxy tunnel
    ((("net.connect_timeout", 0.86),), r"failed to connect to \S*/[\w.:\[\]]+ \(port \d+\)[^\n]{0,80}after \d+ ?ms"),
    ((("net.connect_refused", 0.8),), r"connectexception: failed to connect to (?![^\n]*\(port \d+\)[^\n]*after)"),
    ((("proxy.not_responding", 0.85),),
     r"(?:socketexception: connection reset|unexpected end of stream)(?s:.{0,400})(?:createtunnel|connecttunnel)"),
    # OpenRouter relaying an upstream's 429 ("... is temporarily rate-limited upstream")
    ((("ratelimit.exceeded", 0.88),), r"temporarily rate-limited upstream|rate-limited upstream"),
    # New API's own words for "my upstream answered N" (relay/channel/..., "bad response status code %d"): the
    # channel's key (401), the channel's rate limit (429), the upstream failing (5xx); OpenRouter's "No allowed
    # providers are available for the selected model" (the account's provider filter leaves none for it)
    ((("relay.upstream_key_rejected", 0.86),), r"bad response status code 401\b"),
    ((("ratelimit.relay_saturated", 0.84),), r"bad response status code 429\b"),
    ((("gateway.error", 0.84),), r"bad response status code 50[0234]\b"),
    ((("model.not_found", 0.86),), r"no allowed providers are available for the selected model"),
    # words that name the cause under whatever status carries them: a balance (a 500 or 403 that is billing), no
    # credits yet (xAI's 403), Google's 403 for a call that carried no key at all
    ((("quota.insufficient", 0.93),),
     r"insufficient\W+(?:\w+\W+)?balance|balance (?:is )?(?:insufficient|not enough)|"
     r"(?:doesn't|does not|don't) have any credits|no credits (?:left|remaining)"),
    ((("config.missing_key", 0.88),), r"doesn't allow unregistered callers"),
    # Java's exception classes say the step themselves (java.net, javax.net.ssl, OkHttp): the name not resolving,
    # the connect or the read timing out, the JVM's trust store lacking the CA (PKIX)
    ((("dns.failure", 0.88),), r"unknownhostexception(?::|\s)"),
    ((("net.connect_timeout", 0.88),), r"sockettimeoutexception: connect timed out|connecttimeoutexception"),
    ((("net.read_timeout", 0.72),), r"sockettimeoutexception: timeout\b"),
    ((("tls.unknown_ca", 0.82),),
     r"pkix path building failed|unable to find valid certification path to requested target"),
    # Azure resources with key authentication turned off want a Microsoft Entra ID token instead of the key
    ((("auth.wrong_header", 0.85),), r"authenticationtypedisabled|key based authentication is disabled"),
    # Go's net/http: the TLS handshake did not finish in its TLSHandshakeTimeout
    ((("net.tls_timeout", 0.88),), r"net/http: tls handshake timeout"),
    # local model servers' own clients saying the server is not running (Ollama's CLI and SDKs, LM Studio's)
    ((("net.connect_refused", 0.86),),
     r"unable to connect to (?:the )?ollama(?: server)?\b|could not connect to ollama(?: app)?, is it running|"
     r"please ensure that ollama is running|lm studio (?:server )?is not running"),
    ((("env.sdk_incompatible", 0.82),),
     r"initialize'?:? (?:missing|unknown) keywords?: :?(?:api_key|access_token|uri_base|organization_id)"),
    ((("env.proxy_misconfigured", 0.94),), r"proxyconnect tcp: dial tcp: lookup (?:socks5h?|socks4a?|https?)\b"),
    # Node's proxy agents refusing a scheme they do not speak ("Unsupported proxy protocol: \"socks5h:\"")
    ((("env.proxy_misconfigured", 0.88),), r"unsupported (?:proxy )?protocol(?: for proxy url)?:? ['\"]?socks"),
    # the proxy hung up on httpcore's CONNECT or SOCKS handshake; the `socks` package's own timeout
    ((("proxy.protocol_mismatch", 0.75),),
     r"server disconnected without sending a response(?s:.{0,3000})(?:http_proxy|socks_proxy)\.py|"
     r"(?:http_proxy|socks_proxy)\.py(?s:.{0,3000})server disconnected without sending a response"),
    ((("proxy.not_responding", 0.9),), r"proxy connection timed out(?s:.{0,200})socksclient"),
    ((("proxy.unreachable", 0.92),), r"无法连接(?:到)?代理服务器|连接代理服务器失败|代理服务器拒绝"),
    # the proxy's own address failing: its name does not resolve (a typo like 127.0.1), or the connect to it times out
    ((("proxy.unreachable", 0.93),),
     r"(?:error connecting to (?:socks5?|http) proxy|(?:could not|cannot|unable to|failed to) connect to proxy)"
     r"[^\n]{0,100}(?:getaddrinfo failed|name or service not known|nodename nor servname|errno 11001|"
     r"temporary failure in name resolution|timed? ?out)|timed out while connecting to proxy"),
    ((("proxy.unreachable", 0.88),),
     r"refused(?s:.{0,160})(?:all|https?)_proxy=\w+://" + _LOOPBACK + "|"
     r"(?:all|https?)_proxy=\w+://" + _LOOPBACK + r"\S*(?s:.{0,160})refused"),
    ((("env.local_via_proxy", 0.88),),
     r"https?://" + _LOOPBACK + r"[^\s'\"]*(?s:.{0,300})(?:privoxy|squid)\b|"
     r"\b(?:privoxy|squid)\b(?s:.{0,300})https?://" + _LOOPBACK),
    # a proxy's own answers to a loopback call: it asked for its password (407), or Squid's "could not be
    # retrieved" page while fetching http://localhost:... for the client
    ((("env.local_via_proxy", 0.95),),
     r"\b407\b[^\n]{0,120}" + _LOCAL_PATH + "|" + _LOCAL_PATH + r"[^\s'\"]*['\"]?[^\n]{0,60}\b407\b|"
     r"the requested url could not be retrieved(?s:.{0,600})" + _LOCAL_PATH),
    ((("env.local_via_proxy", 0.8),),
     r"ollama call failed with status code 50[24]\b|ollama(?s:.{0,300})\(status code: 50[24]\)"),
    ((("env.local_via_proxy", 0.85),),
     _LOOPBACK + r"(?::\d+)? (?:was|is|were|got|being) (?:proxied|sent (?:to|through) (?:the )?proxy)"),
)

# --- frameworks class (issue 16): apps and SDKs that replace the inner error by their own sentence -------------------
# n8n's NodeError swaps a Node error code for a sentence (COMMON_ERRORS in packages/workflow/src/errors/abstract/
# node.error.ts): the sentence stands for the code it replaced (its ETIMEDOUT sentence already reads as a timeout)
SIGNS = (*SIGNS,
    ((("net.connect_refused", 0.86),), r"the service refused the connection - perhaps it is offline"),
    ((("dns.failure", 0.86),),
     r"the connection cannot be established, this usually occurs due to an incorrect host ?\(domain\) value"),
    ((("dns.failure", 0.8),), r"the dns server returned an error, perhaps the server is offline"),
    ((("net.unreachable", 0.85),), r"the host is unreachable, perhaps the server is offline"),
    # the Vercel AI SDK's provider registry has no model by that id (NoSuchModelError: "No such languageModel: x")
    ((("model.not_found", 0.85),),
     r"no such (?:languagemodel|textembeddingmodel|imagemodel|transcriptionmodel|speechmodel|embeddingmodel): \S"),
    # LiteLLM's Router when every deployment of the model group is cooling down after failing (RouterRateLimitError,
    # 429): the relay's upstreams, not the caller's key or quota; an inner exception it lists says more and wins
    ((("ratelimit.relay_saturated", 0.8),), r"no deployments available for selected model, try again in"),
    # LobeChat's model runtime throws InvalidProviderAPIKey (older: Invalid<Provider>APIKey) from the provider's
    # constructor when its apiKey is empty (`if (!apiKey) throw AgentRuntimeError.createError(
    # ErrorType?.invalidAPIKey)`, packages/model-runtime openaiCompatibleFactory and each provider), before any
    # request: logged with no error
    # body ("{ error: undefined, errorType: 'InvalidProviderAPIKey' }"). A provider's 401 is the same type with the
    # provider's body in `error`, which the API rules read.
    ((("config.missing_key", 0.92),), r"error:\s*undefined,\s*errortype:\s*['\"]?invalid\w*apikey\b"),
)

# Wordings that make causes possible but do not name one (candidates only)
VAGUE: tuple[Row, ...] = (
    # the `socks` package (Node) when the proxy hangs up mid-handshake: a wrong port, a wrong protocol, a dead proxy
    ((("proxy.protocol_mismatch", 0.4), ("proxy.unreachable", 0.4), ("proxy.not_responding", 0.35)),
     r"socksclienterror: socket closed|socksclient\.closehandler"),
    # the server or something in between closed the connection before any answer: OkHttp, reactor-netty
    ((("proxy.not_responding", 0.4), ("net.stream_stalled", 0.35), ("gateway.error", 0.3)),
     r"unexpected end of stream on |prematurecloseexception: connection prematurely closed before response"),
    # reqwest / hyper's timeout without the step (connect or the answer)
    ((("net.connect_timeout", 0.4), ("net.read_timeout", 0.4)), r"source: timedout\b|kind: timedout\b"),
    # n8n's sentences for ECONNRESET and ECONNABORTED (frameworks class): as open as the codes they replaced
    ((("tls.handshake_reset", 0.45), ("proxy.not_responding", 0.35), ("net.stream_stalled", 0.3)),
     r"the connection to the server was closed unexpectedly, perhaps it is offline"),
    ((("net.read_timeout", 0.45), ("net.connect_timeout", 0.4)),
     r"the connection was aborted, perhaps the server is offline"),
    # Codex CLI (codex-rs codex-api sse/responses.rs): no SSE event within stream_idle_timeout_ms (default 300 s); the
    # timer runs before the first event too, so a slow first event (a long prefill, a buffering proxy) says it as
    # well as a stream that stopped half-way
    ((("net.stream_stalled", 0.45), ("net.slow_first_byte", 0.4), ("net.stream_buffered", 0.3)),
     r"idle timeout waiting for sse"),
    # reqwest's Decode error: reading the body failed after the headers (a connection cut mid-answer, a chunked body
    # that does not parse), the form Codex and other Rust clients print
    ((("net.stream_stalled", 0.4), ("server.protocol_error", 0.35)), r"error decoding response body"),
    # Open WebUI's toast when its fetch to the backend or Ollama fails ("{WEBUI_NAME}: Server Connection Error", older
    # "Server connection failed"): a server that is not running, a wrong OLLAMA_BASE_URL, a proxy in between alike
    ((("net.connect_refused", 0.45), ("config.base_url_invalid", 0.4), ("proxy.not_responding", 0.3)),
     r"(?:open|ollama) webui: server connection error|\bserver connection failed\b"),
    # LobeChat's InvalidProviderAPIKey with no body beside it: thrown for an empty key and for a refused one
    ((("config.missing_key", 0.45), ("auth.invalid_key", 0.45)), r"errortype['\"]?\s*[:=]\s*['\"]?invalid\w*apikey\b"),
)

# A message that names two causes itself ("invalid subscription key or wrong API endpoint"): whatever the
# API rules make of its words, the text does not say which one it is. (pattern, the causes it leaves open)
EITHER: tuple[tuple[str, tuple[tuple[str, float], ...]], ...] = (
    (r"invalid subscription key or wrong api endpoint",
     (("auth.invalid_key", 0.5), ("auth.wrong_endpoint", 0.45))),
    (r"no api (?:token|key) provided or (?:the )?(?:token|key) is invalid",
     (("config.missing_key", 0.5), ("auth.invalid_key", 0.5))),
    (r"missing authentication header or invalid api key",
     (("config.missing_key", 0.5), ("auth.invalid_key", 0.5))),
    # keys class (issue 16): one answer for a header that was absent or held a bad key (claude2api, gateways)
    (r"missing or invalid (?:authori[sz]ation|authentication) header|missing or invalid (?:api[ _-]?key|token)\b",
     (("config.missing_key", 0.5), ("auth.invalid_key", 0.5))),
    # LobeChat's words for InvalidProviderAPIKey (locales/*/error.json: "{{provider}} API Key 不正确或为空",
    # "... API Key is incorrect or empty"), said for an empty key and for a refused one alike
    (r"api key (?:is )?(?:incorrect|invalid|wrong) or (?:empty|blank|missing)|"
     r"api ?key ?不正确或为空|api ?key ?错误或为空",
     (("config.missing_key", 0.5), ("auth.invalid_key", 0.5))),
)
