# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""Chinese providers' codes, relays' bilingual errors and missing keys read right as classes (issue 16).

The texts are real (tests/corpus, tuned part only; the URL after each is where it comes from and where the
cause was confirmed). Providers' codes are data rows (llmdoctor/data/provider_codes.json): the tests below
check the rows themselves too, and that the live checks' classifier reads the same envelopes.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import reading

from llmdoctor.apierrors import classify_response, codes
from llmdoctor.explain import explain

RunCli = Callable[..., subprocess.CompletedProcess[str]]

CASES = [
    # --- Chinese providers by their own codes: Qianfan error_code / code, Ark codes, MiniMax base_resp, Tencent Cloud
    ('{\n  "error": {\n    "message": "the length of messages must be an odd number (request id: 20231023231353318399840aB01obf0)",\n    "type": "baidu_error",\n    "param": "",\n    "code": 336006\n  }\n}',
     "request.invalid"),  # https://github.com/songquanpeng/one-api/issues/625
    ("promptulate.tips.LLMError: <LLM> could not get data correctly, reasons: {'error_code': 336003, 'error_msg': 'the length of messages must be an odd number', 'id': 'as-r2m1yiqv5z'}",
     "request.invalid"),  # https://github.com/Undertone0809/promptulate/issues/60
    ("qianfan.errors.APIError: api return error, req_id: as-3gka9qjt2p code: 336006, msg: the length of messages must be an odd number",
     "request.invalid"),  # https://github.com/baidubce/bce-qianfan-sdk/issues/866
    ("ERROR | model_worker | 请求千帆 API 时发生错误：{'error_code': 3, 'text': 'Unsupported openapi method', 'error': {'message': 'Unsupported openapi method', 'type': 'invalid_request_error', 'param': None, 'code': None}}",
     "endpoint.not_found"),  # https://github.com/chatchat-space/Langchain-Chatchat/issues/2475
    ("【OpenAI服务响应异常: Error code: 404 - {'error': {'code': 'ModelNotOpen', 'message': 'Your account %!s(int64=2106993666) has not activated the model doubao-pro-32k-functioncall-241028. Please activate the model service in the Ark Console.",
     "model.not_found"),  # https://github.com/xinnan-tech/xiaozhi-esp32-server/issues/1234
    ('{"base_resp":{"status_code":2049,"status_msg":"invalid api key"}}',
     "auth.invalid_key"),  # https://github.com/MiniMax-AI/MiniMax-M2.5/issues/18
    ('{"base_resp":{"status_code":1008,"status_msg":"insufficient balance"}}',
     "quota.insufficient"),  # https://platform.minimax.io/docs/api-reference/errorcode.md
    ('{"base_resp":{"status_code":1002,"status_msg":"rate limit"}}',
     "ratelimit.exceeded"),  # https://platform.minimax.io/docs/api-reference/errorcode.md
    ("login fail: Please carry the API secret key in the 'Authorization' field of the request header (1004)",
     "auth.wrong_header"),  # https://github.com/diegosouzapw/OmniRoute/issues/1075
    ('101530 : DescribeRecordList answered:\n{"Response":{"Error":{"Code":"AuthFailure.SecretIdNotFound","Message":"The SecretId is not found, please ensure that your SecretId is correct."},"RequestId":"4474675b-d2c8-4b53-9600-78573b72effb"}}',
     "auth.invalid_key"),  # https://github.com/starsunyzl/ddns-scripts-dnspod/issues/3
    ("error TencentCloudSDKHttpException [Error]: The SecretId is not found, please ensure that your SecretId is correct.\n    at Client.parseResponse (C:\\Users\\toknsit\\workspace\\test_center\\node_modules\\tencentcloud-s",
     "auth.invalid_key"),  # https://github.com/TencentCloud/tencentcloud-sdk-nodejs/issues/138
    ("2026-02-12 14:43:06 Translate-next [error]: Tencent translate fail: RequestLimitExceeded, Your current request times equals to `7` in a second, which exceeds the frequency limit `5` for a second. Please reduce the frequency of calls. \n Go to https://cloud.tencent.com/document/product/551/15619 view details",
     "ratelimit.exceeded"),  # https://github.com/yxw007/vscode-translate-next/issues/20
    # --- Zhipu's codes with Chinese messages no text rule knows
    ('{"error":{"code":"1302","message":"您当前使用该 API 的并发数过高,请降低并发,或联系客服增加限额"}}',
     "ratelimit.exceeded"),  # https://docs.bigmodel.cn/cn/api/api-code
    ('{"error":{"code":"1261","message":"Prompt 超长"}}',
     "request.too_large"),  # https://docs.bigmodel.cn/cn/api/api-code
    ('{"error":{"code":"1112","message":"您的账户已被锁定,请联系客服解锁"}}',
     "auth.account_disabled"),  # https://docs.bigmodel.cn/cn/faq
    ('status code: 400; body: {"error":{"code":"1301","message":"系统检测到输入或生成内容可能包含不安全或敏感内容，请您避免输入易产生敏感内容的提示语，感谢您的配合。"}}',
     "request.content_filtered"),  # https://github.com/langchain4j/langchain4j/issues/1079
    ("Zhipu AI API error 400: Prompt exceeds max length",
     "request.too_large"),  # https://github.com/tashfeenahmed/freellmapi/issues/873
    # --- Groq, Gemini, Azure, Cohere
    ("WARNING:nemoguardrails.actions.action_dispatcher:Error while execution self_check_input: Error code: 400 - {'error': {'message': 'Organization has been restricted. Please reach out to support if you believe this was in error.', 'type': 'invalid_request_error', 'code': 'organization_restricted'}}",
     "auth.account_disabled"),  # https://github.com/NVIDIA-NeMo/Guardrails/issues/563
    ("raise exceptions.from_grpc_error(exc) from exc\ngoogle.api_core.exceptions.FailedPrecondition: 400 User location is not supported for the API use.",
     "auth.region_blocked"),  # https://github.com/zhayujie/CowAgent/issues/1602
    ("```\nError: The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.\n```",
     "model.not_found"),  # https://github.com/Azure-Samples/azure-search-openai-demo/issues/391
    ("Warning\nstatus_code: 401, body: {'message': 'invalid api token'}",
     "auth.invalid_key"),  # https://github.com/cohere-ai/cohere-toolkit/issues/857
    # --- relays, Chinese and English
    ("403 该令牌无权使用模型", "auth.permission_denied"),  # https://docs.aihubmix.com/cn/FAQs/HTTP-Codes
    ("403 用户已被封禁", "auth.account_disabled"),  # https://docs.aihubmix.com/cn/FAQs/HTTP-Codes
    ("401 无权进行此操作,未登录且未提供 access token", "config.missing_key"),  # https://docs.aihubmix.com/cn/FAQs/HTTP-Codes
    ("Retrying langchain.llms.openai.completion_with_retry.<locals>._completion_with_retry in 4.0 seconds as it raised APIError: HTTP code 401 from API (limit to use gpt-3.5-turbo and embeddings\n).",
     "auth.permission_denied"),  # https://github.com/chatanywhere/GPT_API_free/issues/51
    ("openai.AuthenticationError: Error code: 401 - {'error': {'message': '[proj]无效的令牌 (request id: 2025031419475264762428894645609)', 'type': 'shell_api_error'}}",
     "auth.invalid_key"),  # https://github.com/yuruotong1/autoMate/issues/96
    ("openai.BadRequestError: Error code: 400 - {'error': {'message': 'input contains sensitive words: [test] (request id: 20240523152007160608893pVIxONYS)', 'type': 'new_api_error', 'param': '', 'code': 'sensitive_words_detected'}}",
     "request.content_filtered"),  # https://github.com/openai/openai-cookbook/issues/1224
    # --- missing keys: SDKs', frameworks' and programs' own words; keys that are a template's text
    ("    openai.api_key = os.environ[\"OPENAI_API_KEY\"]\n                     ~~~~~~~~~~^^^^^^^^^^^^^^^^^^\n  File \"<frozen os>\", line 679, in __getitem__\nKeyError: 'OPENAI_API_KEY'",
     "config.missing_key"),  # https://github.com/Gua-tk/Linux-Auto-Customizer/issues/119
    ("Error: Anthropic API key not found", "config.missing_key"),  # https://github.com/llm-tools/embedJs/issues/164
    ("ValueError: No API key found for OpenAI.\nPlease set either the OPENAI_API_KEY environment variable or openai.api_key prior to initialization.",
     "config.missing_key"),  # https://github.com/run-llama/llama_index/issues/12175
    ("Error [GatewayAuthenticationError]: Unauthenticated request to AI Gateway.\n\nTo authenticate, set the AI_GATEWAY_API_KEY environment variable with your API key.\n\nAlternatively, you can use a provider module instead of the AI Gateway.",
     "config.missing_key"),  # https://github.com/vercel/ai/issues/13302
    ("litellm.exceptions.AuthenticationError: litellm.AuthenticationError: AuthenticationError: OpenAIException - The api_key client option must be set either by passing api_key to the client or by setting the OPENAI_API_KEY environment variable",
     "config.missing_key"),  # https://github.com/crewAIInc/crewAI-examples/issues/172
    ("local.ERROR: Incorrect API key provided: ''. You can find your API key at https://platform.openai.com/account/api-keys.",
     "config.missing_key"),  # https://github.com/openai-php/laravel/issues/117
    ("openai.error.AuthenticationError: Incorrect API key provided: ADD_YOUR*****HERE.",
     "config.key_placeholder"),  # https://github.com/redis-developer/ArXivChatGuru/issues/1
    ("INFO:openai:error_code=invalid_api_key error_message='Incorrect API key provided: your key*here. You can find your API key at https://platform.openai.com/account/api-keys.' error_param=None error_type=invalid_request_error message='OpenAI API error received' stream_error=False",
     "config.key_placeholder"),  # https://github.com/logan-markewich/llama_index_starter_pack/issues/10
    ("API调用失败: Error code: 401 - {'error': {'message': 'Authentication Fails, Your api key: ****here is invalid', 'type': 'authentication_error', 'param': None, 'code': 'invalid_request_error'}}",
     "config.key_placeholder"),  # https://github.com/oficcejo/aiagents-stock/issues/12
    ("Incorrect API key provided: ${sk-0rF******************************************1pS}.",
     "config.key_malformed"),  # https://github.com/yihong0618/bilingual_book_maker/issues/195
]


