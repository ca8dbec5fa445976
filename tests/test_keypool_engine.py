"""The key-pool engine's pure parts: where a key goes, how key-info answers read, how pacing reacts."""

from __future__ import annotations

import json

import pytest
from helpers import make_target

from llmdoctor.api.build import wire_provider
from llmdoctor.config import Settings
from llmdoctor.keypool.classes import KeyStatus, status_for
from llmdoctor.keypool.pacing import BASE_PAUSE, MAX_PAUSE, HostGate
from llmdoctor.keypool.plan import Plan, probe_for
from llmdoctor.keypool.probe import Answer, judge

KEY = "sk-" + "Ab1Cd2Ef3Gh4" * 4


@pytest.mark.parametrize(("provider", "base", "kind", "url"), [
    ("openrouter", None, "key-info", "https://openrouter.ai/api/v1/key"),
    ("deepseek", None, "balance", "https://api.deepseek.com/user/balance"),
    ("moonshot", None, "balance", "https://api.moonshot.cn/v1/users/me/balance"),
    ("openai", None, "models", "https://api.openai.com/v1/models"),
    ("anthropic", None, "models", "https://api.anthropic.com/v1/models?limit=1000"),
    # a relay at another host has none of the vendors' own endpoints: its model list is the probe
    ("deepseek", "https://relay.example.com/v1", "models", "https://relay.example.com/v1/models"),
])
def test_the_probe_is_the_key_info_endpoint_on_the_vendors_host_else_the_models_list(
        provider: str, base: str | None, kind: str, url: str) -> None:
    target = make_target(provider, base_url=base, api_key=KEY)
    probe = probe_for(target, wire_provider(target))
    assert (probe.kind, probe.url) == (kind, url)


@pytest.mark.parametrize(("provider", "body", "status"), [
    ("openrouter", {"data": {"label": "x", "limit": 10, "limit_remaining": 0, "usage": 10.2}}, "no_quota"),
    ("openrouter", {"data": {"label": "x", "limit": None, "limit_remaining": None, "usage": 1}}, "valid"),
    ("deepseek", {"is_available": False, "balance_infos": [{"currency": "CNY", "total_balance": "0.00"}]},
     "no_quota"),
    ("deepseek", {"is_available": True, "balance_infos": [{"currency": "CNY", "total_balance": "110.00"}]}, "valid"),
    ("moonshot", {"code": 0, "data": {"available_balance": -0.5, "voucher_balance": 0, "cash_balance": -0.5},
                  "scode": "0x0", "status": True}, "no_quota"),
    ("moonshot", {"code": 0, "data": {"available_balance": 49.58}, "status": True}, "valid"),
])
def test_key_info_and_balance_answers(provider: str, body: dict[str, object], status: str) -> None:
    target = make_target(provider, api_key=KEY)
    wire = wire_provider(target)
    verdict = judge(Answer(200, {"content-type": "application/json"}, json.dumps(body).encode()), target, wire,
                    probe_for(target, wire))
    assert verdict.status.value == status
    assert (verdict.cause == "quota.insufficient") == (status == "no_quota")


def test_an_other_vendors_key_refused_by_a_vendor_is_wrong_provider() -> None:
    target = make_target("openai", api_key="sk-ant-api03-" + "Zy9Xw8Vu7Ts6" * 4)
    wire = wire_provider(target)
    body = {"error": {"message": "Incorrect API key provided", "type": "invalid_request_error",
                      "code": "invalid_api_key"}}
    verdict = judge(Answer(401, {}, json.dumps(body).encode()), target, wire, probe_for(target, wire))
    assert (verdict.status, verdict.cause) == (KeyStatus.WRONG_PROVIDER, "auth.key_wrong_provider")
    assert "Anthropic" in verdict.evidence


def test_without_provider_or_base_url_a_prefix_picks_the_provider() -> None:
    plan = Plan(None, None, None, {}, {}, Settings())
    picks = {key[:8]: plan.target_for(key).provider.id for key in (
        "sk-ant-api03-" + "a" * 40, "sk-or-v1-" + "b" * 40, "AIzaSy" + "c" * 33, "gsk_" + "d" * 40,
        "sk-proj-" + "e" * 40, KEY)}
    assert picks == {"sk-ant-a": "anthropic", "sk-or-v1": "openrouter", "AIzaSycc": "gemini", "gsk_dddd": "groq",
                     "sk-proj-": "openai", KEY[:8]: "openai"}
    # the SDKs' base-URL variable applies as in a normal run: OPENAI_BASE_URL at a relay sends keys there
    relay = Plan(None, None, None, {"OPENAI_BASE_URL": "https://127.0.0.1:8443/v1"}, {}, Settings())
    target = relay.target_for(KEY)
    assert (target.provider.id, target.base_url.value) == ("relay", "https://127.0.0.1:8443/v1")
    assert target.api_key is not None and target.api_key.reveal() == KEY and KEY not in repr(target)


def test_status_for_reads_causes_the_knowledge_base_names() -> None:
    assert status_for("auth.invalid_key") is KeyStatus.INVALID
    assert status_for("quota.insufficient") is KeyStatus.NO_QUOTA
    assert status_for("tls.unknown_ca") is KeyStatus.UNREACHABLE
    assert status_for("proxy.auth_failed") is KeyStatus.UNREACHABLE
    assert status_for("model.not_found") is KeyStatus.ERROR
    assert status_for("model.not_found", model_probe=True) is KeyStatus.MODEL_RESTRICTED
    assert status_for("server.overloaded") is KeyStatus.ERROR


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_throttle_pauses_the_host_and_halves_its_width_successes_win_it_back() -> None:
    clock = _Clock()
    gate = HostGate(8, clock=clock)
    assert gate.throttled(2.0) == 2.0
    assert (gate.width, gate.resume_at) == (4, 102.0)
    assert gate.throttled(None) == BASE_PAUSE * 2  # no Retry-After: 1 s, 2 s, 4 s...
    assert gate.width == 2 and gate.resume_at == 102.0  # a shorter wait never shortens the pause
    assert gate.throttled(10_000) == MAX_PAUSE
    for _ in range(2 + 3 + 4 + 5 + 6 + 7 + 7):
        gate.succeeded()
    assert gate.width == 8 and gate.backoffs == 3


def test_a_retry_after_date_is_a_wait_in_seconds() -> None:
    import email.utils
    import time

    target = make_target("openai", base_url="https://127.0.0.1:8443/v1", api_key=KEY)
    wire = wire_provider(target)
    when = email.utils.formatdate(time.time() + 120, usegmt=True)
    verdict = judge(Answer(429, {"retry-after": when}, b'{"error": {"message": "Too many requests"}}'), target,
                    wire, probe_for(target, wire))
    assert verdict.status is KeyStatus.RATE_LIMITED and verdict.throttle
    assert verdict.retry_after_s is not None and 100 < verdict.retry_after_s <= 120
