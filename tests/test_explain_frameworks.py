# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""What LLM frameworks, gateways and coding agents print when a call fails, read by the inner error they carry.

Real texts from the tuned corpus (tests/corpus/framework.jsonl) and from public threads, quoted as their sources
printed them (keys masked as the sources masked them); the URL is where the cause was confirmed. The held-out
corpus is never used here. The wording families come from the projects' sources (LiteLLM's http_handler and
Router, n8n's NodeApiError tables, the Vercel AI SDK's errors, OpenRouter's error envelope, aiohttp's
ClientResponseError), cited in llmdoctor/explain/wrappers.py and llmdoctor/signatures/frameworks.py.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from helpers import reading

from llmdoctor.cli import main
from llmdoctor.explain import explain

CASES = [
    # --- LiteLLM's "Connection timed out" is any httpx timeout: the seconds tell the step
    ("litellm.exceptions.APIConnectionError: litellm.APIConnectionError: OllamaException - litellm.Timeout: Connection timed out after 600.0 seconds.",
     "net.read_timeout"),  # https://github.com/NanoNets/docext/issues/21
    ("litellm.exceptions.APIConnectionError: litellm.APIConnectionError: OllamaException - litellm.Timeout: Connection timed out. Timeout passed=600.0, time taken=579.681 seconds",
     "net.read_timeout"),  # https://github.com/agent0ai/agent-zero/issues/610
    ("ERROR:root:LiteLLM call failed: litellm.APIConnectionError: OllamaException - litellm.Timeout: Connection timed out after 600.0 seconds.",
     "net.read_timeout"),  # https://github.com/BerriAI/litellm/issues/7996
    # ... a timeout shorter than the deployment's configured one: the client's timeout cut the call
    ("openai.InternalServerError: Error code: 504 - {'error': 'litellm.Timeout: APITimeoutError - Request timed out. Error_str: Request timed out. - timeout value=60.0, time taken=60.01 seconds\\n\\nDeployment Info: request_timeout: None\\ntimeout: 300.0. Received Model Group=mistral-small-3.1-24b\\nAvailable Model Group Fallbacks=None LiteLLM Retried: 1 times, LiteLLM Max Retries: 2'}",
     "net.client_timeout_too_short"),  # https://github.com/TU-Wien-dataLAB/aqueduct/issues/21
    # --- the provider's words inside the wrapper
    ("stream disconnected before completion: An error occurred while processing your request. You can retry your request, or contact us through our help center at help.openai.com if the error persists. Please include the request ID ec79568e-8bfd-4516-8b38-519f9f6a6b8e in your message.",
     "server.error"),  # https://github.com/openai/codex/issues/27684
    ('utils: {"message":"Provider returned error","code":401,"metadata":{"raw":"{\\"type\\":\\"error\\",\\"error\\":{\\"type\\":\\"authentication_error\\",\\"message\\":\\"invalid x-api-key\\"}}","provider_name":"Anthropic","isDownstreamPipeClean":true,"isErrorUpstreamFault":true}}',
     "relay.upstream_key_rejected"),  # https://github.com/OpenRouterTeam/ai-sdk-provider/issues/24
    # --- aiohttp's "N, message='...'" after an app's own prefix (Open WebUI)
    ("Ollama: 500, message='Internal Server Error', url=URL('http://localhost:11434/api/chat')",
     "server.error"),  # https://github.com/open-webui/open-webui/issues/3553
    # --- n8n's canned sentences stand for the status or the error code they replaced
    ("Authorization failed - please check your credentials\n401 status code (no body) Troubleshooting URL: https://docs.langchain.com/oss/javascript/langchain/errors/MODEL_AUTHENTICATION/",
     "auth.invalid_key"),  # https://github.com/n8n-io/n8n/issues/32813
    ("The service is receiving too many requests from you\nYou exceeded your current quota, please check your plan and billing details.\nFor more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors",
     "quota.insufficient"),  # https://github.com/n8n-io/n8n/issues/19356
    # --- the coding agents' subscription windows used up (Claude Code, Codex CLI and the ChatGPT backend under it)
    ("Claude usage limit reached. Your limit will reset at 3pm (America/Bogota).",
     "quota.insufficient"),  # https://github.com/anthropics/claude-code/issues/2490
    ("You've hit your limit - resets Feb 7, 11am (Asia/Seoul)/login to switch to an API usage-billed account.",
     "quota.insufficient"),  # https://github.com/anthropics/claude-code/issues/22976
    ("\u25a0 You've hit your usage limit. Upgrade to Pro (https://openai.com/chatgpt/pricing) or try again in 5 days 22 hours 11 minutes.",
     "quota.insufficient"),  # https://github.com/openai/codex/issues/3899
    ('{"error":{"type":"usage_limit_reached","message":"The usage limit has been reached","plan_type":"free","resets_at":1775317531,"resets_in_seconds":602705}}',
     "quota.insufficient"),  # https://github.com/james-6-23/codex2api/issues/9
    # --- wrappers whose inner error already decided (kept read right)
    ("APIConnectionError: litellm.APIConnectionError: OllamaException - [WinError 10061] No connection could be made because the target machine actively refused it",
     "net.connect_refused"),  # https://github.com/BerriAI/litellm/issues/32898
    ('litellm.exceptions.RateLimitError: litellm.RateLimitError: AnthropicException - {"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate limit for your organization (XXXXXX) of 40,000 input tokens per minute. For details, refer to: https://docs.anthropic.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase."}}',
     "ratelimit.exceeded"),  # https://github.com/HKUDS/AutoAgent/issues/58
    ("Retrying langchain.chat_models.openai.acompletion_with_retry.<locals>._completion_with_retry in 4.0 seconds as it raised RateLimitError: You exceeded your current quota, please check your plan and billing details..",
     "quota.insufficient"),  # https://github.com/langchain-ai/langchain/issues/11914
    ("LoadAPIKeyError [AI_LoadAPIKeyError]: Google Generative AI API key is missing. Pass it using the 'apiKey' parameter. Environment variables is not supported in this environment.",
     "config.missing_key"),  # https://github.com/stackblitz-labs/bolt.diy/issues/155
    ("API Error: 529 Overloaded. This is a server-side issue, usually temporary \u2014 try again in a moment. If it persists, check https://status.claude.com/.",
     "server.overloaded"),  # https://github.com/anthropics/claude-code/issues/87317
    ('{\n  "cause": {\n    "name": "ConnectTimeoutError",\n    "code": "UND_ERR_CONNECT_TIMEOUT",\n    "message": "Connect Timeout Error"\n  }\n}',
     "net.connect_timeout"),  # https://github.com/ChatGPTNextWeb/NextChat/issues/4082
    # --- frameworks' own templates around the provider's answer (pydantic-ai, the AI SDK's RetryError, Spring AI)
    ('pydantic_ai.exceptions.ModelHTTPError: status_code: 429, model_name: mistral-medium-latest, body: {"message":"Requests rate limit exceeded"}',
     "ratelimit.exceeded"),  # https://github.com/pydantic/pydantic-ai/issues/1885
    ("\u2a2f AI_RetryError: Failed after 3 attempts. Last error: Rate limit reached for gpt-4o-mini in organization org-... on tokens per min (TPM): Limit 200000, Used 199821, Requested 2295. Please try again in 634ms. Visit https://platform.openai.com/account/rate-limits to learn more.",
     "ratelimit.exceeded"),  # https://github.com/vercel/ai/issues/2637
    ("org.springframework.ai.retry.NonTransientAiException: HTTP 404 - 404 page not found\n\n\tat org.springframework.ai.retry.autoconfigure.SpringAiRetryAutoConfiguration$2.handleError(SpringAiRetryAutoConfiguration.java:109) ~[spring-ai-autoconfigure-retry-1.0.1.jar:1.0.1]",
     "config.base_url_invalid"),  # https://github.com/l-trotta/rag-with-java-springai-elasticsearch/issues/3
    # a Dify tool wrapper says the key is invalid; the inner error is a refused connection
    ('PluginInvokeError: {"args":{},"error_type":"ToolProviderCredentialValidationError","message":"GitHub API Key and Api Version is invalid. HTTPSConnectionPool(host=\'api.github.com\', port=443): Max retries exceeded with url: /search/users?q=charli117 (Caused by NewConnectionError(\'\\u003curllib3.connection.HTTPSConnection object at 0x7fbc1c491310\\u003e: Failed to establish a new connection: [Errno 111] Connection refused\'))"}',
     "net.connect_refused"),  # https://github.com/langgenius/dify/issues/21836
    # OpenAI's sentence for a 500, which the AI SDK's RetryError passes on without the status
    # (packages/ai/src/util/retry-with-exponential-backoff.ts: "Failed after N attempts. Last error: <message>")
    ("RetryError [AI_RetryError]: Failed after 3 attempts. Last error: The server had an error while processing your request. Sorry about that!",
     "server.error"),
    # LobeChat's runtime throws InvalidProviderAPIKey from the provider's constructor for an empty key: no body
    ("{ error: undefined, errorType: 'InvalidProviderAPIKey' }\nError [TRPCError]: InvalidProviderAPIKey\n    at <unknown> (.next/server/chunks/55570.js:1833:19) {\n  cause: undefined,\n  code: 'INTERNAL_SERVER_ERROR'\n}",
     "config.missing_key"),  # https://github.com/lobehub/lobehub/issues/7764 (knowledge base with only Ollama set up)
    # ... and a provider's 401 under the same type carries the provider's body, which decides
    ('{"error":{"error":{"message":"Incorrect API key provided: sk-abc***wxyz.","type":"invalid_request_error","code":"invalid_api_key"},"status":401},"errorType":"InvalidProviderAPIKey","provider":"openai"}',
     "auth.invalid_key"),  # the shape packages/model-runtime's handleOpenAIError gives a 401
]


