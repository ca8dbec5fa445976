"""The completion probe names the first field of an answer the SDK cannot parse, and what the SDK does.

Each case of the fake relay (tests/peers/shapes.py) breaks one mode, streamed or not; the probe
sends both. tests/test_sdk_oracle.py runs the real SDKs against the same server.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from helpers import make_target, run_chain
from peers import Certs
from peers.fakeapi import key_for
from peers.shapes import CASES, CLAUDE, MODEL, ShapeRelay

from checks.auth import AuthCheck
from checks.completion import CompletionCheck
from llmdoctor.model import CheckResult, Finding, Status

# case → (request mode, cause, SDK outcome, words the message must carry)
EXPECTED: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "missing-choices": ("plain", "response.unparseable", "raises", ("choices is missing", "'NoneType' object is not "
                                                                    "subscriptable")),
    "empty-choices": ("plain", "response.unparseable", "raises", ("IndexError",)),
    "content-list": ("plain", "response.unparseable", "returns the wrong type",
                     ("choices[0].message.content is a list, not a string", '"type": "text"')),
    "content-null": ("plain", "response.unparseable", "returns None", ("returns None",)),
    "no-usage": ("plain", "response.unparseable", "returns None", ("usage is missing",)),
    "error-200": ("plain", "ratelimit.relay_saturated", "raises", ("sent with HTTP 200", "上游负载已饱和",
                                                                   "'NoneType' object is not subscriptable")),
    "string-body": ("plain", "response.unparseable", "raises", ("'str' object has no attribute 'choices'",)),
    "html-200": ("plain", "response.unparseable", "raises", ("Content-Type is not JSON", "<title>New API</title>",
                                                             "'str' object has no attribute 'choices'")),
    "html-as-json": ("plain", "response.unparseable", "raises", ("Expecting value: line 1 column 1",)),
    "empty-body": ("plain", "response.unparseable", "raises", ("an empty body", "JSONDecodeError")),
    "bad-gzip": ("plain", "response.unparseable", "raises", ("APIConnectionError", "the network is fine")),
    "stream-no-done": ("stream", "response.stream_broken", "ends silently", ("data: [DONE] never came",)),
    "stream-cut": ("stream", "response.stream_broken", "ends silently", ("no chunk has a finish_reason",)),
    "stream-unframed": ("stream", "response.stream_broken", "yields nothing", ("without data: framing",)),
    "stream-ignored": ("stream", "response.stream_broken", "yields nothing", ("ignored \"stream\": true",)),
    "stream-bad-json": ("stream", "response.stream_broken", "raises", ("is not JSON", "{'content': 'OK'}")),
    "stream-no-choices": ("stream", "response.stream_broken", "raises", ("choices is missing",)),
    "stream-json-type": ("stream", "response.stream_broken", "reads it anyway", ("not text/event-stream",)),
    "stream-empty": ("stream", "response.stream_broken", "yields nothing", ("is empty",)),
    "responses-chat-shape": ("responses", "response.unparseable", "raises",
                             ("output is missing: the body is in the chat format", "'NoneType' object is not "
                                                                                   "iterable")),
    "a-openai-shape": ("plain", "response.unparseable", "raises", ("OpenAI's chat format",)),
    "a-content-string": ("plain", "response.unparseable", "raises", ("'str' object has no attribute 'text'",)),
    "a-html-200": ("plain", "response.unparseable", "raises", ("'str' object has no attribute 'content'",)),
    "a-stream-no-stop": ("stream", "response.stream_broken", "ends silently", ("message_stop never came",)),
    "a-stream-cut": ("stream", "response.stream_broken", "ends silently", ("stream ended early",)),
    "a-stream-no-names": ("stream", "response.stream_broken", "yields nothing", ("AssertionError",)),
    "a-stream-ignored": ("stream", "response.stream_broken", "yields nothing", ("AssertionError",)),
}
SOFT = {"content-null", "no-usage", "stream-no-done", "stream-json-type", "a-stream-no-stop"}


@pytest.fixture(scope="module")
def relay(certs: Certs) -> Iterator[ShapeRelay]:
    with ShapeRelay(certs) as server:
        yield server


@pytest.fixture(scope="module")
def ca(certs: Certs) -> str:
    return str(certs.ca_pem)


def probe(relay: ShapeRelay, ca: str, case: str) -> CheckResult:
    api = CASES[case].api
    target = make_target(api, relay.base(case), key_for("good"), model=MODEL if api == "openai" else CLAUDE)
    return run_chain([AuthCheck, CompletionCheck], target, env={"SSL_CERT_FILE": ca},
                     probe_completion=True, timeout=5.0)["completion"]


def shape_finding(result: CheckResult) -> Finding | None:
    return next((f for f in result.findings if "sdk_outcome" in f.facts), None)


def prediction(result: CheckResult) -> dict[str, Any]:
    """What llmdoctor says the SDK does, per request mode: {"plain": outcome, "stream": outcome}."""
    out: dict[str, Any] = {}
    for finding in result.findings:
        if "sdk_outcome" in finding.facts:
            out.setdefault(finding.facts.get("request", "plain"), finding.facts["sdk_outcome"])
    return out


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_the_first_deviation_is_named_with_what_the_sdk_does(relay: ShapeRelay, ca: str, case: str) -> None:
    mode, cause, outcome, words = EXPECTED[case]
    result = probe(relay, ca, case)
    finding = shape_finding(result)
    assert finding is not None, result
    assert finding.code == cause and finding.facts["sdk_outcome"] == outcome, finding
    assert finding.facts["request"] == mode
    for word in words:
        assert word in finding.message, finding.message
    assert result.status is (Status.WARN if case in SOFT else Status.FAIL), result
    assert "sk-test-good" not in repr(result)


def test_a_healthy_relay_passes_both_modes(relay: ShapeRelay, ca: str) -> None:
    from peers.shapes import CASES as cases

    cases["healthy"] = type(cases["no-usage"])("openai")
    try:
        result = probe(relay, ca, "healthy")
    finally:
        del cases["healthy"]
    assert result.status is Status.PASS, result
    assert result.facts["plain_status"] == 200 and result.facts["stream_complete"] is True


def test_a_model_only_on_the_responses_api_is_checked_there(relay: ShapeRelay, ca: str) -> None:
    result = probe(relay, ca, "needs-responses")
    top = result.findings[0]
    assert top.code == "endpoint.wrong_generation" and top.facts["responses_endpoint"] == "works", result
    assert "/responses does answer for gpt-4o-mini (checked)" in top.message
    assert "client.responses.create" in top.hint and result.facts["responses_status"] == 200


def test_cli_exit_code_and_verdict(relay: ShapeRelay, ca: str,
                                   run_cli: Any) -> None:
    """Through the real CLI: exit 1, the shape cause first, the field and the SDK's exception in the verdict."""
    import json

    proc = run_cli("--provider", "relay", "--base-url", relay.base("content-list"), "--api-key", "-",
                   "--model", MODEL, "--probe-completion", "--json", env={"SSL_CERT_FILE": ca},
                   input=key_for("good") + "\n")
    assert proc.returncode == 1, proc.stderr
    report = json.loads(proc.stdout)
    assert report["causes"][0]["id"] == "response.unparseable"
    assert "choices[0].message.content is a list, not a string" in report["verdict"]
    assert any("report the quoted field" in step for step in report["causes"][0]["fix"])


