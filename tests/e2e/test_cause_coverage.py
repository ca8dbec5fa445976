"""Every cause id in the knowledge base has an end-to-end scenario that makes it the top cause, or a reason why
the loopback world cannot produce it. A new cause id without either fails here.

Also checks the secret scanner the matrix relies on: it must catch what it claims to catch and pass the
redacted forms llmdoctor prints, or the matrix's "no secret leaked" would prove nothing.
"""

from __future__ import annotations

import base64

import pytest

from e2e import secretscan
from e2e.test_fault_matrix import SCENARIOS
from e2e.world import KEY_MARK, PROXY_PASSWORD
from llmdoctor import knowledge

# Causes no scenario on loopback can make the top cause, each with the reason. Keep it short and honest.
# Every other cause id is produced live (even the OS-store and system-proxy ones, with an OpenSSL hash
# dir and a fake `gsettings`). A cause that needs e.g. a real Windows registry would go here too.
NOT_LIVE: dict[str, str] = {
    "server.insufficient_memory": "read by the same rows in the live checks' classifier and in `llmdoctor explain`, "
                                  "but no end-to-end scenario: only a real completion on a local server that cannot "
                                  "load the model answers it (Ollama's 'model requires more system memory'); "
                                  "tests/test_explain_api_bodies.py reads real texts",
    "tls.revocation_unchecked": "raised by `llmdoctor explain` only: a revocation check that could not run is "
                                "Windows schannel's (curl, git, .NET) and other stacks' check; Python's ssl, which "
                                "the run's probes use, checks no revocation (tests/test_explain_tls_family.py reads "
                                "real texts)",
    "config.azure_endpoint_missing": "raised by `llmdoctor explain` only: the Azure clients' own 'Must provide one "
                                     "of the `base_url` or `azure_endpoint` arguments' / 'api_version' / 'resource "
                                     "name setting is missing' come before any request, from the caller's own client "
                                     "configuration, which the run never sees "
                                     "(tests/test_explain_azure_config.py reads real texts)",
    "config.model_provider_missing": "raised by `llmdoctor explain` only: LiteLLM's own 'LLM Provider NOT provided' "
                                     "comes from the caller's model string before any request; the run probes the "
                                     "API, which never sees it (tests/test_explain_wave2_texts.py reads real texts)",
    "net.error": "the catch-all for a transport error no rule names; each fault the matrix can make has a "
                 "more specific cause (its last scenario, a body that is not the gzip it claims, is "
                 "server.protocol_error now)",
    "env.node_proxy_ignored": "raised by `llmdoctor env` only: a run diagnoses the Python SDK call and never fails "
                              "it for another runtime; tests/test_node_clients.py raises it against the real node",
    "env.tls_verification_disabled": "raised by `llmdoctor env` only (same reason); tests/test_node_clients.py shows "
                                     "the real node accepting any certificate with NODE_TLS_REJECT_UNAUTHORIZED=0",
    "tls.strict_x509": "needs Python 3.13+, whose ssl.create_default_context turns on VERIFY_X509_STRICT; CI runs "
                       "3.11. tests/test_strict_x509.py sets the flag as 3.13 does and runs the tls check against a "
                       "real loopback server with a CA that breaks RFC 5280",
    # The answer-format causes need --probe-completion against a relay that deviates; the matrix's fake API
    # answers well-formed. They run live through the real CLI against tests/peers/shapes.py instead.
    "response.unparseable": "tests/test_answer_shape.py runs the real CLI with --probe-completion against the "
                            "loopback relay of tests/peers/shapes.py (missing choices, HTML or an error with 200)",
    "response.stream_broken": "tests/test_answer_shape.py: the same relay's streams without [DONE] or framing",
    "endpoint.wrong_generation": "tests/test_api_generations.py: the completion probe against a relay that "
                                 "answers 'only supported in v1/responses' and v1/completions errors",
    "relay.format_conversion": "tests/test_api_generations.py: the relay's errors for a Claude upstream "
                               "(max_tokens, a system role, tool fields) read by the completion probe",
    "relay.upstream_key_rejected": "tests/test_litellm_proxy.py: a real LiteLLM proxy whose upstream refuses its "
                                   "key; tests/test_relay_codes.py for One API / New API channel errors",
}

