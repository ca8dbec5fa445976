# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""Provider answers on first contact (issue 16): quota windows, account states, words over a generic status, codes.

Real texts from tests/corpus (tuned part only), quoted as their sources printed them; the URL is where the cause
was confirmed. The ambiguous ones are Gemini's "You exceeded your current quota" without a window (or with both
a per-minute and a per-day window): the text alone cannot say whether to wait a minute or a day.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from helpers import reading

from llmdoctor.explain import explain

CASES = [
    # --- Gemini's one quota sentence: per day or limit 0 is quota, per minute is a rate limit
    ('[google] Error: PluginInvokeError: {"args":{},"error_type":"ClientError","message":"429 RESOURCE_EXHAUSTED. {\'error\': {\'code\': 429, \'message\': \'You exceeded your current quota. Go to https://aistudio.google.com/apikey to upgrade your quota tier, or submit a quota increase request in https://ai.google.dev/gemini-api/docs/rate-limits#request-rate-limit-increase\', \'status\': \'RESOURCE_EXHAUSTED\', \'details\': [{\'@type\': \'type.googleapis.com/google.rpc.QuotaFailure\', \'violations\': [{\'quotaMetric\': \'generativelanguage.googleapis.com/generate_requests_per_model_per_day\', \'quotaId\': \'GenerateRequestsPerDayPerProjectPerModel\'}]}',
     'quota.insufficient'),  # https://github.com/langgenius/dify/issues/19838
    ("        '* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_input_token_count, limit: 0, model: gemini-3.1-pro\\n' +\n          '* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, model: gemini-3.1-pro\\n' +\n          '* Quota exceeded for metric: generativelanguage.googleapis.com/generate_content_free_tier_requests, limit: 0, model: gemini-3.1-pro\\n' +\n          'Please retry in 25.465784708s.',",
     'quota.insufficient'),  # https://github.com/google-gemini/gemini-cli/issues/22486
    ('[evals.apis.inference.gemini_api][WARNING] - Encountered API error: Exception Type: ResourceExhausted, Error Details: 429 Quota exceeded for aiplatform.googleapis.com/generate_content_requests_per_minute_per_project_per_base_model with base model: gemini-pro. Please submit a quota increase request. https://cloud.google.com/vertex-ai/docs/generative-ai/quotas-genai.',
     'ratelimit.exceeded'),  # https://github.com/felixbinder/introspection_self_prediction/issues/66
    ('429 Resource has been exhausted (e.g. check quota).\ngrpc._channel._InactiveRpcError: <_InactiveRpcError of RPC that terminated with:\n\tstatus = StatusCode.RESOURCE_EXHAUSTED\n\tdetails = "Resource has been exhausted (e.g. check quota)."\n\tdebug_error_string = "UNKNOWN:Error received from peer ipv4: ########:443 {created_time:"2024-05-26T04:18:56.862289+00:00", grpc_status:8, grpc_message:"Resource has been exhausted (e.g. check quota)."}"',
     'ratelimit.exceeded'),  # https://github.com/google/generative-ai-docs/issues/438
    # --- account states and keys a provider has blocked
    ('API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"This organization has been     disabled."},"request_id":"req_011CaWDzTjCygKryF7ETTuZk"}',
     'auth.account_disabled'),  # https://github.com/anthropics/claude-code/issues/54311
    ('API Error: 400 {"type":"error","error":{"type":"invalid_request_error","message":"This organization has been disabled."}}',
     'auth.account_disabled'),  # https://github.com/anthropics/claude-code/issues/8327
    ('Your API key was reported as leaked. Please use another API key.',
     'auth.invalid_key'),  # https://github.com/google-gemini-php/laravel/issues/47
    ('"error": {\n    "code": 400,\n    "message": "API key not valid. Please pass a valid API key.",\n    "status": "INVALID_ARGUMENT",\n    "details": [\n      {\n        "@type": "type.googleapis.com/google.rpc.ErrorInfo",\n        "reason": "API_KEY_INVALID",\n        "domain": "googleapis.com",\n        "metadata": {\n          "service": "generativelanguage.googleapis.com"\n        }\n      },\n      {\n        "@type": "type.googleapis.com/google.rpc.LocalizedMessage",\n        "locale": "en-US",\n        "message": "API key not valid. Please pass a valid API key."\n      }\n    ]\n  }',
     'auth.invalid_key'),  # https://github.com/cequence-io/openai-scala-client/issues/109
    # --- words over a generic status: credits, balance, region, size, capacity
    ('[{"error":"Error: 400 {\\"type\\":\\"error\\",\\"error\\":{\\"type\\":\\"invalid_request_error\\",\\"message\\":\\"Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.\\"},\\"request_id\\":\\"req_011CeGphKfhi1XAd3tJp1z1E\\"}\\n    at generate (/$bunfs/root/cli:39:39492)\\n    at makeRequest (/$bunfs/root/cli:90:8063)\\n    at processTicksAndRejections (native:7:39)","timestamp":"2026-08-22T00:15:21.597Z"}]',
     'quota.insufficient'),  # https://github.com/anthropics/claude-code/issues/88711
    ('403 "Your newly created team doesn\'t have any credits or licenses yet. You can purchase those on https://console.x.ai/team/481c7584-ab46-4974-b86b-a4978384e229."',
     'quota.insufficient'),  # https://github.com/continuedev/continue/issues/12670
    ('vercel 好像不行了，提示不支持的地区；\n{"error":{"code":"unsupported_country_region_territory","message":"Country, region, or territory not supported","param":null,"type":"request_forbidden"}}',
     'auth.region_blocked'),  # https://github.com/gaboolic/vercel-reverse-fast/issues/49
    ('✕ [API Error: User location is not supported for the API use. (Status: \n  FAILED_PRECONDITION)]',
     'auth.region_blocked'),  # https://github.com/google-gemini/gemini-cli/issues/1614
    ('"litellm.exceptions.RateLimitError: litellm.RateLimitError: RateLimitError: OpenAIException - Request too large for gpt-5 in organization org-123456 on tokens per min (TPM): Limit 30000, Requested 36055. The input or output tokens must be reduced in order to run successfully."',
     'request.too_large'),  # https://github.com/agent0ai/agent-zero/issues/711
    ('{"object":"error","message":"Service tier capacity exceeded for this model.","type":"invalid_request_error","param":null,"code":null}',
     'server.overloaded'),  # https://github.com/continuedev/continue/issues/6185
    ('Model: claude-sonnet-4-5\nProvider: anthropic\nStatus Code: 402\n\n**Error Output**\n```\n"Daily token limit exceeded Used: 3056133, Limit: 3000000"\n```',
     'quota.insufficient'),  # https://github.com/continuedev/continue/issues/12761
    ("{'error': {'message': 'You have been rate limited. Your rate limit is 60 queries per minute. Please navigate to https://api.together.xyz/settings/billing to upgrade to a paid plan.', 'type': 'credit_limit', 'param': None, 'code': None}}",
     'ratelimit.exceeded'),  # https://github.com/togethercomputer/MoA/issues/27
    # --- provider codes and types as data: Zhipu 1261, Mistral 1300 / 1500, Azure content_filter, OpenRouter
    ('2026-03-21T06:25:46.478270Z  WARN zeroclaw::providers::reliable: Non-retryable error, moving on provider="zai-cn" model="glm-4.5-air" error=Z.AI API error (400 Bad Request): {"error":{"code":"1261","message":"Prompt exceeds max length"}}',
     'request.too_large'),  # https://github.com/zeroclaw-labs/zeroclaw/issues/4124
    ('{"message":"API error occurred: Status 429 Content-Type application/json Body \\n{\\"object\\":\\"error\\",\\"message\\":\\"Rate limit exceeded\\",\\"type\\":\\"rate_limited\\",\\"param\\":null,\\"code\\":\\"1300\\"}","status":429,"modelId":"devstral-2512","providerId":"mistral"}',
     'ratelimit.exceeded'),  # https://github.com/cline/cline/issues/9085
    ('{"object":"error","message":"Invalid model: ","type":"invalid_model","param":null,"code":"1500"}',
     'model.not_found'),  # https://github.com/tmc/langchaingo/issues/1233
    ('{\'error\': {\'message\': "The response was filtered due to the prompt triggering Azure OpenAI\'s content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766", \'type\': None, \'param\': \'prompt\', \'code\': \'content_filter\', \'status\': 400, \'innererror\': {\'code\': \'ResponsibleAIPolicyViolation\', \'content_filter_result\': {\'hate\': {\'filtered\': False, \'severity\': \'safe\'}, \'jailbreak\': {\'filtered\': False, \'detected\': False}, \'self_harm\': {\'filtered\': False, \'severity\': \'safe\'}, \'sexual\': {\'filtered\': False, \'severity\': \'safe\'}, \'violence\': {\'filtered\': True, \'severity\': \'medium\'}}}}}\nAiohttp Error: \'usage\'',
     'request.content_filtered'),  # https://github.com/compl-ai/compl-ai/issues/20
    ('404 No endpoints found for openrouter/hunter-alpha:free.',
     'model.not_found'),  # https://github.com/Shaivpidadi/FreeRide/issues/3
    # --- relays: One API's 无可用渠道 is a model no channel serves; New API's reserved price above the user's quota
    ('chat pre-consumed quota failed, user quota: 13810, need quota: 15000',
     'quota.insufficient'),  # https://github.com/QuantumNous/new-api/issues/667
    ('请求发生错误: HTTP error! status: 500, body: {"error":{"message":"模型 gemini-3-pro-preview 倍率或价格未配置，请联系管理员设置或开始自用模式；Model gemini-3-pro-preview ratio or price not set, please set or start self-use mode (request id: 20260407051457707334008268d9d6sEItYrWz)","type":"new_api_error","param":"","code":"model_price_error"}}',
     'model.not_found'),  # https://github.com/QuantumNous/new-api/issues/4119
    ('请教这个[当前分组 default 下对于模型 text-embedding-ada-002 无可用渠道]是差个啥配置呢',
     'model.not_found'),  # https://github.com/songquanpeng/one-api/issues/1250
    ('创建应用后无法对话，提示：undefined 当前分组 default 下对于模型 通义千问 无可用渠道',
     'model.not_found'),  # https://github.com/labring/FastGPT/issues/1873
]