@pytest.mark.parametrize("name,body,headers", [
    ("missing choices", b'{"id": "chatcmpl-1", "object": "chat.completion", "model": "gpt-4o-mini"}',
     {"content-type": "application/json"}),
    ("empty body", b"", {"content-type": "application/json", "content-length": "0"}),
])
def test_a_relay_that_sends_the_same_broken_body_to_every_request(http_server: Any, name: str, body: bytes,
                                                                  headers: dict[str, str]) -> None:
    """Streamed or not, the same unreadable body: one cause, response.unparseable, the stream effect said too."""
    from peers import Reply

    def handle(req: Any) -> Any:
        if req.path.endswith("/models"):
            return Reply.json(200, {"object": "list", "data": [{"id": MODEL, "object": "model"}]})
        return Reply(200, headers, body)

    server = http_server(handle)
    target = make_target("relay", server.url + "/v1", key_for("good"), model=MODEL)
    result = run_chain([AuthCheck, CompletionCheck], target, probe_completion=True)["completion"]
    assert [f.code for f in result.findings] == ["response.unparseable"], result
    assert "With stream=True: the OpenAI SDK yields no chunks" in result.findings[0].message


def test_the_excerpt_never_carries_a_key(http_server: Any) -> None:
    """A relay that echoes the caller's key inside its broken body: the quote is redacted."""
    from peers import Reply

    secret = "sk-proj-" + "Zq8Lm3Xv7Rt2Wp5Ys9Ud4" * 2

    def handle(req: Any) -> Any:
        if req.path.endswith("/models"):
            return Reply.json(200, {"object": "list", "data": [{"id": MODEL, "object": "model"}]})
        return Reply(200, {"content-type": "text/plain"}, f"upstream said: bad key {secret}")

    server = http_server(handle)
    target = make_target("relay", server.url + "/v1", key_for("good"), model=MODEL)
    result = run_chain([AuthCheck, CompletionCheck], target, probe_completion=True)["completion"]
    assert result.findings and result.findings[0].code == "response.unparseable", result
    assert secret not in repr(result) and secret[:12] not in result.findings[0].message
