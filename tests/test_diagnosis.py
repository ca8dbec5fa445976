"""Ranking causes from hand-made check results: the hard splits a user would otherwise get wrong."""

from __future__ import annotations

import json
import re

import pytest

from llmdoctor.apierrors import classify_response
from llmdoctor.diagnosis import RankedCause, diagnose, verdict
from llmdoctor.model import CheckResult, Finding, Status

HAN = re.compile(r"[\u4e00-\u9fff]")


def result(check: str, status: Status, *findings: Finding, target: str = "openai",
           facts: dict[str, object] | None = None) -> CheckResult:
    return CheckResult(status, findings[0].message if findings else "ok", tuple(findings), facts or {}, check, target)


def fail(code: str, message: str = "seen", confidence: float = 0.8) -> Finding:
    return Finding(code, message, severity=Status.FAIL, confidence=confidence)


def warn(code: str, message: str = "seen", confidence: float = 0.8) -> Finding:
    return Finding(code, message, severity=Status.WARN, confidence=confidence)


def api_answer(status: int, body: object, provider: str = "openai", target: str = "openai") -> CheckResult:
    """What the auth check reports: one finding per classified cause, as the live check builds them."""
    found = classify_response(status, json.dumps(body), provider=provider)
    return result("auth", Status.FAIL, *(Finding(c.cause_id, c.message, confidence=c.confidence, facts=c.facts)
                                         for c in found), target=target)


def top(results: list[CheckResult], **kw: object) -> str:
    causes = diagnose(results, **kw)  # type: ignore[arg-type]
    assert causes
    return causes[0].id


# --- 429: empty balance vs rate limit vs too large vs overload vs relay saturated -----------------------

@pytest.mark.parametrize(("status", "body", "provider", "cause"), [
    (429, {"error": {"message": "You exceeded your current quota, please check your plan and billing details.",
                     "type": "insufficient_quota", "code": "insufficient_quota"}}, "openai", "quota.insufficient"),
    (429, {"error": {"message": "Rate limit reached for gpt-4o in organization org-x on requests per min (RPM): "
                     "Limit 3, Used 3, Requested 1.", "type": "requests", "code": "rate_limit_exceeded"}},
     "openai", "ratelimit.exceeded"),
    (429, {"error": {"message": "Request too large for gpt-4o in organization org-x on tokens per min (TPM): "
                     "Limit 30000, Requested 50000.", "type": "tokens", "code": "rate_limit_exceeded"}},
     "openai", "request.too_large"),
    (429, {"error": {"message": "The engine is currently overloaded, please try again later",
                     "type": "engine_overloaded_error"}}, "moonshot", "server.overloaded"),
    (429, {"error": {"message": "当前分组上游负载已饱和，请稍后再试 (request id: 20250423020142736330894dLoIRrS6)",
                     "type": "new_api_error", "param": "", "code": None}}, "relay", "ratelimit.relay_saturated"),
])
def test_429_splits(status: int, body: object, provider: str, cause: str) -> None:
    causes = diagnose([api_answer(status, body, provider, target="t")], providers={"t": provider})
    assert causes[0].id == cause


def test_429_retry_advice_differs() -> None:
    quota = diagnose([api_answer(429, {"error": {"code": "insufficient_quota", "message": "quota"}})])[0]
    rate = diagnose([api_answer(429, {"error": {"code": "rate_limit_exceeded", "message": "slow down"}})])[0]
    assert (quota.retry, rate.retry) == ("no", "after_wait")


# --- 401: wrong key vs other provider's key vs wrong base URL vs wrong header vs whitespace ------------

BAD_KEY = {"error": {"message": "Incorrect API key provided: sk-proj-****abcd.", "type": "invalid_request_error",
                     "code": "invalid_api_key"}}


def test_401_plain_wrong_key() -> None:
    causes = diagnose([api_answer(401, BAD_KEY)], providers={"openai": "openai"})
    assert causes[0].id == "auth.invalid_key"
    assert "platform.openai.com/api-keys" in causes[0].fix[0]


def test_401_key_of_another_provider_outranks_invalid_key() -> None:
    key_check = result("key", Status.WARN, warn("auth.key_wrong_provider", "OPENAI_API_KEY looks like an Anthropic key "
                                                "(sk-ant-…WXYZ)", 0.7))
    assert top([key_check, api_answer(401, BAD_KEY)]) == "auth.key_wrong_provider"


