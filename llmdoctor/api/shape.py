"""Would the user's SDK parse this answer? The first deviation from the wire format, and what the SDK does.

A relay that converts formats, a gateway's error page or a broken compressor can answer HTTP 200
with something the official SDK cannot read. The SDKs do not validate: they build their response
objects with pydantic's `construct`, so a missing field is None and the error surfaces later, in
the user's own line (`resp.choices[0]` → `TypeError: 'NoneType' object is not subscriptable`), and
a content type that does not end in "json" makes `create()` return the body as a str
(openai/_response.py `_parse`: `if not content_type.endswith("json")`). Streams are read by SSE
event; OpenAI's reader stops at `data: [DONE]` but does not need it, Anthropic's dispatches on the
`event:` name and skips events without one (anthropic/_streaming.py `if sse.event is None: continue`).

Every prediction here was measured with openai 3.57 and anthropic 2.15 (Python) against a loopback
server; tests/test_sdk_oracle.py runs the real SDKs against the same answers and checks them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from llmdoctor.api.sse import SseEvent
from llmdoctor.apierrors import redact_text

UNPARSEABLE = "response.unparseable"
STREAM_BROKEN = "response.stream_broken"
_EXCERPT_CHARS = 160


@dataclass(frozen=True)
class Sdk:
    """How an API family's official SDK is used in the line that fails."""

    name: str
    root: str  # the first attribute user code reads from the answer
    access: str  # the usual line that reads the text
    loop: str  # the usual streaming loop


SDKS = {
    "openai": Sdk("the OpenAI SDK", "choices", "resp.choices[0].message.content",
                  "for chunk in stream: chunk.choices[0].delta.content"),
    "anthropic": Sdk("the Anthropic SDK", "content", "resp.content[0].text",
                     "with client.messages.stream(...) as s: s.text_stream"),
}


@dataclass(frozen=True)
class Deviation:
    """The first place where an answer leaves the format the SDK expects."""

    cause: str
    field: str  # what deviates: "choices", "choices[0].message.content", "Content-Type", "data: framing"
    problem: str  # "is missing", "is a list, not a string"
    excerpt: str  # a short, redacted quote of what came instead
    sdk: str  # what the official SDK does with it, in its own words
    outcome: str  # "raises" | "returns None" | "returns the wrong type" | "yields nothing" | "ends silently"
    fatal: bool = True  # False: the SDK copes, some clients or the user's next line may not

    def sentence(self) -> str:
        quote = f" (got: {self.excerpt})" if self.excerpt else ""
        return f"{self.field} {self.problem}{quote}; {self.sdk}"

    def facts(self) -> dict[str, Any]:
        return {"shape_field": self.field, "shape_problem": self.problem, "excerpt": self.excerpt,
                "sdk_outcome": self.outcome, "sdk_effect": self.sdk}