@pytest.mark.parametrize(("text", "cause"), CASES)
def test_real_texts_read_right(text: str, cause: str) -> None:
    result = explain(text)
    got = reading(result)
    assert got == cause, [(c.id, c.confidence) for c in result.causes[:3]]


def test_httpx_reason_phrase_is_the_status_not_the_body(run_cli: RunCli) -> None:
    """httpx's 'Client error '429 Too Many Requests' for url' says only the status: 429 alone does not tell."""
    text = ("验证失败，请检查参数是否正确: Client error '429 Too Many Requests' for url "
            "'https://open.bigmodel.cn/api/paas/v4/chat/completions' For more information check: "
            "https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/429")  # https://github.com/1Panel-dev/MaxKB/issues/2240
    result = explain(text)
    assert result.ambiguous and not result.recognised
    assert {"ratelimit.exceeded", "quota.insufficient"} <= {c.id for c in result.causes}
    proc = run_cli("explain", text)
    assert proc.returncode == 1, proc.stderr
    assert "This text alone does not tell" in proc.stdout


@pytest.mark.parametrize("text", [
    '{"error":{"code":"1302","message":"您当前使用该 API 的并发数过高,请降低并发,或联系客服增加限额"}}',
    "403 该令牌无权使用模型",
    "qianfan.errors.APIError: api return error, req_id: as-3gka9qjt2p code: 336006, msg: the length of messages must be an odd number",
    "KeyError: 'OPENAI_API_KEY'",
])
def test_explain_reads_these_in_chinese(run_cli: RunCli, text: str) -> None:
    from tests.e2e.zhscan import english_left

    proc = run_cli("--lang", "zh", "explain", text)
    assert proc.returncode == 1, proc.stderr
    assert "结论：" in proc.stdout, proc.stdout
    assert [line for line in proc.stdout.splitlines() if english_left(line)] == [], proc.stdout