def test_401_wrong_base_url_outranks_invalid_key() -> None:
    endpoint = result("endpoint", Status.FAIL, fail("config.base_url_invalid", "base URL has /v1 twice", 0.7))
    assert top([endpoint, api_answer(401, BAD_KEY)]) == "config.base_url_invalid"


def test_401_wrong_header() -> None:
    body = {"type": "error", "error": {"type": "authentication_error", "message": "x-api-key header is required"}}
    assert top([api_answer(401, body, "anthropic", "anthropic")]) == "auth.wrong_header"


def test_401_whitespace_in_key_outranks_invalid_key() -> None:
    key_check = result("key", Status.WARN, warn("config.key_whitespace", "OPENAI_API_KEY ends with a newline", 0.9))
    causes = diagnose([key_check, api_answer(401, BAD_KEY)])
    assert [c.id for c in causes][:2] == ["config.key_whitespace", "auth.invalid_key"]


# --- timeouts: DNS vs proxy vs blackhole vs TLS reset vs slow first byte vs stall vs short timeout vs SOCKS

def test_timeout_explained_by_dns() -> None:
    results = [result("dns", Status.FAIL, fail("dns.failure", "api.openai.com: NXDOMAIN", 0.6)),
               result("tcp", Status.FAIL, fail("net.connect_timeout", "connect timed out after 10 s", 0.9))]
    assert top(results) == "dns.failure"


def test_timeout_explained_by_proxy_auth() -> None:
    results = [result("proxy", Status.FAIL, fail("proxy.auth_failed", "407 Proxy Authentication Required", 0.7)),
               result("tcp", Status.FAIL, fail("net.connect_timeout", "connect timed out", 0.95))]
    causes = diagnose(results)
    assert [c.id for c in causes] == ["proxy.auth_failed", "net.connect_timeout"]
    assert causes[0].confidence >= causes[1].confidence


def test_timeout_blackhole_alone_is_connect_timeout() -> None:
    results = [result("dns", Status.PASS), result("tcp", Status.FAIL, fail("net.connect_timeout", "SYN unanswered"))]
    assert top(results) == "net.connect_timeout"


def test_timeout_bypassed_proxy_warning_explains_the_timeout() -> None:
    results = [result("env", Status.WARN, warn("env.proxy_bypassed", "NO_PROXY=* bypasses HTTPS_PROXY", 0.6),
                      target=""),
               result("tcp", Status.FAIL, fail("net.connect_timeout", "connect timed out", 0.9))]
    assert top(results) == "env.proxy_bypassed"


def test_tls_reset() -> None:
    results = [result("tcp", Status.PASS),
               result("tls", Status.FAIL, fail("tls.handshake_reset", "reset after ClientHello", 0.85)),
               result("api", Status.FAIL, fail("net.read_timeout", "no answer", 0.5))]
    assert top(results) == "tls.handshake_reset"


def test_slow_first_byte_vs_short_client_timeout() -> None:
    results = [result("timing", Status.WARN, warn("net.slow_first_byte", "first byte after 38 s", 0.7)),
               result("api", Status.FAIL, fail("net.read_timeout", "read timed out after 30 s", 0.8)),
               result("config", Status.FAIL, fail("net.client_timeout_too_short", "OPENAI_TIMEOUT=30 < 38 s", 0.75))]
    assert [c.id for c in diagnose(results)] == ["net.client_timeout_too_short", "net.slow_first_byte",
                                                  "net.read_timeout"]


def test_slow_first_byte_alone_explains_read_timeout() -> None:
    results = [result("timing", Status.WARN, warn("net.slow_first_byte", "first byte after 45 s", 0.7)),
               result("api", Status.FAIL, fail("net.read_timeout", "read timed out", 0.8))]
    assert top(results) == "net.slow_first_byte"


def test_stalled_stream() -> None:
    results = [result("api", Status.PASS),
               result("stream", Status.FAIL, fail("net.stream_stalled", "no chunk for 20 s after 12 chunks", 0.8))]
    causes = diagnose(results)
    assert [c.id for c in causes] == ["net.stream_stalled"]
    assert causes[0].retry == "yes"


