"""More of what clients print when they have no key to send (issue 16, keys class), read from their source.

Rows read by `transport.compiled()` right after its own client rows; same shape as `frameworks.SIGNS`.

- httpx/h11 and http.client refuse a header value with trailing whitespace: an empty key makes the SDK send
  "Bearer " and the client raises "Illegal header value b'Bearer '" (h11 `_headers.py`) or "Invalid header
  value b'Bearer '" (http.client) before anything is sent. With a key after "Bearer " it is a stray newline
  or space (`config.key_whitespace`, transport's row).
- openai-python's Azure client: "Missing credentials. Please pass one of `api_key`, `azure_ad_token`,
  `azure_ad_token_provider`, or the `AZURE_OPENAI_API_KEY` or `AZURE_OPENAI_AD_TOKEN` environment variables."
  (lib/azure.py; the OpenAI client's "Please pass an `api_key`, ..." is transport's row).
- LangChain.js: "OpenAI or Azure OpenAI API key or Token Provider not found" (langchain-openai's chat_models).
- aider: "Missing these environment variables:" then the names, one a line (aider/models.py sanity checks).
- Semantic Kernel (.NET): "The value cannot be an empty string or composed entirely of whitespace.
  (Parameter 'apiKey')" (Verify.NotNullOrWhiteSpace).
- frameworks class (issue 16), each read from the library's source:
  - pydantic-ai's providers: "Set the `GROQ_API_KEY` environment variable or pass it via `GroqProvider(api_key=...)`
    to use the Groq provider." (pydantic_ai/providers/*.py, one per provider, the same sentence);
  - AutoGen Studio: "api_key is not present in llm_config or OPENAI_API_KEY env variable for agent ** {name}**."
    (autogenstudio workflowmanager.py);
  - Gemini CLI: "When using Gemini API, you must specify the GEMINI_API_KEY environment variable." (packages/cli
    config/auth.ts validateAuthMethod);
  - google-generativeai: "No API_KEY or ADC found. Please either: - Set the `GOOGLE_API_KEY` environment variable."
    (google/generativeai/client.py, raised as DefaultCredentialsError);
  - LangChain.js Google GenAI: "Please set an API key for Google GenerativeAI in the environment variable
    GOOGLE_API_KEY or in the `apiKey` field of the ChatGoogleGenerativeAI constructor" (libs/langchain-google-genai);
  - Claude Code's status line: "Missing API key · Run /login" (its "Invalid API key · Please run /login" is the
    other state, a key that was refused);
  - huggingface_hub: "Token is required (`token=True`), but no token found." (utils/_headers.py
    LocalTokenNotFoundError);
  - the server's own "no credential arrived" at Bearer-style APIs: Replicate's 401 {"title": "Unauthenticated",
    "detail": "You did not pass an authentication token"}; "No API key supplied" (Cohere's 401 body, and apps'
    own check before the call).
- the grammar of "no key" itself (missing_key class, issue 16): apps, relays and SDK wrappers word it their own way
  ("Please provide an API key", "You must provide an API key", "Your API key is empty", "OPENAI_API_KEY is
  not defined", "请先配置API Key", "未配置 OpenAI API Key", "API密钥未设置", "没有找到API Key"), so the row is
  the shape all of them share, a key's noun with a word of absence before or after it, not each app's sentence. A
  server's "API key not found" is no part of it: there the key *was* sent and is unknown to the server (Cline's
  '401 "API key not found or invalid"'); the provider-named and environment forms ("OpenAI API key not found",
  "... not found in environment") are transport's rows. Weaker than the template rows, so an SDK's own sentence
  names the SDK.
"""

from __future__ import annotations

Row = tuple[tuple[tuple[str, float], ...], str]

# a key's noun: "API key", "api_key", "apiKey", "API token", "access token", "API 密钥", a variable's name
_KEY = (r"(?:api[ _-]?keys?|api[ _-]?token|access[ _-]token|api ?密钥|"
        r"\b[a-z][a-z0-9]*_(?:api_?key|api_token|access_token|auth_token)\b)")
_ABSENT_AFTER = (r"(?:is |was |has not been |have not been )?(?:missing|empty|blank|"
                 r"not (?:set|provided|configured|defined|supplied|given|specified|present|entered|filled)|"
                 r"为空|不能为空|缺失|未(?:设置|配置|提供|填写|找到|检测到|输入))")
# an app's hint after another error ("出错了，如果没有配置 API 密钥，请前往设置" under a Connection error,
# "... or the API key is missing"): a condition names a possibility, not what happened
_NOT_A_HINT = (r"(?<!如果)(?<!若)(?<!\bif )(?<!\bor )(?<!\bif the )(?<!\bif your )(?<!\bif an )(?<!\bor the )"
               r"(?<!\bor your )(?<!whether )")
_ABSENT_BEFORE = (r"(?:\bmissing|\bno|\bwithout|"
                  r"please (?:set|provide|enter|add|configure|specify|supply|input|fill in)|"
                  r"you must (?:provide|set|specify|supply)|must provide|请先?(?:设置|配置|输入|填写|提供|添加)|"
                  r"未(?:设置|配置|提供|填写|找到|检测到|输入)|没有(?:找到|设置|配置|提供)|缺少)")

SIGNS: tuple[Row, ...] = (
    ((("config.missing_key", 0.93),), r"(?:illegal|invalid) header value b?['\"]bearer ?['\"]"),
    ((("config.missing_key", 0.93),),
     r"missing credentials\. please pass one of `?api_key|"
     r"api key or token provider not found|"
     r"missing these environment variables:?\s*(?:-\s*)?[a-z][a-z0-9]*_(?:api_key|access_token|auth_token|key)\b|"
     r"cannot be an empty string or composed entirely of whitespace\. \(parameter '\w*api_?key'\)"),
    ((("config.missing_key", 0.93),),
     r"set the `?\w+_(?:api_key|token)`? environment variable or pass it via|"
     r"api_key is not present in llm_config|"
     r"you must specify the `?\w+_api_key`? environment variable|"
     r"no api_key or adc found|"
     r"please set an api key for [\w ]{2,40} in the environment variable|"
     r"missing api key\s*·\s*run /login|"
     r"token is required \(`?token=true`?\), but no token found"),
    # Replicate titles the same 401 "Unauthenticated", a word that alone reads as a refused key: the detail decides
    ((("config.missing_key", 0.94),), r"you did not pass an authentication token"),
    ((("config.missing_key", 0.88),), r"no api key supplied"),
    ((("config.missing_key", 0.86),),
     _NOT_A_HINT + _KEY + r"[\"'`]?\s{0,2}" + _ABSENT_AFTER + r"|" + _NOT_A_HINT + _ABSENT_BEFORE +
     r"\s{0,2}(?:(?:an?|your|the|valid|openai|anthropic|gemini|google|deepseek|groq|mistral)\s+){0,3}[\"'`]?" + _KEY),
)
