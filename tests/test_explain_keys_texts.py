# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""Keys, API answers and 404 paths read as a class (issue 16): real texts from tests/corpus (tuned part) and
the wordings the SDKs' own source prints.

Each text is quoted as its source printed it (keys masked as the source masked them); the comment names the
thread or the source file. The held-out corpus is never used here.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import reading

from llmdoctor.explain import explain

CASES = [
    # --- No key: SDKs' and frameworks' own words (read from their source)
    ("openai.OpenAIError: Missing credentials. Please pass one of `api_key`, `azure_ad_token`, `azure_ad_token_provider`, or the `AZURE_OPENAI_API_KEY` or `AZURE_OPENAI_AD_TOKEN` environment variables.",
     "config.missing_key"),  # openai-python src/openai/lib/azure.py
    ("Error: OpenAI or Azure OpenAI API key or Token Provider not found",
     "config.missing_key"),  # langchain-openai (JS) chat_models.ts
    ("Model gpt-4o: Missing these environment variables:\n- OPENAI_API_KEY",
     "config.missing_key"),  # aider/models.py sanity_check_model
    ("2023-06-14 11:40:17 ERROR    src.aclient -> Error while sending message: Illegal header value b'Bearer '",
     "config.missing_key"),  # https://github.com/Zero6992/chatGPT-discord-bot/issues/422 (h11: an empty key)
    ("Error code: 401 - {'error': {'message': 'Incorrect API key provided: OPENAI_A**_KEY. You can find your API key at https://platform.openai.com/account/api-keys.', 'type': 'invalid_request_error', 'param': None, 'code': 'invalid_api_key'}}",
     "config.key_placeholder"),  # https://github.com/fatma010/langchain_pandasai_streamlit/issues/6 (the variable's name sent: a stand-in never replaced)
    ("anthropic.AuthenticationError: Error code: 401 - {'type': 'error', 'error': {'type': 'authentication_error', 'message': 'x-api-key header is required'}}",
     "config.missing_key"),  # anthropic-python always sends X-Api-Key: the key it had was empty
    ("Error: Could not resolve authentication method. Expected either apiKey or authToken to be set. Or for one of the \"X-Api-Key\" or \"Authorization\" headers to be explicitly omitted\n    at validateHeaders (/$bunfs/root/claude:524:935)",
     "config.missing_key"),  # https://github.com/anthropics/claude-code/issues/10591 (anthropic-sdk-typescript validateHeaders)
    ("An error occurred while streaming the response: Missing key inputs argument! To use the Google AI API,provide (`api_key`) arguments. To use the Google Cloud API, provide (`vertexai`, `project` & `location`) arguments.",
     "config.missing_key"),  # https://github.com/a2aproject/A2A/issues/73 (google-genai _api_client.py)
    # SDKs' and frameworks' templates, verbatim from their sources
    ("pydantic_ai.exceptions.UserError: Set the `GROQ_API_KEY` environment variable or pass it via `GroqProvider(api_key=...)`to use the Groq provider.",
     "config.missing_key"),  # pydantic_ai_slim/pydantic_ai/providers/groq.py (pydantic/pydantic-ai#1164)
    ("Error occurred while processing message: api_key is not present in llm_config or OPENAI_API_KEY env variable for agent ** primary_assistant**. Update your workflow to provide an api_key to use the LLM.",
     "config.missing_key"),  # autogenstudio workflowmanager.py
    ("When using Gemini API, you must specify the GEMINI_API_KEY environment variable.\nUpdate your environment and try again (no reload needed if using .env)!",
     "config.missing_key"),  # gemini-cli packages/cli/src/config/auth.ts
    ("google.auth.exceptions.DefaultCredentialsError: \n  No API_KEY or ADC found. Please either:\n    - Set the `GOOGLE_API_KEY` environment variable.\n    - Manually pass the key with `genai.configure(api_key=my_api_key)`.",
     "config.missing_key"),  # google-generativeai google/generativeai/client.py
    ("Error: Please set an API key for Google GenerativeAI in the environment variable GOOGLE_API_KEY or in the `apiKey` field of the ChatGoogleGenerativeAI constructor",
     "config.missing_key"),  # langchain-google-genai (JS) chat_models.ts
    ("Missing API key \u00b7 Run /login",
     "config.missing_key"),  # Claude Code's status line (its bundled cli.js)
    ('{"title":"Unauthenticated","detail":"You did not pass an authentication token","status":401}',
     "config.missing_key"),  # Replicate's 401 with no token (replicate-python tests/test_run.py asserts it)
    # the grammar of "no key": a key's noun and a word of absence, in apps' own words
    ("Error: You must provide an API key", "config.missing_key"),
    ("请先配置API Key", "config.missing_key"),
    ("API密钥未设置", "config.missing_key"),
    # --- The key's shape, from the echo
    ("OpenAI API 调用错误：\n Incorrect API key provided: sk-xxxxxx. You can find your API key at https://platform.openai.com/account/api-keys.",
     "config.key_placeholder"),  # https://github.com/6dylan6/auto_comment/issues/44
    ("Error code: 401 - {'error': {'message': 'Incorrect API key provided: sk-.... You can find your API key at https://platform.openai.com/account/api-keys.', 'type': 'invalid_request_error', 'param': None, 'code': 'invalid_api_key'}}",
     "config.key_placeholder"),  # OpenAI's docs write "sk-..." for the key; an echoed real key keeps its last four
    ("dev.langchain4j.exception.AuthenticationException: {\n    \"error\": {\n        \"message\": \"Incorrect API key provided: demo. You can find your API key at https://platform.openai.com/account/api-keys.\",\n        \"code\": \"invalid_api_key\"\n    }\n}",
     "config.key_placeholder"),  # LangChain4j's docs' apiKey("demo"), valid only at its demo proxy
    ("401 Incorrect API key provided: https://********************************keys. You can find your API key at https://platform.openai.com/account/api-keys.",
     "config.key_malformed"),  # https://github.com/continuedev/continue/issues/10117 (a URL in the key field)
    ("401 Authentication Fails, Your api key: ****null is invalid",
     "config.missing_key"),  # https://github.com/continuedev/continue/issues/10019 (DeepSeek shows the last four: "null")
    ("401 Incorrect API key provided: You are ********************************************************************************************************tep.. You can find your API key at https://platform.openai.com/account/api-keys.",
     "config.key_malformed"),  # https://github.com/continuedev/continue/issues/10088 (a sentence in the key field)
    ("401 Incorrect API key provided: hello. You can find your API key at https://platform.openai.com/account/api-keys.",
     "config.key_malformed"),  # https://github.com/continuedev/continue/issues/12768
    ("  File \"/usr/local/lib/python3.10/http/client.py\", line 1260, in putheader\n    raise ValueError('Invalid header value %r' % (values[i],))\nValueError: Invalid header value b'Bearer dop_v1_XXXXXXXX7\\n'",
     "config.key_whitespace"),  # https://github.com/koalalorenzo/python-digitalocean/issues/354
    # --- A refused credential in other providers' words
    ("**Error: Invalid credentials in Authorization header**",
     "auth.invalid_key"),  # https://github.com/huggingface/mcp-course/issues/104
    ("huggingface_hub.utils._errors.BadRequestError:  (Request ID: Mq1mDWKbogI0AleJS0HJM)\n\nBad request:\nAuthorization header is correct, but the token seems invalid",
     "auth.invalid_key"),  # https://github.com/huggingface/huggingface_hub/issues/2507
    ('{"error":"api_key_expired","message":"This API key has expired."}',
     "auth.invalid_key"),  # the 401 body an API-key middleware sends, as its source writes it (res.status(401).json)
    ("Error raised by bedrock service: An error occurred (UnrecognizedClientException) when calling the InvokeModel operation: The security token included in the request is invalid.",
     "auth.invalid_key"),  # https://github.com/langchain-ai/langchain/issues/19677
    # --- Organization, project and model access
    ('Access denied: The request is not authorized, HTTP status: 401 - Detail: \nStatus: 401 (Unauthorized)\nErrorCode: invalid_organization\n\nContent:\n{\n    "error": {\n        "message": "",\n        "type": "invalid_request_error",\n        "param": null,\n        "code": "invalid_organization"\n    }\n}',
     "auth.permission_denied"),  # https://github.com/microsoft/semantic-kernel/issues/1274
    ("403 Project `proj_JMo3Q9spNIEWhSxusokLegJY` does not have access to model `gpt-4.1-2025-04-14`",
     "model.not_found"),  # https://github.com/continuedev/continue/issues/10120
    ("litellm.llms.openai.OpenAIError: Error code: 403 - {'error': {'message': 'Project `proj_uFBGSkr9FAbFof6HIsCIszAP` does not have access to model `gpt-4o`', 'type': 'invalid_request_error', 'param': None, 'code': 'model_not_found'}}",
     "model.not_found"),  # https://github.com/Aider-AI/aider/issues/604
    # --- Size: a 413 payload and a 400 context window are both too large; a TPM line over its limit too
    ("anthropic._exceptions.RequestTooLargeError: Error code: 413 - {'error': {'type': 'request_too_large', 'message': 'Request exceeds the maximum size'}}",
     "request.too_large"),  # https://github.com/anthropics/anthropic-sdk-python/issues/938
    ('Error: 413 {"type":"error","error":{"type":"invalid_request_error","message":"Request size exceeds model context window"},"request_id":"req_011CSPNDjJb37kb9tWgCojVg"}',
     "request.too_large"),  # https://github.com/anthropics/claude-code/issues/6358
    ("ValidationException: An error occurred (ValidationException) when calling the InvokeModel operation: 1 validation error detected: Value at 'body' failed to satisfy constraint: Member must have length less than or equal to 25000000",
     "request.too_large"),  # https://github.com/langchain-ai/langchain-aws/issues/419
    ("botocore.errorfactory.ValidationException: An error occurred (ValidationException) when calling the InvokeModel operation: Malformed input request: expected maxLength: 42000, actual: 46735, please reformat your input and try again.",
     "request.too_large"),  # https://github.com/ryanadoty/Amazon-Bedrock-Amazon-RDS-POC/issues/9
    ("2024/08/08 08:32:39 run encounterd an error: error, status code: 400, message: Invalid 'messages[17].content': string too long. Expected a string with maximum length 1048576, but got a string with length 1744259 instead. with error output: ",
     "request.too_large"),  # https://github.com/gptscript-ai/clio/issues/41
    # --- Quota against rate limit, whatever the status says
    ("issactrotts@Issacs-MacBook-Pro ~> llm 'What are some good names for a puppy'\nError: Error code: 429 - {'error': {'message': 'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.', 'type': 'insufficient_quota', 'param': None, 'code': 'insufficient_quota'}}",
     "quota.insufficient"),  # https://github.com/simonw/llm/issues/494
    ("InternalServerError. Cause: Error code: 500 - {'error': {'message': \"Error code: 429 - {'error': {'code': 429, 'message': 'Quota exceeded for aiplatform.googleapis.com/online_prediction_tokens_per_minute_per_base_model with base model: anthropic-claude-3-haiku. Please submit a quota increase request. https://cloud.google.com/vertex-ai/docs/generative-ai/quotas-genai.', 'status': 'RESOURCE_EXHAUSTED'}}\", 'type': None, 'param': None, 'code': 500}}",
     "ratelimit.exceeded"),  # https://github.com/BerriAI/litellm/issues/4259 (a per-minute quota inside a 500)
    # --- A 404 that names one path: the base URL's shape, or another API's route
    ('OpenAI: {"message":"Route not found"} (code: 404)',
     "config.base_url_invalid"),  # https://github.com/chatpire/chatgpt-web-share/issues/164
    ('模型接口 HTTP 404: {"timestamp":"...","status":404,"error":"Not Found","path":"/v4/v1/chat/completions"}',
     "config.base_url_invalid"),  # https://github.com/simonlin1212/Vibe-Research/pull/22
    ("NotFoundError: Error code: 404 - {'error': {'type': 'invalid_request_error', 'code': 'unknown_url', 'message': 'Unknown request URL: POST /chat/completions. Please check the URL for typos, or see the docs at https://platform.openai.com/docs/api-reference/.', 'param': None}}",
     "config.base_url_invalid"),  # https://github.com/artificial-julien/docker-nginx-openai-api-cache/issues/2
    ('server-1  |   File "/app/memgpt/memgpt/local_llm/llamacpp/api.py", line 41, in get_llamacpp_completion\nserver-1  |     raise Exception(\nserver-1  | Exception: API call got non-200 response code (code=404, msg={"detail":"Not Found"}) for address: http://llm-server:5000/v1/completion. Make sure that the llama.cpp server is running and reachable at http://llm-server:5000/v1/completion.',
     "endpoint.not_found"),  # https://github.com/letta-ai/letta/issues/1108 (llama.cpp's route at another server)
    ('curl http://localhost:8000/generate -d \'{"prompt": "Below is an instruction", "max_tokens":256}\'\n\nINFO:     127.0.0.1:55766 - "POST /generate HTTP/1.1" 404 Not Found\nINFO:     127.0.0.1:45622 - "GET /generate HTTP/1.1" 404 Not Found',
     "endpoint.not_found"),  # https://github.com/vllm-project/vllm/issues/5082
    ("Something went wrong during completion. Reason: Invalid response object from API: '404 Not Found' (HTTP response code was 404)",
     "config.base_url_invalid"),  # https://github.com/father-bot/chatgpt_telegram_bot/issues/419 (a plain-text 404)
    ("Ollama API returned an error 404: 404 page not found",
     "config.base_url_invalid"),  # https://github.com/ivanfioravanti/chatbot-ollama/issues/26 (Go's router 404: "//api/chat")
    # ollama#4125's bare "Client error '404 Not Found' for url '.../api/chat'" is the same line llama_index#12985
    # confirmed as an unpulled model: candidates (tests/test_explain_config_shapes.py)
    ("ValueError: Ollama call failed with status code 404. Details: model '7430' not found, try pulling it first",
     "model.not_found"),  # https://github.com/PromptEngineer48/Ollama/issues/9 (Ollama's 404 on its own route: the model)
]


