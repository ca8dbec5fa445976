# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""Configuration shapes as frameworks and SDKs report them (issue 16: base URL, missing key, provider).

Real texts from tests/corpus (tuned part), each with the URL where it comes from and where its cause was
confirmed, then wordings read from the clients' source (signatures/config_shapes.py says where each is
raised). The held-out corpus is never used here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import reading

from llmdoctor.cli import main
from llmdoctor.explain import explain

REAL = [
    # a base URL that ended in a slash: the server logs an empty segment after the version
    ('The vllm log displays "GET /v1//models HTTP/1.1" 404 Not Found',
     "config.base_url_invalid"),  # https://github.com/open-webui/open-webui/issues/12117
    # the version twice in one path: the base URL already held what the client appends
    ("我用[1.1.0.0]和[1.1.2.0]版本配置的base_url是https://dashscope.aliyuncs.com/compatible-mode/v1，调用后报错org.springframework.ai.retry.NonTransientAiException: HTTP 404 - No response body available，\n调试发现最后生成的url是https://dashscope.aliyuncs.com/compatible-mode/v1/api/v1/services/aigc/text-generation/generation，这是为什么。",
     "config.base_url_invalid"),  # https://github.com/alibaba/spring-ai-alibaba/issues/4495
    ("但 `google-genai` SDK 内部会自动拼接 `/v1beta` 前缀，导致实际请求 URL 变成：\n\n```\nPOST https://generativelanguage.googleapis.com/v1beta/v1beta/models/xxx:streamGenerateContent\n```\n\n路径重复，API 返回 **404 Not Found**。",
     "config.base_url_invalid"),  # https://github.com/hugohe3/ppt-master/issues/24
    # a router's own 404 body with no status printed, for a path without the version
    ('[dev.snowdrop.ai.langchain4j.LangChain4jClient.main()] INFO dev.langchain4j.http.client.log.LoggingHttpClient - HTTP request:\n- method: POST\n- url: https://ai.codeengine.appdomain.cloud/messages\n- headers: [x-api-key: sk-2K...Ig], [anthropic-version: 2023-06-01], [Content-Type: application/json]\n\ndev.langchain4j.exception.ModelNotFoundException: {"detail":"Not Found"}\n        at dev.langchain4j.internal.ExceptionMapper$DefaultExceptionMapper.mapHttpStatusCode(ExceptionMapper.java:62)',
     "config.base_url_invalid"),  # https://github.com/langchain4j/langchain4j/issues/3821
    # LM Studio's answer for a path outside its /v1
    ("Unexpected endpoint or method. (POST /chat/completions). Returning 200 anyway",
     "config.base_url_invalid"),  # https://github.com/p-wegner/coding-aider/issues/83
    ("raise self._make_status_error_from_response(err.response) from None\nopenai.NotFoundError: Error code: 404 - {'error': {'type': 'invalid_request_error', 'code': 'unknown_url', 'message': 'Unknown request URL: POST /chat/completions. Please check the URL for typos, or see the docs at https://platform.openai.com/docs/api-reference/.', 'param': None}}",
     "config.base_url_invalid"),  # https://github.com/stitionai/devika/issues/456
    # .NET: ApiKeyCredential's argument check, with the credential frame under it
    ("Unhandled exception. System.ArgumentNullException: Value cannot be null. (Parameter 'key')\n   at System.ClientModel.Internal.Argument.AssertNotNullOrEmpty(String value, String name)\n   at System.ClientModel.ApiKeyCredential.Update(String key)\n   at System.ClientModel.ApiKeyCredential..ctor(String key)\n   at Program.<Main>$(String[] args) in /workspaces/Generative-AI-for-test/02-SetupDevEnvironment/src/BasicChat-01MEAI/Program.cs:line 11",
     "config.missing_key"),  # https://github.com/microsoft/Generative-AI-for-beginners-dotnet/issues/119
    # frameworks' own "no key" and "no provider"
    ("docker-flowise-1  | 2023-11-07 04:43:08 [ERROR]: OpenAI or Azure OpenAI API key not found\ndocker-flowise-1  | Error: OpenAI or Azure OpenAI API key not found\ndocker-flowise-1  |     at new ChatOpenAI (/usr/local/lib/node_modules/flowise/node_modules/langchain/dist/chat_models/openai.cjs:288:19)",
     "config.missing_key"),  # https://github.com/FlowiseAI/Flowise/issues/1186
    ("Sent content:\n<content>\n\nWaiting for model response...\n2024/02/09 15:35:25 error, status code: 401, message: You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
     "config.missing_key"),  # https://github.com/gptscript-ai/gptscript/issues/17
    ("throw new Error('Missing OPENAI_API_KEY or OPENAI_ACCESS_TOKEN environment variable')  请问这个是什么原因我都填写了啊",
     "config.missing_key"),  # https://github.com/Chanzhaoyu/chatgpt-web/issues/1560
    ("- **Message:** Invalid LLM configuration: Failed to validate LLM configuration: litellm.BadRequestError: LLM Provider NOT provided. Pass in the LLM provider you are trying to call. You passed model=LongCat/openai/LongCat-Flash-Lite\n Pass model as E.g. For 'Huggingface' inference endpoints pass in `completion(model='huggingface/starcoder',..)` Learn more: https://docs.litellm.ai/docs/providers",
     "config.model_provider_missing"),  # https://github.com/MODSetter/SurfSense/issues/1404
    ("File \"C:\\Users\\xmehaut\\AppData\\Local\\Programs\\Python\\Python312\\Lib\\site-packages\\litellm\\llms\\OpenAI\\openai.py\", line 1704, in completion\nraise OpenAIError(\nlitellm.llms.OpenAI.openai.OpenAIError: Error code: 401 - {'error': {'message': 'Incorrect API key provided: AIzaSyCx***************************-uoo. You can find your API key at https://platform.openai.com/account/api-keys.', 'type': 'invalid_request_error', 'param': None, 'code': 'invalid_api_key'}}",
     "auth.key_wrong_provider"),  # https://github.com/stanfordnlp/dspy/issues/1977
]