@pytest.mark.parametrize(("text", "cause"), CASES)
def test_framework_texts_read_by_their_inner_error(text: str, cause: str) -> None:
    result = explain(text)
    assert reading(result) == cause, [(c.id, c.confidence) for c in result.causes[:3]]


@pytest.mark.parametrize("text", [
    # a short LiteLLM budget alone: the server hung, or the budget was too small, or the connect
    "litellm.Timeout: AnthropicException - litellm.Timeout: Connection timed out. Timeout passed=45.0, time taken=45.301 seconds",  # LiteLLM's http_handler wording, as a MiniMax user's debug notes quote it
    # the wrapper says only "Connection error." (the openai SDK's APIConnectionError inside LiteLLM or Dify)
    "litellm.APIError: APIError: OpenAIException - Connection error.\nRetrying in 0.2 seconds...\nlitellm.APIError: APIError: OpenAIException - Connection error.",  # https://github.com/Aider-AI/aider/issues/2812
    '{"code": "invalid_param", "message": "Connection error.", "status": 400}',  # https://github.com/langgenius/dify/issues/14737
    "API Error (Request timed out.) \u00b7 Retrying in 1 seconds\u2026 (attempt 2/10)",  # https://github.com/anthropics/claude-code/issues/4699
    # LiteLLM's placeholder 500 around the openai SDK's bare "Connection error." (the exception line of the thread,
    # and the whole retry line it came in)
    "litellm.InternalServerError: InternalServerError: OpenAIException - Connection error..",  # https://github.com/BerriAI/litellm/issues/33969
    "Retrying <unknown> in 8 seconds as it raised InternalServerError: litellm.InternalServerError: InternalServerError: OpenAIException - Connection error..",  # https://github.com/BerriAI/litellm/issues/33969
    # Codex CLI's idle timer (codex-rs codex-api sse/responses.rs) runs before the first SSE event too: a stalled
    # stream, a slow first event or a buffering proxy; reqwest's body Decode error: a cut or a broken chunked body
    "stream disconnected before completion: idle timeout waiting for SSE",  # https://github.com/openai/codex/issues/3229 (the thread's title line)
    "stream disconnected before completion: Transport error: error decoding response body",  # reqwest's Kind::Decode Display under Codex's CodexErr::Stream
    # LobeChat's sentence for InvalidProviderAPIKey names both an empty and a wrong key (locales/*/error.json)
    "The LobeHun API Key is incorrect or blank. Please check your LobeHub API Key and try later.",  # https://github.com/lobehub/lobehub/issues/8929
    # Open WebUI's toast for any failed fetch to its backend or Ollama
    "When I try to download a model through the WebUI, I encounter an error: Open WebUI: Server Connection Error, and I get a notification that the download has been canceled.",  # https://github.com/ollama/ollama/issues/6384
])
def test_framework_texts_that_do_not_name_a_cause_exit_1(text: str) -> None:
    result = explain(text)
    assert result.ambiguous and not result.recognised
    proc = CliRunner().invoke(main, ["explain", "--json", "-"], input=text)
    assert proc.exit_code == 1


