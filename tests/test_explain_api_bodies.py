# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""Providers' own error bodies read right as a class (issue 16): codes, types and sentences over a generic status.

Real texts from tests/corpus (tuned part only; the URL after each is where it comes from and where the cause
was confirmed): OpenAI, Anthropic, Gemini / Vertex, Azure, Bedrock, Groq, OpenRouter, Together, Perplexity,
xAI, Cohere, llama.cpp and vLLM-style servers. The rows are in llmdoctor/apierrors/rules_providers.py; the
live checks' classifier reads the same bodies through the same table.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from helpers import reading

from llmdoctor.apierrors import classify_response
from llmdoctor.cli import main
from llmdoctor.explain import explain

CASES = [
    # --- OpenAI: parameters the model does not take, verification, one request over the per-minute budget
    ("Error: Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
     'request.invalid'),  # https://github.com/koosoli/ESPHomeDesigner/issues/379
    ('Try to use OpenAI o3, get 400 Bad Request organizations must be verified to stream this model.',
     'auth.permission_denied'),  # https://github.com/charmbracelet/crush/issues/422
    ('"content": "Error in chat: OpenRouter API error for model openai/o3 after 1\n    attempt: Error code: 400 - {\'error\': {\'message\': \'Provider returned error\', \'code\':\n     400, \'metadata\': {\'raw\': \'{\\\\n  \\"error\\": {\\\\n    \\"message\\": \\"Your\n    organization must be verified to stream this model. Please go to:\n    https://platform.openai.com/settings/organization/general and click on Verify\n    Organization. If you just verified, it can take up to 15 minutes for access to\n    propagate.\\",\\\\n    \\"type\\": \\"invalid_request_error\\",\\\\n    \\"param\\":\n    \\"stream\\",\\\\n    \\"code\\": \\"unsupported_val',
     'auth.permission_denied'),  # https://github.com/BeehiveInnovations/pal-mcp-server/issues/134
    ("RateLimitError: Error code: 429 - \n{'error': \n{'message': 'Request too large for gpt-4o in organization org-78asdf87asdf9aaa8976 on tokens per min (TPM): \nLimit 30000, Requested 31538. \nThe input or output tokens must be reduced in order to run successfully. \nVisit https://platform.openai.com/account/rate-limits to learn more.', 'type': 'tokens', 'param': None, 'code': 'rate_limit_exceeded'}}",
     'request.too_large'),  # https://github.com/TheR1D/shell_gpt/issues/653
    ('⚠ Falling back from WebSockets to HTTPS transport. stream disconnected before completion: Request too large for gpt-5.6-luna in organization org-b4g4X7AHZEEhfU5LlCT6H4N4 on tokens per min (TPM): Limit 200000, Requested 208334. The input or output tokens must be reduced in order to run successfully. Visit https://platform.openai.com/account/rate-limits to learn more.',
     'request.too_large'),  # https://github.com/openai/codex/issues/38366
    # --- Anthropic: overloaded_error and its 529 in words
    ('API Error: 529 Overloaded. This is a server-side issue, usually temporary — try again in a moment. If it persists, check https://status.claude.com.',
     'server.overloaded'),  # https://github.com/anthropics/claude-code/issues/63735
    # --- Google: model not found for the API version (wrapped too), per-minute quotas, a free tier of limit 0, region, model access
    ('models_gemini-1.5-pro-latest is not\nfound for API version v1beta, or is not\nsupported for generateContent. Call\nListModels to see the list of available\nmodels and their supported methods',
     'model.not_found'),  # https://github.com/souzatharsis/podcastfy/issues/292
    ('API error: models/gemini-pro is not found for API version v1main, or is not supported for generateContent. Call ListModels to see the list of available models and their supported methods.',
     'model.not_found'),  # https://github.com/crystal-autobot/autobot/issues/63
    ('google.api_core.exceptions.ResourceExhausted: 429 Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_minute_per_project_per_base_model with base model: gemini-pro. Please submit a quota increase request. https://cloud.google.com/vertex-ai/docs/generative-ai/quotas-genai.',
     'ratelimit.exceeded'),  # https://github.com/GoogleCloudPlatform/Open_Data_QnA/issues/61
    ('Failed to perform the action script/camera_front_door_snapshot_ai_notification. Error generating content: 429 Quota exceeded for quota metric \'Generate Content API requests per minute\' and limit \'GenerateContent request limit per minute for a region\' of service \'generativelanguage.googleapis.com\' for consumer \'project_number:***********\'. [reason: "RATE_LIMIT_EXCEEDED" domain: "googleapis.com" metadata { key: "service" value: "generativelanguage.googleapis.com" } metadata { key: "quota_metric" value: "generativelanguage.googleapis.com/generate_content_requests" } metadata { key: "quota_location" value: "us-west4" } metadata { key: "quota_limit" value: "GenerateContentRequestsPerMinutePerProjectPerRegion" } metadata { key: "quota_limit_value" value: "0" } metadata { key: "consumer" value: "projects/***********" }',
     'ratelimit.exceeded'),  # https://github.com/home-assistant/core/issues/132832
    ('{"error":{"message":"{\\n  \\"error\\": {\\n    \\"code\\": 429,\\n    \\"message\\": \\"You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits. To monitor your current usage, head to: https://ai.dev/rate-limit. \\\\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, model: gemini-3.1-pro\\\\n* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_input_token_count, limit: 0, model: gemini-3.1-pro\\\\nPlease retry in 5.237548564s.\\",\\n    \\"status\\": \\"RESOURCE_EXHAUSTED\\",',
     'quota.insufficient'),  # https://github.com/continuedev/continue/issues/12744
    ('✕ [API Error: User location is not supported for the API use. (Status: FAILED_PRECONDITION)]',
     'auth.region_blocked'),  # https://github.com/google-gemini/gemini-cli/issues/1993
    ('✕ [API Error: [{\n    "error": {\n      "code": 400,\n      "message": "You don\'t have access to this model or the model name is invalid",\n      "errors": [\n        {\n          "message": "You don\'t have access to this model or the model name is invalid",\n          "domain": "global",\n          "reason": "badRequest"\n        }\n      ],\n      "status": "INVALID_ARGUMENT"\n    }\n  }\n  ]]',
     'model.not_found'),  # https://github.com/google-gemini/gemini-cli/issues/14603
    # --- Azure: token rate limits of the pricing tier
    ('HTTP 429 (429) Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-05-01-preview have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 86400 seconds. Please go here:\nhttps://aka.ms/oai/quotaincrease\nif you would like to further increase the default rate limit.',
     'ratelimit.exceeded'),  # https://github.com/alex-wolf-ps/dbchatprov2/issues/2
    ('Stream error: 429 litellm.RateLimitError: AzureException RateLimitError - Your requests to gpt-5.1 for gpt-5.1 in East US 2 have exceeded the token rate limit for your current AIServices S0 pricing tier. This request was for ChatCompletions_Create under Azure OpenAI API version 2025-03-01-preview. Please retry after 60 seconds. To increase your default rate limit, visit: https://aka.ms/oai/qu',
     'ratelimit.exceeded'),  # https://github.com/dyad-sh/dyad/issues/1849
    # --- AWS Bedrock: throttles, model access, IAM / Marketplace denials
    ("An error occurred (AccessDeniedException) when calling the Converse operation: You don't have access to the model with the specified model ID.",
     'model.not_found'),  # https://github.com/andrewyng/aisuite/issues/174
    ('"msg": "Error invoking Bedrock Anthropic:  PermissionDeniedError: 403 You don\'t have access to the model with the specified model ID.\\n    at APIError.generate (file:///var/task/node_modules/@anthropic-ai/sdk/error.mjs:42:20)\\n    at AnthropicBedrock.makeStatusError (file:///var/task/node_modules/@anthropic-ai/sdk/core.mjs:256:25)',
     'model.not_found'),  # https://github.com/gaiin-platform/amplify-genai-backend/issues/62
    ('Getting (429 Too many tokens, please wait before trying again.) in every request',
     'ratelimit.exceeded'),  # https://github.com/anthropics/claude-code/issues/236
    ('Too many tokens, please wait before trying again.\n\nError: Request was throttled or rate limited. Please try:\n\nReducing the frequency of requests\nIf using a provisioned model, check its throughput settings\nContact AWS support to request a quota increase if needed\nmessage: Too many tokens, please wait before trying again.\nname: ThrottlingException\n$fault: client\n$metadata: {"httpStatusCode":429,"requestId":"158a2e26-c851-4440-9f98-e3065df1de46","attempts":3,"totalRetryDelay":274}',
     'ratelimit.exceeded'),  # https://github.com/RooCodeInc/Roo-Code/issues/5050
    ('Error invoking the model: ThrottlingException(properties: AWSBedrockRuntime.ThrottlingException.Properties(message: Optional("Too many tokens, please wait before trying again.")), httpResponse: Status Code: HTTP status code: 429 Date: Mon, 12 May 2025 11:11:55 GMT, Content-Type: application/json, Content-Length: 63, Connection: keep-alive, x-amzn-ErrorType: ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/',
     'ratelimit.exceeded'),  # https://github.com/aws-samples/amazon-bedrock-client-for-mac/issues/99
    ('{"error":{"message":"litellm.APIConnectionError: BedrockException - {\\"message\\":\\"Model access is denied due to IAM user or service role is not authorized to perform the required AWS Marketplace actions (aws-marketplace:ViewSubscriptions, aws-marketplace:Subscribe) to enable access to this model. Refer to the Amazon Bedrock documentation for further details. Your AWS Marketplace subscription for this model cannot be completed at this time. If you recently fixed this issue, try again after 5 minutes.\\"}.',
     'auth.permission_denied'),  # https://github.com/ministryofjustice/modernisation-platform-environments/pull/18323
    # --- Groq, OpenRouter, Together, Perplexity, xAI, Cohere
    (" ⨯ unhandledRejection:  Error: 400 The model `llama-3.3-70b-specdec` has been decommissioned and is no longer supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which model to use instead.\n    at eV.generate (.next/server/chunks/337.js:1:29197)\n    at ax.makeStatusError (.next/server/chunks/337.js:1:41685)\n    at ax.makeRequest (.next/server/chunks/337.js:1:42608)\n  status: 400,\n  headers: [Object],\n  error: [Object],\n  code: 'model_decommissioned',\n  param: undefined,\n  type: 'invalid_request_error',",
     'model.not_found'),  # https://github.com/ItzCrazyKns/Vane/issues/771
    ("Last error: Error code: 400 - {'error': {'message': 'The model `qwen-qwq-32b` has been decommissioned and is no longer supported. Please refer to https://console.groq.com/docs/deprecations for a recommendation on which model to use instead.', 'type': 'invalid_request_error', 'code': 'model_decommissioned'}}",
     'model.not_found'),  # https://github.com/atiilla/sqlmap-ai/issues/3
    (' API Error: 402 {"error":{"message":"Insufficient credits. This account never purchased credits. Make sure your key is on the correct account or org, and if so, purchase more at\n     https://openrouter.ai/settings/credits","type":"upstream_error","code":"402"}}',
     'quota.insufficient'),  # https://github.com/Gitlawb/openclaude/issues/1305
    ('litellm.exceptions.NotFoundError: litellm.NotFoundError: NotFoundError: OpenrouterException - {"error":{"message":"No allowed providers are available for the selected model.","code":404,"metadata":{"available_providers":["google-ai-studio","liquid","arcee-ai","stepfun","open-inference","venice","nvidia"],"requested_providers":["openai","mistral","cloudflare"]}}}',
     'model.not_found'),  # https://github.com/agent0ai/agent-zero/issues/1255
    ('OpenRouter 检查失败: HTTP 404: {"error":{"message":"No allowed providers are available for the selected model.","code":404,"metadata":{"available_providers":["z-ai"],"requested_providers":["anthropic"]}}}',
     'model.not_found'),  # https://github.com/farion1231/cc-switch/issues/995
    ('ERROR togetherai:mistralai/mistral-small-24b-instruct-2501  ->  400 {"id":"okkMWqL-2kFHot-a023f60e9b77ff7e","error":{"message":"Unable to access non-serverless model mistralai/Mistral-Small-24B-Instruct-2501. Please visit https://api.together.ai/models/mistralai/Mistral-Small-24B-Instruct-2501 to create and start a new dedicated endpoint for the model.","type":"invalid_request_error","param":null,"code":"model_not_available"}}',
     'model.not_found'),  # https://github.com/HeyPuter/puter/issues/3168
    ('ERROR togetherai:mistralai/mixtral-8x22b-instruct-v0.1  ->  400 {"id":"okkMWzu-2kFHot-a023f611fd50ff7e","error":{"message":"The dedicated endpoint for mistralai/Mixtral-8x22B-Instruct-v0.1 is not running. Please visit https://api.together.ai/models to start the endpoint.","type":"invalid_request_error","param":null,"code":"dedicated_endpoint_not_running"}}',
     'model.not_found'),  # https://github.com/HeyPuter/puter/issues/3168
    ('Provider error: API error 400: {"error":{"message":"Invalid model \'perplexity/sonar\'. Permitted models can be found in the documentation at https://docs.perplexity.ai/docs/getting-started/models.","type":"invalid_model","code":400}}',
     'model.not_found'),  # https://github.com/FerroxLabs/wayland/issues/603
    ('400 "Incorrect API key provided: na***ys. You can obtain an API key from https://console.x.ai."',
     'auth.invalid_key'),  # https://github.com/continuedev/continue/issues/10778
    ("cohere.errors.unauthorized_error.UnauthorizedError: status_code: 401, body: {'message': 'invalid api token'}",
     'auth.invalid_key'),  # https://github.com/wandb/edu/issues/155
    # --- Local servers: vLLM-style model ids, llama.cpp context size
    ('404 The model `llama3.1-405b` does not exist or you do not have access to it.',
     'model.not_found'),  # https://github.com/continuedev/continue/issues/10832
    ('{"error":{"code":400,"message":"the request exceeds the available context size. try increasing the context size or enable context shift","type":"exceed_context_size_error","n_prompt_tokens":14429,"n_ctx":8192}}',
     'request.too_large'),  # https://github.com/oobabooga/textgen/issues/7257
    ('{"error":{"code":500,"message":"Context size has been exceeded.","type":"server_error"}}',
     'request.too_large'),  # https://github.com/ggml-org/llama.cpp/issues/19774
    ('9.16.412.167 E srv                send_error: task 40 | error = the request exceeds the available context size. try increasing the context size or enable context shift',
     'request.too_large'),  # https://github.com/gpustack/gpustack/issues/852
    ('[llama-cpp] | Exception: Requested tokens (2285) exceed context window of 2048\n[llama-cpp] | Traceback (most recent call last):\n[llama-cpp] |   File "/usr/local/lib64/python3.12/site-packages/llama_cpp/server/errors.py", line 171, in custom_route_handler\n[llama-cpp] |     response = await original_route_handler(request)',
     'request.too_large'),  # https://github.com/fedora-copr/logdetective-website/pull/193
    # --- Anthropic credit and context words under 400, DeepSeek's max_tokens range, Azure's content filter, Vertex IAM,
    # Fireworks, and a local server that cannot load the model (Ollama's 500 is not a server error)
    ('success \nError: model requires more system memory (164.8 GiB) than is available (13.4 GiB)',
     'server.insufficient_memory'),  # https://github.com/ollama/ollama/issues/10920
    ('"model requires more system memory (2.7 GiB) than is available (2.3 GiB)"',
     'server.insufficient_memory'),  # https://github.com/continuedev/continue/issues/11478
    ('ollama._types.ResponseError: model requires more system memory (39.4 GiB) than is available (30.0 GiB) (status code: 500)',
     'server.insufficient_memory'),  # https://github.com/ollama/ollama/issues/13556
    (' details = "Permission \'aiplatform.endpoints.predict\' denied on resource \'//aiplatform.googleapis.com/projects/genai-playground-397314/locations/us-central1/publishers/google/models/chat-bison@001\' (or it may not exist)."',
     'auth.permission_denied'),  # https://github.com/rominirani/genai-apptemplates-googlecloud/issues/4
    ('the seeded Fireworks `default_model` `accounts/fireworks/models/llama-v3p1-8b-instruct` returned **404 "Model not found, inaccessible, and/or not deployed"**.',
     'model.not_found'),  # https://github.com/bobmatnyc/trusty-tools/issues/2510
    ('Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 208310 tokens > 200000 maximum"},"request_id":"req_011CVQe1dLrGNMJyE1ghG1av"}',
     'request.too_large'),  # https://github.com/anthropics/claude-code/issues/12186
    ('litellm.BadRequestError: litellm.ContextWindowExceededError: AnthropicError - {"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 209353 tokens > 199999 maximum"}}',
     'request.too_large'),  # https://github.com/entropy-research/Devon/issues/88
    ('错误：推理失败: All endpoints failed: deepseek-deepseek-chat: API error (400): {"error":{"message":"Invalid max_tokens value, the valid range of max_tokens is [1, 8192]","type":"invalid_request_error","param":null,"code":"invalid_request_error"}} ⚙️ 检测到请求格式错误，这通常是模型兼容性问题，请尝试切换其他模型。',
     'request.invalid'),  # https://github.com/openakita/openakita/issues/442
    ('Stderr: Error: (content_filter) The response was filtered due to the prompt triggering Azure OpenAI\'s content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766\nCode: content_filter\nMessage: The response was filtered due to the prompt triggering Azure OpenAI\'s content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766\nInner error: {\n    "code": "ResponsibleAIPolicyViolation",\n    "content_filter_result": {\n        "hate": {\n            "filtered": false,\n            "severity": "safe"\n        },\n        "jailbreak": {\n            "filtered": true,\n            "detected": true\n        },',
     'request.content_filtered'),  # https://github.com/simonw/research/issues/16
    ('[{"error":"Error: 400 {\\"type\\":\\"error\\",\\"error\\":{\\"type\\":\\"invalid_request_error\\",\\"message\\":\\"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.\\"}}\\n    at S4.generate (file:///home/adi/.nvm/versions/node/v22.15.0/lib/node_modules/@anthropic-ai/claude-code/cli.js:1296:6428)\\n    at HO.makeStatusError (file:///home/adi/.nvm/versions/node/v22.15.0/lib/node_modules/@anthropic-ai/claude-code/cli.js:1313:2101)',
     'quota.insufficient'),  # https://github.com/anthropics/claude-code/issues/4208
    # --- xAI's team credits under 429 and 403; Azure's api-version 404
    ('429 "Your team 16f2151a-40f4-4a80-8ad0-cae00c27e8dd has either used all available credits or reached its monthly spending limit. To continue making API requests, please purchase more credits or raise your spending limit."',
     'quota.insufficient'),  # https://github.com/continuedev/continue/issues/10373
    ('{"type":"error","message":"Internal error: {\\n  \\"message\\": \\"API error (status 403 Forbidden): permission-denied: Your team deadb-a58d-46ca-80a1-beefbeef has either used all available credits or reached its monthly spending limit. To continue making API requests, please purchase more credits or raise your spending limit.\\\\n\\\\nRequest URL: https://cli-chat-proxy.grok.com/v1/responses\\",\\n  \\"http_status\\": 403\\n}"}',
     'quota.insufficient'),  # https://github.com/Anantys-oss/koan/issues/2412
    ('OpenAI API error (403): 403 "You have run out of credits or need a Grok subscription."',
     'quota.insufficient'),  # https://github.com/luxus/pi-xai/issues/10
    ('Error Details: { "message": "404 Resource not found", "status": 404, "requestID": "16f1de4c80664d6eaa92e3a8f208d446", "error": { "code": "404", "message": "Resource not found" }, "code": "404" }',
     'endpoint.not_found'),  # https://github.com/CherryHQ/cherry-studio/issues/8077
]