# Wordings read from the clients' source (where each is raised: signatures/config_shapes.py)
FROM_SOURCE = [
    ("zhipuai.core._errors.ZhipuAIError: 未提供api_key，请通过参数或环境变量提供", "config.missing_key"),
    ("System.ArgumentException: Value cannot be an empty string. (Parameter 'key')\n   at Azure.AzureKeyCredential..ctor(String key)", "config.missing_key"),
    ("System.ArgumentNullException: Value cannot be null. (Parameter 'credential')\n   at OpenAI.OpenAIClient..ctor(ApiKeyCredential credential, OpenAIClientOptions options)", "config.missing_key"),
    ("Error: 401 {\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}\nrequest headers: { 'x-api-key': 'undefined', 'anthropic-version': '2023-06-01' }", "config.missing_key"),
    ("Authorization: Bearer undefined", "config.missing_key"),
    ("Error: 请先在设置中填写 API Key", "config.missing_key"),
    ("ValueError: Unable to infer model provider for model='qwen-plus', please specify model_provider directly.", "config.model_provider_missing"),
    ("Error: Unable to infer model provider for { model: qwen-max }, please specify modelProvider directly.", "config.model_provider_missing"),
    ("ValueError: Unsupported model_provider='foo'. Supported model providers are: anthropic, openai", "config.model_provider_missing"),
    ("AI_NoSuchProviderError: No such provider: myprovider", "config.model_provider_missing"),
    ("litellm.exceptions.BadRequestError: litellm.BadRequestError: Unmapped LLM provider for this endpoint. You passed model=nomic-embed-text, custom_llm_provider=ollama_chat. Check supported provider and route: https://docs.litellm.ai/docs/providers", "config.model_provider_missing"),
    ("ValueError: model_info is required when model name is not a valid OpenAI model", "config.model_provider_missing"),
    ("requests.exceptions.MissingSchema: Invalid URL 'api.openai.com/v1/chat/completions': No scheme supplied. Perhaps you meant https://api.openai.com/v1/chat/completions?", "config.base_url_invalid"),
    ("TypeError: Failed to parse URL from localhost:11434/api/chat", "config.base_url_invalid"),
    ("aiohttp.client_exceptions.InvalidUrlClientError: api.openai.com/v1/chat/completions", "config.base_url_invalid"),
    ("aiohttp.client_exceptions.NonHttpUrlClientError: htps://api.openai.com/v1/chat/completions", "config.base_url_invalid"),
    ("TypeError [ERR_INVALID_URL]: Invalid URL\n    at new NodeError (node:internal/errors:405:5)\n    at new URL (node:internal/url:676:13) {\n  input: 'localhost:11434/v1/chat/completions',\n  code: 'ERR_INVALID_URL'\n}", "config.base_url_invalid"),
    ("Error: getaddrinfo ENOTFOUND api.openai.com%20", "config.base_url_invalid"),
    ("ValueError: As of openai>=1.0.0, Azure endpoints should be specified via the `azure_endpoint` param not `openai_api_base` (or alias `base_url`).", "config.base_url_invalid"),
    ("org.springframework.ai.retry.NonTransientAiException: HTTP 404 - No response body available", "config.base_url_invalid"),
    ("POST https://api.deepseek.com/v1/api/v1/chat/completions 404", "config.base_url_invalid"),
]