def test_silent_socks_outranks_read_timeout() -> None:
    results = [result("proxy", Status.FAIL, fail("proxy.socks_handshake_hang", "SOCKS greeting unanswered", 0.6)),
               result("api", Status.FAIL, fail("net.read_timeout", "timed out", 0.9))]
    assert top(results) == "proxy.socks_handshake_hang"


# --- merging, weighting, language -------------------------------------------------------------------------

def test_same_cause_merges_across_targets_with_prefixed_evidence() -> None:
    results = [result("proxy", Status.FAIL, fail("proxy.unreachable", "127.0.0.1:7890 refused", 0.8), target="openai"),
               result("proxy", Status.FAIL, fail("proxy.unreachable", "127.0.0.1:7890 refused", 0.8),
                      target="anthropic")]
    causes = diagnose(results)
    assert len(causes) == 1
    assert causes[0].targets == ("openai", "anthropic")
    assert causes[0].evidence == ("openai/proxy: 127.0.0.1:7890 refused", "anthropic/proxy: 127.0.0.1:7890 refused")
    assert causes[0].confidence > 0.8  # corroborated


def test_fail_outweighs_warn_of_same_confidence() -> None:
    results = [result("a", Status.WARN, warn("server.error", confidence=0.8)),
               result("b", Status.FAIL, fail("model.not_found", confidence=0.8))]
    assert top(results) == "model.not_found"


def test_passes_and_bare_errors_are_not_causes() -> None:
    results = [result("y", Status.PASS, Finding("dns.failure", "info", severity=Status.PASS)),
               CheckResult(Status.ERROR, "ValueError: boom", (), {}, "crashy", "openai")]
    assert diagnose(results) == []


def test_a_code_nobody_described_reaches_the_verdict_in_the_plug_ins_words() -> None:
    """A plug-in's own finding code is never dropped (issue 13.3): its message, hint and severity."""
    finding = Finding("example.unexpected_domain", "api.openai.com is not under corp.example",
                      "Point the base URL at a host under corp.example.", Status.WARN, 0.3)
    results = [result("example-region", Status.WARN, finding), result("auth", Status.PASS)]
    causes = diagnose(results)
    assert [(c.id, c.severity) for c in causes] == [("example.unexpected_domain", "warn")]
    assert causes[0].title == "api.openai.com is not under corp.example"
    assert causes[0].fix == ("Point the base URL at a host under corp.example.",)
    assert "api.openai.com is not under corp.example" in verdict(causes, results)
    failing = [result("example-region", Status.FAIL, Finding("example.broken", "the gateway is down", "Restart it."))]
    assert verdict(diagnose(failing), failing).startswith("the gateway is down")


def test_provider_specific_fix_first_and_language() -> None:
    results = [api_answer(402, {"error": {"message": "Insufficient Balance"}}, "deepseek", "ds")]
    en = diagnose(results, providers={"ds": "deepseek"})[0]
    zh = diagnose(results, lang="zh", providers={"ds": "deepseek"})[0]
    assert en.id == "quota.insufficient"
    assert "platform.deepseek.com/top_up" in en.fix[0]
    assert HAN.search(zh.title) and HAN.search(zh.fix[0])


def test_to_dict_is_json_safe() -> None:
    cause = diagnose([result("dns", Status.FAIL, fail("dns.hijacked", "api.openai.com -> 127.0.0.1"))])[0]
    data = json.loads(json.dumps(cause.to_dict()))
    assert data["id"] == "dns.hijacked"
    assert data["evidence"] == ["openai/dns: api.openai.com -> 127.0.0.1"]
    assert set(data) >= {"id", "confidence", "title", "explanation", "fix", "retry", "docs", "evidence", "targets"}
    assert isinstance(cause, RankedCause)


# --- verdict ----------------------------------------------------------------------------------------------

def test_verdict_for_a_rejected_key() -> None:
    results = [api_answer(401, BAD_KEY)]
    sentence = verdict(diagnose(results), results, "en")
    assert sentence.startswith("The API key was rejected (openai): The server answered HTTP 401 (invalid_api_key")
    zh = verdict(diagnose(results, lang="zh"), results, "zh")
    assert zh.startswith("API 密钥被拒绝（openai）：")


def test_verdict_all_passed_through_proxy() -> None:
    results = [result("proxy", Status.PASS, facts={"proxy": "http://127.0.0.1:7890"}),
               result("api", Status.PASS, facts={"latency_ms": 231.4})]
    assert verdict([], results, "en") == "All checks passed: the API answered through your proxy in 231 ms."
    assert verdict([], results, "zh") == "所有检查均已通过：API 通过你的代理正常响应，用时 231 毫秒。"


