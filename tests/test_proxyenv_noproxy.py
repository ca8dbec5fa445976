"""NO_PROXY per client: httpx (through httpx's own matcher), requests, urllib and curl, as tables."""

from __future__ import annotations

import urllib.request

import httpx
import pytest

from llmdoctor.proxyenv import clients, noproxy
from llmdoctor.proxyenv.system import SystemProxySettings

# (NO_PROXY, URL, httpx bypasses?, requests bypasses?, curl 7.86+ bypasses?, curl < 7.86 bypasses?)
TABLE = [
    ("*", "https://api.openai.com", True, True, True, True),
    ("localhost,*", "https://api.openai.com", True, False, False, False),
    ("api.openai.com", "https://api.openai.com/v1", True, True, True, True),
    ("openai.com", "https://api.openai.com/v1", True, True, True, True),
    ("openai.com", "https://notopenai.com", False, True, False, False),
    (".openai.com", "https://openai.com", False, True, True, True),
    (".openai.com", "https://api.openai.com", True, True, True, True),
    ("*.openai.com", "https://api.openai.com", False, False, False, False),
    ("10.0.0.0/8", "http://10.1.2.3:8000", False, True, True, False),
    ("10.0.0.0/8", "http://10.0.0.0", True, True, True, False),
    ("127.0.0.0/8", "http://127.0.0.1:11434", False, True, True, False),
    ("localhost", "http://127.0.0.1:11434", False, False, False, False),
    ("localhost", "http://localhost:11434", True, True, True, True),
    ("127.0.0.1", "http://127.0.0.1:11434", True, True, True, True),
    ("::1", "http://[::1]:11434", True, True, True, True),
    ("example.com:8443", "https://example.com:8443", True, True, False, False),
    ("example.com:8443", "https://example.com", False, False, False, False),
    ("a.com b.com", "https://b.com", False, False, False, True),
    ("a.com, b.com", "https://b.com", True, True, True, True),
    ("http://example.com", "http://example.com", True, False, False, False),
    ("", "https://api.openai.com", False, False, False, False),
]


def _httpx_bypass(url: str, no_proxy: str, flavour: str = "httpx") -> str | None:
    """The NO_PROXY entry that sends `url` direct in httpx (as the env view decides it), or None."""
    decision = clients.httpx_decision(url, {"all_proxy": "http://127.0.0.1:9", "no_proxy": no_proxy},
                                      flavour=flavour)
    if decision.problem or decision.proxy_url is not None:
        return None
    return decision.bypass or "*"


@pytest.mark.parametrize(("no_proxy", "url", "hx", "req", "curl", "old_curl"), TABLE)
def test_no_proxy_per_client(no_proxy: str, url: str, hx: bool, req: bool, curl: bool, old_curl: bool) -> None:
    assert (_httpx_bypass(url, no_proxy) is not None) is hx
    assert (noproxy.requests_match(url, no_proxy) is not None) is req
    assert (noproxy.curl_match(url, no_proxy) is not None) is curl
    assert (noproxy.curl_match(url, no_proxy, (7, 81)) is not None) is old_curl


@pytest.mark.parametrize(("no_proxy", "url", "hx"), [(row[0], row[1], row[2]) for row in TABLE if row[0]])
def test_httpx_column_agrees_with_a_real_httpx_client(monkeypatch: pytest.MonkeyPatch, no_proxy: str, url: str,
                                                     hx: bool) -> None:
    """The same question asked of httpx itself: which transport does a trust_env client mount for the URL?

    The table follows httpx 0.28 (llmdoctor.net.proxies' default flavour), the version installed here.
    """
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", no_proxy)
    with httpx.Client() as client:
        transport = client._transport_for_url(httpx.URL(url))
        assert (transport is client._transport) is hx


@pytest.mark.parametrize("no_proxy", ["*", "example.com", ".example.com", "example.com:8080", " a.com , b.com ",
                                      "localhost,127.0.0.1", "*.x.com"])
@pytest.mark.parametrize("host", ["example.com", "www.example.com", "myexample.com", "a.com", "b.com", "localhost",
                                  "127.0.0.1", "x.com", "y.x.com"])
