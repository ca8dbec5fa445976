"""The models check reads the auth check's list (no second request) and judges the configured model."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from helpers import codes, make_target, run_chain
from peers import Certs
from peers.fakeapi import FakeApi, key_for

from checks.auth import AuthCheck
from checks.models import ModelsCheck
from llmdoctor.model import CheckResult, Status


@pytest.fixture
def api(certs: Certs) -> Iterator[FakeApi]:
    with FakeApi(certs) as server:
        yield server


def models(certs: Certs, base: str, model: str | None = None, provider: str = "openai", key: str | None = None,
           env: dict[str, str] | None = None, resolve: dict[tuple[str, int], str] | None = None) -> CheckResult:
    target = make_target(provider, base, key or key_for("good"), model=model, env=env)
    results = run_chain([AuthCheck, ModelsCheck], target, env={"SSL_CERT_FILE": str(certs.ca_pem)},
                        resolve=resolve or {})
    return results["models"]


def official(api: FakeApi, host: str = "api.openai.com", path: str = "/v1") -> tuple[str, dict[tuple[str, int], str]]:
    return f"https://{host}:{api.port}{path}", {(host, api.port): "127.0.0.1"}


def test_listed_model_passes_without_a_second_request(certs: Certs, api: FakeApi) -> None:
    result = models(certs, api.url, "gpt-4o-mini")
    assert result.status is Status.PASS and "gpt-4o-mini is listed" in result.summary
    assert result.facts["match"] == "exact" and result.facts["count"] == 5
    assert len(api.requests) == 1  # the auth check's request, reused


def test_absent_model_at_the_official_api_fails_with_close_names(certs: Certs, api: FakeApi) -> None:
    base, resolve = official(api)
    result = models(certs, base, provider="openai", env={"OPENAI_MODEL": "gpt-4o-mimi"}, resolve=resolve)
    assert result.status is Status.FAIL and codes(result) == ["model.not_found"]
    finding = result.findings[0]
    assert "gpt-4o-mimi (from env:OPENAI_MODEL)" in finding.message
    assert finding.facts["suggestions"][0] == "gpt-4o-mini"
    assert "e.g. gpt-4o-mini" in finding.hint and "OPENAI_MODEL" in finding.hint


def test_absent_model_at_a_relay_is_only_a_warning(certs: Certs, api: FakeApi) -> None:
    result = models(certs, api.url, "claude-3-opus")
    assert result.status is Status.WARN and codes(result) == ["model.not_found"]
    assert "fixed list" in result.findings[0].hint and result.facts["list_reflects_access"] is False


def test_case_mismatch(certs: Certs, api: FakeApi) -> None:
    base, resolve = official(api)
    result = models(certs, base, "GPT-4o-mini", resolve=resolve)
    assert codes(result) == ["model.not_found"] and "case-sensitive" in result.findings[0].message
    assert result.findings[0].hint.startswith("Use gpt-4o-mini")


def test_anthropic_alias_resolves_to_a_dated_id(certs: Certs, api: FakeApi) -> None:
    result = models(certs, api.root, "claude-haiku-4-5", provider="anthropic")
    assert result.status is Status.PASS
    assert "alias" in result.summary and "claude-haiku-4-5-20251001" in result.summary


def test_no_model_configured(certs: Certs, api: FakeApi) -> None:
    base, resolve = official(api)
    result = models(certs, base, resolve=resolve)
    assert result.status is Status.PASS
    assert result.summary.startswith("5 models listed; no model configured (--model or OPENAI_MODEL)")


def test_no_model_configured_for_a_relay_names_only_the_option(certs: Certs, api: FakeApi) -> None:
    result = models(certs, api.url)  # a base URL on 127.0.0.1 is served as a relay, which has no model variable
    assert result.status is Status.PASS
    assert "no model configured (--model)" in result.summary


def test_openrouter_lists_everything(certs: Certs, api: FakeApi) -> None:
    base, resolve = official(api, "openrouter.ai", "/api/v1")
    result = models(certs, base, "openai/gpt-9", provider="openrouter", resolve=resolve)
    assert result.status is Status.WARN and "OpenRouter lists every model" in result.findings[0].hint
    assert [r.path for r in api.requests] == ["/api/v1/key", "/api/v1/models"]


def test_openrouter_key_out_of_credit(certs: Certs, api: FakeApi) -> None:
    base, resolve = official(api, "openrouter.ai", "/api/v1")
    target = make_target("openrouter", base, key_for("keylimit"))
    auth = run_chain([AuthCheck], target, env={"SSL_CERT_FILE": str(certs.ca_pem)}, resolve=resolve)["auth"]
    assert codes(auth) == ["quota.insufficient"] and "credit limit" in auth.summary
    assert auth.facts["account"]["remaining"] == 0 and auth.facts["account"]["limit"] == 10
