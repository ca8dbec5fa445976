"""The auth check against a fake OpenAI- and Anthropic-compatible API on loopback, over TLS."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from helpers import codes, make_context, make_target, run_chain, run_check
from peers import Certs, HttpServer, PproxyServer, Reply, closed_port
from peers.fakeapi import HTML_404, FakeApi, key_for, one_api_key

from checks.auth import AuthCheck
from checks.endpoint import EndpointCheck
from checks.key import KeyCheck
from llmdoctor.model import CheckResult, Status


@pytest.fixture
def api(certs: Certs) -> Iterator[FakeApi]:
    with FakeApi(certs) as server:
        yield server


def auth(certs: Certs, key: str | None, base: str, provider: str = "openai", env: dict[str, str] | None = None,
         **settings: Any) -> CheckResult:
    target = make_target(provider, base, key, env=env)
    ctx = make_context(target=target, env={"SSL_CERT_FILE": str(certs.ca_pem), **(env or {})}, **settings)
    return run_check(AuthCheck, ctx)


def dumped(result: CheckResult) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False)


def no_key_in(result: CheckResult, key: str) -> None:
    assert key not in dumped(result)


def test_good_key_lists_models_and_records_request_ids(certs: Certs, api: FakeApi) -> None:
    key = key_for("good")
    result = auth(certs, key, api.url)
    assert result.status is Status.PASS, result
    assert "accepted the key" in result.summary and "5 models" in result.summary
    assert "gpt-4o-mini" in result.facts["models"]
    assert result.facts["request_ids"][0]["header"] == "x-request-id"
    assert result.facts["request_ids"][0]["value"].startswith("req_")
    assert result.facts["status"] == 200 and "ttfb_ms" in result.facts
    seen = api.requests[0]
    assert seen.method == "GET" and seen.path == "/v1/models"
    assert seen.headers["authorization"] == f"Bearer {key}"
    no_key_in(result, key)


def test_invalid_openai_key(certs: Certs, api: FakeApi) -> None:
    key = key_for("invalid")
    result = auth(certs, key, api.url)
    assert result.status is Status.FAIL
    assert codes(result)[0] == "auth.invalid_key"
    assert "401" in result.summary and "invalid_api_key" in result.summary
    assert "create one at" in result.findings[0].hint
    no_key_in(result, key)


def test_anthropic_sends_x_api_key_and_version(certs: Certs, api: FakeApi) -> None:
    key = key_for("good")
    result = auth(certs, key, api.root, provider="anthropic")
    assert result.status is Status.PASS, result
    assert "claude-haiku-4-5-20251001" in result.facts["models"]
    seen = api.requests[0]
    assert seen.path == "/v1/models?limit=1000"
    assert seen.headers["x-api-key"] == key and seen.headers["anthropic-version"] == "2023-06-01"
    assert "authorization" not in seen.headers
    assert result.facts["request_ids"][0]["header"] == "request-id"


def test_anthropic_auth_token_is_sent_as_bearer(certs: Certs, api: FakeApi) -> None:
    key = key_for("good")
    result = auth(certs, None, api.root, provider="anthropic", env={"ANTHROPIC_AUTH_TOKEN": key})
    assert result.status is Status.PASS, result
    seen = api.requests[0]
    assert seen.headers["authorization"] == f"Bearer {key}" and "x-api-key" not in seen.headers
    assert seen.headers["anthropic-version"] == "2023-06-01"


def test_anthropic_invalid_key_and_overloaded(certs: Certs, api: FakeApi) -> None:
    assert codes(auth(certs, key_for("invalid"), api.root, provider="anthropic"))[0] == "auth.invalid_key"
    overloaded = auth(certs, key_for("overloaded"), api.root, provider="anthropic")
    assert codes(overloaded)[0] == "server.overloaded"
    assert "529" in overloaded.summary and "retry with backoff" in overloaded.findings[0].hint


def test_rate_limited_with_retry_after(certs: Certs, api: FakeApi) -> None:
    result = auth(certs, key_for("ratelimit"), api.url)
    assert codes(result)[0] == "ratelimit.exceeded"
    assert result.findings[0].facts["retry_after_s"] == 12.0
    assert "wait 12 s" in result.findings[0].hint
    assert result.facts["responses"][0]["rate_headers"]["x-ratelimit-remaining-requests"] == "0"


def test_region_block(certs: Certs, api: FakeApi) -> None:
    result = auth(certs, key_for("region"), api.url)
    assert codes(result) == ["auth.region_blocked"]
    assert "403" in result.summary
    assert "country or region" in result.findings[0].hint


def test_captive_portal_html_200(certs: Certs, api: FakeApi) -> None:
    result = auth(certs, key_for("html"), api.url)
    assert codes(result)[0] == "endpoint.not_an_api"
    message = result.findings[0].message
    assert "HTTP 200 (text/html)" in message and "Sign in to Hotel-Guest Wi-Fi" in message
    assert "captive portal" in message


def test_cloudflare_challenge(certs: Certs, api: FakeApi) -> None:
    result = auth(certs, key_for("cloudflare"), api.url)
    assert codes(result)[0] == "endpoint.not_an_api"
    assert "Cloudflare" in result.findings[0].message and "Just a moment" in result.findings[0].message
    assert {"header": "cf-ray", "value": "8f1c2d3e4a5b6c7d-FRA"}.items() <= result.facts["request_ids"][-1].items()


def test_404_at_models_suggests_the_base_url_that_answers(certs: Certs, api: FakeApi) -> None:
    result = auth(certs, key_for("good"), api.root)
    assert codes(result)[0] == "endpoint.not_found"
    assert result.facts["suggested_base_url"] == api.root + "/v1"
    assert api.root + "/v1" in result.findings[0].hint
    assert all(r.headers["host"].startswith("127.0.0.1") for r in api.requests)


def test_html_404_without_a_working_variant(certs: Certs, https_server: Any) -> None:
    server: HttpServer = https_server(Reply(404, {"content-type": "text/html"}, HTML_404))
    result = auth(certs, key_for("good"), server.url + "/v1")
    assert codes(result)[0] == "endpoint.not_found"
    assert "404 Not Found" in result.summary and "suggested_base_url" not in result.facts
    assert len(server.requests) <= 5  # the request and at most four variants


def test_redirect_to_another_host_never_carries_the_key(certs: Certs) -> None:
    with FakeApi(certs) as other, FakeApi(certs, redirect_to=None) as api:
        api.redirect_to = other.root
        result = auth(certs, key_for("good"), api.root + "/moved")
        assert codes(result) == ["endpoint.redirect"]
        assert other.root in result.findings[0].message and "not followed" in result.findings[0].message
        assert other.requests == []
        assert result.facts["redirects"][0]["followed"] is False


def test_same_origin_redirect_is_followed(certs: Certs, api: FakeApi) -> None:
    result = auth(certs, key_for("good"), api.root + "/old")
    assert result.status is Status.PASS, result
    assert [r.path for r in api.requests] == ["/old/models", "/v1/models"]
    assert result.facts["redirects"][0]["followed"] is True


def test_key_never_sent_in_clear_to_a_remote_host(certs: Certs) -> None:
    result = auth(certs, key_for("good"), "http://relay.example.com/v1")  # the guard fails it on any lookup
    assert codes(result) == ["config.insecure_http"]
    assert "--allow-insecure" in result.findings[0].hint


def test_plain_http_on_loopback_is_fine(certs: Certs) -> None:
    with FakeApi(certs, tls=False) as api:
        assert auth(certs, key_for("good"), api.url).status is Status.PASS


def _moonshot(certs: Certs, api: FakeApi, key: str) -> CheckResult:
    resolve = {("api.moonshot.cn", api.port): "127.0.0.1", ("api.moonshot.ai", api.port): "127.0.0.1"}
    return auth(certs, key, f"https://api.moonshot.cn:{api.port}/v1", provider="moonshot", resolve=resolve)


def test_moonshot_key_for_the_other_region(certs: Certs, api: FakeApi) -> None:
    result = _moonshot(certs, api, key_for("intl"))
    assert codes(result)[0] == "auth.wrong_region" and result.status is Status.FAIL
    assert all(f.severity is Status.WARN for f in result.findings[1:])  # explained by the region
    assert "international" in result.findings[0].message
    assert f"https://api.moonshot.ai:{api.port}/v1" in result.findings[0].hint
    assert [r.host for r in api.requests] == [f"api.moonshot.cn:{api.port}", f"api.moonshot.ai:{api.port}"]


def test_moonshot_key_rejected_by_both_regions(certs: Certs, api: FakeApi) -> None:
    result = _moonshot(certs, api, key_for("invalid"))
    assert codes(result)[0] == "auth.invalid_key"
    assert "auth.wrong_region" not in codes(result)
    assert any(f.facts.get("probed_status") == 401 for f in result.findings)


def test_no_region_probe_when_the_base_url_is_not_official(certs: Certs, api: FakeApi) -> None:
    result = auth(certs, key_for("intl"), api.url, provider="moonshot")
    assert result.status is Status.FAIL
    assert len(api.requests) == 1


def test_relay_key_sent_to_the_official_openai_endpoint(certs: Certs, api: FakeApi) -> None:
    key = one_api_key()
    resolve = {("api.openai.com", api.port): "127.0.0.1"}
    result = auth(certs, key, f"https://api.openai.com:{api.port}/v1", resolve=resolve)
    assert codes(result)[0] == "auth.wrong_endpoint"
    assert "One API" in result.findings[0].message and "OPENAI_BASE_URL" in result.findings[0].hint
    assert "auth.invalid_key" in codes(result)
    no_key_in(result, key)


def test_official_key_sent_to_a_relay(certs: Certs, api: FakeApi) -> None:
    key = "sk-proj-" + "Zz9" * 20
    result = auth(certs, key, api.url)
    assert codes(result)[0] == "auth.wrong_endpoint"
    assert "official OpenAI key" in result.findings[0].message
    assert "auth.invalid_key" in codes(result)
    no_key_in(result, key)


def test_one_api_chinese_errors(certs: Certs, api: FakeApi) -> None:
    invalid = auth(certs, key_for("oneapi-invalid"), api.url)
    assert codes(invalid)[0] == "auth.invalid_key"
    assert "无效的令牌" in invalid.summary
    assert invalid.facts["request_ids"][0]["header"] == "x-oneapi-request-id"
    quota = auth(certs, key_for("oneapi-quota"), api.url)
    assert codes(quota)[0] == "quota.insufficient" and "该令牌额度已用尽" in quota.summary


def test_connection_refused_is_a_transport_finding(certs: Certs) -> None:
    result = auth(certs, key_for("good"), f"https://127.0.0.1:{closed_port()}/v1", timeout=1.0)
    assert codes(result) == ["net.connect_refused"]


def test_goes_through_the_users_proxy(certs: Certs, api: FakeApi, pproxy: PproxyServer) -> None:
    proxy_url = pproxy.url()
    result = auth(certs, key_for("good"), api.url, env={"HTTPS_PROXY": proxy_url})
    assert result.status is Status.PASS, result
    assert result.facts["proxy"] == f"http://user:***@127.0.0.1:{pproxy.port}"
    assert "pproxy-pass" not in dumped(result)
    assert f"127.0.0.1:{api.port}" in pproxy.log_text()


def test_in_the_chain_after_key_and_endpoint(certs: Certs, api: FakeApi) -> None:
    target = make_target("openai", api.url, key_for("good"))
    results = run_chain([KeyCheck, EndpointCheck, AuthCheck], target, env={"SSL_CERT_FILE": str(certs.ca_pem)})
    assert [r.status for r in results.values()] == [Status.PASS] * 3, results


def test_request_shapes_per_provider() -> None:
    """URLs and headers as each SDK builds them (no network: the shapes the fake cannot show)."""
    from llmdoctor.api.build import auth_headers, completion_request, models_url, wire_provider

    azure = make_target("azure", "https://res.openai.azure.com/openai/deployments/gpt4o", "k" * 32, model="gpt4o")
    provider = wire_provider(azure)
    assert models_url(azure, provider) == "https://res.openai.azure.com/openai/models?api-version=2024-10-21"
    assert auth_headers(azure, provider)["api-key"] == "k" * 32
    url, _, body = completion_request(azure, provider, "gpt4o")
    assert url == ("https://res.openai.azure.com/openai/deployments/gpt4o/chat/completions"
                   "?api-version=2024-10-21") and body["max_tokens"] == 16

    gemini = make_target("gemini-native", None, "AIza" + "x" * 35)
    provider = wire_provider(gemini)
    assert auth_headers(gemini, provider)["x-goog-api-key"].startswith("AIza")
    assert "authorization" not in auth_headers(gemini, provider)
    url, _, _ = completion_request(gemini, provider, "models/gemini-2.5-flash-lite")
    assert url.endswith("/v1beta/models/gemini-2.5-flash-lite:streamGenerateContent?alt=sse")

    ollama = make_target("ollama", "http://127.0.0.1:11434/v1", None)
    assert set(auth_headers(ollama, wire_provider(ollama))) == {"accept"}

    openai = make_target("openai", None, "sk-proj-" + "x" * 40, env={"OPENAI_ORG_ID": "org-abc"})
    headers = auth_headers(openai, wire_provider(openai))
    assert headers["OpenAI-Organization"] == "org-abc" and headers["authorization"].startswith("Bearer sk-proj-")
    assert models_url(openai, wire_provider(openai)) == "https://api.openai.com/v1/models"
