"""The opt-in completion probe: what /models cannot show (credit, model access, streaming)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from helpers import codes, make_target, run_chain
from peers import Certs
from peers.fakeapi import FakeApi, key_for

from checks.auth import AuthCheck
from checks.completion import CompletionCheck
from llmdoctor.model import CheckResult, Status


@pytest.fixture
def api(certs: Certs) -> Iterator[FakeApi]:
    with FakeApi(certs, slow=1.0, stall=2.3) as server:
        yield server


def probe(certs: Certs, base: str, scenario: str = "good", model: str | None = "gpt-4o-mini",
          provider: str = "openai", **settings: Any) -> dict[str, CheckResult]:
    target = make_target(provider, base, key_for(scenario), model=model)
    return run_chain([AuthCheck, CompletionCheck], target, env={"SSL_CERT_FILE": str(certs.ca_pem)},
                     probe_completion=True, **settings)


def posted(api: FakeApi) -> dict[str, Any]:
    body = next(r for r in api.requests if r.method == "POST").json()  # the streamed one comes first
    assert isinstance(body, dict)
    return body


def test_streamed_answer_measures_first_token(certs: Certs, api: FakeApi) -> None:
    result = probe(certs, api.url)["completion"]
    assert result.status is Status.PASS, result
    assert "gpt-4o-mini answered" in result.summary and "first token" in result.summary
    assert result.facts["events"] == 4 and result.facts["stream_complete"] is True
    assert result.facts["first_token_ms"] >= result.facts["first_event_ms"]
    assert result.facts["responses"][0]["rate_headers"]["x-ratelimit-remaining-requests"] == "499"
    body = posted(api)
    assert body["stream"] is True and body["max_tokens"] == 16 and "max_completion_tokens" not in body


def test_official_openai_gets_max_completion_tokens(certs: Certs, api: FakeApi) -> None:
    resolve = {("api.openai.com", api.port): "127.0.0.1"}
    result = probe(certs, f"https://api.openai.com:{api.port}/v1", resolve=resolve)["completion"]
    assert result.status is Status.PASS, result
    assert posted(api)["max_completion_tokens"] == 16 and "max_tokens" not in posted(api)


def test_reasoning_model_at_a_relay_gets_max_completion_tokens(certs: Certs, api: FakeApi) -> None:
    assert probe(certs, api.url, model="o3-mini")["completion"].status is Status.PASS
    assert "max_completion_tokens" in posted(api)


def test_no_credit_shows_only_on_completions(certs: Certs, api: FakeApi) -> None:
    results = probe(certs, api.url, "quota")
    assert results["auth"].status is Status.PASS
    completion = results["completion"]
    assert codes(completion) == ["quota.insufficient"]
    assert "insufficient_quota" in completion.summary and "Retrying does not help" in completion.findings[0].hint


def test_402_insufficient_balance(certs: Certs, api: FakeApi) -> None:
    assert codes(probe(certs, api.url, "balance")["completion"])[0] == "quota.insufficient"


def test_model_not_found(certs: Certs, api: FakeApi) -> None:
    result = probe(certs, api.url, model="gpt-nope")["completion"]
    assert codes(result)[0] == "model.not_found" and "gpt-nope" in result.summary


def test_relay_without_a_channel_for_the_model(certs: Certs, api: FakeApi) -> None:
    result = probe(certs, api.url, "oneapi-nochannel")["completion"]
    assert codes(result)[0] == "model.not_found" and "无可用渠道" in result.summary


def test_anthropic_messages_stream(certs: Certs, api: FakeApi) -> None:
    result = probe(certs, api.root, model=None, provider="anthropic")["completion"]
    assert result.status is Status.PASS, result
    assert result.facts["model"] == "claude-haiku-4-5" and result.facts["first_token_ms"] is not None
    body = posted(api)
    assert body["max_tokens"] == 1 and body["stream"] is True
    assert api.requests[-1].path == "/v1/messages"


def test_anthropic_unknown_model_and_error_inside_the_stream(certs: Certs, api: FakeApi) -> None:
    missing = probe(certs, api.root, model="claude-nope", provider="anthropic")["completion"]
    assert codes(missing)[0] == "model.not_found"
    inside = probe(certs, api.root, "midstream-overloaded", model=None, provider="anthropic")["completion"]
    assert codes(inside)[0] == "server.overloaded" and "inside the stream" in inside.summary


def test_buffered_stream(certs: Certs, api: FakeApi) -> None:
    result = probe(certs, api.url, "buffered")["completion"]
    assert result.status is Status.WARN and codes(result) == ["net.stream_buffered"]
    assert "content-length" in result.summary and "proxy_buffering off" in result.findings[0].hint


def test_server_that_ignores_stream(certs: Certs, api: FakeApi) -> None:
    result = probe(certs, api.url, "nostream")["completion"]
    assert codes(result) == ["response.stream_broken"] and "ignored" in result.summary
    assert "the OpenAI SDK yields no chunks" in result.summary and result.status is Status.FAIL


def test_stream_that_stalls_after_the_first_token(certs: Certs, api: FakeApi) -> None:
    result = probe(certs, api.url, "stall")["completion"]
    assert result.status is Status.WARN and codes(result) == ["net.stream_stalled"]
    assert result.facts["max_gap_ms"] > 2000


def test_stream_that_stalls_past_the_read_timeout(certs: Certs, api: FakeApi) -> None:
    result = probe(certs, api.url, "stall", timeout=1.0)["completion"]
    assert result.status is Status.FAIL and codes(result) == ["net.stream_stalled"]
    assert "stream stopped after 2 events" in result.summary


def test_default_model_comes_from_the_list_at_a_relay(certs: Certs, api: FakeApi) -> None:
    result = probe(certs, api.url, model=None)["completion"]
    assert result.facts["model"] == "gpt-4o-mini" and result.facts["model_source"].startswith("the first model")
