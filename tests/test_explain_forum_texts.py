# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""Texts as they are pasted outside GitHub issues, read right as classes (issue 16), on real texts.

Each text is quoted as its source printed it: relays' public error databases (a log prefix, a desktop app's
stack, a body quoted inside a string, a paste cut off mid-line), Chinese blogs and provider docs, help
centers and error-guide sites, forum and Reddit snapshots, pages in Japanese, Korean, Spanish and
Portuguese. The URL is where the text and its cause come from. All are in the tuned part of tests/corpus;
the held-out part is never used here. The second half checks the class properties the corpus rows stand
for: a log prefix, Chinese prose or forum quote marks around a text do not change how it reads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from llmdoctor.explain import explain

GUARD = str(Path(__file__).parent / "guard")


def reading(text: str) -> str:
    result = explain(text)
    if result.ambiguous:
        return "ambiguous"
    return result.causes[0].id if result.recognised and result.causes else "unrecognised"


RELAY_ERROR_DATABASE = [  # err.dmxapi.cn / errs.dmxapi.cn: what users of a relay pasted, as they pasted it
    ("ERROR:worldmm.llm.openai_gpt:OpenAI API error: Error code: 429 - {'error': {'message': 'Request was rejected due to rate limiting. Details: TPM limit reached.', 'type': 'rix_api_error', 'param': '', 'code': 'bad_response_status_code'}}",
     "ratelimit.exceeded"),  # err.dmxapi.cn/detail.php?id=917, with a Python logging prefix as the app printed it
    ('推理失败: All endpoints failed: custom-qwen3.5-plus-free: API error (500): {"error":{"message":"limit_error (request id: 20260323175208383058527YVremWBJ)","type":"rix_api_error","param":"","code":"rate_limit"}}; custom-qwen3.5-plus-free: API error (500): {"error":{"message":"limit_error (request id: 202603231',
     "ratelimit.exceeded"),  # errs.dmxapi.cn/detail.php?id=2128: a rate-limit code under a 500, cut off mid-line
    ("[agent/embedded] embedded run agent end: runId=c00484cb-815c-4496-9b66-40e0077fcb0e isError=true model=glm-5.1-free provider=dmxapi error=The AI service is temporarily unavailable (HTTP 524). Please try again in a moment. rawError=524 服务器已经满载,请更换模型,或者稍后再试",
     "server.overloaded"),  # errs.dmxapi.cn/detail.php?id=2760: the relay's words outweigh the 524
    ('400 - "{\\"error\\":\\"API key status invalid\\",\\"api-key\\":\\"d702a61c220e3b2dc232bfc73d64acb77508\\",\\"type\\":\\"api-key\\",\\n\\"status\\":\\"invalid\\"}"',
     "auth.invalid_key"),  # err.dmxapi.cn/detail.php?id=1374: a body quoted inside a string
    ('⎿ 401 {"error":{"code":"","message":"Invalid Token (request id:\n20251117094959714517576oUVxI4Ch)","type":"rix_api_error"}}',
     "auth.invalid_key"),  # err.dmxapi.cn/detail.php?id=781: Claude Code's tree glyph, a line broken mid-id
    ('当前分组上游负载已饱和,请稍后再试 (request id: 20251216182959217593133rZmhf7Uh)","type":"rix_api_error","param":"","code":null}}',
     "ratelimit.relay_saturated"),  # err.dmxapi.cn/detail.php?id=1240: the tail of a body, its start not copied
    ('错误名称: AI_APICallError 错误信息: Insufficient Balance 堆栈信息: AI_APICallError: Insufficient Balance at file:///D:/Program%20Files/Cherry%20Studio/resources/app.asar/out/renderer/assets/dist-BF36PYi7.js:4456:11 at async postToApi (file:///D:/Program%20Files/Cherry%20Studio/resources/app.asar/out/renderer/assets/dist-BF36PYi7.js:4352:24) 错误原因: "[undefined]" 状态码: 402 请求路径: https://api.deepseek.com/v1/chat/completions 请求体: { "model": "deepseek-chat", "user": "[undefined]", "max_tokens": "[undefined]", "temperature": 1',
     "quota.insufficient"),  # err.dmxapi.cn/detail.php?id=500: a desktop app's error dialog, stack and request
    ('do request failed: Post "http://localhost:11434/api/chat": dial tcp [::1]:11434: connect: connection refused',
     "net.connect_refused"),  # blog.gitcode.com/a122df915c34195c3dd420c5fc7c3736.html: One API in Docker calling localhost
]

