"""The official SDKs as the oracle: what llmdoctor predicts for an answer is what the SDK really does.

The real `openai` and `anthropic` packages (the `test` extra) call the fake relay of
tests/peers/shapes.py, case by case, the way user code reads an answer; llmdoctor's completion
probe reads the same server. Skipped when an SDK is not importable.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from peers import Certs
from peers.shapes import CASES, CLAUDE, MODEL, ShapeRelay
from test_answer_shape import EXPECTED, prediction, probe

KEY = "sk-test-good-" + "a1b2c3d4" * 5
PROMPT = [{"role": "user", "content": "Reply with the single word OK."}]


@pytest.fixture(scope="module")
def relay(certs: Certs) -> Iterator[ShapeRelay]:
    with ShapeRelay(certs) as server:
        yield server


@pytest.fixture
def ca(certs: Certs, monkeypatch: pytest.MonkeyPatch) -> str:
    # Both SDKs build their HTTP client with trust_env, so SSL_CERT_FILE makes them trust the test CA.
    monkeypatch.setenv("SSL_CERT_FILE", str(certs.ca_pem))
    return str(certs.ca_pem)


def _outcome(run: Any) -> str:
    """What user code sees: an exception, None, a value of the wrong type, nothing, or the text."""
    try:
        value = run()
    except Exception as exc:  # the SDK's own behaviour is what is measured
        return f"raises {type(exc).__name__}"
    if value is None:
        return "returns None"
    if isinstance(value, list) and not value:
        return "yields nothing"
    if isinstance(value, list):
        return "ok" if all(isinstance(v, str) for v in value) else "returns the wrong type"
    return "ok" if isinstance(value, str) else "returns the wrong type"


def openai_sdk(base: str, stream: bool) -> str:
    openai = pytest.importorskip("openai")
    client = openai.OpenAI(base_url=base, api_key=KEY, max_retries=0, timeout=5.0)
    if stream:
        return _outcome(lambda: [c.choices[0].delta.content or "" for c in client.chat.completions.create(
            model=MODEL, messages=PROMPT, stream=True)])
    return _outcome(lambda: client.chat.completions.create(model=MODEL, messages=PROMPT).choices[0].message.content)


def responses_sdk(base: str) -> str:
    openai = pytest.importorskip("openai")
    client = openai.OpenAI(base_url=base, api_key=KEY, max_retries=0, timeout=5.0)
    return _outcome(lambda: client.responses.create(model=MODEL, input="Reply with OK.",
                                                    max_output_tokens=16).output_text)


def anthropic_sdk(base: str, stream: bool) -> str:
    anthropic = pytest.importorskip("anthropic")
    client = anthropic.Anthropic(base_url=base, api_key=KEY, max_retries=0, timeout=5.0)
    if stream:
        return _outcome(lambda: [e.type for e in client.messages.create(model=CLAUDE, max_tokens=16, messages=PROMPT,
                                                                         stream=True)])
    return _outcome(lambda: client.messages.create(model=CLAUDE, max_tokens=16, messages=PROMPT).content[0].text)


def _agrees(predicted: str | None, seen: str) -> bool:
    """llmdoctor's words for the SDK's behaviour against what the SDK did."""
    if predicted is None or predicted in ("ends silently", "reads it anyway"):
        return seen == "ok"  # no error, the loop ends: the user gets text, maybe cut short
    if predicted == "raises":
        return seen.startswith("raises")
    if predicted == "returns None" and seen == "ok":
        return True  # usage/finish_reason: None where the user's next line reads it, the text is fine
    return predicted == seen


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_prediction_matches_the_official_sdk(relay: ShapeRelay, ca: str, case: str) -> None:
    api = CASES[case].api
    said = prediction(probe(relay, ca, case))
    sdk = openai_sdk if api == "openai" else anthropic_sdk
    for mode in ("plain", "stream", "responses"):
        if mode == "responses" and "responses" not in said:
            continue
        if mode != "responses" and CASES[case].responses is not None:
            continue  # its chat calls are an API error (404), not a shape: see the test below
        seen = responses_sdk(relay.base(case)) if mode == "responses" else sdk(relay.base(case), mode == "stream")
        assert _agrees(said.get(mode), seen), f"{case} {mode}: llmdoctor says {said.get(mode)}, the SDK {seen}"


def test_anthropic_stream_helper_raises_when_no_event_is_named(relay: ShapeRelay, ca: str) -> None:
    """The message text cites messages.stream(...).get_final_message(): it does raise AssertionError."""
    anthropic = pytest.importorskip("anthropic")
    client = anthropic.Anthropic(base_url=relay.base("a-stream-no-names"), api_key=KEY, max_retries=0, timeout=5.0)
    with pytest.raises(AssertionError), client.messages.stream(model=CLAUDE, max_tokens=16, messages=PROMPT) as s:
        s.get_final_message()


def test_the_exact_exception_texts_quoted(relay: ShapeRelay, ca: str) -> None:
    """The exception texts quoted in the findings are the SDK's own."""
    openai = pytest.importorskip("openai")
    quoted = {"missing-choices": "'NoneType' object is not subscriptable",
              "string-body": "'str' object has no attribute 'choices'",
              "html-200": "'str' object has no attribute 'choices'",
              "html-as-json": "Expecting value: line 1 column 1 (char 0)",
              "empty-choices": "list index out of range", "bad-gzip": "Connection error."}
    for case, text in quoted.items():
        client = openai.OpenAI(base_url=relay.base(case), api_key=KEY, max_retries=0, timeout=5.0)
        with pytest.raises(Exception) as raised:
            client.chat.completions.create(model=MODEL, messages=PROMPT).choices[0].message.content  # noqa: B018
        assert text in str(raised.value), (case, raised.value)
        finding = next(f for f in probe(relay, ca, case).findings if "sdk_outcome" in f.facts)
        assert text in finding.message, finding.message


def test_a_model_only_on_the_responses_api(relay: ShapeRelay, ca: str) -> None:
    """llmdoctor says the chat call fails and /v1/responses works: so does the SDK."""
    openai = pytest.importorskip("openai")
    top = probe(relay, ca, "needs-responses").findings[0]
    assert top.code == "endpoint.wrong_generation" and top.facts["responses_endpoint"] == "works"
    client = openai.OpenAI(base_url=relay.base("needs-responses"), api_key=KEY, max_retries=0, timeout=5.0)
    with pytest.raises(openai.NotFoundError, match="only supported in v1/responses"):
        client.chat.completions.create(model=MODEL, messages=PROMPT)
    assert responses_sdk(relay.base("needs-responses")) == "ok"
