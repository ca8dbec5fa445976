"""Configuration shapes as frameworks and SDKs report them (issue 16: base URL, missing key, provider, frameworks).

Rows read by `transport.compiled()` with the other framework rows; same shape as `frameworks.SIGNS`. Each
family was read from the client's source, so a row names every wording the client can print, not the one
string a thread quoted:

- no key, in the SDKs' own exceptions: zhipuai (Python and Node) `"未提供api_key，请通过参数或环境变量提供"`;
  .NET's `System.ClientModel.ApiKeyCredential(string key)` and `Azure.AzureKeyCredential(string key)` run
  `Argument.AssertNotNullOrEmpty(key, nameof(key))` ("Value cannot be null. (Parameter 'key')" / "Value cannot
  be an empty string. (Parameter 'key')"), `new OpenAIClient(ApiKeyCredential credential)` says (Parameter
  'credential'). The bare "(Parameter 'key')" is also every .NET Dictionary's null-key error, so it names the
  key only next to a credential frame; alone it is a candidate;
- a key that is literally `undefined`/`null`/`None` in the header the client sent (JS `Bearer ${process.env.X}`
  with X unset, a Python f-string over os.getenv): the variable was not set, not a bad key;
- no provider for the model name: LangChain's `init_chat_model` ("Unable to infer model provider for
  model='x', please specify model_provider directly", "Unsupported model_provider='x'"; LangChain.js
  "Unable to infer model provider for { model: x }", "Unsupported { modelProvider: x }"), AutoGen's model
  clients ("model_info is required when model name is not a valid OpenAI model" / "not a known Gemini model"),
  the Vercel AI SDK's provider registry (`NoSuchProviderError`, name `AI_NoSuchProviderError`: "No such
  provider: x"), LiteLLM's "Unmapped LLM provider for this endpoint. You passed model=x,
  custom_llm_provider=y" (the prefix names a provider that has no route for this endpoint);
- a request URL that is no URL: requests' `MissingSchema` ("Invalid URL 'api.x.com/v1/...': No scheme
  supplied"), aiohttp's `InvalidUrlClientError`/`NonHttpUrlClientError` (the message is the URL itself),
  undici's `fetch` ("Failed to parse URL from api.x.com/v1/..."), Node's `new URL` (ERR_INVALID_URL
  with the `input:` an API path; a proxy variable's bad value has no path and is transport's proxy row);
- a base URL with whitespace in its host (a trailing space or newline copied into the variable): the resolver is
  asked for "api.openai.com%20" (undici's ENOTFOUND, urllib3's "Failed to resolve"); httpx's "InvalidURL: Invalid
  port" (a doubled port) is the base URL or a proxy URL: candidates;
- Chinese UIs asking for the key: "请先在设置中填写 API Key", "请输入 API Key";
- LangChain's AzureChatOpenAI: "As of openai>=1.0.0, Azure endpoints should be specified via the
  `azure_endpoint` param not `openai_api_base`";
- a base URL's shape in the path the server logged or the client printed: an empty segment after the version
  (`/v1//models`: the base URL ended in a slash), two version segments in one path (`/v1/api/v1/`,
  `/v4/v1/`, `/v1beta/v1beta/`: the base URL already held the version the client appends). Cloudflare's AI
  Gateway nests a provider's own versioned path under its /v1 (`/v1/{account}/{gateway}/anthropic/v1/messages`)
  and is left out.
"""

from __future__ import annotations

Row = tuple[tuple[tuple[str, float], ...], str]

# the version segments APIs use; spelled out so each row has a literal piece the prefilter can look for
_VERSIONS = ("v1", "v2", "v3", "v4", "v1beta", "v1beta1", "v1alpha")
_ANY_VERSION = "(?:" + "|".join(_VERSIONS) + ")"
# a .NET credential frame or type next to the argument check
_CREDENTIAL_FRAME = r"(?:apikeycredential|azurekeycredential|keycredential|openaiclient|azureopenaiclient)"
_NULL_KEY = r"value cannot be (?:null|an empty string)\.? \(parameter '(?:key|credential)'\)"

SIGNS: tuple[Row, ...] = (
    ((("config.missing_key", 0.93),),
     r"未提供\s?api[ _-]?key|未配置\s?api[ _-]?key|未设置\s?api[ _-]?key|未填写\s?api[ _-]?key|"
     r"api[ _-]?key\s?不能为空"),
    ((("config.missing_key", 0.92),),
     _NULL_KEY + r"(?s:.{0,800})" + _CREDENTIAL_FRAME + "|" + _CREDENTIAL_FRAME + r"(?s:.{0,300})" + _NULL_KEY),
    ((("config.missing_key", 0.88),),
     r"\bapi[ _-]?key not (?:provided|supplied|configured)\b|\bapi[ _-]?key was not provided\b"),
    # above the API's own "invalid key" reading: the key it rejected was the word undefined
    ((("config.missing_key", 0.95),),
     r"\bbearer (?:undefined|null|none)\b|"
     r"\b(?:x-api-key|api-key|x-goog-api-key)['\"]?\s*[:=]\s*['\"]?(?:undefined|null|none)\b"),
    ((("config.model_provider_missing", 0.94),),
     r"unable to infer model provider for|unsupported model_provider\s?=|unsupported \{ ?modelprovider:|"
     r"nosuchprovidererror|unmapped llm provider for this endpoint"),
    ((("config.model_provider_missing", 0.86),), r"model_info is required when model name is not"),
    ((("config.missing_key", 0.9),),
     "|".join(f"{verb}{gap}api[ _-]?key" for verb in ("填写", "输入", "填入") for gap in ("", " ", "您的", "您的 "))),
    ((("config.base_url_invalid", 0.9),),
     r"(?:enotfound|eai_again|failed to resolve|getaddrinfo failed for|lookup) '?[a-z0-9.-]+\.[a-z]{2,}"
     r"(?:%20|%0a|%0d|%09)"),
    ((("config.base_url_invalid", 0.9),),
     r"(?:invalidurlclienterror|client_exceptions\.invalidurl): (?!https?://)\S*/|nonhttpurlclienterror: \S+/|"
     r"invalid url '[^'\n]*': no scheme supplied|failed to parse url from (?!https?://)\S|"
     r"(?:err_invalid_url|invalid url)(?s:.{0,400})input: '(?!https?://)[^'\n]*/(?:v\d|chat|completions|messages|"
     r"models|api/|embeddings)"),
    # LangChain's AzureChatOpenAI validator: the Azure endpoint was given where openai>=1 reads another base URL
    ((("config.base_url_invalid", 0.88),), r"azure endpoints should be specified via the .azure_endpoint. param"),
    ((("config.base_url_invalid", 0.88),), "|".join(f"/{v}//[a-z]" for v in _VERSIONS)),
    ((("config.base_url_invalid", 0.86),),
     "|".join(f"(?<!cloudflare\\.com)/{v}/(?:[^\\s/'\"?<>]+/){{0,4}}?{_ANY_VERSION}/" for v in _VERSIONS)),
)

# Wordings that make a cause possible but do not name it (candidates only)
VAGUE: tuple[Row, ...] = (
    # .NET's null-argument check on a parameter named 'key' with no credential frame: an unset key variable passed
    # to ApiKeyCredential, or any Dictionary's null key
    ((("config.missing_key", 0.45),), r"value cannot be (?:null|an empty string)\.? \(parameter 'key'\)"),
    # httpx's URL parser on a doubled or stray port: in the base URL or in a proxy variable
    ((("config.base_url_invalid", 0.5), ("proxy.invalid_url", 0.45)), r"invalidurl: invalid port"),
)
