"""Real-world error bodies (from providers' docs and public bug reports) map to the right causes."""

from __future__ import annotations

import json

import pytest

from llmdoctor.apierrors import classify_response, redact_text


def top(status: int | None, body: object, provider: str | None = None, headers: dict[str, str] | None = None,
        endpoint: str = "models") -> str:
    text = body if isinstance(body, (str, bytes)) else json.dumps(body)
    found = classify_response(status, text, headers, provider, endpoint)
    assert found, "expected at least one cause"
    return found[0].cause_id


def ids(status: int | None, body: object, provider: str | None = None) -> list[str]:
    text = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return [c.cause_id for c in classify_response(status, text, None, provider)]


OPENAI_BAD_KEY = {"error": {"message": "Incorrect API key provided: sk-proj-********************************"
                                       "abcd. You can find your API key at https://platform.openai.com/account/"
                                       "api-keys.", "type": "invalid_request_error", "param": None,
                            "code": "invalid_api_key"}}
OPENAI_QUOTA = {"error": {"message": "You exceeded your current quota, please check your plan and billing "
                                     "details. For more information on this error, read the docs: "
                                     "https://platform.openai.com/docs/guides/error-codes/api-errors.",
                          "type": "insufficient_quota", "param": None, "code": "insufficient_quota"}}
OPENAI_RPM = {"error": {"message": "Rate limit reached for gpt-4o-mini in organization org-abc on requests "
                                   "per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s.",
                        "type": "requests", "param": None, "code": "rate_limit_exceeded"}}
OPENAI_TPM_TOO_LARGE = {"error": {"message": "Request too large for gpt-4o in organization org-abc on tokens "
                                             "per min (TPM): Limit 30000, Requested 45012. The input or output "
                                             "tokens must be reduced in order to run successfully.",
                                  "type": "tokens", "param": None, "code": "rate_limit_exceeded"}}
OPENAI_TPM = {"error": {"message": "Rate limit reached for gpt-4o in organization org-abc on tokens per min "
                                   "(TPM): Limit 30000, Used 29000, Requested 2000. Please try again in 2.5s.",
                        "type": "tokens", "param": None, "code": "rate_limit_exceeded"}}


def test_openai_invalid_key() -> None:
    found = classify_response(401, json.dumps(OPENAI_BAD_KEY), provider="openai")
    assert found[0].cause_id == "auth.invalid_key"
    assert found[0].facts["status"] == 401
    assert found[0].facts["error_code"] == "invalid_api_key"
    assert "401" in found[0].message and "invalid_api_key" in found[0].message


def test_openai_insufficient_quota_is_billing_not_rate_limit() -> None:
    assert ids(429, OPENAI_QUOTA, "openai") == ["quota.insufficient"]


def test_openai_rpm_rate_limit_facts() -> None:
    found = classify_response(429, json.dumps(OPENAI_RPM), {"retry-after": "20"}, "openai")
    assert found[0].cause_id == "ratelimit.exceeded"
    assert found[0].facts["limit_kind"] == "RPM"
    assert found[0].facts["limit"] == 3 and found[0].facts["used"] == 3
    assert found[0].facts["retry_after_s"] == 20.0


def test_openai_tpm_rate_limit() -> None:
    found = classify_response(429, json.dumps(OPENAI_TPM), provider="openai")
    assert found[0].cause_id == "ratelimit.exceeded"
    assert found[0].facts["limit_kind"] == "TPM"
    assert found[0].facts["retry_after_s"] == 2.5


def test_openai_request_too_large_is_not_a_rate_limit() -> None:
    assert top(429, OPENAI_TPM_TOO_LARGE, "openai") == "request.too_large"