CHINESE_BLOGS_AND_DOCS = [
    ("RateLimitError: Error code: 429 – {‘error’: {‘message’: ‘You exceeded your current quota, please check your plan and billing details.’}}",
     "quota.insufficient"),  # seo.sqjnqi.com/8037.html: a blog's typography (curly quotes, en dash) kept
    ("requests.exceptions.ConnectTimeout:\nHTTPSConnectionPool(host='api.openai.com', port=443):\nMax retries exceeded with url: /v1/chat/completions",
     "net.connect_timeout"),  # www.cnblogs.com/shadowith/articles/19466360
    ("'code': 'Arrearage', 'param': None, 'message': 'Access denied, please make sure your account is in good standing.', 'type': 'Arrearage'}",
     "quota.insufficient"),  # help.aliyun.com/zh/dashscope/return-status-code-description: the tail of a dict
    ('连接 Custom Provider 失败。这通常是由于配置错误或 Custom Provider 账户问题。请检查您的设置并验证您的 Custom Provider 账户状态,或购买Chatbox AllLicense即可立即解锁所有高级模型,无需任何配置。\nAPI Error: Status Code 500, {"error":"message":"maximum context length failed (request id: 20250417031656450233754MDmghox4)(request id: 20250417111652933558083J0KPt83y)","localized message":"Unknown error","type":"new_api_error","param":"","code":"maximum_context_length_failed"}}',
     "request.too_large"),  # help.apiyi.com/?p=1521: the app's Chinese prose blames the config; the body says context
    ("429 – The engine is currently overloaded, please try again later 429 - 发动机当前过载,请稍后再试",
     "server.overloaded"),  # ttzdm.cn/chatgpt/chatgpt_dai_ma/11645.html: a bilingual copy of OpenAI's table
]

HELP_CENTERS_AND_PROVIDER_DOCS = [
    ('{"message":"OpenAI API error.","details":{"error":{"message":"You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https:\\/\\/platform.openai.com\\/docs\\/guides\\/error-codes\\/api-errors.","type":"insufficient_quota","param":null,"code":"insufficient_quota"}}}',
     "quota.insufficient"),  # smartdarisun.ir: the provider's error inside an app's own envelope
    ("403 - Country, region, or territory not supported", "auth.region_blocked"),  # help.openai.com/en/articles/6891839
    ('{\n  "error": {\n    "code": 14,\n    "message": "ErrorQueueFull",\n    "details": []\n  }\n}',
     "server.overloaded"),  # docs.api.groq.com/md/errors.html
    ("503 - Engine Overloaded", "server.overloaded"),  # docs.together.ai/docs/error-codes
    ("402 - Insufficient Balance", "quota.insufficient"),  # platform.deepseek.com/api-docs/quick_start/error_codes
    ('Error: 401 { "statusCode": 401, "message": "Unauthorized. Access token is missing, invalid, audience is incorrect (https://cognitiveservices.azure.com), or has expired." }',
     "auth.wrong_header"),  # devgem.io: an Azure key sent as "Authorization: Bearer"
]

ERROR_GUIDE_SITES = [
    ("openai.BadRequestError: Error code: 400 - {'error': {'message': \"This model's\nmaximum context length is 16385 tokens. However, your messages resulted in\n17421 tokens. Please reduce the length of the messages.\", 'type':\n'invalid_request_error', 'param': 'messages', 'code': 'context_length_exceeded'}}",
     "request.too_large"),  # python-ai-tools.com: the traceback wrapped at a blog's column width
    ("prompt is too long: 103078 tokens > 102398 maximum", "request.too_large"),  # portkey.ai/error-library/input-length-error-10153
    ('{ "error": { "code": 400, "message": "User location is not supported for the API use.", "status": "FAILED_PRECONDITION" } }',
     "auth.region_blocked"),  # aifreeapi.com/en/posts/gemini-api-request-failed-precondition
    ("OpenRouter: 402 You have insufficient credits", "quota.insufficient"),  # seofreshup.com/docs/troubleshooting/openrouter-errors/
    ("OpenRouter: 401 No auth credentials found", "config.missing_key"),  # same page: no key reached the server
    ("Error: ETIMEDOUT\nat TCPConnectWrap.afterConnect [as oncomplete] (net.js:1134:16)",
     "net.connect_timeout"),  # www.latestnews24x7.com/nodejs-error-etimedout-connection-timed-out
]