@pytest.mark.parametrize(("text", "cause"), CASES)
def test_key_and_api_texts_read_right(text: str, cause: str) -> None:
    result = explain(text)
    assert reading(result) == cause, [(c.id, c.confidence) for c in result.causes[:3]]


# "No key in our header" with nothing saying who sent the request: an empty key or a Bearer header
_OPEN = [
    "Error 401: Missing Authorization Header",  # https://github.com/cline/cline/issues/9522
    '{"error":"Missing or invalid Authorization header"}',  # https://github.com/yushangxiao/claude2api/issues/1
    "401 Authentication Fails (auth header format should be Bearer sk-...)",  # https://github.com/continuedev/continue/issues/10056
    "Optimization failed: 401 Authentication Fails (auth header format should be Bearer sk-...)",  # https://github.com/linshenkx/prompt-optimizer/issues/170
    "Claude error: (HTTP/2 401) x-api-key header is required",  # https://github.com/karthink/gptel/issues/354
    'message:401 - "{\\"type\\":\\"error\\",\\"error\\":{\\"type\\":\\"authentication_error\\",\\"message\\":\\"x-api-key header is required\\"},\\"request_id\\":\\"req_011CeoTSFhazbsMgs7N3Vw7V\\"}"name:AxiosErrorstack:AxiosError: Request failed with status code 401',  # https://github.com/n8n-io/n8n/issues/37930
]


