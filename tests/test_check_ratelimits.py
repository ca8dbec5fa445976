"""Rate-limit headroom from real header shapes: OpenAI/Groq durations, Anthropic RFC 3339, retry-after."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers import codes, make_target, run_chain
from peers import Certs
from peers.fakeapi import FakeApi, key_for

from checks.auth import AuthCheck
from checks.completion import CompletionCheck
from checks.ratelimits import RateLimitsCheck
from llmdoctor.api.ratelimits import headroom, retry_after
from llmdoctor.model import CheckResult, Status


@pytest.fixture
def api(certs: Certs) -> Iterator[FakeApi]:
    with FakeApi(certs) as server:
        yield server


def limits(certs: Certs, base: str, scenario: str, provider: str = "openai", completion: bool = False,
           model: str | None = None) -> CheckResult:
    chain = [AuthCheck, CompletionCheck, RateLimitsCheck] if completion else [AuthCheck, RateLimitsCheck]
    target = make_target(provider, base, key_for(scenario), model=model)
    return run_chain(chain, target, env={"SSL_CERT_FILE": str(certs.ca_pem)}, probe_completion=completion)[
        "rate-limits"]


def test_low_headroom_warns_with_the_reset(certs: Certs, api: FakeApi) -> None:
    result = limits(certs, api.url, "lowlimit")
    assert result.status is Status.WARN and codes(result) == ["ratelimit.exceeded"]
    assert result.summary.startswith("3 of 500 requests left, resets in 12 s")
    assert "Wait until the window resets in 12 s" in result.findings[0].hint
    assert result.facts["limits"][1] == {"kind": "tokens", "limit": 200000, "remaining": 150000, "reset_s": 360.0}


def test_exhausted_openai_limit_on_a_429(certs: Certs, api: FakeApi) -> None:
    result = limits(certs, api.url, "ratelimit")
    assert codes(result) == ["ratelimit.exceeded"] and result.findings[0].confidence >= 0.8
    assert "0 of 500 requests left" in result.summary and "next call gets a 429" in result.summary
    assert result.facts["retry_after_s"] == 12.0 and "retry after 12 s" in result.findings[0].hint


def test_anthropic_headers_with_rfc3339_reset(certs: Certs, api: FakeApi) -> None:
    result = limits(certs, api.root, "ratelimit", provider="anthropic")
    assert codes(result) == ["ratelimit.exceeded"]
    reset = result.facts["limits"][0]["reset_s"]
    assert result.facts["limits"][0]["kind"] == "requests" and 0 < reset <= 13
    assert "0 of 50 requests left" in result.summary


def test_headroom_from_the_completion_answer_passes(certs: Certs, api: FakeApi) -> None:
    result = limits(certs, api.url, "good", completion=True, model="gpt-4o-mini")
    assert result.status is Status.PASS, result
    assert result.summary.startswith("499 of 500 requests left, resets in 120 ms")
    assert result.facts["source"] == "completion"


def test_no_headers_is_a_skip_with_a_reason(certs: Certs, api: FakeApi) -> None:
    result = limits(certs, api.url, "good")
    assert result.status is Status.SKIP and "sent no rate-limit headers" in result.summary


def test_header_shapes() -> None:
    at = "2026-11-02T10:00:00.000Z"
    openrouter = headroom({"x-ratelimit-limit": "20", "x-ratelimit-remaining": "19",
                           "x-ratelimit-reset": "1793613612000"}, at)  # epoch ms, 12 s later
    assert openrouter[0].remaining == 19 and openrouter[0].reset_s == pytest.approx(12.0)
    groq = headroom({"x-ratelimit-limit-requests": "14400", "x-ratelimit-remaining-requests": "14370",
                     "x-ratelimit-reset-requests": "2m59.56s"}, at)
    assert groq[0].reset_s == pytest.approx(179.56)
    assert groq[0].text() == "14370 of 14400 requests left, resets in 3 min"
    assert retry_after({"retry-after": "Mon, 02 Nov 2026 10:00:30 GMT"}, at) == 30.0
    assert retry_after({"retry-after-ms": "1500", "retry-after": "2"}, at) == 1.5
    assert headroom({"content-type": "application/json"}, at) == []