def test_openai_context_length() -> None:
    body = {"error": {"message": "This model's maximum context length is 128000 tokens. However, your messages "
                                 "resulted in 130000 tokens. Please reduce the length of the messages.",
                      "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}}
    assert ids(400, body, "openai") == ["request.too_large"]


def test_openai_region_blocked() -> None:
    body = {"error": {"code": "unsupported_country_region_territory",
                      "message": "Country, region, or territory not supported", "param": None,
                      "type": "request_forbidden"}}
    assert ids(403, body, "openai") == ["auth.region_blocked"]


def test_openai_model_not_found() -> None:
    body = {"error": {"message": "The model `gpt-9` does not exist or you do not have access to it.",
                      "type": "invalid_request_error", "param": None, "code": "model_not_found"}}
    assert ids(404, body, "openai") == ["model.not_found"]


def test_openai_invalid_url_is_endpoint_not_found() -> None:
    body = {"error": {"message": "Invalid URL (GET /v1/modelz)", "type": "invalid_request_error",
                      "param": None, "code": None}}
    assert top(404, body, "openai") == "endpoint.not_found"


def test_openai_missing_header() -> None:
    body = {"error": {"message": "You didn't provide an API key. You need to provide your API key in an "
                                 "Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
                      "type": "invalid_request_error", "param": None, "code": None}}
    assert top(401, body, "openai") == "auth.wrong_header"


def test_openai_given_an_anthropic_key() -> None:
    body = {"error": {"message": "Incorrect API key provided: sk-ant-a***************************WXYZ.",
                      "type": "invalid_request_error", "param": None, "code": "invalid_api_key"}}
    found = classify_response(401, json.dumps(body), provider="openai")
    assert found[0].cause_id == "auth.key_wrong_provider"
    assert found[0].facts["key_looks_like"] == "anthropic"


def test_openai_overloaded_503() -> None:
    body = {"error": {"message": "The engine is currently overloaded, please try again later", "type": "server_error"}}
    assert top(503, body, "openai") == "server.overloaded"


def test_openai_500() -> None:
    body = {"error": {"message": "The server had an error while processing your request. Sorry about that!",
                      "type": "server_error"}}
    assert top(500, body, "openai") == "server.error"


# --- Anthropic -------------------------------------------------------------------------------------------

def anthropic(kind: str, message: str) -> dict[str, object]:
    return {"type": "error", "error": {"type": kind, "message": message}, "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy"}


@pytest.mark.parametrize(("status", "kind", "message", "cause"), [
    (401, "authentication_error", "invalid x-api-key", "auth.invalid_key"),
    (403, "permission_error", "Your API key does not have permission to use the specified resource.",
     "auth.permission_denied"),
    (429, "rate_limit_error", "Number of request tokens has exceeded your per-minute rate limit "
     "(https://docs.anthropic.com/en/api/rate-limits); see the response headers for current usage.",
     "ratelimit.exceeded"),
    (529, "overloaded_error", "Overloaded", "server.overloaded"),
    (404, "not_found_error", "model: claude-9-opus", "model.not_found"),
    (400, "invalid_request_error", "Your credit balance is too low to access the Anthropic API. Please go to "
     "Plans & Billing to upgrade or purchase credits.", "quota.insufficient"),
    (413, "request_too_large", "Request exceeds the maximum allowed number of bytes.", "request.too_large"),
    (400, "invalid_request_error", "prompt is too long: 215000 tokens > 200000 maximum", "request.too_large"),
    (500, "api_error", "Internal server error", "server.error"),
    (401, "authentication_error", "x-api-key header is required", "auth.wrong_header"),
    (400, "invalid_request_error", "max_tokens: Field required", "request.invalid"),
])
def test_anthropic(status: int, kind: str, message: str, cause: str) -> None:
    found = classify_response(status, json.dumps(anthropic(kind, message)), provider="anthropic")
    assert found[0].cause_id == cause
    assert found[0].facts["request_id"].startswith("req_")


def test_anthropic_forbidden_request_not_allowed_is_a_region_block() -> None:
    """What api.anthropic.com answers from an unsupported country (a VPN elsewhere fixes it)."""
    body = {"error": {"type": "forbidden", "message": "Request not allowed"}}
    found = classify_response(403, json.dumps(body), provider="anthropic")
    assert [c.cause_id for c in found] == ["auth.region_blocked"]


def test_anthropic_rate_limit_headers_into_facts() -> None:
    headers = {"Retry-After": "7", "anthropic-ratelimit-requests-remaining": "0", "request-id": "req_1"}
    found = classify_response(429, json.dumps(anthropic("rate_limit_error", "rate limited")), headers, "anthropic")
    assert found[0].facts["retry_after_s"] == 7.0
    assert found[0].facts["headers"]["anthropic-ratelimit-requests-remaining"] == "0"


@pytest.mark.parametrize("message, headers", [
    ("Please try again in 1.2.3s", None),
    ("Please try again in " + "9" * 400 + "s", None),
    ("Rate limit reached.", {"retry-after": "inf"}),
    ("Rate limit reached.", {"retry-after": "nan"}),
    ("Rate limit reached.", {"retry-after-ms": "-5"}),
    ("Rate limit reached.", {"retry-after-ms": "1e999"}),
])
def test_a_broken_wait_is_left_out_and_the_429_still_reads_as_a_rate_limit(
        message: str, headers: dict[str, str] | None) -> None:
    found = classify_response(429, json.dumps({"error": {"message": message, "type": "requests"}}), headers, "openai")
    assert found[0].cause_id == "ratelimit.exceeded"
    assert "retry_after_s" not in found[0].facts
    json.dumps(found[0].facts, allow_nan=False)  # what the report writes must stay valid JSON


def test_minutes_and_seconds_add_up() -> None:
    found = classify_response(429, json.dumps({"error": {"message": "Please try again in 1m30.5s"}}), None, "openai")
    assert found[0].facts["retry_after_s"] == 90.5


def test_an_answer_that_breaks_the_classifier_keeps_the_status_meaning(monkeypatch: pytest.MonkeyPatch) -> None:
    import llmdoctor.apierrors as apierrors

    def broken(*_args: object) -> None:
        raise ValueError("boom")

    monkeypatch.setattr(apierrors, "classify_payload", broken)
    assert [classify_response(s, "{}")[0].cause_id for s in (401, 403, 404, 429, 400, 502)] == [
        "auth.invalid_key", "auth.permission_denied", "endpoint.not_found", "ratelimit.exceeded",
        "request.invalid", "server.error"]


# --- Gemini ----------------------------------------------------------------------------------------------

GEMINI_BAD_KEY = {"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.",
                            "status": "INVALID_ARGUMENT",
                            "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                                         "reason": "API_KEY_INVALID", "domain": "googleapis.com",
                                         "metadata": {"service": "generativelanguage.googleapis.com"}}]}}