def test_verdict_all_passed_direct_without_timing() -> None:
    assert verdict([], [result("api", Status.PASS)], "en") == "All checks passed: the API answered."


def test_verdict_warnings_only() -> None:
    results = [result("endpoint", Status.WARN, warn("config.insecure_http", "http://relay.example/v1"))]
    sentence = verdict(diagnose(results), results, "en")
    assert sentence == "The call works, but there is 1 warning: the API key would be sent over plain HTTP."


def test_verdict_failure_without_known_cause() -> None:
    results = [CheckResult(Status.ERROR, "boom", (), {}, "crashy", "openai")]
    assert "no known cause" in verdict(diagnose(results), results, "en")
    assert verdict([], [], "en") == "No checks ran."


# --- a local gateway behind the proxy: root cause only when the proxy cannot reach it ----------------

def test_a_remote_proxy_that_cannot_reach_the_local_gateway_is_the_root_cause() -> None:
    results = [result("proxy-env", Status.FAIL, fail("env.local_via_proxy", "goes to the proxy", 0.75)),
               result("proxy", Status.FAIL, fail("proxy.upstream_failed", "HTTP 502 from the proxy", 0.9))]
    assert [c.id for c in diagnose(results)] == ["env.local_via_proxy", "proxy.upstream_failed"]


def test_a_local_proxy_in_front_of_a_dead_local_gateway_blames_the_gateway() -> None:
    """A proxy on this machine reaches 127.0.0.1 too: its 502 is the target's fault, the NO_PROXY advice stays."""
    results = [result("proxy-env", Status.WARN, warn("env.local_via_proxy", "goes to the proxy", 0.75)),
               result("proxy", Status.FAIL, fail("proxy.upstream_failed", "HTTP 500 from the proxy", 0.9))]
    assert [c.id for c in diagnose(results)] == ["proxy.upstream_failed", "env.local_via_proxy"]


# --- a suspicion never stops the chain; later checks decide (issue 13.1, 13.2) --------------------------

def _hijack(address: str = "10.20.0.5") -> CheckResult:
    finding = Finding("dns.hijacked", f"api.openai.com resolves to {address}", severity=Status.WARN, confidence=0.6,
                      facts={"host": "api.openai.com", "port": 443, "addresses": [address]})
    return result("dns", Status.WARN, finding)


def test_suspicious_dns_with_a_working_chain_stays_a_warning() -> None:
    causes = diagnose([_hijack(), result("tcp", Status.PASS), result("tls", Status.PASS), result("auth", Status.PASS)])
    assert [c.id for c in causes] == ["dns.hijacked"] and causes[0].severity == "warn"
    assert verdict(causes, [_hijack(), result("auth", Status.PASS)]).startswith("The call works")


def test_suspicious_dns_is_the_root_when_that_address_refuses() -> None:
    refused = Finding("net.connect_refused", "TCP to api.openai.com:443 failed: 10.20.0.5 refused", confidence=0.9,
                      facts={"host": "api.openai.com", "port": 443, "addresses": [{"address": "10.20.0.5"}]})
    causes = diagnose([_hijack(), result("tcp", Status.FAIL, refused)])
    assert causes[0].id == "dns.hijacked" and causes[0].severity == "fail"
    assert any("refused" in e for e in causes[0].evidence)  # the failure is its evidence
    assert [c.id for c in causes] == ["dns.hijacked"]  # one fact (that address:port), one cause


def test_a_certificate_for_another_name_at_that_address_blames_dns() -> None:
    mismatch = Finding("tls.hostname_mismatch", "certificate verify failed: Hostname mismatch", confidence=0.9,
                       facts={"host": "api.openai.com", "port": 443, "address": "10.20.0.5"})
    causes = diagnose([_hijack(), result("tls", Status.FAIL, mismatch)])
    assert causes[0].id == "dns.hijacked" and causes[0].severity == "fail"


def test_a_failure_elsewhere_is_not_blamed_on_the_dns_answer() -> None:
    refused = Finding("net.connect_refused", "TCP to 10.9.9.9 refused", confidence=0.9,
                      facts={"host": "api.openai.com", "port": 443, "addresses": [{"address": "10.9.9.9"}]})
    causes = diagnose([_hijack(), result("tcp", Status.FAIL, refused)])
    assert causes[0].id == "net.connect_refused"


