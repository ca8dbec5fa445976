"""One API / New API error codes weighed over their message text; LiteLLM's answers in its own terms.

Codes from QuantumNous/new-api types/error.go (One API, which New API forked, uses the same ones);
the bodies are the relays' shape: type new_api_error / one_api_error, a code, and the
"(request id: …)" suffix they append.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from llmdoctor.api.findings import hint
from llmdoctor.apierrors import classify_response
from llmdoctor.config import CliValues, _target_for
from llmdoctor.providers import get

RID = " (request id: 20241216021630365217324290)"


def relay_error(message: str, code: str, kind: str = "new_api_error") -> str:
    return json.dumps({"error": {"message": message + RID, "type": kind, "param": "", "code": code}})


@pytest.mark.parametrize("status,message,code,cause", [
    # the text says "rate limit", the code says the quota is gone: the code wins
    (429, "rate limit: please retry later", "insufficient_user_quota", "quota.insufficient"),
    (403, "用户额度不足, 剩余额度: ＄0.000000", "insufficient_user_quota", "quota.insufficient"),
    (403, "预扣费额度失败, 用户剩余额度: ＄0.01", "pre_consume_token_quota_failed", "quota.insufficient"),
    (503, "当前分组 default 下对于模型 gpt-9 无可用渠道", "model_not_found", "model.not_found"),
    (500, "do request failed: Post \"https://api.openai.com/v1/chat/completions\": dial tcp: i/o timeout",
     "do_request_failed", "gateway.error"),
    (401, "channel key is invalid", "channel:invalid_key", "relay.upstream_key_rejected"),
    (400, "convert request failed: unsupported message role system", "convert_request_failed",
     "relay.format_conversion"),
    (400, "sensitive words detected", "sensitive_words_detected", "request.content_filtered"),
    (429, "token concurrency limit reached", "token_concurrency_limit_reached", "ratelimit.exceeded"),
])
def test_relay_code_outweighs_the_message(status: int, message: str, code: str, cause: str) -> None:
    found = classify_response(status, relay_error(message, code), None, "relay", "chat")
    assert found[0].cause_id == cause and found[0].confidence >= 0.7, found
    assert found[0].facts["relay"] == "new-api" and found[0].facts["relay_code"] == code
    assert all(c.confidence <= 0.45 for c in found[1:])


def test_one_api_shape_too() -> None:
    found = classify_response(403, relay_error("该令牌额度已用尽", "insufficient_user_quota", "one_api_error"),
                              None, "relay", "chat")
    assert found[0].cause_id == "quota.insufficient" and found[0].facts["relay"] == "one-api"


def test_an_upstream_key_error_passed_through_the_relay_is_the_channels_key() -> None:
    body = json.dumps({"error": {"message": "Incorrect API key provided: sk-proj-****abcd." + RID,
                                 "type": "invalid_request_error", "param": "", "code": "invalid_api_key"}})
    found = classify_response(401, body, None, "relay", "chat")
    assert [c.cause_id for c in found] == ["relay.upstream_key_rejected", "auth.invalid_key"]


def test_the_relays_own_token_refusal_is_the_users_key() -> None:
    found = classify_response(401, relay_error("无效的令牌", ""), None, "relay", "chat")
    assert found[0].cause_id == "auth.invalid_key"


def _relay_target() -> Any:
    return _target_for(get("relay"), {}, {}, CliValues(provider="relay", base_url="https://relay.example.net/v1",
                                                       api_key="sk-" + "Ab3dE5gH7jK9" * 4))


def test_relay_hints_come_from_the_provider_data() -> None:
    found = classify_response(401, relay_error("无效的令牌", ""), None, "relay", "chat")
    text = hint(found[0].cause_id, _relay_target(), found[0].facts)
    assert "New API knows only the tokens it issued itself" in text and "--api-key" in text


def test_litellm_hints_name_its_config() -> None:
    body = json.dumps({"error": {"message": "No connected db.", "type": "no_db_connection", "param": None,
                                 "code": "400"}})
    found = classify_response(400, body, None, "relay", "models")
    assert found[0].cause_id == "auth.invalid_key" and found[0].facts["litellm_no_db"] is True
    assert "master key" in hint(found[0].cause_id, _relay_target(), found[0].facts)


def test_explain_reads_litellms_no_db_answer() -> None:
    from llmdoctor.explain import explain

    pasted = ("openai.BadRequestError: Error code: 400 - {'error': {'message': 'No connected db.', "
              "'type': 'no_db_connection', 'param': None, 'code': '400'}}")
    found = explain(pasted)
    assert found.recognised and found.causes[0].id == "auth.invalid_key"
    assert any("No connected db." in step for step in found.causes[0].fix)


@pytest.mark.parametrize("status,body,cause,words", [
    # LiteLLM with a database: an unknown virtual key, a key over its budget (litellm/proxy/auth/auth_checks.py)
    (401, {"error": {"message": "Authentication Error, Invalid proxy server token passed. Received API Key = "
                     "sk-...abcd, Key Hash (Token) =deadbeef. Unable to find token in cache or "
                     "`LiteLLM_VerificationTokenTable`", "type": "auth_error", "param": "None", "code": "401"}},
     "auth.invalid_key", "/key/info"),
    (400, {"error": {"message": "Budget has been exceeded! Current cost: 10.2, Max budget: 10.0",
                     "type": "budget_exceeded", "param": None, "code": "400"}}, "quota.insufficient", "/key/update"),
])
def test_litellm_virtual_key_answers(status: int, body: dict[str, Any], cause: str, words: str) -> None:
    found = classify_response(status, json.dumps(body), None, "relay", "chat")
    assert found[0].cause_id == cause and found[0].facts["relay"] == "litellm"
    assert words in hint(cause, _relay_target(), found[0].facts)