def excerpt(text: str, limit: int = _EXCERPT_CHARS) -> str:
    """One line, redacted, cut: safe to print and short enough to read."""
    flat = " ".join(redact_text(text[: limit * 4]).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def _json_excerpt(value: Any) -> str:
    try:
        return excerpt(json.dumps(value, ensure_ascii=False))
    except (TypeError, ValueError):
        return excerpt(repr(value))


_PY_TYPE = {str: "str", list: "list", int: "int", float: "float", bool: "bool", type(None): "NoneType"}


def _py(value: Any) -> str:
    return _PY_TYPE.get(type(value), type(value).__name__)


def _load(body: bytes) -> tuple[bool, Any]:
    try:
        return True, json.loads(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False, None


def plain(api: str, content_type: str, body: bytes) -> Deviation | None:
    """A non-streamed chat (OpenAI) or messages (Anthropic) answer with status 2xx, as `create()` reads it."""
    sdk = SDKS.get("anthropic" if api == "anthropic" else "openai")
    if sdk is None:
        return None
    text = body.decode("utf-8", errors="replace")
    shown = excerpt(text) if text.strip() else "an empty body"
    if not content_type.endswith("json"):
        kind = f"Content-Type {content_type}" if content_type else "no Content-Type"
        return Deviation(UNPARSEABLE, "Content-Type", f"is not JSON ({kind})", shown,
                         f"{sdk.name}'s create() returns the body as a str, and {sdk.access} raises "
                         f"AttributeError: 'str' object has no attribute '{sdk.root}'", "raises")
    ok, data = _load(body)
    if not ok:
        return Deviation(UNPARSEABLE, "the body", "is not JSON", shown,
                         f"{sdk.name} raises json.JSONDecodeError: Expecting value: line 1 column 1 (char 0)",
                         "raises")
    if not isinstance(data, dict):
        return Deviation(UNPARSEABLE, "the body", f"is a JSON {_py(data)}, not an object", _json_excerpt(data),
                         f"{sdk.name}'s create() returns it as is, and {sdk.access} raises AttributeError: "
                         f"'{_py(data)}' object has no attribute '{sdk.root}'", "raises")
    return _anthropic_body(data, sdk) if api == "anthropic" else _openai_body(data, sdk)


def _keys(data: dict[str, Any]) -> str:
    """What an object holds instead, when it holds no error: its keys say more than its start."""
    if "error" in data or "choices" in data:
        return _json_excerpt(data)
    names = ", ".join(list(data)[:10])
    return excerpt(f"an object with the keys {names}" if names else "an empty object")


def _none_at(sdk: Sdk, field: str, got: Any, problem: str) -> Deviation:
    return Deviation(UNPARSEABLE, field, problem, _keys(got) if isinstance(got, dict) else _json_excerpt(got),
                     f"{sdk.name} does not raise (HTTP 200): {field} is None, and {sdk.access} raises "
                     "TypeError: 'NoneType' object is not subscriptable", "raises")


def _openai_body(data: dict[str, Any], sdk: Sdk) -> Deviation | None:
    choices = data.get("choices")
    if choices is None:
        problem = "is missing: the body is an error object" if "error" in data else "is missing"
        return _none_at(sdk, "choices", data, problem if "choices" not in data else "is null")
    if not isinstance(choices, list):
        return Deviation(UNPARSEABLE, "choices", f"is a {_py(choices)}, not a list", _json_excerpt(choices),
                         f"{sdk.name}'s {sdk.access} raises at choices[0]", "raises")
    if not choices:
        return Deviation(UNPARSEABLE, "choices", "is an empty list", _json_excerpt(data),
                         f"{sdk.name}'s {sdk.access} raises IndexError: list index out of range", "raises")
    first = choices[0]
    message = first.get("message") if isinstance(first, dict) else None
    if not isinstance(message, dict):
        return Deviation(UNPARSEABLE, "choices[0].message", "is missing" if message is None else
                         f"is a {_py(message)}, not an object", _json_excerpt(first),
                         f"{sdk.name}'s {sdk.access} raises AttributeError: 'NoneType' object has no attribute "
                         "'content'", "raises")
    content = message.get("content")
    if content is not None and not isinstance(content, str):
        return Deviation(UNPARSEABLE, "choices[0].message.content", f"is a {_py(content)}, not a string",
                         _json_excerpt(content), f"{sdk.name} returns that {_py(content)} where code expects a "
                         "str (no error until the string is used: .strip(), + or json.loads fail)",
                         "returns the wrong type")
    if content is None and not message.get("tool_calls") and not message.get("refusal"):
        return Deviation(UNPARSEABLE, "choices[0].message.content", "is null, with no tool_calls or refusal",
                         _json_excerpt(message), f"{sdk.name} returns None for {sdk.access}", "returns None",
                         fatal=False)
    return _soft(data, first, sdk, "finish_reason", ("prompt_tokens", "completion_tokens"))


def _anthropic_body(data: dict[str, Any], sdk: Sdk) -> Deviation | None:
    content = data.get("content")
    if content is None:
        if "choices" in data:
            problem = "is missing: the body is in OpenAI's chat format, not Anthropic's"
        elif "error" in data:
            problem = "is missing: the body is an error object"
        else:
            problem = "is missing" if "content" not in data else "is null"
        return _none_at(sdk, "content", data, problem)
    if isinstance(content, str):
        return Deviation(UNPARSEABLE, "content", "is a string, not a list of blocks", _json_excerpt(content),
                         f"{sdk.name}'s {sdk.access} raises AttributeError: 'str' object has no attribute 'text'",
                         "raises")
    if not isinstance(content, list):
        return Deviation(UNPARSEABLE, "content", f"is a {_py(content)}, not a list of blocks",
                         _json_excerpt(content), f"{sdk.name}'s {sdk.access} raises", "raises")
    if not content:
        return Deviation(UNPARSEABLE, "content", "is an empty list", _json_excerpt(data),
                         f"{sdk.name}'s {sdk.access} raises IndexError: list index out of range", "raises", fatal=True)
    return _soft(data, data, sdk, "stop_reason", ("input_tokens", "output_tokens"))


def _soft(data: dict[str, Any], holder: Any, sdk: Sdk, stop: str, tokens: tuple[str, ...]) -> Deviation | None:
    """Fields the SDK reads as None without a fuss; code that reads them then fails."""
    if isinstance(holder, dict) and holder.get(stop) is None:
        return Deviation(UNPARSEABLE, stop, "is missing", _json_excerpt(holder),
                         f"{sdk.name} returns None for it (code that checks why the answer ended breaks)",
                         "returns None", fatal=False)
    usage = data.get("usage")
    if not isinstance(usage, dict) or not all(isinstance(usage.get(k), int) for k in tokens):
        return Deviation(UNPARSEABLE, "usage", "is missing or incomplete", _json_excerpt(usage),
                         f"{sdk.name} returns None for resp.usage (token accounting, cost tracking and "
                         "LangChain's callbacks break)", "returns None", fatal=False)
    return None


def responses_body(content_type: str, body: bytes) -> Deviation | None:
    """A non-streamed Responses API answer, as `client.responses.create(...).output_text` reads it
    (openai/types/responses/response.py: the property loops over `self.output`)."""
    name, access = "the OpenAI SDK", "resp.output_text"
    text = body.decode("utf-8", errors="replace")
    shown = excerpt(text) if text.strip() else "an empty body"
    if not content_type.endswith("json"):
        return Deviation(UNPARSEABLE, "Content-Type", f"is not JSON ({content_type or 'none'})", shown,
                         f"{name}'s responses.create() returns the body as a str, and {access} raises "
                         "AttributeError: 'str' object has no attribute 'output_text'", "raises")
    ok, data = _load(body)
    if not ok:
        return Deviation(UNPARSEABLE, "the body", "is not JSON", shown, f"{name} raises json.JSONDecodeError: "
                         "Expecting value: line 1 column 1 (char 0)", "raises")
    if not isinstance(data, dict):
        return Deviation(UNPARSEABLE, "the body", f"is a JSON {_py(data)}, not an object", _json_excerpt(data),
                         f"{access} raises AttributeError: '{_py(data)}' object has no attribute 'output_text'",
                         "raises")
    output = data.get("output")
    if not isinstance(output, list):
        problem = "is missing: the body is in the chat format, not the Responses format" if "choices" in data \
            else ("is missing: the body is an error object" if "error" in data else "is missing")
        return Deviation(UNPARSEABLE, "output", problem, _keys(data), f"{name} does not raise (HTTP 200), and "
                         f"{access} raises TypeError: 'NoneType' object is not iterable", "raises")
    texts = [c for item in output if isinstance(item, dict) and item.get("type") == "message"
             for c in (item.get("content") or []) if isinstance(c, dict) and c.get("type") == "output_text"]
    if not texts:
        return Deviation(UNPARSEABLE, "output", "has no output_text block", _json_excerpt(output),
                         f"{access} returns an empty string", "returns an empty string", fatal=False)
    return None


# --- streams -------------------------------------------------------------------------------------------


def stream(api: str, content_type: str, events: list[SseEvent], raw: bytes) -> Deviation | None:
    """A 2xx answer to `"stream": true`, from its SSE events (`raw`: the body, for a stream without any)."""
    sdk = SDKS.get("anthropic" if api == "anthropic" else "openai")
    if sdk is None:
        return None
    if not events:
        return _no_events(api, sdk, content_type, raw)
    for event in events:
        found = _event(api, sdk, event)
        if found:
            return found
    ended = _no_end(api, sdk, events)
    if ended:
        return ended
    if "event-stream" not in content_type:
        kind = content_type or "none"
        return Deviation(STREAM_BROKEN, "Content-Type", f"is {kind}, not text/event-stream", "",
                         f"{sdk.name} reads the events anyway; browsers' EventSource and strict SSE clients refuse "
                         "the stream", "reads it anyway", fatal=False)
    return None


def _no_events(api: str, sdk: Sdk, content_type: str, raw: bytes) -> Deviation:
    text = raw.decode("utf-8", errors="replace")
    if not text.strip():
        shown, problem = "an empty body", "is empty"
    elif text.lstrip()[:1] in "{[":
        shown, problem = excerpt(text), "is plain JSON without data: framing"
    else:
        shown, problem = excerpt(text), "has no data: lines"
    if api == "anthropic":
        effect = (f"{sdk.name}'s create(stream=True) yields no events, and messages.stream(...)"
                  ".get_final_message() raises AssertionError")
    else:
        effect = f"{sdk.name} yields no chunks: {sdk.loop} runs zero times and the answer is empty, without an error"
    field = "the event stream" if "event-stream" in content_type else f"the body ({content_type or 'no Content-Type'})"
    return Deviation(STREAM_BROKEN, field, problem, shown, effect, "yields nothing")


def _event(api: str, sdk: Sdk, event: SseEvent) -> Deviation | None:
    data = event.data.strip()
    if api != "anthropic" and data.startswith("[DONE]"):
        return None
    value = event.json()
    if value is None and data != "null":
        return Deviation(STREAM_BROKEN, "an event's data", "is not JSON", excerpt(data),
                         f"{sdk.name} raises json.JSONDecodeError in the middle of the loop", "raises")
    if not isinstance(value, dict) or "error" in value or value.get("type") == "error":
        return None  # errors inside the stream are read by the error table
    if api == "anthropic":
        if event.event == "message":  # no `event:` line
            return Deviation(STREAM_BROKEN, "event:", "lines are missing (events carry only data:)",
                             excerpt(data), f"{sdk.name} skips events without a name, so it yields nothing and "
                             "messages.stream(...).get_final_message() raises AssertionError", "yields nothing")
        return None
    choices = value.get("choices")
    if not isinstance(choices, list):
        return Deviation(STREAM_BROKEN, "a chunk's choices", "is missing", excerpt(data),
                         f"{sdk.name} yields the chunk with choices None, and chunk.choices[0] raises "
                         "TypeError: 'NoneType' object is not subscriptable", "raises")
    for choice in choices:
        delta = choice.get("delta") if isinstance(choice, dict) else None
        if not isinstance(delta, dict):
            field = "choices[0].message" if isinstance(choice, dict) and "message" in choice else "choices[0].delta"
            return Deviation(STREAM_BROKEN, "a chunk's choices[0].delta",
                             "is missing" + (" (the chunk carries a whole message instead)"
                                             if field.endswith("message") else ""), excerpt(data),
                             f"{sdk.name}'s chunk.choices[0].delta.content raises AttributeError: 'NoneType' object "
                             "has no attribute 'content'", "raises")
        content = delta.get("content")
        if content is not None and not isinstance(content, str):
            return Deviation(STREAM_BROKEN, "a chunk's delta.content", f"is a {_py(content)}, not a string",
                             excerpt(data), f"{sdk.name} yields that {_py(content)} where code joins strings "
                             "(''.join raises TypeError)", "returns the wrong type")
    return None


def _ended(events: list[SseEvent], key: str) -> bool:
    """Some event says why the answer ended (OpenAI: a choice's finish_reason; Anthropic: delta.stop_reason)."""
    for event in events:
        data = event.json()
        if not isinstance(data, dict):
            continue
        holders = data.get("choices") if key == "finish_reason" else [data.get("delta")]
        if not isinstance(holders, list):  # "choices": true from a broken relay is no list to look in
            continue
        if any(isinstance(h, dict) and h.get(key) for h in holders):
            return True
    return False


def _no_end(api: str, sdk: Sdk, events: list[SseEvent]) -> Deviation | None:
    last = excerpt(events[-1].data)
    if api == "anthropic":
        if any(e.event == "message_stop" for e in events):
            return None
        if _ended(events, "stop_reason"):
            return Deviation(STREAM_BROKEN, "message_stop", "never came (message_delta said why the answer ended)",
                             last, f"{sdk.name} ends the loop normally; clients that wait for message_stop hang "
                             "until their read timeout", "ends silently", fatal=False)
        return Deviation(STREAM_BROKEN, "message_stop", "never came and no message_delta has a stop_reason: the "
                         "stream ended early", last, f"{sdk.name} ends the loop without an error, with the answer "
                         "cut short and stop_reason None", "ends silently")
    if any(e.data.strip() == "[DONE]" for e in events):
        return None
    if _ended(events, "finish_reason"):
        return Deviation(STREAM_BROKEN, "data: [DONE]", "never came (a chunk's finish_reason said the answer ended)",
                         last, f"{sdk.name} ends the loop normally; clients that wait for [DONE] (hand-written SSE "
                         "readers, some frameworks) hang until their read timeout or call the stream incomplete",
                         "ends silently", fatal=False)
    return Deviation(STREAM_BROKEN, "data: [DONE]", "never came and no chunk has a finish_reason: the stream ended "
                     "early", last, f"{sdk.name} ends the loop without an error, with the answer cut short",
                     "ends silently")