@pytest.mark.parametrize(("text", "cause"), CASES)
def test_providers_error_bodies_read_right(text: str, cause: str) -> None:
    assert reading(explain(text)) == cause


AMBIGUOUS = [
    'MistralAPIStatusException: Cannot stream response. Status: 429',  # https://github.com/vanna-ai/vanna/issues/177 (the thread found a monthly usage limit)
]


@pytest.mark.parametrize("text", AMBIGUOUS)
def test_a_bare_429_from_a_provider_that_also_uses_it_for_quota_does_not_tell(text: str) -> None:
    result = explain(text)
    assert result.ambiguous and not result.recognised
    proc = CliRunner().invoke(main, ["explain", "--json", "-"], input=text)
    assert proc.exit_code == 1
    assert json.loads(proc.output)["ambiguous"] is True


@pytest.mark.parametrize(("status", "body", "cause"), [
    # the live check reads the body itself: the same rows decide
    (429, '{"message":"Too many tokens, please wait before trying again."}', "ratelimit.exceeded"),
    (403, '{"message":"You don\'t have access to the model with the specified model ID."}', "model.not_found"),
    (400, '{"error":{"message":"The model `llama3-70b-8192` has been decommissioned and is no longer supported.",'
          '"type":"invalid_request_error","code":"model_decommissioned"}}', "model.not_found"),
    (400, '{"error":{"message":"Unsupported parameter: \'max_tokens\' is not supported with this model. Use '
          '\'max_completion_tokens\' instead.","type":"invalid_request_error"}}',
     "request.invalid"),
    (400, '{"error":{"code":400,"message":"the request exceeds the available context size. try increasing the '
          'context size or enable context shift","type":"exceed_context_size_error"}}', "request.too_large"),
])
def test_the_live_classifier_reads_the_same_rows(status: int, body: str, cause: str) -> None:
    assert classify_response(status, body, None, None, "chat")[0].cause_id == cause


