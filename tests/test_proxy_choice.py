"""Our proxy choice is httpx's: compared with a real httpx.Client built from the same environment."""

from __future__ import annotations

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from llmdoctor.net.proxies import choose_proxy, environment_mounts

PROXIES = ["http://127.0.0.1:7890", "http://u:p@127.0.0.1:3128", "socks5://127.0.0.1:1080", "127.0.0.1:8118"]
NO_PROXY_ENTRIES = ["localhost", "127.0.0.1", ".openai.com", "openai.com", "api.openai.com", "*", "::1",
                    "10.0.0.0/8", "*.anthropic.com", "example.org", "http://api.deepseek.com", ""]
URLS = ["https://api.openai.com/v1/models", "http://127.0.0.1:11434/v1/models", "https://api.anthropic.com/v1",
        "https://api.deepseek.com/v1", "http://localhost:4000/v1", "https://[::1]:8443/v1", "http://10.1.2.3/v1"]
VARIABLES = ["HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy"]


def _httpx_choice(url: str) -> str | None:
    """What a real httpx.Client(trust_env=True) routes `url` through, read off its transport."""
    with httpx.Client(trust_env=True) as client:
        transport = client._transport_for_url(httpx.URL(url))
        pool = transport._pool  # type: ignore[attr-defined]
        proxy_url = getattr(pool, "_proxy_url", None)
        if proxy_url is None:
            return None
        scheme = proxy_url.scheme.decode()
        host = proxy_url.host.decode()
        return f"{scheme}://{host}:{proxy_url.port}"


def _ours(url: str, env: dict[str, str]) -> str | None:
    choice = choose_proxy(url, env)
    if choice.url is None:
        return None
    parsed = httpx.URL(choice.url)
    return f"{parsed.scheme}://{parsed.host}:{parsed.port}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(proxies=st.dictionaries(st.sampled_from(VARIABLES), st.sampled_from(PROXIES), max_size=3),
       no_proxy=st.lists(st.sampled_from(NO_PROXY_ENTRIES), max_size=4),
       no_proxy_var=st.sampled_from(["NO_PROXY", "no_proxy"]),
       url=st.sampled_from(URLS))
def test_choice_matches_a_real_httpx_client(monkeypatch: pytest.MonkeyPatch, proxies: dict[str, str],
                                            no_proxy: list[str], no_proxy_var: str, url: str) -> None:
    env = dict(proxies)
    if no_proxy:
        env[no_proxy_var] = ",".join(no_proxy)
    with monkeypatch.context() as patch:
        for name in [*VARIABLES, "NO_PROXY", "no_proxy", "REQUEST_METHOD"]:
            patch.delenv(name, raising=False)
        for name, value in env.items():
            patch.setenv(name, value)
        expected = _httpx_choice(url)
    assert _ours(url, env) == expected, (env, url)


def test_lower_case_wins_and_sources_are_named() -> None:
    env = {"HTTPS_PROXY": "http://127.0.0.1:1111", "https_proxy": "http://127.0.0.1:2222"}
    choice = choose_proxy("https://api.openai.com/v1", env)
    assert choice.url == "http://127.0.0.1:2222" and choice.source == "env:https_proxy"


def test_no_proxy_bypass_names_the_entry_and_cli_overrides() -> None:
    env = {"HTTPS_PROXY": "http://127.0.0.1:7890", "NO_PROXY": "localhost,.openai.com"}
    choice = choose_proxy("https://api.openai.com/v1", env)
    assert choice.url is None and choice.bypass == ".openai.com"
    assert choose_proxy("https://api.openai.com/v1", env, override="socks5h://127.0.0.1:1080").source == "--proxy"
    assert choose_proxy("https://api.openai.com/v1", env, no_proxy=True).source == "--no-proxy"


def test_localhost_entry_does_not_cover_127_0_0_1() -> None:
    """A classic: NO_PROXY=localhost while the local gateway is addressed as 127.0.0.1 (RECIPES)."""
    env = {"HTTP_PROXY": "http://127.0.0.1:7890", "NO_PROXY": "localhost"}
    assert choose_proxy("http://127.0.0.1:11434/v1", env).url == "http://127.0.0.1:7890"
    assert choose_proxy("http://localhost:11434/v1", env).url is None


def test_password_is_redacted_in_the_choice_view() -> None:
    choice = choose_proxy("https://x.test", {"ALL_PROXY": "socks5h://bob:s3cret-pass@127.0.0.1:1080"})
    assert choice.redacted == "socks5h://bob:***@127.0.0.1:1080"
    assert "s3cret-pass" not in str(choice.to_dict())


def test_mounts_ignore_cgi_http_proxy() -> None:
    mounts = environment_mounts({"HTTP_PROXY": "http://evil:1", "REQUEST_METHOD": "GET"})
    assert mounts == []


def test_star_dot_entries_differ_between_httpx_and_httpx2() -> None:
    """httpx 0.28 turns NO_PROXY=*.anthropic.com into a pattern that never matches; httpx2 bypasses."""
    env = {"HTTPS_PROXY": "http://127.0.0.1:7890", "NO_PROXY": "*.anthropic.com"}
    assert choose_proxy("https://api.anthropic.com/v1", env).url == "http://127.0.0.1:7890"
    assert choose_proxy("https://api.anthropic.com/v1", env, flavour="httpx2").url is None