@pytest.mark.parametrize(("text", "cause"), [*REAL, *FROM_SOURCE])
def test_configuration_shapes_read_as_their_cause(text: str, cause: str) -> None:
    result = explain(text)
    assert reading(result) == cause, [(c.id, c.confidence) for c in result.causes[:3]]


@pytest.mark.parametrize("text", [
    # Ollama answers 404 on /api/chat for a model it has not pulled and for a route it lacks; the bare status line
    # shows neither body (the two threads confirmed one cause each for this same line)
    "HTTPStatusError: Client error '404 Not Found' for url 'http://127.0.0.1:11434/api/chat'",  # https://github.com/ollama/ollama/issues/4125
    "INFO:httpx:HTTP Request: POST http://localhost:11434/api/chat \"HTTP/1.1 404 Not Found\"\nHTTP Request: POST http://localhost:11434/api/chat \"HTTP/1.1 404 Not Found\"\nAn error occurred: Client error '404 Not Found' for url 'http://localhost:11434/api/chat'",  # https://github.com/run-llama/llama_index/issues/12985
    # a header missing, without a word of which client sent the request: an empty key or the key in another header
    'This code fails with the "400 (Missing Authorization header)" error.',  # https://github.com/Azure/azure-sdk-for-net/issues/44488
    # .NET's argument check on 'key' with no credential frame: any Dictionary's null key says the same
    "I have made the code changes per the tutorial but encountering a \"Value cannot be null. (Parameter 'key')\" error.",  # https://github.com/microsoft/Generative-AI-for-beginners-dotnet/issues/61
    # a relay's own validation with the status and nothing else
    'error response:\n``` json\n{\n    "code": "invalid_param",\n    "message": "Credentials validation failed with status code 404",\n    "status": 400\n}\n```',  # https://github.com/langgenius/dify/issues/5419
    "    raise HTTPError(http_error_msg, response=self)\nrequests.exceptions.HTTPError: 404 Client Error: Not Found for url: http://localhost:11434/v1/chat/completions",  # https://github.com/bigsk1/voice-chat-ai/issues/22
    # httpx's URL parser: the base URL's port or the proxy URL's
    "httpx.InvalidURL: Invalid port: ':11434:11434'",
    # Cloudflare's AI Gateway nests the provider's versioned path under its own /v1: no doubled base
    "requests.exceptions.HTTPError: 404 Client Error: Not Found for url: https://gateway.ai.cloudflare.com/v1/abc/gw/anthropic/v1/messages",
])
def test_configuration_texts_that_do_not_tell_exit_1(text: str) -> None:
    result = explain(text)
    assert result.ambiguous and not result.recognised, [(c.id, c.confidence) for c in result.causes[:3]]
    proc = CliRunner().invoke(main, ["explain", "--json", "-"], input=text)
    assert proc.exit_code == 1


def test_an_ollama_route_answered_by_go_routers_page_is_the_route() -> None:
    """Go's "404 page not found" is the router's: no such route, whatever the model (ollama#1467)."""
    text = 'curl http://localhost:11434/api/chat -d \'{\n  "model": "llama2",\n  "messages": [\n    { "role": "user", "content": "why is the sky blue?" }\n  ]\n}\'\n404 page not found'
    assert reading(explain(text)) == "endpoint.not_found"


def test_a_plain_dns_failure_is_not_read_as_a_base_url() -> None:
    assert reading(explain("Error: getaddrinfo ENOTFOUND api.openai.com")) == "dns.failure"


# What real clients printed for OPENAI_BASE_URL=api.openai.com/v1 (benchmarks/corpus_faults.py base_url_no_scheme,
# tuned rows): httpx's UnsupportedProtocol chained under the SDKs' "Connection error.", requests' MissingSchema,
# aiohttp's InvalidUrlClientError, Node's ERR_INVALID_URL under openai-node
_GENERATED = {" ".join(row["source"].split()[2:4]): row["text"]
              for path in sorted((Path(__file__).parent / "corpus").glob("fault_*.jsonl"))
              for row in map(json.loads, path.read_text(encoding="utf-8").splitlines())
              if row["source"].startswith("generated: ")}


@pytest.mark.parametrize("client", ["openai-python", "openai-python-async", "anthropic-python", "httpx", "requests",
                                    "aiohttp", "openai-node"])
def test_a_base_url_without_scheme_as_real_clients_print_it(client: str) -> None:
    assert reading(explain(_GENERATED[f"base_url_no_scheme {client}"])) == "config.base_url_invalid"