# --- the table itself


def _table() -> dict[str, object]:
    path = Path(codes.__file__).resolve().parent.parent / "data" / "provider_codes.json"
    data: dict[str, object] = json.loads(path.read_text("utf-8"))
    return data


def test_every_row_names_a_known_cause_and_every_table_cites_its_page() -> None:
    from llmdoctor.knowledge import builtin

    kb = builtin()
    providers = _table()["providers"]
    assert isinstance(providers, dict)
    for name, entry in providers.items():
        assert str(entry["source"]).startswith("https://"), name
        for marker in entry["markers"]:
            re.compile(marker)
        for code, (cause, confidence) in entry["codes"].items():
            assert cause in kb, (name, code, cause)
            assert 0.5 <= confidence <= 0.95, (name, code)
            assert not (code.isdigit() and 400 <= int(code) <= 599), (name, code)  # an HTTP status is not a code


def test_a_shared_number_counts_only_for_the_provider_the_text_names() -> None:
    # 1002 is a bad token at Zhipu and a rate limit at MiniMax
    assert codes.lookup(["1002"], "") == []
    assert [h.cause for h in codes.lookup(["1002"], "https://api.minimax.chat/v1/text/chatcompletion_v2")] \
        == ["ratelimit.exceeded"]
    assert [h.cause for h in codes.lookup(["1002"], "POST https://open.bigmodel.cn/api/paas/v4")] \
        == ["auth.invalid_key"]
    # a number only one table has (and agrees on) counts without a name
    assert [h.provider for h in codes.lookup([], "Error code: 403 - {'code': 30011, 'message': 'x'}")] \
        == ["siliconflow"]