FORUMS_AND_APP_MESSAGES = [
    ('API Error (529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})',
     "server.overloaded"),  # a Reddit report quoted on www.seminarsonly.com/news/claude-ai-overloaded-error-http-status-code-529
    ('If you\'re seeing this error after purchasing credits: "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."',
     "quota.insufficient"),  # a Reddit post's snapshot, reddit.sentinel-team.org/posts/1s44jk6: prose around the error
    ("LLM timeout received when chating with remote ollama server\nError: connect ECONNREFUSED 127.0.0.1:11434",
     "net.connect_refused"),  # getclawkit.com/docs/troubleshooting/ollama-remote-llm-timeout
]

OTHER_LANGUAGES = [
    ('{\n  "message": "You exceeded your current quota, please check your plan and billing details.",\n  "type": "insufficient_quota",\n  "param": null,\n  "code": "insufficient_quota"\n}',
     "quota.insufficient"),  # openillumi.com/openai-api-quota-error-fix-2 (Japanese)
    ("Rate limit exceeded for requests", "ratelimit.exceeded"),  # scatterednotebooks.com/?p=55592 (Korean)
    ('{\n  "error": {\n    "code": 400,\n    "message": "User location is not supported for the API use.",\n    "status": "FAILED_PRECONDITION"\n  }\n}',
     "auth.region_blocked"),  # soporte.donweb.com (Spanish)
    ("SELF_SIGNED_CERT_IN_CHAIN", "tls.intercepted"),  # developers.yassutaro.com/?p=2141 (Portuguese): Zscaler's inspection
]

# Texts that say a call failed without saying why: candidates and what would tell them apart, never a verdict.
DO_NOT_TELL = [
    '{ "error":"ERROR_OPENAI","details":{ "title":"Unable to reach the model provider","detail":"We\'re having trouble connecting to the model provider. This might be temporary - please try again in a moment."}}',  # dredyson.com/?p=6803 (Cursor)
    "Unable to connect to Anthropic services Failed to connect to api.anthropic.com: ERR_BAD_REQUEST",  # roipad.com (Claude Code)
    "DEBUG OpenAI API network error (attempt 1/4): ... Retrying in 1.0s...\nDEBUG OpenAI API network error (attempt 2/4): ... Retrying in 2.0s...",  # gcop.docs.esap.cc
    "ConnectionError: HTTPSConnectionPool(host='api.holysheep.ai', port=443): Max retries exceeded",  # www.holysheep.ai: cut before "Caused by"
    "OpenAI Error: OpenSSL SSL_read: SSL_ERROR_SYSCALL, errno 104",  # petronellatech.com: a reset mid-answer, not a handshake
    "Bad Request for url: https://dashscope.aliyuncs.com/compatible-mode/v1/chat/completions",  # help.aliyun.com: raise_for_status hid the body
    "openai.APITimeoutError: Request timed out",  # deadends.dev: connect or read, the line does not say
    "Error: socket hang up",  # parrotrouter.com
]


@pytest.mark.parametrize(("text", "cause"), RELAY_ERROR_DATABASE)
def test_relay_error_database_pastes(text: str, cause: str) -> None:
    assert reading(text) == cause


@pytest.mark.parametrize(("text", "cause"), CHINESE_BLOGS_AND_DOCS)
def test_chinese_blogs_and_docs(text: str, cause: str) -> None:
    assert reading(text) == cause