def test_an_api_answer_behind_a_suspicious_answer_is_its_own_cause() -> None:
    causes = diagnose([_hijack(), result("tls", Status.PASS), api_answer(429, {"error": {
        "code": "rate_limit_exceeded", "message": "Rate limit reached"}})])
    assert causes[0].id == "ratelimit.exceeded" and causes[-1].id == "dns.hijacked"
    assert causes[-1].severity == "warn"


def test_one_dead_proxy_port_is_one_cause() -> None:
    env = Finding("env.proxy_not_listening", "the proxy http://127.0.0.1:7890 is not listening", confidence=0.85,
                  facts={"port": 7890, "proxy": "http://127.0.0.1:7890"})
    down = Finding("proxy.unreachable", "the proxy http://127.0.0.1:7890 refused the connection", confidence=0.9,
                   facts={"proxy": "http://127.0.0.1:7890"})
    causes = diagnose([result("proxy-env", Status.FAIL, env), result("proxy", Status.FAIL, down)])
    assert [c.id for c in causes] == ["env.proxy_not_listening"]
    assert len(causes[0].evidence) == 2


# --- fix steps written with the user's values (issue 13.3, 15.4) ------------------------------------------

def _values(**over: object) -> dict[str, dict[str, object]]:
    from llmdoctor.fixvalues import target_values
    from tests.helpers import make_target

    return {"openai": target_values(make_target(**over))}  # type: ignore[arg-type]


def test_a_checks_own_hint_comes_first_in_the_fix() -> None:
    finding = Finding("config.base_url_invalid", "the base URL ends in /chat/completions",
                      "Use https://relay.example.net/v1", confidence=0.9)
    causes = diagnose([result("endpoint", Status.FAIL, finding)], providers={"openai": "relay"})
    assert causes[0].fix[0] == "Use https://relay.example.net/v1"


def test_fix_steps_name_the_targets_host_not_openais() -> None:
    finding = Finding("dns.failure", "api.anthropic.com cannot be resolved", confidence=0.9)
    values = _values(provider="anthropic")
    causes = diagnose([result("dns", Status.FAIL, finding)], values=values)
    joined = "\n".join(causes[0].fix)
    assert "getent hosts api.anthropic.com" in joined and "api.openai.com" not in joined
    assert "nslookup" not in joined


def test_a_key_from_stdin_gets_no_os_environ_command() -> None:
    finding = Finding("config.key_malformed", "the key has a zero-width space", confidence=0.9)
    stdin = _values(provider="anthropic", api_key="sk-ant-x")
    causes = diagnose([result("key", Status.FAIL, finding)], values=stdin)
    assert not any("os.environ" in step for step in causes[0].fix)
    env = _values(provider="anthropic", env={"ANTHROPIC_API_KEY": "sk-ant-x"})
    causes = diagnose([result("key", Status.FAIL, finding)], values=env)
    assert any("os.environ['ANTHROPIC_API_KEY']" in step for step in causes[0].fix)
    assert not any("OPENAI_API_KEY" in step for step in causes[0].fix)


def test_a_base_url_from_the_command_line_is_written_out_not_as_a_variable() -> None:
    finding = Finding("endpoint.not_found", "404 at /v1/models", confidence=0.9)
    values = _values(base_url="https://relay.example.net:8443/api")
    causes = diagnose([result("auth", Status.FAIL, finding)], values=values)
    assert any('curl -i "https://relay.example.net:8443/api/models"' in step for step in causes[0].fix)
    assert not any("$OPENAI_BASE_URL" in step for step in causes[0].fix)


def test_an_ollama_model_not_pulled_gets_the_pull_of_the_model_configured() -> None:
    finding = Finding("model.not_found", "model 'qwen2.5:7b' not found, try pulling it first", confidence=0.9)
    values = _values(provider="ollama", model="qwen2.5:7b")
    causes = diagnose([result("completion", Status.FAIL, finding)], providers={"openai": "ollama"}, values=values)
    assert "Pull the model where Ollama runs: ollama pull qwen2.5:7b" in causes[0].fix
    unnamed = diagnose([result("completion", Status.FAIL, finding)], providers={"openai": "ollama"},
                       values=_values(provider="ollama"))
    assert not any("ollama pull {" in step or step.endswith("ollama pull") for step in unnamed[0].fix)
    assert any(step.startswith("ollama list shows the models installed") for step in unnamed[0].fix)