AMBIGUOUS = [
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.\ncode: 429',  # https://github.com/google-gemini/gemini-cli/issues/8414
    "Generate error: 429 RESOURCE_EXHAUSTED. {'error': {'code': 429, 'message': 'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.', 'status': 'RESOURCE_EXHAUSTED', 'details': [{'@type': 'type.googleapis.com/google.rpc.QuotaFailure', 'violations': [{'quotaMetric': 'generativelanguage.googleapis.com/generate_content_free_tier_input_token_count', 'quotaId': 'GenerateContentInputTokensPerModelPerMinute-FreeTier', 'quotaDimensions': {'location': 'global', 'model': 'gemini-2.5-flash-preview-image'}}, {'quotaMetric': 'generativelanguage.googleapis.com/generate_content_free_tier_requests', 'quotaId': 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier', 'quotaDimensions': {'location': 'global', 'model': 'gemini-2.5-flash-preview-image'}}, {'quotaMetric': 'generativelanguage.googleapis.com/generate_content_free_tier_requests', 'quotaId': 'GenerateRequestsPerDayPerProjectPerModel-FreeTier', 'quotaDimensions': {'model': 'gemini-2.5-flash-preview-image', 'location': 'global'}}]}",  # https://github.com/google-gemini/gemini-cli/issues/8437
    "`google.genai.errors.ClientError: 429 RESOURCE_EXHAUSTED. {'error': {'code': 429, 'message': 'You exceeded your current quota, please check your plan and billing details. For more information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits.', 'status': 'RESOURCE_EXHAUSTED', 'details': [{'@type': 'type.googleapis.com/google.rpc.Help', 'links': [{'description': 'Learn more about Gemini API quotas', 'url': 'https://ai.google.dev/gemini-api/docs/rate-limits'}]}]}}`",  # https://github.com/googleapis/python-genai/issues/1427
]