@pytest.mark.parametrize(("text", "cause"), [
    # the wordings the providers' error references give for their codes (cited in rules_providers.py)
    ("422 - Invalid Parameters", "request.invalid"),  # DeepSeek, api-docs.deepseek.com/quick_start/error_codes
    ("400 - Invalid Format", "request.invalid"),  # DeepSeek, same page
    ("Error code: 403 - {'error': {'message': 'Your input was flagged by moderation', 'code': 403}}",
     "request.content_filtered"),  # OpenRouter, openrouter.ai/docs/api-reference/errors
    ("An error occurred (ServiceUnavailableException) when calling the InvokeModel operation: Too many connections, "
     "please wait before trying again.", "server.overloaded"),  # Bedrock, API_runtime_InvokeModel errors
    ("An error occurred (ModelNotReadyException) when calling the InvokeModel operation: Model is not ready for "
     "inference", "server.overloaded"),  # Bedrock, same page
    ('{"object":"error","message":"Service tier capacity exceeded for this model.",'
     '"type":"service_tier_capacity_exceeded","param":null,"code":"3505"}', "server.overloaded"),  # Mistral
])
def test_documented_wordings_of_providers_codes(text: str, cause: str) -> None:
    assert reading(explain(text)) == cause


def test_bedrocks_exception_names_are_rows_of_the_provider_code_table() -> None:
    from llmdoctor.apierrors import codes

    # https://github.com/aws-samples/amazon-bedrock-client-for-mac/issues/99 (tuned part)
    hits = codes.lookup([], 'Error invoking the model: ThrottlingException(properties: AWSBedrockRuntime.'
                            'ThrottlingException.Properties(message: Optional("Too many tokens, please wait before '
                            'trying again.")), httpResponse: Status Code: HTTP status code: 429')
    assert [(h.provider, h.cause) for h in hits] == [("bedrock", "ratelimit.exceeded")]
    assert codes.provider_name("bedrock") == "AWS Bedrock"