def test_a_step_ending_in_the_command_a_hint_gives_is_not_said_twice() -> None:
    finding = Finding("model.not_found", "mistral (from --model) is not among the 1 models listed",
                      "Pull it first: ollama pull mistral", confidence=0.9)
    causes = diagnose([result("models", Status.FAIL, finding)], providers={"openai": "ollama"},
                      values=_values(provider="ollama", model="mistral"))
    assert causes[0].fix[0] == "Pull it first: ollama pull mistral"
    assert sum("ollama pull mistral" in step for step in causes[0].fix) == 1


def test_the_proxy_fix_names_the_port_found() -> None:
    finding = Finding("env.proxy_not_configured", "a proxy is listening on 127.0.0.1:10809", severity=Status.WARN,
                      facts={"listeners": [{"address": "127.0.0.1:10809", "kind": "http",
                                            "suggested_url": "http://127.0.0.1:10809"}]})
    causes = diagnose([result("proxy-env", Status.WARN, finding)], values=_values())
    joined = "\n".join(causes[0].fix)
    assert "export HTTPS_PROXY=http://127.0.0.1:10809" in joined and "7890" not in joined


@pytest.mark.parametrize("over", [
    {"provider": "openai", "env": {"OPENAI_API_KEY": "sk-test-x"}},
    {"provider": "anthropic", "api_key": "sk-ant-x"},  # the key came from stdin / --api-key
    {"provider": "openai", "base_url": "https://relay.example.net:8443/v1", "dotenv": {"OPENAI_API_KEY": "sk-x"}},
])
@pytest.mark.parametrize("cause_id", ["dns.failure", "dns.hijacked", "model.not_found", "endpoint.not_found",
                                      "endpoint.not_an_api", "config.key_malformed", "net.connect_timeout",
                                      "config.base_url_invalid"])
def test_written_commands_parse_in_bash(cause_id: str, over: dict[str, object]) -> None:
    """Every command a fix step ends with is valid bash as printed, with no $VARIABLE left that this run
    did not have (a key from stdin or .env is not in the shell)."""
    import shutil
    import subprocess

    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    values = _values(**over)
    causes = diagnose([result("x", Status.FAIL, Finding(cause_id, "seen", confidence=0.9))], values=values,
                      providers={"openai": str(over["provider"])})
    for step in causes[0].fix:
        assert "{" not in step.replace("%{http_code}", "") or "socket.getaddrinfo" in step, step
        if "curl " in step or "getent " in step or "python3 -c" in step:
            start = min(i for i in (step.find(c) for c in ("read -rs", "curl ", "getent ", "python3 -c")) if i >= 0)
            command = step[start:]
            proc = subprocess.run(["bash", "-n", "-c", command], capture_output=True, text=True, timeout=10)
            assert proc.returncode == 0, (step, proc.stderr)
            if "env" not in over:
                assert "$OPENAI_API_KEY" not in command and "os.environ" not in command
            assert "$KEY" not in command or command.startswith("read -rs KEY && "), step
            if over["provider"] == "anthropic" and "curl " in command and " -H " in command:
                assert "x-api-key: $KEY" in command and "Bearer" not in command, step
                assert "https://api.anthropic.com/v1/models" in command, step


def test_the_verdict_says_what_failed_because_of_a_confirmed_suspicion() -> None:
    refused = Finding("net.connect_refused", "TCP to api.openai.com:443 failed: 10.20.0.5 refused", confidence=0.9,
                      facts={"host": "api.openai.com", "port": 443, "addresses": [{"address": "10.20.0.5"}]})
    results = [_hijack(), result("tcp", Status.FAIL, refused)]
    causes = diagnose(results)
    assert causes[0].explains == ("net.connect_refused",)
    sentence = verdict(causes, results)
    assert sentence.startswith("DNS sends the API host to an unexpected address (openai): api.openai.com resolves")
    assert sentence.endswith("; then TCP to api.openai.com:443 failed: 10.20.0.5 refused")


