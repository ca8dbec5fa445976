"""The shape reader takes whatever a server sends: it returns a deviation or None, never raises."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from llmdoctor.api.shape import plain, responses_body, stream
from llmdoctor.api.sse import SseReader

_json = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
                     lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                         st.sampled_from(["choices", "message", "content", "delta", "error", "type", "output",
                                          "usage", "finish_reason", "stop_reason", "text", "id"]), inner,
                         max_size=5), max_leaves=20)
_types = st.sampled_from(["application/json", "text/html", "", "text/event-stream", "application/vnd.x+json"])


@settings(max_examples=200, deadline=None)
@given(value=_json, content_type=_types, api=st.sampled_from(["openai", "anthropic", "azure", "gemini"]))
def test_plain_answers_never_raise(value: object, content_type: str, api: str) -> None:
    body = json.dumps(value).encode()
    for reader in (lambda: plain(api, content_type, body), lambda: responses_body(content_type, body)):
        found = reader()
        assert found is None or (found.field and found.sdk)


@settings(max_examples=200, deadline=None)
@given(values=st.lists(_json | st.text(max_size=30), max_size=6), raw=st.binary(max_size=200),
       api=st.sampled_from(["openai", "anthropic"]), content_type=_types)
def test_streams_never_raise(values: list[object], raw: bytes, api: str, content_type: str) -> None:
    reader = SseReader()
    text = "".join(f"data: {v if isinstance(v, str) else json.dumps(v)}\n\n" for v in values)
    reader.feed(text.encode() + raw, 1.0)
    reader.close(2.0)
    found = stream(api, content_type, reader.events, text.encode() + raw)
    assert found is None or (found.field and found.sdk)
