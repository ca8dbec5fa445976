"""API generations, format-converting relays and the SDK's parse errors: live answers and pasted texts.

The bodies are the providers' and relays' own (sources in each comment); the live half goes through
the completion probe against a loopback server, the pasted half through `llmdoctor explain`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import make_target, run_chain
from peers import HttpServer, Reply
from peers.fakeapi import key_for, one_api_error
from peers.shapes import _body

from checks.auth import AuthCheck
from checks.completion import CompletionCheck
from llmdoctor.apierrors import classify_response
from llmdoctor.model import Status


def oai(message: str, code: str | None = None, param: str | None = "model") -> dict[str, Any]:
    return {"error": {"message": message, "type": "invalid_request_error", "param": param, "code": code}}


def claude(message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": "invalid_request_error", "message": message},
            "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy"}


# chatboxai/chatbox#2173, aaif-goose/goose#2564, tmuxai#82 (OpenAI's own answers)
CHAT_ON_COMPLETIONS = oai("This is a chat model and not supported in the v1/completions endpoint. Did you mean to "
                          "use v1/chat/completions?")
ONLY_RESPONSES = oai("This model is only supported in v1/responses and not in v1/chat/completions.")
NOT_CHAT = oai("This is not a chat model and thus not supported in the v1/chat/completions endpoint. Did you mean "
               "to use v1/completions?")
ENGINES = oai("Invalid URL (POST /v1/engines/gpt-3.5-turbo/chat/completions)", param=None)
# Wei-Shaw/sub2api#885: a relay that accepts only the Responses API
RELAY_RESPONSES_ONLY = {"error": {"type": "invalid_request_error", "message": "Unsupported legacy protocol: "
                                  "/v1/chat/completions is not supported. Please use /v1/responses."}}
# Maol-1997/cursor-claude-connector#3: an OpenAI-format request forwarded to Claude as is
SYSTEM_ROLE = claude("messages: Unexpected role \"system\". The Messages API accepts a top-level `system` parameter, "
                     "not \"system\" as an input message role.")
NO_MAX_TOKENS = one_api_error("max_tokens: Field required")
TOOLS_DROPPED = {"error": {"message": "litellm.BadRequestError: AnthropicException - messages.2: `tool_use` ids were "
                           "found without `tool_result` blocks immediately after: toolu_01A09q90qw90lq917835lq9. "
                           "Each `tool_use` block must have a corresponding `tool_result` block in the next "
                           "message.", "type": None, "param": None, "code": "400"}}


@pytest.mark.parametrize("status,body,needs,words", [
    (404, CHAT_ON_COMPLETIONS, "chat/completions", "client.chat.completions.create"),
    (404, ONLY_RESPONSES, "responses", "client.responses.create"),
    (404, NOT_CHAT, "completions", "client.responses.create"),
    (404, ENGINES, "engines", "pip install -U openai"),
    (400, RELAY_RESPONSES_ONLY, "responses", "resp.output_text"),
])
def test_generation_answers_name_the_endpoint_and_the_call(http_server: Callable[..., HttpServer],
                                                           status: int, body: dict[str, Any], needs: str,
                                                           words: str) -> None:
    result = _probe(http_server, Reply.json(status, body))
    top = result.findings[0]
    assert top.code == "endpoint.wrong_generation" and top.facts["needs_endpoint"] == needs, result
    assert words in top.hint and result.status is Status.FAIL
    assert [f.code for f in result.findings] == ["endpoint.wrong_generation"]  # not also "model not found"


def test_a_retired_completion_model_also_suggests_another_model() -> None:
    found = classify_response(404, json.dumps(oai("The model `text-davinci-003` has been deprecated, learn more here:"
                                                  " https://platform.openai.com/docs/deprecations",
                                                  "model_not_found")), None, "openai", "chat")
    assert [c.cause_id for c in found] == ["endpoint.wrong_generation", "model.not_found"]
    assert found[0].facts["needs_endpoint"] == "retired"


@pytest.mark.parametrize("body", [SYSTEM_ROLE, NO_MAX_TOKENS, TOOLS_DROPPED])
def test_a_relay_that_converts_formats_badly(http_server: Callable[..., HttpServer],
                                              body: dict[str, Any]) -> None:
    result = _probe(http_server, Reply.json(400, body))
    top = result.findings[0]
    assert top.code == "relay.format_conversion", result
    assert "On your side" in top.hint and "relay's side" in top.hint
    assert "request.invalid" not in [f.code for f in result.findings]


def test_the_same_text_from_anthropic_itself_is_the_users_own_request() -> None:
    found = classify_response(400, json.dumps(claude("max_tokens: Field required")), None, "anthropic", "chat")
    assert found[0].cause_id == "request.invalid"


def _probe(http_server: Callable[..., HttpServer], completion: Reply) -> Any:
    def handle(req: Any) -> Reply:
        if req.path.endswith("/models"):
            return _body({"object": "list", "data": [{"id": "gpt-4o-mini", "object": "model"}]})
        return completion

    server = http_server(handle)  # plain HTTP on loopback: the key may go there
    target = make_target("relay", server.url + "/v1", key_for("good"), model="gpt-4o-mini")
    return run_chain([AuthCheck, CompletionCheck], target, probe_completion=True)["completion"]


# --- explain reads the same texts ---------------------------------------------------------------------

GUARD = str(Path(__file__).parent / "guard")
TRACEBACK_NONE = '''Traceback (most recent call last):
  File "/app/bot.py", line 12, in <module>
    print(resp.choices[0].message.content)
          ~~~~~~~~~~~~^^^
TypeError: 'NoneType' object is not subscriptable'''
PYDANTIC = '''pydantic_core._pydantic_core.ValidationError: 1 validation error for ChatCompletion
choices
  Field required [type=missing, input_value={'error': {'message': 'no channel'}}, input_type=dict]'''
HTML_DECODE = '''Traceback (most recent call last):
  File "/usr/lib/python3.11/json/decoder.py", line 355, in raw_decode
    raise JSONDecodeError("Expecting value", s, err.value) from None
json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)
response text: <!DOCTYPE html><html><head><title>New API</title></head><body></body></html>'''


@pytest.mark.parametrize("pasted,cause", [
    (TRACEBACK_NONE, "response.unparseable"),
    ("Traceback (most recent call last):\n  File \"x.py\", line 3, in <module>\n    text = data['choices'][0]"
     "['message']['content']\nKeyError: 'choices'", "response.unparseable"),
    (PYDANTIC, "response.unparseable"),
    ("json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)", "response.unparseable"),
    (HTML_DECODE, "response.unparseable"),
    ("AttributeError: 'str' object has no attribute 'choices'", "response.unparseable"),
    ("SyntaxError: Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON", "response.unparseable"),
    ("OpenAIError: stream ended without producing a ChatCompletionMessage with role=assistant",
     "response.stream_broken"),
    ("the SSE stream ended without [DONE]", "response.stream_broken"),
    ("openai.NotFoundError: Error code: 404 - {'error': {'message': 'This model is only supported in v1/responses "
     "and not in v1/chat/completions.', 'type': 'invalid_request_error', 'param': 'model', 'code': None}}",
     "endpoint.wrong_generation"),
    ("openai.BadRequestError: Error code: 400 - {'error': {'message': 'messages: Unexpected role \"system\". The "
     "Messages API accepts a top-level `system` parameter, not \"system\" as an input message role. (request id: "
     "20241216021630365217324290)', 'type': 'new_api_error'}}", "relay.format_conversion"),
])
def test_explain_reads_the_sdk_and_relay_texts(pasted: str, cause: str) -> None:
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "PYTHONPATH": GUARD, "NO_COLOR": "1"}
    result = subprocess.run([sys.executable, "-m", "llmdoctor", "explain", "--json", pasted], capture_output=True,
                            env=env, timeout=60)
    assert result.returncode == 1, result.stderr  # a recognised problem, as for a run
    data = json.loads(result.stdout)
    assert data["recognised"] is True and data["causes"][0]["id"] == cause, data["causes"]


# --- the models list says what a model is for -----------------------------------------------------------

def _listing(entries: list[dict[str, Any]]) -> Callable[[Any], Reply]:
    def handle(req: Any) -> Reply:
        return _body({"object": "list", "data": entries})
    return handle


@pytest.mark.parametrize("entry,needs,call", [
    ({"id": "text-embedding-3-small", "object": "model", "mode": "embedding"}, "embeddings",
     "client.embeddings.create"),  # LiteLLM's /v1/models
    ({"id": "gpt-3.5-turbo-instruct", "object": "model", "mode": "completion"}, "completions",
     "client.completions.create"),
    ({"id": "o3-pro", "object": "model", "supported_endpoint_types": ["openai-response"]}, "responses",
     "client.responses.create"),  # New API
])
def test_the_models_list_says_the_model_needs_another_endpoint(http_server: Callable[..., HttpServer],
                                                               entry: dict[str, Any], needs: str, call: str) -> None:
    from checks.models import ModelsCheck

    server = http_server(_listing([{"id": "gpt-4o-mini", "object": "model", "mode": "chat"}, entry]))
    target = make_target("relay", server.url + "/v1", key_for("good"), model=entry["id"])
    result = run_chain([AuthCheck, ModelsCheck], target)["models"]
    assert [f.code for f in result.findings] == ["endpoint.wrong_generation"], result
    assert result.findings[0].facts["needs_endpoint"] == needs and call in result.findings[0].hint


def test_a_chat_model_in_the_list_passes(http_server: Callable[..., HttpServer]) -> None:
    from checks.models import ModelsCheck

    server = http_server(_listing([{"id": "gpt-4o-mini", "object": "model", "mode": "chat"}]))
    target = make_target("relay", server.url + "/v1", key_for("good"), model="gpt-4o-mini")
    result = run_chain([AuthCheck, ModelsCheck], target)["models"]
    assert result.status is Status.PASS and result.facts["listed_endpoint"] == "chat"