def test_a_generic_code_word_counts_only_in_a_code_field() -> None:
    traceback = "openai.AuthenticationError: Error code: 401 - {'error': {'message': 'Incorrect API key provided'}}"
    assert codes.lookup([], traceback) == []  # the SDK's class name, not Ark's code
    assert [h.provider for h in codes.lookup(["AuthenticationError"], "")] == ["volcengine"]
    assert [h.cause for h in codes.lookup([], "code: ModelNotOpen")] == ["model.not_found"]


# --- the live checks read the same envelopes


def test_the_live_classifier_reads_providers_envelopes() -> None:
    def top(status: int, body: dict[str, object]) -> str:
        return classify_response(status, json.dumps(body), provider=None, endpoint="chat")[0].cause_id

    assert top(200, {"base_resp": {"status_code": 1008, "status_msg": "insufficient balance"}}) == "quota.insufficient"
    assert top(200, {"header": {"code": 10907, "message": "token数量超过上限", "sid": "cht0001", "status": 2}}) \
        == "request.too_large"
    assert top(200, {"Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "x"},
                                  "RequestId": "4474675b"}}) == "auth.invalid_key"
    assert top(200, {"Response": {"Error": {"Code": "FailedOperation.ResourcePackExhausted", "Message": "资源包余量已用尽"},
                                  "RequestId": "4474675b"}}) == "quota.insufficient"
    assert top(400, {"error_code": 18, "error_msg": "Open api qps request limit reached"}) == "ratelimit.exceeded"
    assert top(400, {"error_code": 336006, "error_msg": "the length of messages must be an odd number"}) \
        == "request.invalid"


def test_a_successful_envelope_is_not_an_error() -> None:
    ok = {"base_resp": {"status_code": 0, "status_msg": "success"}, "choices": [{"message": {"content": "hi"}}]}
    assert classify_response(200, json.dumps(ok), endpoint="chat") == []
    spark_ok = {"header": {"code": 0, "message": "Success", "sid": "cht0001", "status": 2}, "payload": {}}
    assert classify_response(200, json.dumps(spark_ok), endpoint="chat") == []


@pytest.mark.parametrize("echo", ["$OPENAI_API_KEY", "${OPENA*****KEY}", "%OPENAI_API_KEY%", "undefined", "None"])
def test_an_echoed_unset_or_unexpanded_variable_is_a_missing_key(echo: str) -> None:
    """OpenAI's own wording around the echo (constructed: no public thread shows the `$VAR` forms); a
    `${sk-...}` with a real key inside stays a malformed key (the bilingual_book_maker case above)."""
    text = (f"openai.AuthenticationError: Error code: 401 - {{'error': {{'message': 'Incorrect API key provided: "
            f"{echo}. You can find your API key at https://platform.openai.com/account/api-keys.', "
            f"'type': 'invalid_request_error', 'param': None, 'code': 'invalid_api_key'}}}}")
    assert explain(text).causes[0].id == "config.missing_key"


@pytest.mark.parametrize(("text", "cause"), [
    # providers' documented wordings without their codes (constructed from the pages the rows cite)
    ('{"error":{"code":"AccountOverdueError","message":"The request failed because your account has an overdue balance. Request ID: 0217"}}', "quota.insufficient"),
    ("The request failed because your account has an overdue balance.", "quota.insufficient"),
    ('{"Response":{"Error":{"Code":"FailedOperation.ResourcePackExhausted","Message":"资源包余量已用尽"},"RequestId":"x"}}', "quota.insufficient"),
    ('{"header":{"code":11202,"message":"授权错误：秒级流控超限","sid":"cht0001","status":2}}', "ratelimit.exceeded"),
    ('{"error":{"message":"The model `llama3-70b-8192` has been decommissioned and is no longer supported.","type":"invalid_request_error","code":"model_decommissioned"}}', "model.not_found"),
])
def test_documented_wordings_read_right(text: str, cause: str) -> None:
    assert explain(text).causes[0].id == cause
