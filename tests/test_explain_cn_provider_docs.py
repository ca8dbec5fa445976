# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""Chinese providers' errors as their own error-code pages document them, with and without their codes.

Sources: Moonshot / Kimi https://platform.kimi.com/docs/api/errors, DeepSeek
https://api-docs.deepseek.com/quick_start/error_codes (and /zh-cn/), Zhipu https://docs.bigmodel.cn/cn/api/api-code,
Alibaba Cloud Model Studio (DashScope) https://help.aliyun.com/zh/model-studio/error-code. A message is sent the way
the SDKs print it ("Error code: 401 - {...}"), or alone where users paste only the message. Real issue texts close
the file.
"""

from __future__ import annotations

import pytest
from helpers import reading

from llmdoctor.explain import explain

DOCUMENTED = [
 # Moonshot / Kimi (platform.kimi.com/docs/api/errors)
 (400, '{"error":{"type":"content_filter","message":"The request was rejected because it was considered high risk"}}', "request.content_filtered"),
 (400, '{"error":{"type":"invalid_request_error","message":"Input token length too long"}}', "request.too_large"),
 (400, '{"error":{"type":"invalid_request_error","message":"Your request exceeded model token limit : 8192"}}', "request.too_large"),
 (401, '{"error":{"type":"invalid_authentication_error","message":"Invalid Authentication"}}', "auth.invalid_key"),
 (401, '{"error":{"type":"incorrect_api_key_error","message":"Incorrect API key provided"}}', "auth.invalid_key"),
 (403, '{"error":{"type":"permission_denied_error","message":"The API you are accessing is not open"}}', "auth.permission_denied"),
 (404, '{"error":{"type":"resource_not_found_error","message":"Not found the model moonshot-v9 or Permission denied"}}', "model.not_found"),
 (429, '{"error":{"type":"engine_overloaded_error","message":"The engine is currently overloaded, please try again later"}}', "server.overloaded"),
 (429, '{"error":{"type":"exceeded_current_quota_error","message":"You exceeded your current token quota: 0, please check your account balance"}}', "quota.insufficient"),
 (429, '{"error":{"type":"rate_limit_reached_error","message":"Your account cn123<ak-abc> request reached max concurrency: 1, please try again after 1 seconds"}}', "ratelimit.exceeded"),
 (429, '{"error":{"type":"rate_limit_reached_error","message":"Your account cn123<ak-abc> request reached max request: 3, please try again after 1 seconds"}}', "ratelimit.exceeded"),
 (429, '{"error":{"type":"rate_limit_reached_error","message":"Your account cn123<ak-abc> request reached TPD rate limit, current: 1500000, limit: 1500000"}}', "ratelimit.exceeded"),
 # DeepSeek (api-docs.deepseek.com/quick_start/error_codes)
 (400, '{"error":{"message":"Invalid Format","type":"invalid_request_error"}}', "request.invalid"),
 (401, '{"error":{"message":"Authentication Fails, Your api key: ****abcd is invalid","type":"authentication_error","param":null,"code":"invalid_request_error"}}', "auth.invalid_key"),
 (402, '{"error":{"message":"Insufficient Balance","type":"unknown_error","param":null,"code":"invalid_request_error"}}', "quota.insufficient"),
 (422, '{"error":{"message":"Invalid Parameters","type":"invalid_request_error"}}', "request.invalid"),
 (429, '{"error":{"message":"Rate Limit Reached","type":"rate_limit_error"}}', "ratelimit.exceeded"),
 (503, '{"error":{"message":"Server Overloaded","type":"server_error"}}', "server.overloaded"),
 (None, "Error code: 402 - {'error': {'message': 'Insufficient Balance', 'type': 'unknown_error', 'param': None, 'code': 'invalid_request_error'}}", "quota.insufficient"),
 (None, "DeepSeek API 返回错误: 402 余额不足", "quota.insufficient"),
 (None, "429 - 请求速率达到上限", "ratelimit.exceeded"),
 (None, "503 - 服务器繁忙", "server.overloaded"),
 (None, "401 - 认证失败", "auth.invalid_key"),
 # Zhipu messages without their code (docs.bigmodel.cn/cn/api/api-code)
 (401, '{"error":{"message":"身份验证失败。"}}', "auth.invalid_key"),
 (401, '{"error":{"message":"Header中未接收到认证参数，无法进行身份验证。"}}', "auth.wrong_header"),
 (401, '{"error":{"message":"认证令牌已过期，请重新生成/获取。"}}', "auth.invalid_key"),
 (401, '{"error":{"message":"无效的认证令牌，请确认认证令牌的正确传递。"}}', "auth.invalid_key"),
 (429, '{"error":{"message":"您的账户已欠费，请充值后重试。"}}', "quota.insufficient"),
 (400, '{"error":{"message":"模型不存在，请检查模型代码。"}}', "model.not_found"),
 (400, '{"error":{"message":"Prompt 超长"}}', "request.too_large"),
 (429, '{"error":{"message":"您当前使用该API的并发数过高，请降低并发，或联系客服增加限额。"}}', "ratelimit.exceeded"),
 (429, '{"error":{"message":"您当前使用该 API 的频率过高，请降低频率，或联系客服增加限额。"}}', "ratelimit.exceeded"),
 (429, '{"error":{"message":"当前API请求过多，请稍后重试。"}}', "ratelimit.exceeded"),
 (400, '{"error":{"message":"系统检测到输入或生成内容可能包含不安全或敏感内容，请您避免输入易产生敏感内容的提示语，感谢您的配合。"}}', "request.content_filtered"),
 (403, '{"error":{"message":"您的账户已被锁定，请联系客服解锁。"}}', "auth.account_disabled"),
 (403, '{"error":{"message":"您的账户当前处于非活动状态。请检查账户信息。"}}', "auth.account_disabled"),
]


@pytest.mark.parametrize("status,body,cause", DOCUMENTED)
def test_documented_errors_read_as_their_cause(status: int | None, body: str, cause: str) -> None:
    result = explain(f"Error code: {status} - {body}" if status else body)
    assert reading(result) == cause, [(c.id, c.confidence) for c in result.causes[:3]]


# DashScope's codes (a provider_codes.json table): the code decides, whatever the message says or lacks
DASHSCOPE = [
    ('{"code":"Arrearage","message":"Access denied, please make sure your account is in good standing.","request_id":"8af536f9"}', "quota.insufficient"),
    ('{"code":"InvalidApiKey","message":"Invalid API-key provided.","request_id":"8af536f9"}', "auth.invalid_key"),
    ('{"code":"DataInspectionFailed","message":"Input or output data may contain inappropriate content.","request_id":"8af536f9"}', "request.content_filtered"),
    ('{"code":"AccessDenied.Unpurchased","message":"Access to model denied. Please make sure you are eligible for using the model.","request_id":"8af536f9"}', "auth.permission_denied"),
    ('{"code":"Throttling.RateQuota","message":"Requests rate limit exceeded, please try again later.","request_id":"8af536f9"}', "ratelimit.exceeded"),
    ('{"code":"AllocationQuota.FreeTierOnly","message":"The free tier of the model has been exhausted.","request_id":"8af536f9"}', "quota.insufficient"),
    ('{"code":"BadRequest.TooLarge","message":"Payload Too Large","request_id":"8af536f9"}', "request.too_large"),
    ('{"code":"ModelNotFound","message":"Model not found (qwen-maxx)!","request_id":"8af536f9"}', "model.not_found"),
]


@pytest.mark.parametrize("body,cause", DASHSCOPE)
def test_dashscope_codes(body: str, cause: str) -> None:
    assert reading(explain(body)) == cause


REAL = [
    ("执行DashScopeImageModelObservationITests测试出现 400 - {\"code\":\"Arrearage\"}错误码", "quota.insufficient"),
    # https://github.com/alibaba/spring-ai-alibaba/issues/1146
    ("Run failed: Node LLM run failed: [tongyi] Server Unavailable Error, Failed to invokemodel gwen-max, status code: 500.message: Input data may containinappropriate content..",
     "request.content_filtered"),  # https://github.com/langgenius/dify/issues/7932 (the words over a 500)
    ("HTTP 403\n{\n  \"error\": {\n    \"message\": \"Access terminated. Review our Community Guidelines\n                (https://www.kimi.com/code/docs/kimi-code/community-guidelines.html)\n                or contact support@moonshot.cn for assistance.\",\n    \"type\": \"access_terminated_error\"\n  }\n}",
     "auth.account_disabled"),  # https://github.com/clacky-ai/openclacky/issues/192
    (" API Error (429 {\"error\":{\"type\":\"rate_limit_reached_error\",\"message\":\"Your account xxxxx / proj-xxxxxx <ak-xxxxx> request reached project TPM rate limit, current: 1410, limit: 100, see https://platform.moonshot.cn/docs/pricing/limits\"}}) · Retrying in 60 seconds… (attempt 1/10)",
     "ratelimit.exceeded"),  # https://github.com/LLM-Red-Team/kimi-cc/issues/41
    ("[ERROR][2024-08-18 23:02:32][xunfei_spark_bot.py:225] - 请求错误: 10003, {'header': {'code': 10003, 'message': 'ClientMsgError:(23:02:32.721) invalid model domain', 'sid': 'cht000b0c24@dx1916602ea10b808550', 'status': 2}}",
     "model.not_found"),  # https://github.com/zhayujie/CowAgent/issues/2252
    ("我一般使用硅基流动的deepseek v4 flash、kimi k2.6和qwen3-embedding-8b模型，更新后，他们都报错。\nError: 403 status code (no body)",
     "ambiguous"),  # https://github.com/Lapis0x0/obsidian-yolo/issues/321
    # Zhipu's parameter family, with and without its code, and outside a JSON body
    ('"error":{"code":"1214","message":"messages 参数非法。请检查文档。"', "request.invalid"),
    # https://github.com/MetaGLM/zhipuai-sdk-python-v4/issues/14
    ("### 智谱glm启用max_tokens后会报错，关闭后就可以正常使用\n\n```\nmax_tokens参数非法。请检查文档。\n```", "request.invalid"),
    # https://github.com/lobehub/lobehub/issues/1398
    ("Sorry, your request failed. Please try again.\nCopilot Request id: c7cc0c93-845e-4efd-abb0-3c188b86bb06\nReason: 400 API 调用参数有误，请检查文档。",
     "request.invalid"),  # https://github.com/smallmain/vscode-unify-chat-provider/issues/38
    ("OpenAI completion error: 403 Access denied due to overdue account", "quota.insufficient"),
    # https://github.com/RooCodeInc/Roo-Code/issues/12309
    ('{\n    "message": "parameter check failed, max_output_tokens range is [2, 2048]",\n    "success": false,\n    "time": 0.249\n}',
     "request.invalid"),  # https://github.com/songquanpeng/one-api/issues/1154
    ("**Describe the bug**\nrequest was throttled\n\nTraceback (most recent call last):\n  File \"C:\\Users\\v_anz\\ai-hedge-fund\\src\\main.py\", line 311, in <module>\n    result = run_hedge_fund(",
     "ratelimit.exceeded"),  # https://github.com/virattt/ai-hedge-fund/issues/346
    # an app's own Chinese "network error" with its guesses: no verdict
    (" [05:39:47] TEST → deepseek https://api.deepseek.com/chat/completions (58ms)\n   错误: 网络错误 — 可能原因：1) 网络不通 2) 该平台不支持浏览器直接调用(CORS) 3) Base URL 错误",
     "ambiguous"),  # https://github.com/yuanbw2025/storyforge/issues/4
]


@pytest.mark.parametrize("text,cause", REAL)
def test_real_provider_texts_read_right(text: str, cause: str) -> None:
    result = explain(text)
    assert reading(result) == cause, [(c.id, c.confidence) for c in result.causes[:3]]


# --- Chinese commentary glued to the English it quotes -----------------------------------------------------------
@pytest.mark.parametrize("text,cause", [
    ("无法对接千帆的 大模型服务 提示API error: 404", "ambiguous"),  # https://github.com/ValueCell-ai/ClawX/issues/407
    ("token数量超过上限", "request.too_large"),  # Qianfan's words with the English glued on
])
def test_glued_commentary_keeps_its_seams(text: str, cause: str) -> None:
    assert reading(explain(text)) == cause
