# ruff: noqa: E501  (real texts are quoted whole, as their sources printed them)
"""Chinese providers' SDK classes, relays' templates and base URLs, read as classes (issue 16, stop 27).

Each text is real (tests/corpus, tuned part only; the URL after it is where it comes from and where its cause
was confirmed). The class each covers: the zhipuai SDK's status classes and tenacity's RetryError around them;
Volcengine Ark's "Ark"-prefixed classes; One API's numbered pre-consumption message; CliRelay's channel-group
refusals; Zhipu 1305 (the model's load) against 1302 (the account's rate); DashScope's native root given to an
OpenAI-style client.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable

import pytest
from helpers import reading

from llmdoctor.explain import explain

RunCli = Callable[..., subprocess.CompletedProcess[str]]

CASES = [
    # tenacity's RetryError names the last exception by the Future's repr; zhipuai's APIReachLimitError is its 429,
    # which at Zhipu is a rate limit or an empty balance alike (the thread's cause was a model the new key lacked)
    ("RetryError state=finished raised APIReachLimitError when validate the zhipu ai",
     "ambiguous"),  # https://github.com/langgenius/dify/issues/6289
    # One API's pre-consumption check with the numbers between its words
    ("one-api搭配fastgpt，知识库搜索提示user [3446] quota [-20847155]preConsumedQuota [743]is not enough(request id:2024092600274225879598085091467)",
     "quota.insufficient"),  # https://github.com/songquanpeng/one-api/issues/1846
    # CliRelay (sdk/cliproxy/auth/selection_diagnostics.go): the key may not use the group that serves the model
    ('model "kimi-k3" is served by credentials in channel group "default", which this\ncredential may not use (allowed: "group"); add a serving group to the allowed\nchannel groups, or move a serving account into an allowed one',
     "auth.permission_denied"),  # https://github.com/kittors/CliRelay/pull/945
    ('model "kimi-k3" is served only by credentials outside the channel groups this\ncredential may use ("group"); add a serving account to one of those groups, or\nwiden the allowed channel groups',
     "auth.permission_denied"),  # https://github.com/kittors/CliRelay/pull/945
    # Zhipu 1305 is the model's traffic on the platform; 1302 the account's own rate
    ('API Error: 429 {"error":{"code":"1305","message":"该模型当前访问量过大，请您稍后再试"},"request_id":"20260416094124822021dae9564747"}',
     "server.overloaded"),  # https://github.com/zhukunpenglinyutong/jetbrains-cc-gui/issues/897
    ('Error: 429 - {"error":{"code":"1302","message":"您的账户已达到速率限制，请您控制请求频率"}}',
     "ratelimit.exceeded"),  # https://github.com/yilewang/llm-for-zotero/issues/17
    # a 404 said for Ark's own chat path is the model or endpoint ID, whatever the client calls it
    ("https://ark.cn-beijing.volces.com/api/v3/chat/completions not found, verify your API base.",
     "model.not_found"),  # https://github.com/nanbingxyz/5ire/issues/195
    # DashScope's native root (/api/v1) given to the openai SDK: its paths are 404 there
    ("    'model_server': 'https://dashscope-intl.aliyuncs.com/api/v1/'\n  File \"C:\\Users\\lameg\\AppData\\Local\\Programs\\Python\\Python312\\Lib\\site-packages\\openai\\_base_client.py\", line 1064, in _request\n    raise self._make_status_error_from_response(err.response) from None\nopenai.NotFoundError: Error code: 404",
     "config.base_url_invalid"),  # https://github.com/QwenLM/Qwen-Agent/issues/461
]


@pytest.mark.parametrize(("text", "cause"), CASES)
def test_real_texts_read_right(text: str, cause: str) -> None:
    result = explain(text)
    assert reading(result) == cause, [(c.id, c.confidence) for c in result.causes[:3]]


@pytest.mark.parametrize(("name", "status"), [
    ("zhipuai.core._errors.APIAuthenticationError", 401), ("zhipuai.core._errors.APIReachLimitError", 429),
    ("zhipuai.core._errors.APIServerFlowExceedError", 503), ("volcenginesdkarkruntime._exceptions.ArkNotFoundError", 404),
    ("volcenginesdkarkruntime._exceptions.ArkRateLimitError", 429),
])
def test_sdk_classes_name_their_status(name: str, status: int) -> None:
    """zhipuai/core/_base_client.py (_make_status_error) and volcenginesdkarkruntime/_exceptions.py: the class alone
    is the status when the paste has no other."""
    from llmdoctor.explain.parse import exceptions
    from llmdoctor.explain.parse import status as status_of

    text = f"{name}: request failed"
    assert status_of(text, exceptions(text)) == status


def test_a_retry_error_names_the_exception_it_wraps() -> None:
    from llmdoctor.explain.parse import exceptions

    text = "tenacity.RetryError: RetryError[<Future at 0x7f3a2c1d0b50 state=finished raised APIConnectionError>]"
    assert "APIConnectionError" in exceptions(text)


def test_zhipu_balance_fix_names_the_coding_plan_endpoint(run_cli: RunCli) -> None:
    """A Coding Plan key at the general endpoint gets 1113 too (QwenPaw#202's fix was the base URL): the fix says
    which endpoint each key needs, in the user's language, and names Zhipu from its own 1113 words alone."""
    text = "RateLimitError: Error code: 429 - {'error': {'code': '1113', 'message': '余额不足或无可用资源包,请充值。'}}"  # https://github.com/agentscope-ai/QwenPaw/issues/202
    proc = run_cli("explain", text)
    assert proc.returncode == 1, proc.stderr
    assert "quota.insufficient" in proc.stdout
    assert "https://open.bigmodel.cn/api/coding/paas/v4" in proc.stdout
    proc = run_cli("--lang", "zh", "explain", text)
    assert "Coding Plan 的密钥请用 https://open.bigmodel.cn/api/coding/paas/v4" in proc.stdout


def test_dashscope_native_root_fix_names_the_compatible_root(run_cli: RunCli) -> None:
    text = ("    'model_server': 'https://dashscope-intl.aliyuncs.com/api/v1/'\n"
            "openai.NotFoundError: Error code: 404")  # https://github.com/QwenLM/Qwen-Agent/issues/461
    proc = run_cli("explain", text)
    assert proc.returncode == 1, proc.stderr
    assert "config.base_url_invalid" in proc.stdout
    assert "https://dashscope-intl.aliyuncs.com/compatible-mode/v1" in proc.stdout
