"""The offline checks: what a user sees for each way a key or a base URL is wrong."""

from __future__ import annotations

import pytest

from checks.endpoint import EndpointCheck
from checks.key import KeyCheck
from llmdoctor.model import Status
from tests.helpers import codes, make_target, run_check

OPENAI_KEY = "sk-proj-" + "A1b2C3d4" * 8
ANTHROPIC_KEY = "sk-ant-api03-" + "x" * 80 + "AA"


def _key(provider: str = "openai", key: str | None = OPENAI_KEY, **kw: str):  # type: ignore[no-untyped-def]
    return run_check(KeyCheck, target=make_target(provider, api_key=key, **kw))


def test_missing_key_names_the_variable() -> None:
    result = _key(key=None)
    assert result.status is Status.FAIL
    assert codes(result) == ["config.missing_key"]
    assert "OPENAI_API_KEY" in result.findings[0].hint


@pytest.mark.parametrize("key,code,hint_part", [
    (OPENAI_KEY + "\n", "config.key_whitespace", "Remove the whitespace"),
    (" " + OPENAI_KEY, "config.key_whitespace", "Remove the whitespace"),
    ('"' + OPENAI_KEY + '"', "config.key_whitespace", "Remove the quotes"),
    ("Bearer " + OPENAI_KEY, "config.key_whitespace", "without 'Bearer '"),
    ("sk-your-api-key", "config.key_placeholder", "real key"),
    ("sk-xxx", "config.key_placeholder", "real key"),
    ("<your key>", "config.key_placeholder", "real key"),
    ("undefined", "config.key_placeholder", "real key"),
    ("null", "config.key_placeholder", "real key"),
    ("sk-proj-abc\u200bdef" + "x" * 30, "config.key_malformed", "Copy the key again"),
    (ANTHROPIC_KEY, "auth.key_wrong_provider", "Use a OpenAI key"),
    ("AIzaSy" + "b" * 33, "auth.key_wrong_provider", "Google Gemini"),
])
def test_bad_openai_keys(key: str, code: str, hint_part: str) -> None:
    result = _key(key=key)
    assert result.status is Status.FAIL, result
    assert code in codes(result)
    finding = next(f for f in result.findings if f.code == code)
    assert hint_part in finding.hint + finding.message
    assert key.strip() not in result.summary + " ".join(f.message + f.hint for f in result.findings) or len(
        key.strip()) < 12


def test_openai_key_at_anthropic_is_flagged() -> None:
    result = _key("anthropic", key=OPENAI_KEY)
    assert result.status is Status.FAIL
    assert codes(result) == ["auth.key_wrong_provider"]
    assert "key for OpenAI" in result.findings[0].message
    plain = _key("anthropic", key="sk-" + "q" * 48)  # an old-style or relay key: only the shape is wrong
    assert plain.status is Status.WARN and codes(plain) == ["config.key_malformed"]
    assert "sk-ant-" in plain.findings[0].message


def test_good_key_passes_with_redacted_summary() -> None:
    result = _key()
    assert result.status is Status.PASS
    assert OPENAI_KEY not in result.summary and "sk-proj-…" in result.summary
    assert result.facts["length"] == len(OPENAI_KEY)


def test_both_anthropic_variables_set_is_a_warning() -> None:
    env = {"ANTHROPIC_API_KEY": ANTHROPIC_KEY, "ANTHROPIC_AUTH_TOKEN": "tok-" + "t" * 40}
    target = make_target("anthropic", env=env)
    result = run_check(KeyCheck, target=target)
    assert result.status is Status.WARN
    assert codes(result) == ["config.conflicting_keys"]


def test_ollama_needs_no_key() -> None:
    assert run_check(KeyCheck, target=make_target("ollama")).status is Status.SKIP


def _endpoint(base_url: str, provider: str = "openai"):  # type: ignore[no-untyped-def]
    return run_check(EndpointCheck, target=make_target(provider, base_url=base_url, api_key=OPENAI_KEY))


@pytest.mark.parametrize("url,status,hint_part", [
    ("api.openai.com/v1", Status.FAIL, "https://api.openai.com/v1"),
    ("https://api.openai.com/v1/chat/completions", Status.FAIL, "https://api.openai.com/v1"),
    ("https://relay.example.com/v1/v1", Status.FAIL, "https://relay.example.com/v1"),
    ("https://api.openai.com", Status.WARN, "https://api.openai.com/v1"),
    ("https://host:99999/v1", Status.FAIL, "port"),
    ("ftp://host/v1", Status.FAIL, "https://"),
    ("https://api.openai.com/v1 ", Status.FAIL, "bare URL"),
    ("'https://api.openai.com/v1'", Status.FAIL, "bare URL"),
])
def test_bad_base_urls(url: str, status: Status, hint_part: str) -> None:
    result = _endpoint(url)
    assert result.status is status, result
    assert "config.base_url_invalid" in codes(result)
    assert hint_part in result.findings[0].hint


def test_anthropic_base_url_with_v1_doubles_the_path() -> None:
    result = _endpoint("https://api.anthropic.com/v1", "anthropic")
    assert result.status is Status.FAIL
    assert "ANTHROPIC_BASE_URL to https://api.anthropic.com" in result.findings[0].hint


def test_plain_http_to_a_remote_host_warns_but_local_is_fine() -> None:
    remote = _endpoint("http://relay.example.com/v1")
    assert remote.status is Status.WARN and "config.insecure_http" in codes(remote)
    assert "--allow-insecure" in remote.findings[0].hint
    local = _endpoint("http://127.0.0.1:8080/v1")
    assert local.status is Status.PASS and local.facts["local"] is True


def test_good_endpoint_records_its_parts() -> None:
    result = _endpoint("https://api.openai.com/v1")
    assert result.status is Status.PASS
    assert result.facts["host"] == "api.openai.com" and result.facts["port"] == 443