def test_gemini_native_bad_key_is_a_400() -> None:
    found = classify_response(400, json.dumps(GEMINI_BAD_KEY), provider="gemini-native")
    assert found[0].cause_id == "auth.invalid_key"
    assert found[0].facts["error_reasons"] == ["API_KEY_INVALID"]
    assert "request.invalid" not in [c.cause_id for c in found]


def test_gemini_openai_endpoint_wraps_errors_in_a_list() -> None:
    assert top(400, [GEMINI_BAD_KEY], "gemini") == "auth.invalid_key"


def test_gemini_error_nested_as_text_by_a_client() -> None:
    body = {"error": {"message": json.dumps(GEMINI_BAD_KEY, indent=2), "code": 400, "status": "Bad Request"}}
    assert top(400, body, "gemini") == "auth.invalid_key"


def test_gemini_resource_exhausted_is_a_rate_limit() -> None:
    body = {"error": {"code": 429, "message": "You exceeded your current quota, please check your plan and "
                      "billing details. For more information on this error, head to: "
                      "https://ai.google.dev/gemini-api/docs/rate-limits.", "status": "RESOURCE_EXHAUSTED",
                      "details": [{"@type": "type.googleapis.com/google.rpc.QuotaFailure", "violations": [
                          {"quotaMetric": "generativelanguage.googleapis.com/generate_content_free_tier_requests",
                           "quotaId": "GenerateRequestsPerMinutePerProjectPerModel-FreeTier"}]},
                          {"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "41s"}]}}
    found = classify_response(429, json.dumps(body), provider="gemini-native")
    assert [c.cause_id for c in found][:2] == ["ratelimit.exceeded", "quota.insufficient"]
    assert found[0].facts["quota_ids"] == ["GenerateRequestsPerMinutePerProjectPerModel-FreeTier"]


def test_gemini_location_not_supported() -> None:
    body = {"error": {"code": 400, "message": "User location is not supported for the API use.",
                      "status": "FAILED_PRECONDITION"}}
    assert ids(400, body, "gemini-native") == ["auth.region_blocked"]


def test_gemini_permission_denied() -> None:
    body = {"error": {"code": 403, "message": "Generative Language API has not been used in project 123 before "
                      "or it is disabled.", "status": "PERMISSION_DENIED",
                      "details": [{"reason": "SERVICE_DISABLED"}]}}
    assert top(403, body, "gemini-native") == "auth.permission_denied"


def test_gemini_model_not_found() -> None:
    body = {"error": {"code": 404, "message": "models/gemini-9-pro is not found for API version v1beta, or is "
                      "not supported for generateContent.", "status": "NOT_FOUND"}}
    assert top(404, body, "gemini-native") == "model.not_found"


def test_gemini_overloaded() -> None:
    body = {"error": {"code": 503, "message": "The model is overloaded. Please try again later.",
                      "status": "UNAVAILABLE"}}
    assert top(503, body, "gemini-native") == "server.overloaded"


# --- DeepSeek, OpenRouter, Moonshot, DashScope -------------------------------------------------------------

def test_deepseek() -> None:
    assert top(402, {"error": {"message": "Insufficient Balance", "type": "unknown_error", "param": None,
                               "code": "invalid_request_error"}}, "deepseek") == "quota.insufficient"
    assert top(401, {"error": {"message": "Authentication Fails, Your api key: ****De99 is invalid",
                               "type": "authentication_error", "param": None, "code": "invalid_request_error"}},
               "deepseek") == "auth.invalid_key"
    assert top(503, {"error": {"message": "Server Overloaded", "type": "server_error"}}) == "server.overloaded"


def test_openrouter() -> None:
    assert top(402, {"error": {"message": "Insufficient credits. Add more using https://openrouter.ai/credits",
                               "code": 402}}, "openrouter") == "quota.insufficient"
    assert top(401, {"error": {"message": "No auth credentials found", "code": 401}}, "openrouter") \
        == "auth.wrong_header"
    assert top(401, {"error": {"message": "User not found.", "code": 401}}, "openrouter") == "auth.invalid_key"
    assert top(400, {"error": {"message": "openai/gpt-9 is not a valid model ID", "code": 400}},
               "openrouter") == "model.not_found"


def test_moonshot() -> None:
    bad = {"error": {"message": "Invalid Authentication", "type": "invalid_authentication_error"}}
    assert ids(401, bad, "moonshot") == ["auth.invalid_key", "auth.wrong_region"]
    assert top(429, {"error": {"message": "Your account org-x<ak-y> is suspended, please check your plan and "
                               "billing details", "type": "exceeded_current_quota_error"}}, "moonshot") \
        == "quota.insufficient"
    assert top(429, {"error": {"message": "Your account org-x<ak-y> request reached organization max RPM: 3, "
                               "please try again after 1 seconds", "type": "rate_limit_reached_error"}},
               "moonshot") == "ratelimit.exceeded"
    assert top(429, {"error": {"message": "The engine is currently overloaded, please try again later",
                               "type": "engine_overloaded_error"}}, "moonshot") == "server.overloaded"


@pytest.mark.parametrize(("status", "code", "message", "cause"), [
    (401, "InvalidApiKey", "Invalid API-key provided.", "auth.invalid_key"),
    (400, "Arrearage", "Access denied, please make sure your account is in good standing.", "quota.insufficient"),
    (429, "Throttling.RateQuota", "Requests rate limit exceeded, please try again later.", "ratelimit.exceeded"),
    (400, "DataInspectionFailed", "Input data may contain inappropriate content.", "request.content_filtered"),
    (404, "ModelNotFound", "Model not found (qwen-ultra)!", "model.not_found"),
])
def test_dashscope_native(status: int, code: str, message: str, cause: str) -> None:
    body = {"code": code, "message": message, "request_id": "5e3a1b1c-9e3a-4a0a-8d0e-0c1f2b3a4d5e"}
    found = classify_response(status, json.dumps(body), provider="dashscope")
    assert found[0].cause_id == cause
    assert found[0].facts["error_code"] == code


def test_dashscope_compatible_mode_bad_key_suggests_region() -> None:
    body = {"error": {"message": "Incorrect API key provided. ", "type": "invalid_request_error", "param": None,
                      "code": "invalid_api_key"}, "request_id": "abc"}
    assert ids(401, body, "dashscope")[:2] == ["auth.invalid_key", "auth.wrong_region"]


# --- Azure, Groq, Mistral, Ollama ----------------------------------------------------------------------

def test_azure() -> None:
    assert top(404, {"error": {"code": "DeploymentNotFound", "message": "The API deployment for this resource "
                               "does not exist. If you created the deployment within the last 5 minutes, please "
                               "wait a moment and try again."}}, "azure") == "model.not_found"
    assert top(404, {"error": {"code": "404", "message": "Resource not found"}}, "azure") == "endpoint.not_found"
    assert top(400, {"error": {"code": "BadRequest", "message": "Unsupported api-version. Please refer to "
                               "https://aka.ms/oai/docs."}}, "azure") == "endpoint.not_found"
    denied = ids(401, {"statusCode": 401, "message": "Access denied due to invalid subscription key or wrong API "
                       "endpoint. Make sure to provide a valid key for an active subscription and use a correct "
                       "regional API endpoint for your resource."}, "azure")
    assert denied[:2] == ["auth.invalid_key", "auth.wrong_endpoint"]


def test_groq() -> None:
    assert top(401, {"error": {"message": "Invalid API Key", "type": "invalid_request_error",
                               "code": "invalid_api_key"}}, "groq") == "auth.invalid_key"
    assert top(429, {"error": {"message": "Rate limit reached for model `llama-3.3-70b-versatile` in organization "
                               "`org_01` service tier `on_demand` on tokens per minute (TPM): Limit 6000, Used "
                               "5800, Requested 900. Please try again in 7.0s.", "type": "tokens",
                               "code": "rate_limit_exceeded"}}, "groq") == "ratelimit.exceeded"
    assert top(413, {"error": {"message": "Request too large for model `llama3-8b-8192` in organization `org_01` "
                               "on tokens per minute (TPM): Limit 6000, Requested 7100, please reduce your "
                               "message size and try again.", "type": "tokens", "code": "rate_limit_exceeded"}},
               "groq") == "request.too_large"


def test_mistral() -> None:
    assert top(401, {"message": "Unauthorized", "request_id": "a1b2"}, "mistral") == "auth.invalid_key"
    assert top(429, {"message": "Requests rate limit exceeded"}, "mistral") == "ratelimit.exceeded"
    assert top(400, {"object": "error", "message": "Invalid model: mistral-huge", "type": "invalid_model",
                     "param": None, "code": "1500"}, "mistral") == "model.not_found"


def test_ollama_model_not_pulled() -> None:
    assert top(404, {"error": "model 'llama9' not found, try pulling it first"}, "ollama",
               endpoint="chat") == "model.not_found"


def test_ollamas_api_error_type_below_500_is_not_a_server_failure() -> None:
    # Ollama's OpenAI-compatible routes (NewError in openai/openai.go) type every status but 400 and 404 "api_error",
    # and older releases a 404 for a model not pulled too: there the type is no server failure
    body = {"error": {"message": 'model "mistral" not found, try pulling it first', "type": "api_error",
                      "param": None, "code": None}}
    assert ids(404, body, "ollama") == ["model.not_found"]
    # Anthropic's own failure keeps its reading
    assert top(500, {"type": "error", "error": {"type": "api_error", "message": "Internal server error"}},
               "anthropic") == "server.error"
    assert top(None, '{"type":"error","error":{"type":"api_error","message":"An unexpected error occurred"}}',
               "anthropic") == "server.error"


# --- Relays ----------------------------------------------------------------------------------------------

def one_api(message: str, kind: str = "new_api_error", code: object = None) -> dict[str, object]:
    return {"error": {"message": f"{message} (request id: 2024121602163036521732429064585)", "type": kind,
                      "param": "", "code": code}}


@pytest.mark.parametrize(("status", "message", "cause"), [
    (401, "无效的令牌", "auth.invalid_key"),
    (401, "该令牌已过期", "auth.invalid_key"),
    (403, "该令牌额度已用尽", "quota.insufficient"),
    (403, "用户额度不足, 剩余额度: ＄0.000000", "quota.insufficient"),
    (429, "当前分组上游负载已饱和，请稍后再试", "ratelimit.relay_saturated"),
    (503, "当前分组 default 下对于模型 gpt-9 无可用渠道", "model.not_found"),
    (503, "No available channel for model gpt-9 under group default", "model.not_found"),
    (401, "未提供令牌", "auth.wrong_header"),
])
def test_one_api_new_api(status: int, message: str, cause: str) -> None:
    found = classify_response(status, json.dumps(one_api(message)), provider="relay")
    assert found[0].cause_id == cause
    assert found[0].facts["relay"] in ("one-api", "new-api")


def test_relay_saturated_reported_as_upstream_error() -> None:
    body = one_api("当前分组上游负载已饱和，请稍后再试", "upstream_error", "bad_response_status_code")
    assert top(429, body, "relay") == "ratelimit.relay_saturated"


def test_relay_no_channel_also_suggests_gateway() -> None:
    assert ids(503, one_api("当前分组 vip 下对于模型 claude-x 无可用渠道"), "relay")[:2] == \
        ["model.not_found", "gateway.error"]


def test_litellm() -> None:
    body = {"error": {"message": "litellm.AuthenticationError: AuthenticationError: OpenAIException - Incorrect "
                      "API key provided: sk-1234. Received Model Group=gpt-4o\nAvailable Model Group Fallbacks=None",
                      "type": None, "param": None, "code": "401"}}
    found = classify_response(401, json.dumps(body), provider="relay")
    # the proxy names a model group: its upstream refused the key in LiteLLM's config, not the user's key
    # (measured against a real LiteLLM 1.108, tests/test_litellm_proxy.py)
    assert [c.cause_id for c in found][:1] == ["relay.upstream_key_rejected"]
    assert found[0].facts["relay"] == "litellm" and found[0].facts["model_group"] == "gpt-4o"
    sdk = {"error": {"message": "litellm.AuthenticationError: AuthenticationError: OpenAIException - Incorrect "
                     "API key provided: sk-1234.", "type": None, "param": None, "code": "401"}}
    assert classify_response(401, json.dumps(sdk), provider="relay")[0].cause_id == "auth.invalid_key"
    body = {"error": {"message": "litellm.RateLimitError: RateLimitError: OpenAIException - Rate limit reached",
                      "type": "throttling_error", "param": None, "code": "429"}}
    assert top(429, body, "relay") == "ratelimit.exceeded"
    body = {"error": {"message": "Authentication Error, Invalid proxy server token passed. Received API Key = "
                      "sk-...abcd, Key Hash (Token) =deadbeef. Unable to find token in cache or "
                      "`LiteLLM_VerificationTokenTable`", "type": "auth_error", "param": "None", "code": "401"}}
    assert top(401, body, "relay") == "auth.invalid_key"
    body = {"error": {"message": "Budget has been exceeded! Current cost: 10.2, Max budget: 10.0",
                      "type": "budget_exceeded", "param": None, "code": "400"}}
    assert top(400, body, "relay") == "quota.insufficient"


# --- Status codes, HTML, gateways --------------------------------------------------------------------------

@pytest.mark.parametrize(("status", "cause"), [
    (502, "gateway.error"), (504, "gateway.error"), (500, "server.error"), (529, "server.overloaded"),
    (401, "auth.invalid_key"), (402, "quota.insufficient"), (429, "ratelimit.exceeded"),
    (413, "request.too_large"), (407, "proxy.auth_failed"), (404, "endpoint.not_found"),
])
def test_bare_status_codes(status: int, cause: str) -> None:
    assert top(status, b"") == cause


def test_503_json_is_server_error() -> None:
    assert top(503, {"error": {"message": "Service temporarily unavailable", "type": "server_error"}}) in (
        "server.error", "server.overloaded")


def test_nginx_502_page() -> None:
    page = ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1>"
            "</center>\r\n<hr><center>nginx/1.24.0</center>\r\n</body>\r\n</html>\r\n")
    found = classify_response(502, page, {"Content-Type": "text/html"})
    assert found[0].cause_id == "gateway.error"
    assert found[0].facts["html_title"] == "502 Bad Gateway"


def test_cloudflare_challenge() -> None:
    page = ("<!DOCTYPE html><html lang=\"en-US\"><head><title>Just a moment...</title>"
            "<script src=\"/cdn-cgi/challenge-platform/h/b/orchestrate/chl_page/v1\"></script></head></html>")
    found = classify_response(403, page, {"content-type": "text/html; charset=UTF-8", "server": "cloudflare"})
    assert found[0].cause_id == "endpoint.not_an_api"
    assert found[0].facts["cloudflare_challenge"] is True
    assert found[0].facts["html_title"] == "Just a moment..."


def test_captive_portal_login_page() -> None:
    page = "<html><head><title>Guest Wi-Fi Login</title></head><body><form>...</form></body></html>"
    found = classify_response(200, page, {"content-type": "text/html"})
    assert found[0].cause_id == "endpoint.not_an_api"
    assert found[0].facts["captive_portal"] is True


def test_relay_web_ui_answers_200_html() -> None:
    page = "<!doctype html><html><head><title>New API</title></head><body><div id=root></div></body></html>"
    found = classify_response(200, page)
    assert found[0].cause_id == "endpoint.not_an_api"
    assert "New API" in found[0].message


def test_html_404() -> None:
    page = "<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>nope</body></html>"
    assert top(404, page) == "endpoint.not_found"


def test_plain_text_404_from_go_server() -> None:
    assert top(404, "404 page not found") == "endpoint.not_found"


def test_fastapi_404() -> None:
    assert top(404, {"detail": "Not Found"}) == "endpoint.not_found"


def test_redirect_means_base_url() -> None:
    found = classify_response(301, "", {"Location": "https://api.example.com/v1/models"})
    assert found[0].cause_id == "config.base_url_invalid"
    assert found[0].facts["headers"]["location"] == "https://api.example.com/v1/models"


def test_success_is_empty() -> None:
    assert classify_response(200, json.dumps({"object": "list", "data": [{"id": "gpt-4o"}]})) == []
    assert classify_response(200, b"") == []
    assert classify_response(204, None) == []


def test_200_with_error_body_is_still_an_error() -> None:
    assert top(200, {"error": {"message": "无效的令牌", "type": "one_api_error"}}) == "auth.invalid_key"


def test_200_non_json_on_models_is_not_an_api() -> None:
    assert top(200, "hello world") == "endpoint.not_an_api"


# --- Secrets never come back out ---------------------------------------------------------------------------

def test_echoed_keys_are_redacted() -> None:
    key = "sk-proj-Abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
    body = {"error": {"message": f"Incorrect API key provided: {key}.", "code": "invalid_api_key"}}
    found = classify_response(401, json.dumps(body), provider="openai")
    for item in found:
        assert key not in item.message
        assert key not in json.dumps(item.facts)
    assert "…" in found[0].message


def test_redact_text_keeps_request_ids() -> None:
    text = ("key AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW and 0123456789abcdef0123456789abcdef "
            "req_011CSHoEeqs5C35K2UUqR7Fy 5e3a1b1c-9e3a-4a0a-8d0e-0c1f2b3a4d5e")
    out = redact_text(text)
    assert "AIzaSyA1b2C3d4E5f6G7h8I9j0KlMnOpQrStUvW" not in out
    assert "0123456789abcdef0123456789abcdef" not in out
    assert "req_011CSHoEeqs5C35K2UUqR7Fy" in out
    assert "5e3a1b1c-9e3a-4a0a-8d0e-0c1f2b3a4d5e" in out


@pytest.mark.parametrize("body", [b"\xff\xfe\x00garbage", "{not json", "[1,2,3]", "null", "{" * 5000,
                                  "<html><title>", b"\x00" * 100])
def test_garbage_never_raises(body: bytes | str) -> None:
    for status in (None, 200, 400, 418, 500, 599):
        found = classify_response(status, body)
        assert isinstance(found, list)


NGINX_PLAIN_TO_TLS = (b"<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n"
                      b"<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was "
                      b"sent to HTTPS port</center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")


@pytest.mark.parametrize(("body", "content_type"), [
    (NGINX_PLAIN_TO_TLS, "text/html"),  # nginx, and Cloudflare's edge, on a TLS port asked in plain HTTP
    (b"Client sent an HTTP request to an HTTPS server.\n", "text/plain; charset=utf-8"),  # Go's net/http
])
def test_plain_http_at_a_tls_port_says_use_https(body: bytes, content_type: str) -> None:
    found = classify_response(400, body, {"content-type": content_type}, "relay", "models")
    assert found[0].cause_id == "tls.protocol_mismatch"
