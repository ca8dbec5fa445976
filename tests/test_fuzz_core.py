"""Property tests: no input, however broken, makes the core parsers or offline checks raise."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from checks.endpoint import EndpointCheck
from checks.key import KeyCheck
from llmdoctor.config import CliValues, ConfigError, build_targets, parse_dns_server, parse_resolve
from llmdoctor.dotenv import parse_dotenv
from llmdoctor.model import CheckResult
from llmdoctor.net.proxies import choose_proxy
from llmdoctor.secrets import Scrubber, redact, redact_url
from llmdoctor.urls import split_url, validate_proxy_url
from tests.helpers import make_context

text = st.text(max_size=200)
env_names = st.sampled_from(["OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL",
                             "ANTHROPIC_AUTH_TOKEN", "OLLAMA_HOST", "AZURE_OPENAI_ENDPOINT", "GEMINI_API_KEY",
                             "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "NO_PROXY", "no_proxy", "HTTP_PROXY"])


@given(st.text(max_size=2000))
def test_dotenv_never_raises(data: str) -> None:
    assert isinstance(parse_dotenv(data), dict)


@given(text)
def test_url_helpers_never_raise(value: str) -> None:
    split_url(value)
    problem = validate_proxy_url(value)
    assert problem is None or "\n" not in problem
    redact_url(value)
    redact(value)


@given(st.lists(text, max_size=3))
def test_option_parsers_raise_only_config_errors(values: list[str]) -> None:
    with contextlib.suppress(ConfigError):
        parse_resolve(tuple(values))
    for value in values:
        with contextlib.suppress(ConfigError):
            parse_dns_server(value)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(env_names, text, max_size=6), st.sampled_from(
    ["https://api.openai.com/v1", "http://127.0.0.1:1/v1", "https://[::1]:8443/x"]))
def test_proxy_choice_never_raises_on_any_environment(env: dict[str, str], url: str) -> None:
    choose_proxy(url, env)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(env_names, text, max_size=6))
def test_offline_checks_turn_any_configuration_into_results(env: dict[str, str]) -> None:
    try:
        targets = build_targets(CliValues(), env, {})
    except ConfigError:
        return
    for target in targets:
        for check in (KeyCheck(), EndpointCheck()):
            result = check.run(make_context(target=target, env=env))
            assert isinstance(result, CheckResult)
            secret = target.api_key.reveal() if target.api_key else ""
            echoed_elsewhere = any(secret.strip() in v for k, v in env.items() if not k.endswith(("KEY", "TOKEN")))
            if len(secret.strip()) >= 16 and not echoed_elsewhere:
                shown = result.summary + " ".join(f.message + f.hint for f in result.findings) + str(result.facts)
                assert secret.strip() not in shown


@given(st.lists(st.text(min_size=4, max_size=40), max_size=4), st.text(max_size=300))
def test_scrubber_removes_every_registered_secret(secrets: list[str], context: str) -> None:
    scrub = Scrubber(secrets)
    blob = context + "|".join(secrets) + context
    cleaned = scrub(blob)
    for secret in secrets:
        if len(secret) >= 16:
            assert secret not in cleaned