def test_what_did_not_run_keeps_a_run_from_being_healthy() -> None:
    from llmdoctor.report import not_run

    ran = [result("dns", Status.PASS), result("timing", Status.SKIP)]
    assert not_run(ran) == []
    assert not_run(ran, requested=("timing",)) == ["openai/timing: ok"]
    cut = CheckResult(Status.SKIP, "the run's deadline (2 s) passed", (), {"deadline_passed": True}, "auth", "openai")
    assert not_run([result("dns", Status.PASS), cut]) == ["openai/auth: the run's deadline (2 s) passed"]
    assert not_run([result("tls", Status.SKIP)])[0].startswith("no check ran")
    assert verdict([], ran, not_run=["openai/timing: ok"]).startswith("Not a healthy run")


def test_a_cause_step_that_repeats_the_checks_own_command_is_left_out() -> None:
    """The proxy-env check's hint gives the command for this shell; the cause's general step with the same
    command ("Exempt local addresses: export NO_PROXY=…") would say it again."""
    hint = "Add it to NO_PROXY — bash: export NO_PROXY=localhost,127.0.0.1,::1"
    finding = Finding("env.local_via_proxy", "the request to the local gateway goes to the proxy", hint,
                      Status.WARN, 0.56)
    fix = diagnose([result("proxy-env", Status.WARN, finding)])[0].fix
    assert fix[0] == hint
    assert sum("export NO_PROXY=localhost,127.0.0.1,::1" in step for step in fix) == 1
    assert any("NO_PROXY=localhost does not cover 127.0.0.1" in step for step in fix)  # the others stay


def test_a_chinese_cause_step_that_repeats_the_checks_own_command_is_left_out_too() -> None:
    """The Chinese step goes on after the value with full-width punctuation ("…,::1（PowerShell：…）"):
    the command ends there, not at the next space."""
    hint = "把它加入 NO_PROXY — bash: export NO_PROXY=localhost,127.0.0.1,::1"
    finding = Finding("env.local_via_proxy", "发往本地网关的请求会走代理", hint, Status.WARN, 0.56)
    fix = diagnose([result("proxy-env", Status.WARN, finding)], lang="zh")[0].fix
    assert fix[0] == hint
    assert sum("export NO_PROXY=localhost,127.0.0.1,::1" in step for step in fix) == 1, fix


def test_the_api_hosts_failed_lookup_does_not_explain_a_proxy_at_another_address() -> None:
    """dns.failure `explains` proxy.unreachable only when the lookup was the proxy's own host: with the proxy
    at 127.0.0.1:1 down and the API host not resolving locally (the proxy would resolve it), the DNS finding
    stays the warning the dns check made of it, not a 91 % cause beside the proxy's."""
    proxy = {"proxy": "http://127.0.0.1:1"}
    results = [
        result("proxy-env", Status.FAIL, Finding("env.proxy_not_listening", "the proxy http://127.0.0.1:1 is not "
                                                 "listening", "Start it", Status.FAIL, 0.9, proxy)),
        result("dns", Status.WARN, Finding("dns.failure", "relay.example.test cannot be resolved by the system "
                                           "resolver: the name does not exist (NXDOMAIN); your proxy resolves names",
                                           "hint", Status.WARN, 0.3,
                                           {"kind": "nxdomain", "host": "relay.example.test"})),
        result("proxy", Status.FAIL, Finding("proxy.unreachable", "the proxy refused", "Start it", Status.FAIL, 0.9,
                                             {**proxy, "error": "refused"})),
    ]
    causes = {c.id: c.confidence for c in diagnose(results)}
    assert causes["env.proxy_not_listening"] >= 0.9
    assert causes["dns.failure"] < 0.5, causes
    # the proxy's own host name not resolving is what made the proxy unreachable: still its root
    own = [result("dns", Status.FAIL, Finding("dns.failure", "the proxy's host proxy.corp.test cannot be resolved",
                                              "hint", Status.FAIL, 0.85, {"kind": "nxdomain", "proxy_host":
                                                                          "proxy.corp.test",
                                                                          "proxy": "http://proxy.corp.test:3128"})),
           result("proxy", Status.FAIL, Finding("proxy.unreachable", "cannot reach the proxy", "hint", Status.FAIL,
                                                0.9, {"proxy": "http://proxy.corp.test:3128"}))]
    ranked = diagnose(own)
    assert [c.id for c in ranked] == ["dns.failure"]  # proxy.unreachable folded into its root