def test_urllib_column_matches_cpython(monkeypatch: pytest.MonkeyPatch, no_proxy: str, host: str) -> None:
    monkeypatch.setenv("no_proxy", no_proxy)
    expected = bool(urllib.request.proxy_bypass_environment(host))
    assert (noproxy.urllib_bypass(host, no_proxy) is not None) is expected


def test_httpx2_flavour_matches_star_dot_entries() -> None:
    """httpx2 (openai >= 3, anthropic >= 2) treats `*.x.com` like `.x.com`; httpx 0.28 never matches it."""
    assert _httpx_bypass("https://api.openai.com", "*.openai.com", "httpx2") == "*.openai.com"
    assert _httpx_bypass("https://openai.com", "*.openai.com", "httpx2") is None
    assert _httpx_bypass("https://api.openai.com", "*.openai.com") is None


def test_explain_entry_says_what_each_client_does() -> None:
    cidr = noproxy.explain_entry("10.0.0.0/8")
    assert "no CIDR" in cidr["httpx"] and "7.86" in cidr["curl"]
    dot = noproxy.explain_entry(".example.com")
    assert "not example.com itself" in dot["httpx"] and "example.com and its subdomains" in dot["curl"]
    star = noproxy.explain_entry("*.example.com")
    assert "never" in star["curl"] and "httpx 0.28 never" in star["httpx"]
    assert "not 127.0.0.1" in noproxy.explain_entry("localhost")["httpx"]


# --- the whole decision per client ---------------------------------------------------------------

def test_curl_reads_only_lower_case_http_proxy() -> None:
    env = {"HTTP_PROXY": "http://127.0.0.1:7890", "HTTPS_PROXY": "http://127.0.0.1:7890"}
    assert clients.curl_decision("http://example.com", env).proxy_url is None
    assert clients.curl_decision("https://example.com", env).proxy_url == "http://127.0.0.1:7890"
    assert clients.httpx_decision("http://example.com", env).proxy_url == "http://127.0.0.1:7890"


def test_empty_lower_case_hides_upper_case() -> None:
    env = {"HTTPS_PROXY": "http://127.0.0.1:7890", "https_proxy": ""}
    assert clients.httpx_decision("https://api.openai.com", env).proxy_url is None
    assert clients.requests_decision("https://api.openai.com", env).proxy_url is None
    assert clients.curl_decision("https://api.openai.com", env).proxy_url is None


def test_all_proxy_fallback_and_socks_without_socksio() -> None:
    env = {"ALL_PROXY": "socks5h://127.0.0.1:1080"}
    decision = clients.httpx_decision("https://api.openai.com", env, socksio=False)
    assert decision.proxy_url == "socks5h://127.0.0.1:1080"
    assert decision.problem and "socksio" in decision.problem
    assert clients.requests_decision("https://api.openai.com", env).source == "env:ALL_PROXY"
    assert clients.curl_decision("https://api.openai.com", env).source == "env:ALL_PROXY"


def test_windows_registry_proxy_used_only_without_variables() -> None:
    system = SystemProxySettings("windows", enabled=True, servers={"all": "127.0.0.1:7890"}, bypass=("<local>",),
                                 python_proxies={"http": "http://127.0.0.1:7890", "https": "http://127.0.0.1:7890"},
                                 source="registry")
    via = clients.httpx_decision("https://api.openai.com", {}, system)
    assert via.proxy_url == "http://127.0.0.1:7890" and via.source == "system:registry"
    # httpx never reads ProxyOverride: even a dotless local name goes to the proxy; requests honours <local>
    assert clients.httpx_decision("http://ollama:11434", {}, system).proxy_url is not None
    assert clients.requests_decision("http://ollama:11434", {}, system).bypass == "<local>"
    # any *_proxy variable (even NO_PROXY alone) makes urllib skip the registry
    assert clients.httpx_decision("https://api.openai.com", {"NO_PROXY": "x"}, system).proxy_url is None
    assert clients.curl_decision("https://api.openai.com", {}).proxy_url is None


def test_password_never_in_the_decision_dict() -> None:
    env = {"HTTPS_PROXY": "http://user:s3cret-pass@127.0.0.1:7890"}
    for decision in (clients.httpx_decision("https://x.test", env), clients.requests_decision("https://x.test", env),
                     clients.curl_decision("https://x.test", env)):
        assert "s3cret-pass" not in str(decision.to_dict()) and "s3cret-pass" not in repr(decision)