# Covered only by a strict-xfail scenario (a known bug): listed so the report names them.
COVERED_BY_KNOWN_BUG = {s.top for s in SCENARIOS if s.bug and s.top} - {s.top for s in SCENARIOS if not s.bug}


def covered() -> set[str]:
    return {s.top for s in SCENARIOS if s.top}


def test_every_cause_has_a_scenario_or_a_reason() -> None:
    ids = set(knowledge.load().ids())
    missing = sorted(ids - covered() - set(NOT_LIVE))
    assert not missing, ("cause ids with neither an end-to-end scenario in tests/e2e/test_fault_matrix.py "
                         f"nor a NOT_LIVE reason: {missing}")


def test_tables_name_only_known_causes() -> None:
    ids = set(knowledge.load().ids())
    named = covered() | set(NOT_LIVE) | {c for s in SCENARIOS for c in s.also}
    assert sorted(named - ids) == []
    assert not set(NOT_LIVE) & covered(), "a cause with a scenario is live: drop it from NOT_LIVE"


def test_every_category_has_scenarios() -> None:
    categories = {s.category for s in SCENARIOS}
    assert {"healthy", "proxy", "dns", "tcp", "tls", "api", "timing", "config"} <= categories
    assert len(SCENARIOS) >= 25


# --- the scanner -------------------------------------------------------------------------------------------

LEAKS = [
    ("key sk-proj-abcDEF0123456789ghijKLMN in a message", "key"),
    ("sk-ant-api03-AbCdEfGhIjKlMnOpQrSt", "key"),
    ("sk-or-v1-0123456789abcdef0123", "key"),
    ("AIzaSyA1b2C3d4E5f6G7h8I9j0KLMNOP", "key"),
    ("gsk_abcdefghijklmnop1234", "key"),
    ("xai-abcdefghijklmnopqrst", "key"),
    ("sk-Ab3dE5gH7jK9Ab3dE5gH7jK9Ab3dE5gH7jK9Ab3dE5gH7jK9", "key"),
    ('"Authorization": "Bearer tok_1234567890abcdefXYZ"', "Authorization: Bearer"),
    ("Proxy-Authorization: Basic dXNlcjpzZWNyZXQ=", "Proxy-Authorization: Basic"),
    ("x-api-key: abcdefghijklmnop1234", "x-api-key"),
    ("token=q8Zr2LmX0vB7nK4pW1sT9yC6hJ3dF5gA", "high-entropy token"),
]


@pytest.mark.parametrize(("text", "kind"), LEAKS)
def test_scanner_finds_leaks(text: str, kind: str) -> None:
    assert any(leak.kind.startswith(kind) for leak in secretscan.scan(text)), text


def test_scanner_finds_canaries_in_every_form() -> None:
    secret = "sk-test-good-CANARY0123456789abcdef"
    for text in (secret, f"key={secret[:-4]}", "http://user:CanaryProxyPass9@127.0.0.1:1",
                 "http://user:Canary%3AProxy@127.0.0.1:1",
                 "Basic " + base64.b64encode(f"user:{PROXY_PASSWORD}".encode()).decode()):
        found = secretscan.scan(text, [secret, PROXY_PASSWORD, "Canary:Proxy"], marks=[KEY_MARK])
        assert found, text


@pytest.mark.parametrize("text", [
    "sk-proj-…WXYZ from env:OPENAI_API_KEY, 164 characters",
    "sk-…c3d4",
    "http://user:***@127.0.0.1:7890",
    "Authorization: Bearer YOUR_KEY",
    '"auth_header": "x-api-key"',
    '"x-api-key": "sk-ant-…AbCd"',
    "Incorrect API key provided: sk-test-***************************c3d4.",
    "unsupported_country_region_territory",
    "fingerprint 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08",
    "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
    "request id req_000000000000000000000001",
])
def test_scanner_passes_redacted_and_known_safe_values(text: str) -> None:
    assert secretscan.scan(text) == []
