"""Providers' own account endpoints, read for zero tokens: balance, credit limit, free tier.

DeepSeek GET /user/balance, Moonshot GET /v1/users/me/balance and OpenRouter GET /api/v1/key, in
the shapes their documentation shows (sources in providers.json), served by the fake API at the
official host names (pinned to loopback with --resolve).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable, Iterator

import pytest
from helpers import codes, make_target, run_chain
from peers import Certs
from peers.fakeapi import FakeApi, key_for

from checks.auth import AuthCheck
from llmdoctor.model import CheckResult, Status


@pytest.fixture
def api(certs: Certs) -> Iterator[FakeApi]:
    with FakeApi(certs) as server:
        yield server


def auth(certs: Certs, api: FakeApi, provider: str, host: str, path: str, scenario: str = "good") -> CheckResult:
    target = make_target(provider, f"https://{host}:{api.port}{path}", key_for(scenario))
    return run_chain([AuthCheck], target, env={"SSL_CERT_FILE": str(certs.ca_pem)},
                     resolve={(host, api.port): "127.0.0.1"})["auth"]


def test_deepseek_balance_is_read_after_the_key_passes(certs: Certs, api: FakeApi) -> None:
    result = auth(certs, api, "deepseek", "api.deepseek.com", "/v1")
    assert result.status is Status.PASS, result
    assert "balance 110.00 CNY" in result.summary
    assert result.facts["account"] == {"available": True, "balance": "110.00", "currency": "CNY",
                                       "granted": "10.00", "topped_up": "100.00"}
    assert [r.path for r in api.requests] == ["/v1/models", "/user/balance"]  # the origin's root, as documented


def test_deepseek_empty_balance_is_a_measured_no_credit(certs: Certs, api: FakeApi) -> None:
    result = auth(certs, api, "deepseek", "api.deepseek.com", "/v1", "broke")
    assert codes(result) == ["quota.insufficient"] and result.status is Status.FAIL
    finding = result.findings[0]
    assert "account balance is 0.00 CNY" in finding.message and "not available for API calls" in finding.message
    assert "https://platform.deepseek.com/top_up" in finding.hint


@pytest.mark.parametrize("host,currency", [("api.moonshot.cn", "CNY"), ("api.moonshot.ai", "USD")])
def test_moonshot_balance_per_platform(certs: Certs, api: FakeApi, host: str, currency: str) -> None:
    result = auth(certs, api, "moonshot", host, "/v1")
    assert result.status is Status.PASS and f"balance 49.58894 {currency}" in result.summary, result
    owing = auth(certs, api, "moonshot", host, "/v1", "broke")
    assert codes(owing) == ["quota.insufficient"]
    assert f"balance is -0.5 {currency} (cash -0.5, voucher 0)" in owing.findings[0].message


def test_openrouter_free_tier_is_said(certs: Certs, api: FakeApi) -> None:
    result = auth(certs, api, "openrouter", "openrouter.ai", "/api/v1", "freetier")
    assert result.status is Status.PASS and "free tier: :free models allow 50 requests a day" in result.summary
    assert result.facts["account"]["free_tier"] is True and result.facts["account"]["remaining"] is None
    assert [r.path for r in api.requests] == ["/api/v1/key"]  # the key check is the account read


def test_no_account_read_away_from_the_providers_own_host(certs: Certs, api: FakeApi) -> None:
    """A DeepSeek-flavoured target at a relay: the key goes to no other endpoint than the models list."""
    target = make_target("deepseek", api.url, key_for("broke"))
    result = run_chain([AuthCheck], target, env={"SSL_CERT_FILE": str(certs.ca_pem)})["auth"]
    assert result.status is Status.PASS and "account" not in result.facts
    assert [r.path for r in api.requests] == ["/v1/models"]


def test_cli_says_no_credit_without_spending_a_token(certs: Certs, api: FakeApi,
                                                     run_cli: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    proc = run_cli("--provider", "deepseek", "--base-url", f"https://api.deepseek.com:{api.port}/v1", "--resolve",
                   f"api.deepseek.com:{api.port}:127.0.0.1", "--api-key", "-", "--json",
                   env={"SSL_CERT_FILE": str(certs.ca_pem)}, input=key_for("broke") + "\n")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert report["causes"][0]["id"] == "quota.insufficient", report["causes"]
    assert not [r for r in api.requests if r.method == "POST"]  # zero tokens


def test_a_free_tier_429_says_the_daily_cap(certs: Certs, api: FakeApi) -> None:
    from checks.completion import CompletionCheck

    host = "openrouter.ai"
    target = make_target("openrouter", f"https://{host}:{api.port}/api/v1", key_for("freelimit"),
                         model="meta-llama/llama-3.3-70b-instruct:free")
    results = run_chain([AuthCheck, CompletionCheck], target, env={"SSL_CERT_FILE": str(certs.ca_pem)},
                        resolve={(host, api.port): "127.0.0.1"}, probe_completion=True)
    completion = results["completion"]
    assert codes(completion)[0] == "ratelimit.exceeded", completion
    assert "free tier: :free models allow 50 requests a day" in completion.findings[0].message