@pytest.mark.parametrize("text", _OPEN)
def test_a_missing_own_header_leaves_empty_key_and_bearer_header_open(text: str) -> None:
    result = explain(text)
    assert result.ambiguous and not result.recognised
    assert "config.missing_key" in {c.id for c in result.causes}
    assert {"auth.wrong_header", "auth.invalid_key"} & {c.id for c in result.causes}
    assert all(result.tells[c.id] for c in result.causes[:2])


def test_an_expired_self_signed_token_is_the_clock_or_a_stale_token_not_the_key() -> None:
    # https://github.com/MetaGLM/zhipuai-sdk-python-v4/issues/8: a new key answered the same
    result = explain('APIAuthenticationError(\'Error code: 401, with error text {"error":{"code":"1003","message":'
                     '"Authorization Token已过期，请重新生成/获取。"}}\')')
    assert result.ambiguous and {"tls.clock_skew", "auth.invalid_key"} <= {c.id for c in result.causes}


def test_a_bearer_header_in_the_paste_says_wrong_header() -> None:
    # constructed from Anthropic's documented answer and a header dump in the shape qwen-code#4323 printed
    text = ('"headers":{"Anthropic-Version":"2023-06-01","Authorization":"Bearer sk-xxx-my-api-key"}\n'
            '401 {"type":"error","error":{"type":"authentication_error","message":"x-api-key header is required"}}')
    assert reading(explain(text)) == "auth.wrong_header"


