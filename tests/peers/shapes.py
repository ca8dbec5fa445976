"""A fake relay on loopback whose answers break the wire format, one deviation per case.

The case is the first path segment: base URL `https://127.0.0.1:PORT/<case>/v1` (OpenAI) or
`https://127.0.0.1:PORT/<case>` (Anthropic). A case breaks either the non-streamed answer
(`plain`) or the streamed one (`stream`), or both; the other mode answers correctly, so each
deviation is seen alone. /models always answers, so the key check passes. The same server
serves llmdoctor's completion probe and the official SDKs (tests/test_sdk_oracle.py).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .certs import Certs
from .fakeapi import ANTHROPIC_MODELS, OPENAI_MODELS, _leaf, anthropic_message, openai_completion
from .http import HttpServer, Reply, Request

MODEL = "gpt-4o-mini"
CLAUDE = "claude-haiku-4-5-20251001"
PAGE = "<!DOCTYPE html><html><head><title>New API</title></head><body><div id=\"root\"></div></body></html>"


def _chunk(delta: dict[str, Any] | None, finish: str | None = None, **extra: Any) -> bytes:
    choice: dict[str, Any] = {"index": 0, "finish_reason": finish}
    if delta is not None:
        choice["delta"] = delta
    body = {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1741569952, "model": MODEL,
            "choices": [choice], **extra}
    return f"data: {json.dumps(body)}\n\n".encode()


def _ev(name: str | None, data: dict[str, Any]) -> bytes:
    head = f"event: {name}\n" if name else ""
    return f"{head}data: {json.dumps(data)}\n\n".encode()


DONE = b"data: [DONE]\n\n"
OPENAI_OK = [_chunk({"role": "assistant", "content": ""}), _chunk({"content": "OK"}), _chunk({}, "stop"), DONE]
_START = {"type": "message_start", "message": {**anthropic_message(CLAUDE), "content": [], "stop_reason": None}}
ANTHROPIC_OK = [
    _ev("message_start", _START),
    _ev("content_block_start", {"type": "content_block_start", "index": 0,
                                "content_block": {"type": "text", "text": ""}}),
    _ev("content_block_delta", {"type": "content_block_delta", "index": 0,
                                "delta": {"type": "text_delta", "text": "OK"}}),
    _ev("content_block_stop", {"type": "content_block_stop", "index": 0}),
    _ev("message_delta", {"type": "message_delta", "delta": {"stop_reason": "max_tokens", "stop_sequence": None},
                          "usage": {"output_tokens": 1}}),
    _ev("message_stop", {"type": "message_stop"}),
]
SSE = {"content-type": "text/event-stream", "cache-control": "no-cache"}
JSON = {"content-type": "application/json"}


def _sse(parts: list[bytes], headers: dict[str, str] | None = None) -> Reply:
    return Reply(200, headers or SSE, list(parts))


def _body(data: Any, headers: dict[str, str] | None = None) -> Reply:
    return Reply(200, headers or JSON, json.dumps(data).encode())


def _gzip_lie(data: Any, stream: bool) -> Reply:
    """Says gzip, sends plain bytes: what a relay that compresses twice, or not at all, does."""
    raw = b"".join(OPENAI_OK) if stream else json.dumps(data).encode()
    return Reply(200, {**(SSE if stream else JSON), "content-encoding": "gzip"}, raw)


@dataclass(frozen=True)
class Case:
    api: str  # "openai" | "anthropic"
    plain: Any = None  # a Reply factory for the non-streamed request, None = a correct answer
    stream: Any = None  # the same for the streamed request
    responses: Any = None  # POST /v1/responses, None = a correct Responses API answer


def _openai_without(key: str) -> dict[str, Any]:
    return {k: v for k, v in openai_completion(MODEL).items() if k != key}


def _openai_message(**message: Any) -> dict[str, Any]:
    data = openai_completion(MODEL)
    data["choices"][0]["message"] = {"role": "assistant", **message}
    return data


# OpenAI's answer for a model that is served only by the Responses API (aaif-goose/goose#2564)
ONLY_RESPONSES = {"error": {"message": "This model is only supported in v1/responses and not in v1/chat/completions.",
                            "type": "invalid_request_error", "param": "model", "code": None}}


def responses_answer(model: str = MODEL) -> dict[str, Any]:
    """A non-streamed Responses API answer (platform.openai.com/docs/api-reference/responses/object)."""
    return {"id": "resp_67ccd2bed1ec8190b14f964abc054267", "object": "response", "created_at": 1741476542,
            "status": "completed", "model": model, "output": [
                {"type": "message", "id": "msg_67ccd2bf17f0819081ff3bb2cf6508e6", "status": "completed",
                 "role": "assistant", "content": [{"type": "output_text", "text": "OK", "annotations": []}]}],
            "usage": {"input_tokens": 14, "output_tokens": 1, "total_tokens": 15}}


def _only_responses() -> Reply:
    return Reply.json(404, ONLY_RESPONSES)


CASES: dict[str, Case] = {
    # non-streamed answers
    "missing-choices": Case("openai", plain=lambda: _body(_openai_without("choices"))),
    "empty-choices": Case("openai", plain=lambda: _body({**openai_completion(MODEL), "choices": []})),
    "content-list": Case("openai", plain=lambda: _body(_openai_message(content=[{"type": "text", "text": "OK"}]))),
    "content-null": Case("openai", plain=lambda: _body(_openai_message(content=None))),
    "no-usage": Case("openai", plain=lambda: _body(_openai_without("usage"))),
    "error-200": Case("openai", plain=lambda: _body({"error": {"message": "当前分组上游负载已饱和，请稍后再试",
                                                               "type": "new_api_error", "code": None}})),
    "string-body": Case("openai", plain=lambda: _body("OK")),
    "html-200": Case("openai", plain=lambda: Reply(200, {"content-type": "text/html; charset=utf-8"}, PAGE)),
    "html-as-json": Case("openai", plain=lambda: Reply(200, JSON, PAGE)),
    "empty-body": Case("openai", plain=lambda: Reply(200, {**JSON, "content-length": "0"}, b"")),
    "bad-gzip": Case("openai", plain=lambda: _gzip_lie(openai_completion(MODEL), False)),
    # streamed answers
    "stream-no-done": Case("openai", stream=lambda: _sse(OPENAI_OK[:-1])),
    "stream-cut": Case("openai", stream=lambda: _sse(OPENAI_OK[:2])),
    "stream-unframed": Case("openai", stream=lambda: _sse([json.dumps(openai_completion(MODEL)).encode() + b"\n"])),
    "stream-ignored": Case("openai", stream=lambda: _body(openai_completion(MODEL))),
    "stream-bad-json": Case("openai", stream=lambda: _sse([OPENAI_OK[0], b"data: {'content': 'OK'}\n\n", DONE])),
    "stream-no-choices": Case("openai", stream=lambda: _sse([OPENAI_OK[0], b'data: {"id": "chatcmpl-1", '
                                                             b'"object": "chat.completion.chunk"}\n\n', DONE])),
    "stream-json-type": Case("openai", stream=lambda: _sse(OPENAI_OK, JSON)),
    "stream-empty": Case("openai", stream=lambda: _sse([])),
    # a model served only by the Responses API: the chat call fails, /v1/responses answers (or not)
    "needs-responses": Case("openai", plain=_only_responses, stream=_only_responses),
    "responses-chat-shape": Case("openai", plain=_only_responses, stream=_only_responses,
                                 responses=lambda: _body(openai_completion(MODEL))),
    # Anthropic messages
    "a-openai-shape": Case("anthropic", plain=lambda: _body(openai_completion(CLAUDE))),
    "a-content-string": Case("anthropic", plain=lambda: _body({**anthropic_message(CLAUDE), "content": "OK"})),
    "a-html-200": Case("anthropic", plain=lambda: Reply(200, {"content-type": "text/html"}, PAGE)),
    "a-stream-no-stop": Case("anthropic", stream=lambda: _sse(ANTHROPIC_OK[:-1])),
    "a-stream-cut": Case("anthropic", stream=lambda: _sse(ANTHROPIC_OK[:3])),
    "a-stream-no-names": Case("anthropic", stream=lambda: _sse([_ev(None, json.loads(p.split(b"data: ", 1)[1]))
                                                                for p in ANTHROPIC_OK])),
    "a-stream-ignored": Case("anthropic", stream=lambda: _body(anthropic_message(CLAUDE))),
}


class ShapeRelay:
    """The fake relay over TLS (certificate from the test CA for 127.0.0.1 and localhost)."""

    def __init__(self, certs: Certs) -> None:
        self.server = HttpServer(self.handle, cert=_leaf(certs, ("localhost", "127.0.0.1")))

    def base(self, case: str) -> str:
        """The base URL a user would configure for `case`."""
        tail = "/v1" if CASES[case].api == "openai" else ""
        return f"{self.server.url}/{case}{tail}"

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> ShapeRelay:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def handle(self, req: Request) -> Reply:
        case_name, _, rest = req.path.lstrip("/").partition("/")
        case = CASES.get(case_name)
        path = "/" + rest.split("?")[0]
        if case is None:
            return Reply(404, JSON, b'{"error": {"message": "no such case"}}')
        if path in ("/v1/models", "/models"):
            if case.api == "anthropic":
                return _body({"data": [{"type": "model", "id": m, "display_name": m,
                                        "created_at": "2025-10-01T00:00:00Z"} for m in ANTHROPIC_MODELS],
                              "has_more": False})
            return _body({"object": "list", "data": [{"id": m, "object": "model", "created": 1, "owned_by": "x"}
                                                     for m in OPENAI_MODELS]})
        if path == "/v1/responses":
            made: Reply = case.responses() if case.responses else _body(responses_answer())
            return made
        try:
            streamed = req.json().get("stream") is True
        except (ValueError, AttributeError):
            streamed = False
        factory = case.stream if streamed else case.plain
        if factory is not None:
            reply: Reply = factory()
            return reply
        if case.api == "anthropic":
            return _sse(ANTHROPIC_OK) if streamed else _body(anthropic_message(CLAUDE))
        return _sse(OPENAI_OK) if streamed else _body(openai_completion(MODEL))