@pytest.mark.parametrize(("text", "cause"), CASES)
def test_provider_answers_read_right(text: str, cause: str) -> None:
    result = explain(text)
    assert reading(result) == cause, [(c.id, c.confidence) for c in result.causes[:3]]


@pytest.mark.parametrize("text", AMBIGUOUS)
def test_gemini_quota_without_its_window_is_said_as_open(text: str) -> None:
    result = explain(text)
    assert result.ambiguous and not result.recognised
    assert {c.id for c in result.causes[:2]} == {"ratelimit.exceeded", "quota.insufficient"}


def test_open_gemini_quota_exits_1_and_says_the_text_does_not_tell() -> None:
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "NO_COLOR": "1"}
    run = subprocess.run([sys.executable, "-m", "llmdoctor", "explain", "--lang", "en", AMBIGUOUS[0]],
                         capture_output=True, env=env, timeout=60)
    out = run.stdout.decode()
    assert run.returncode == 1, out
    assert "This text alone does not tell" in out and "Traceback" not in out + run.stderr.decode()


def test_a_gateway_401_page_with_cloudflares_passive_script_is_a_refused_key_not_a_bot_challenge() -> None:
    """Perplexity's API answers through openresty; Cloudflare adds its passive jsd script to the page. The 401
    is the gateway refusing the credentials (https://github.com/perplexityai/api-discussion/issues/281)."""
    result = explain('<html>\n<head><title>401 Authorization Required</title></head>\n<body>\n<center><h1>401 Authorization Required</h1></center>\n<hr><center>openresty/1.27.4</center>\n<script>(function(){function c(){var b=a.contentDocument||a.contentWindow.document;if(b){var d=b.createElement(\'script\');d.innerHTML="window.__CF$cv$params={r:\'930dc0abc8f136da\',t:\'MTc0NDc0NDMyNy4wMDAwMDA=\'};var a=document.createElement(\'script\');a.nonce=\'\';a.src=\'/cdn-cgi/challenge-platform/scripts/jsd/main.js\';document.getElementsByTagName(\'head\')[0].appendChild(a);";b.getElementsByTagName(\'head\')[0].appendChild(d)}}})();</script></body>\n</html>')
    assert reading(result) == "auth.invalid_key", [(c.id, c.confidence) for c in result.causes[:3]]