def test_the_cli_exits_1_and_says_the_text_does_not_tell() -> None:
    done = subprocess.run([sys.executable, "-m", "llmdoctor", "explain", _OPEN[0]], capture_output=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "NO_COLOR": "1"})
    assert done.returncode == 1, done.stderr
    assert b"does not tell" in done.stdout


def test_a_hint_that_names_a_missing_key_under_another_error_is_no_verdict() -> None:
    # https://github.com/CherryHQ/cherry-studio/issues/248: the app's hint ("if no API key is configured, ...") under
    # the SDK's bare "Connection error."
    result = explain("出错了，如果没有配置 API 密钥，请前往设置 > 模型提供商中配置密钥 Error: Connection error.")
    assert result.ambiguous and not result.recognised


def test_the_cli_names_a_variable_name_sent_as_the_key_a_placeholder() -> None:
    # https://github.com/AutoCodeRoverSG/auto-code-rover/issues/63: "OPENAI_A**_KEY" is the name "OPENAI_API_KEY" sent
    # as the key's text (docs/causes.md: config.key_placeholder, "a value copied from an example")
    text = ("openai.AuthenticationError: Error code: 401 - {'error': {'message': 'Incorrect API key provided: "
            "OPENAI_A**_KEY. You can find your API key at https://platform.openai.com/account/api-keys.', 'type': "
            "'invalid_request_error', 'param': None, 'code': 'invalid_api_key'}}")
    done = subprocess.run([sys.executable, "-m", "llmdoctor", "explain", text], capture_output=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "NO_COLOR": "1"})
    assert done.returncode == 1, done.stderr
    out = done.stdout.decode()
    assert "Verdict: The API key is a placeholder, not a real key" in out
    assert "auth.key_wrong_provider" not in out  # a variable's name is no other service's key prefix