def test_a_long_litellm_wait_is_not_called_a_connect_timeout() -> None:
    """The wrapper's "Connection timed out" is not the evidence: after 600 s no TCP connect was still pending."""
    result = explain("litellm.Timeout: Connection timed out after 600.0 seconds.")
    assert reading(result) == "net.read_timeout"
    assert "net.connect_timeout" not in [c.id for c in result.causes]


@pytest.mark.parametrize(("sentence", "cause"), [
    # n8n's NodeError sentences, verbatim from its source (packages/workflow/src/errors/abstract/node.error.ts,
    # COMMON_ERRORS, and node-api.error.ts, STATUS_CODE_MESSAGES): each stands for the code or status it replaced
    ("NodeApiError: The service refused the connection - perhaps it is offline", "net.connect_refused"),
    ("The connection cannot be established, this usually occurs due to an incorrect host (domain) value", "dns.failure"),
    ("The host is unreachable, perhaps the server is offline", "net.unreachable"),
    ("The service was not able to process your request", "server.error"),
    ("Gateway timed out - perhaps try again later?", "gateway.error"),
    # ECONNRESET's sentence, a bare 404's and a bare 429's stay as open as the code or status alone
    ("The connection to the server was closed unexpectedly, perhaps it is offline. You can retry the request immediately or wait and retry later.", "ambiguous"),
    ("The resource you are requesting could not be found", "ambiguous"),
    ("The service is receiving too many requests from you", "ambiguous"),
])
def test_n8n_sentences_read_as_the_code_or_status_they_replaced(sentence: str, cause: str) -> None:
    assert reading(explain(sentence)) == cause