@pytest.mark.parametrize(("text", "cause"), HELP_CENTERS_AND_PROVIDER_DOCS)
def test_help_centers_and_provider_docs(text: str, cause: str) -> None:
    assert reading(text) == cause


@pytest.mark.parametrize(("text", "cause"), ERROR_GUIDE_SITES)
def test_error_guide_sites(text: str, cause: str) -> None:
    assert reading(text) == cause


@pytest.mark.parametrize(("text", "cause"), FORUMS_AND_APP_MESSAGES)
def test_forum_posts_and_app_messages(text: str, cause: str) -> None:
    assert reading(text) == cause


@pytest.mark.parametrize(("text", "cause"), OTHER_LANGUAGES)
def test_pages_in_other_languages(text: str, cause: str) -> None:
    assert reading(text) == cause


@pytest.mark.parametrize("text", DO_NOT_TELL)
def test_texts_that_do_not_say_why_get_candidates_not_a_verdict(text: str) -> None:
    result = explain(text)
    assert result.ambiguous and not result.recognised and len(result.causes) >= 2


def test_a_read_reset_is_not_read_as_a_handshake_reset() -> None:
    assert reading("curl: (35) OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to api.openai.com:443") \
        == "tls.handshake_reset"
    mid_answer = explain("OpenAI Error: OpenSSL SSL_read: SSL_ERROR_SYSCALL, errno 104")
    assert "tls.handshake_reset" not in [c.id for c in mid_answer.causes]


def test_a_failure_in_words_does_not_hide_the_cause_a_text_names() -> None:
    """"Max retries exceeded" alone is vague; with requests' "Caused by" naming a refusal it is that refusal."""
    assert reading("requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.openai.com', port=443): Max "
                   "retries exceeded with url: /v1/chat/completions (Caused by NewConnectionError('<urllib3.connection."
                   "HTTPSConnection object at 0x1>: Failed to establish a new connection: [Errno 111] Connection "
                   "refused'))") == "net.connect_refused"


# --- the class properties: what surrounds a text does not change how it reads ------------------------------------
_WRAPPERS = {
    "log prefix": lambda t: "2026-01-25 09:53:01,123 ERROR [app.llm] " + t,
    "报错：": lambda t: "报错：" + t,
    "Chinese prose around": lambda t: "调用接口一直提示\n" + t + "\n请问怎么解决？是连接超时了吗",
    "forum quote": lambda t: "> " + t.replace("\n", "\n> "),
}
_SAMPLES = [text_cause for group in (RELAY_ERROR_DATABASE, CHINESE_BLOGS_AND_DOCS, HELP_CENTERS_AND_PROVIDER_DOCS,
                                     ERROR_GUIDE_SITES, FORUMS_AND_APP_MESSAGES, OTHER_LANGUAGES)
            for text_cause in group]


@pytest.mark.parametrize("wrap", list(_WRAPPERS))
@pytest.mark.parametrize(("text", "cause"), _SAMPLES)
def test_what_surrounds_a_text_does_not_change_its_reading(text: str, cause: str, wrap: str) -> None:
    assert reading(_WRAPPERS[wrap](text)) == cause


@pytest.mark.parametrize(("wrapped", "cause"), [
    ("报错：401 The API Key appears to be invalid or may have expired", "auth.invalid_key"),  # www.kimi.com error reference
    ("报错：429 We're receiving too many requests", "ratelimit.exceeded"),  # same page
    ("> openai.APIConnectionError: Connection error.\n> httpx.ConnectTimeout: timed out", "net.connect_timeout"),  # fixdevs.com
])
def test_a_status_after_chinese_punctuation_and_quoted_lines_still_read(wrapped: str, cause: str) -> None:
    assert reading(wrapped) == cause


def test_a_text_that_does_not_say_why_exits_1_through_the_cli() -> None:
    text = "Unable to connect to Anthropic services Failed to connect to api.anthropic.com: ERR_BAD_REQUEST"
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "PYTHONPATH": GUARD, "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-m", "llmdoctor", "explain", "--json", text], capture_output=True,
                            env=env, timeout=60)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["ambiguous"] is True and data["recognised"] is False
    assert "auth.region_blocked" in [c["id"] for c in data["causes"]]
