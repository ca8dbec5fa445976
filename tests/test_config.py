"""Configuration: targets from options, SDK variables and .env, each value with its source."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmdoctor.config import CliValues, ConfigError, build_targets, parse_dns_server, parse_resolve
from llmdoctor.dotenv import parse_dotenv, read_dotenv


def _targets(env: dict[str, str], dotenv: dict[str, str] | None = None, **cli: str):  # type: ignore[no-untyped-def]
    return {t.name: t for t in build_targets(CliValues(**cli), env, dotenv or {})}


def test_nothing_configured_checks_the_default_providers_without_keys() -> None:
    targets = _targets({})
    assert list(targets) == ["openai", "anthropic"]
    assert all(t.api_key is None for t in targets.values())
    assert targets["openai"].base_url.value == "https://api.openai.com/v1"
    assert targets["openai"].base_url.source == "default"


def test_every_configured_provider_is_a_target_with_sources() -> None:
    env = {"OPENAI_API_KEY": "sk-proj-" + "a" * 40, "DEEPSEEK_API_KEY": "sk-" + "b" * 32,
           "GROQ_API_KEY": "gsk_" + "c" * 40, "ANTHROPIC_BASE_URL": "https://api.anthropic.com"}
    targets = _targets(env)
    assert set(targets) == {"openai", "deepseek", "groq", "anthropic"}
    assert targets["openai"].key_source == "env:OPENAI_API_KEY"
    assert targets["deepseek"].provider.id == "deepseek"
    assert targets["anthropic"].api_key is None
    assert targets["anthropic"].base_url.source == "env:ANTHROPIC_BASE_URL"


def test_openai_base_url_pointing_elsewhere_is_served_by_that_provider_or_a_relay() -> None:
    relay = _targets({"OPENAI_API_KEY": "sk-x" * 10, "OPENAI_BASE_URL": "https://relay.example.com/v1"})
    assert relay["openai"].provider.id == "relay"
    moved = _targets({"OPENAI_API_KEY": "sk-x" * 10, "OPENAI_BASE_URL": "https://api.deepseek.com/v1"})
    assert moved["openai"].provider.id == "deepseek"


def test_cli_values_win_over_environment_and_dotenv_fills_gaps() -> None:
    env = {"OPENAI_API_KEY": "sk-from-shell-" + "1" * 20}
    dotenv = {"OPENAI_API_KEY": "sk-from-dotenv-" + "2" * 20, "OPENAI_BASE_URL": "https://gw.example.com/v1"}
    target = _targets(env, dotenv)["openai"]
    assert target.key_source == "env:OPENAI_API_KEY"
    assert target.base_url.source == ".env:OPENAI_BASE_URL"
    assert target.dotenv_conflicts == ("OPENAI_API_KEY",)
    explicit = _targets(env, dotenv, provider="openai", api_key="sk-cli-" + "3" * 20, base_url="https://x.test/v1")
    assert explicit["openai"].key_source == "--api-key"
    assert explicit["openai"].base_url.source == "--base-url"


def test_anthropic_auth_token_is_sent_as_bearer_and_both_set_is_recorded() -> None:
    target = _targets({"ANTHROPIC_AUTH_TOKEN": "tok-" + "z" * 30})["anthropic"]
    assert target.auth == "bearer"
    both = _targets({"ANTHROPIC_API_KEY": "sk-ant-api03-" + "k" * 30, "ANTHROPIC_AUTH_TOKEN": "t" * 30})["anthropic"]
    assert both.auth == "x-api-key" and both.also_set == ("ANTHROPIC_AUTH_TOKEN",)


def test_ollama_host_is_normalised_to_the_openai_compatible_path() -> None:
    target = _targets({"OLLAMA_HOST": "0.0.0.0:11434"})["ollama"]
    assert target.base_url.value == "http://127.0.0.1:11434/v1"
    assert target.api_key is None


@pytest.mark.parametrize("provider,message", [("nope", "unknown provider 'nope'"),
                                              ("relay", "needs --base-url"), ("azure", "AZURE_OPENAI_ENDPOINT")])
def test_bad_provider_options_are_usage_errors(provider: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        build_targets(CliValues(provider=provider), {}, {})


def test_resolve_and_dns_server_parsing() -> None:
    assert parse_resolve(("api.openai.com:443:127.0.0.1", "h:8443:[::1]")) == {
        ("api.openai.com", 443): "127.0.0.1", ("h", 8443): "::1"}
    assert parse_dns_server("127.0.0.1:5353") == ("127.0.0.1", 5353)
    assert parse_dns_server("[::1]:53") == ("::1", 53)
    assert parse_dns_server("1.1.1.1") == ("1.1.1.1", 53)
    for bad in ("api.openai.com:443", "h:x:1.2.3.4", "h:443:not-an-ip", "h:99999:1.2.3.4"):
        with pytest.raises(ConfigError):
            parse_resolve((bad,))
    for bad in ("dns.google", "1.1.1.1:x", "1.1.1.1:0"):
        with pytest.raises(ConfigError):
            parse_dns_server(bad)


def test_dotenv_parsing_matches_python_dotenv_common_cases(tmp_path: Path) -> None:
    text = ('# comment\nexport OPENAI_API_KEY="sk-quoted"\nOPENAI_BASE_URL=https://x/v1 # note\n'
            "EMPTY=\nSINGLE='a b'\nnot a line\n")
    assert parse_dotenv(text) == {"OPENAI_API_KEY": "sk-quoted", "OPENAI_BASE_URL": "https://x/v1",
                                  "EMPTY": "", "SINGLE": "a b"}
    (tmp_path / ".env").write_bytes(b"OPENAI_API_KEY=sk-\xff\xfe\n")
    values, problem = read_dotenv(tmp_path)
    assert problem is None and values["OPENAI_API_KEY"].startswith("sk-")


def test_read_dotenv_names_a_dotenv_it_cannot_read(tmp_path: Path) -> None:
    """A real read error (EIO from /proc/self/mem, which fails for root too) is returned, not swallowed."""
    if not Path("/proc/self/mem").exists():
        pytest.skip("needs Linux's /proc/self/mem")
    (tmp_path / ".env").symlink_to("/proc/self/mem")
    values, problem = read_dotenv(tmp_path)
    assert values == {} and problem is not None
    assert str(tmp_path / ".env") in problem and "Input/output error" in problem


def test_read_dotenv_skips_a_virtualenv_named_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").mkdir()  # `python -m venv .env`: not a .env file, as python-dotenv agrees
    assert read_dotenv(tmp_path) == ({}, None)

