"""What the API (and what stands in front of it: nginx, Envoy, a relay) answers in the status scenarios."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from peers import (
    Reply,
)

# --- the replies of the API (and what stands in front of it) ----------------------------------------------

NGINX = ("<html>\r\n<head><title>{0}</title></head>\r\n<body>\r\n<center><h1>{0}</h1></center>\r\n"
         "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
ENVOY_503 = ("upstream connect error or disconnect/reset before headers. reset reason: connection failure, "
             "transport failure reason: delayed connect error: 111")


def _oa(message: str, kind: str, code: str | None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def _an(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}, "request_id": "req_011CVbq8XmfZ2A9kT3sYwUpN"}


# (status, openai-shaped body, anthropic-shaped body, extra headers); bodies as the providers send them
# (platform.openai.com/docs/guides/error-codes, docs.anthropic.com/en/api/errors).
STATUS_REPLIES: dict[str, tuple[int, Any, Any, dict[str, str]]] = {
    "status_401": (401, _oa("Incorrect API key provided: sk-test-*********************************1c2e. You can "
                            "find your API key at https://platform.openai.com/account/api-keys.",
                            "invalid_request_error", "invalid_api_key"),
                   _an("authentication_error", "invalid x-api-key"), {}),
    "status_403_region": (403, {"error": {"code": "unsupported_country_region_territory",
                                          "message": "Country, region, or territory not supported", "param": None,
                                          "type": "request_forbidden"}},
                          _an("forbidden", "Request not allowed"), {}),
    "status_404_model": (404, _oa("The model `gpt-5-turbo` does not exist or you do not have access to it.",
                                  "invalid_request_error", "model_not_found"),
                         _an("not_found_error", "model: claude-3-opus-latest"), {}),
    "status_429_rate": (429, _oa("Rate limit reached for gpt-4o-mini in organization org-faults on requests per min "
                                 "(RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit "
                                 "https://platform.openai.com/account/rate-limits to learn more.", "requests",
                                 "rate_limit_exceeded"),
                        _an("rate_limit_error", "This request would exceed the rate limit for your organization "
                            "(5f1e...) of 50 requests per minute. For details, refer to: https://docs.anthropic.com/"
                            "en/api/rate-limits."), {"retry-after": "20"}),
    "status_429_quota": (429, _oa("You exceeded your current quota, please check your plan and billing details. For "
                                  "more information on this error, read the docs: https://platform.openai.com/docs/"
                                  "guides/error-codes/api-errors.", "insufficient_quota", "insufficient_quota"),
                         None, {}),
    "status_400_credit": (400, None, _an("invalid_request_error", "Your credit balance is too low to access the "
                                         "Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."),
                          {}),
    "status_500": (500, _oa("The server had an error while processing your request. Sorry about that!",
                            "server_error", None), _an("api_error", "Internal server error"), {}),
    "status_502_nginx": (502, NGINX.format("502 Bad Gateway"), NGINX.format("502 Bad Gateway"),
                         {"content-type": "text/html", "server": "nginx"}),
    "status_503_nginx": (503, NGINX.format("503 Service Temporarily Unavailable"),
                         NGINX.format("503 Service Temporarily Unavailable"),
                         {"content-type": "text/html", "server": "nginx"}),
    "status_504_nginx": (504, NGINX.format("504 Gateway Time-out"), NGINX.format("504 Gateway Time-out"),
                         {"content-type": "text/html", "server": "nginx"}),
    # New API's answer to a token it does not know (its middleware/auth.go: "无效的令牌")
    "status_401_relay": (401, {"error": {"message": "无效的令牌 (request id: 20251202035512873961524290645)",
                                         "type": "new_api_error", "param": "", "code": ""}}, None, {}),
    "status_503_envoy": (503, ENVOY_503, ENVOY_503, {"content-type": "text/plain", "server": "envoy"}),
    "base_url_no_v1_html": (404, NGINX.format("404 Not Found"), None, {"content-type": "text/html",
                                                                        "server": "nginx/1.24.0"}),
    "base_url_no_v1_json": (404, _oa("Invalid URL (POST /chat/completions)", "invalid_request_error", None), None, {}),
    "base_url_double_v1": (404, None, _an("not_found_error", "Not Found"), {}),
    "missing_key": (401, _oa("You didn't provide an API key. You need to provide your API key in an Authorization "
                             "header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field "
                             "(with blank username) if you're accessing the API from your browser and are prompted for "
                             "a username and password. You can obtain an API key from "
                             "https://platform.openai.com/account/api-keys.", "invalid_request_error", None),
                    _an("authentication_error", "x-api-key header is required"), {}),
    "status_529": (529, None, _an("overloaded_error", "Overloaded"), {}),
    # One API / New API (tests/peers/fakeapi.py one_api_error: the shape of the relays' public reports)
    "status_relay_no_channel": (503, {"error": {"message": "当前分组 default 下对于模型 gpt-4o-mini 无可用渠道 "
                                                "(request id: 2025120200351287396152429064585)",
                                                "type": "one_api_error", "param": "", "code": None}}, None, {}),
    # --- Chinese providers and relays (issue 16), each body as the provider's own error-code page gives it:
    # Zhipu docs.z.ai/api-reference/api-code (1113 in its Chinese words, the ones its API sends), 1302, 1002
    "status_429_zhipu_balance": (429, {"error": {"code": "1113", "message": "余额不足或无可用资源包,请充值。"}},
                                 None, {}),
    "status_429_zhipu_rate": (429, {"error": {"code": "1302", "message": "您的账户已达到速率限制，请您控制请求频率"}},
                              None, {}),
    "status_401_zhipu": (401, {"error": {"code": "1002", "message": "Invalid Authentication Token, please confirm "
                                         "the correct transmission of the Authentication Token"}}, None, {}),
    # Volcengine Ark www.volcengine.com/docs/82379/1299023 (AccountOverdueError 403,
    # InvalidEndpointOrModel.NotFound 404)
    "status_403_ark_overdue": (403, {"error": {"code": "AccountOverdueError", "message": "The request failed because "
                                               "your account has an overdue balance. Request id: "
                                               "02175807918128087536ccb70d6c1a12319f6b583ee3463218d67", "param": "",
                                               "type": "Forbidden"}}, None, {}),
    "status_404_ark_model": (404, {"error": {"code": "InvalidEndpointOrModel.NotFound", "message": "The model or "
                                             "endpoint doubao-1.5-pro-32k does not exist or you do not have access to "
                                             "it. Request id: 021741786566285e2dc8688e4f0b08b05ead8177d0b7d6c144164",
                                             "param": "", "type": "NotFound"}}, None, {}),
    # DashScope's OpenAI-compatible mode help.aliyun.com/zh/model-studio/error-code (Arrearage 400)
    "status_400_dashscope_arrearage": (400, {"error": {"code": "Arrearage", "param": None, "message": "Access denied, "
                                                       "please make sure your account is in good standing.",
                                                       "type": "Arrearage"},
                                             "id": "chatcmpl-f9fdb027-830c-9e05-8366-ce479a878825"}, None, {}),
    # DeepSeek api-docs.deepseek.com/quick_start/error_codes (402 Insufficient Balance)
    "status_402_deepseek": (402, {"error": {"message": "Insufficient Balance", "type": "unknown_error", "param": None,
                                            "code": "invalid_request_error"}}, None, {}),
    # Moonshot platform.moonshot.cn/docs/api/chat (engine_overloaded_error 429)
    "status_429_moonshot_overloaded": (429, {"error": {"message": "The engine is currently overloaded, please try "
                                                       "again later", "type": "engine_overloaded_error"}}, None, {}),
    # New API / One API (middleware/distributor.go, relay; i18n zh-CN.yaml): the group's upstream saturated, the
    # user's quota spent, the token expired (One API model/token.go ValidateUserToken: "该令牌已过期")
    "status_429_relay_saturated": (429, {"error": {"message": "当前分组上游负载已饱和，请稍后再试 (request id: "
                                                   "20250423020142736330894dLoIRrS6)", "type": "new_api_error",
                                                   "param": "", "code": None}}, None, {}),
    "status_403_relay_quota": (403, {"error": {"message": "用户额度不足, 剩余额度: ＄-0.000002 (request id: "
                                               "202608190933135792535838268d9d6rhgZmzsh)", "type": "new_api_error",
                                               "param": "", "code": "insufficient_user_quota"}}, None, {}),
    "status_401_relay_expired": (401, {"error": {"message": "该令牌已过期 (request id: 20251202035512873961524290645)",
                                                 "type": "one_api_error", "param": "", "code": ""}}, None, {}),
}


# Go's encoding/json (New API, One API, Ark's and Zhipu's gateways) writes Chinese as UTF-8, not as \\u escapes
UTF8_BODIES = frozenset({
    "status_429_zhipu_balance", "status_429_zhipu_rate", "status_401_zhipu", "status_403_ark_overdue",
    "status_404_ark_model", "status_400_dashscope_arrearage", "status_402_deepseek", "status_429_moonshot_overloaded",
    "status_429_relay_saturated", "status_403_relay_quota", "status_401_relay_expired"})


def status_handler(scenario: str) -> Callable[[Any], Reply]:
    status, openai_body, anthropic_body, headers = STATUS_REPLIES[scenario]

    def handle(req: Any) -> Reply:
        anthropic = "anthropic-version" in req.headers or req.path.split("?")[0].endswith("/messages")
        body = anthropic_body if anthropic else openai_body
        extra = {"request-id" if anthropic else "x-request-id": "req_5c0f3a9e7d2b41c8a6f1e0d9b8c7a6f5", **headers}
        if isinstance(body, str):
            return Reply(status, {"content-type": "text/html", **extra}, body)
        if scenario in UTF8_BODIES:
            return Reply(status, {"content-type": "application/json", **extra},
                         json.dumps(body, ensure_ascii=False).encode())
        return Reply.json(status, body, extra)

    return handle
