# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""One API / New API answers, read as a family: every message the relays' sources can put in their error object.

The messages are the relays' own strings (New API i18n/locales/zh-CN.yaml and en.yaml, One API model/token.go,
middleware/distributor.go and i18n/en.json), sent the way the relays send them - {"error": {"message": "...
(request id: ...)", "type": "new_api_error"}} - and the way SDKs print that ("Error code: 401 - {...}"). Real texts
from tests/corpus (tuned part) close the file.
"""

from __future__ import annotations

import pytest
from helpers import reading

from llmdoctor.explain import explain

SOURCE = [
    # New API token.* / One API ValidateUserToken
    (401, "无效的令牌", "auth.invalid_key"), (401, "Invalid token", "auth.invalid_key"),
    (401, "Token not provided", "auth.wrong_header"), (401, "No token provided", "auth.wrong_header"),
    (401, "该令牌已过期", "auth.invalid_key"), (401, "This token has expired", "auth.invalid_key"),
    (401, "The token has expired", "auth.invalid_key"),
    (401, "该令牌额度已用尽 TokenStatusExhausted[sk-abc***xyz]", "quota.insufficient"),
    (401, "This token quota is exhausted TokenStatusExhausted[sk-abc***xyz]", "quota.insufficient"),
    (401, "The token quota has been used up", "quota.insufficient"),
    (401, "该令牌状态不可用", "auth.invalid_key"), (401, "This token status is unavailable", "auth.invalid_key"),
    (401, "The token status is not available", "auth.invalid_key"), (401, "Token verification failed", "auth.invalid_key"),
    # user.* / quota.*
    (403, "该用户已被禁用", "auth.account_disabled"), (403, "This user has been disabled", "auth.account_disabled"),
    (403, "用户已被封禁", "auth.account_disabled"), (403, "User has been banned", "auth.account_disabled"),
    (403, "额度不足", "quota.insufficient"), (403, "Insufficient quota", "quota.insufficient"),
    (403, "Insufficient user quota", "quota.insufficient"),
    (403, "用户额度不足, 剩余额度: ＄-0.000002", "quota.insufficient"),
    # distributor.*
    (403, "该令牌无权访问模型 gpt-4o", "auth.permission_denied"),
    (403, "This token has no access to model gpt-4o", "auth.permission_denied"),
    (403, "该令牌无权访问任何模型", "auth.permission_denied"), (403, "This token has no access to any models", "auth.permission_denied"),
    (403, "无权访问该分组", "auth.permission_denied"), (403, "No permission to access this group", "auth.permission_denied"),
    (400, "未指定模型名称，模型名称不能为空", "request.invalid"),
    (400, "Model name not specified, model name cannot be empty", "request.invalid"),
    (400, "无效的请求，无法解析模型", "request.invalid"),
    (503, "分组 default 下模型 gpt-4o 无可用渠道（distributor）", "model.not_found"),
    (503, "No available channel for model gpt-4o under group default (distributor)", "model.not_found"),
    (503, "获取分组 default 下模型 gpt-4o 的可用渠道失败（distributor）：record not found", "model.not_found"),
    (503, "Failed to get available channel for model gpt-4o under group default (distributor): record not found", "model.not_found"),
    (403, "该渠道已被禁用", "gateway.error"), (403, "The channel has been disabled", "gateway.error"),
    # channel.* / rate_limit.*
    (429, "当前分组上游负载已饱和，请稍后再试", "ratelimit.relay_saturated"),
    (429, "Current group upstream load is saturated, please try again later", "ratelimit.relay_saturated"),
    (429, "The current group load is saturated, please try again later", "ratelimit.relay_saturated"),
    (429, "您已达到请求数限制：1分钟内最多请求60次", "ratelimit.exceeded"),
    (429, "You have reached the request limit: maximum 60 requests in 1 minutes", "ratelimit.exceeded"),
    (503, "没有可用的渠道密钥", "relay.upstream_key_rejected"), (503, "No available channel keys", "relay.upstream_key_rejected"),
    (503, "无有效上游渠道", "gateway.error"),
]
SHAPES = [
    '{{"error":{{"message":"{m} (request id: 20250101120000123456789abcdefgh)","type":"new_api_error","param":"","code":null}}}}',
    "Error code: {s} - {{'error': {{'message': '{m} (request id: 2025010112000012345)', 'type': 'new_api_error'}}}}",
    "{m}",
]


# said alone, without the status or the relay's envelope, these are too thin for a verdict (and get none)
THIN_ALONE = {"Token not provided", "No token provided"}


@pytest.mark.parametrize("shape", SHAPES, ids=["body", "sdk", "message"])
@pytest.mark.parametrize("status,message,cause", SOURCE)
def test_every_relay_message_reads_as_its_cause(status: int, message: str, cause: str, shape: str) -> None:
    result = explain(shape.format(m=message, s=status))
    allowed = {cause, "unrecognised"} if shape == "{m}" and message in THIN_ALONE else {cause}
    assert reading(result) in allowed, [(c.id, c.confidence) for c in result.causes[:3]]


REAL = [
    ("返回  unexpected status 403 Forbidden: CC Switch local proxy failed while handling Codex endpoint /responses. Provider: DeepSeek; model: glm-5.1; upstream_status: HTTP 403; cause: 用户额度不足, 剩余额度: ＄-0.000002 (request id: 202608190933135792535838268d9d6rhgZmzsh), url: http://127.0.0.1:15721/v1/responses",
     "quota.insufficient"),  # https://github.com/QuantumNous/new-api/issues/6929
    ("{\n  \"error\": {\n    \"message\": \"当前分组 default 下对于模型 gpt-5 无可用渠道 (request id: 2025082215093026624875464905761)\",\n    \"type\": \"one_api_error\"\n  }\n}",
     "model.not_found"),  # https://github.com/songquanpeng/one-api/issues/2308
    ("{\n  \"error\": {\n    \"message\": \"当前分组上游负载已饱和，请稍后再试 (request id: 2024121602163036521732429064585)\",\n    \"type\": \"new_api_error\",\n    \"param\": \"\",\n    \"code\": null\n  }\n}",
     "ratelimit.relay_saturated"),  # https://github.com/popjane/free_chatgpt_api/issues/65
    ("Exception: 在3次尝试后仍然失败: Error code: 401 - {'error': {'message': '无效的令牌 (request id: 20240903132633756782166AeCxdlyd)', 'type': 'yunwu_api_error'}}",
     "auth.invalid_key"),  # https://github.com/Huanshere/VideoLingo/issues/36
    ("OpenAI API 402: {\"error\":{\"message\":\"This request requires more credits, or fewer max_tokens. You requested up to 65536 tokens, but can only afford 10114. To increase, visit https://openrouter.ai/settings/credits and upgrade to a paid account\",\"code\":402,\"metadata\":{\"provider_name\":null}},\"user_id\":\"user_\"}",
     "quota.insufficient"),  # https://github.com/babikov/doka-site/issues/7
]


OPENROUTER = [  # https://openrouter.ai/docs/api-reference/errors, as the openai SDK prints them
    ('Error code: 403 - {"error":{"message":"openai/gpt-4o requires moderation on OpenAI. Your input was flagged for \\"harassment\\". No credits were charged.","code":403,"metadata":{"reasons":["harassment"],"provider_name":"OpenAI","model_slug":"openai/gpt-4o"}}}',
     "request.content_filtered"),
    ('Error code: 404 - {"error":{"message":"No endpoints found matching your data policy (Free model publication). Configure: https://openrouter.ai/settings/privacy","code":404}}',
     "auth.permission_denied"),
    ('Error code: 404 - {"error":{"message":"No endpoints found for deepseek/deepseek-r1:free.","code":404}}', "model.not_found"),
    ('Error code: 402 - {"error":{"message":"Insufficient credits. Add more using https://openrouter.ai/credits","code":402}}', "quota.insufficient"),
]


@pytest.mark.parametrize("text,cause", OPENROUTER)
def test_openrouter_answers(text: str, cause: str) -> None:
    assert reading(explain(text)) == cause


@pytest.mark.parametrize("text,cause", REAL)
def test_real_relay_texts_read_right(text: str, cause: str) -> None:
    result = explain(text)
    assert reading(result) == cause, [(c.id, c.confidence) for c in result.causes[:3]]
