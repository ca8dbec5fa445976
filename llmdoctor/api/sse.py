"""Reads a server-sent-events stream as it arrives, keeping each event's arrival time.

The completion probe feeds chunks in from the fetch callback, so the events that arrived before a
stall or a timeout are kept. Format: the WHATWG event-stream rules (blank line ends an event,
`:` starts a comment, CR, LF or CRLF end a line).
"""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass, field
from typing import Any


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


@dataclass(frozen=True)
class SseEvent:
    event: str
    data: str
    at_ms: float

    def json(self) -> Any:
        try:
            return json.loads(self.data)
        except (ValueError, RecursionError):  # RecursionError: data nested thousands deep
            return None


@dataclass
class SseReader:
    events: list[SseEvent] = field(default_factory=list)
    comments: int = 0
    _decoder: codecs.IncrementalDecoder = field(
        default_factory=lambda: codecs.getincrementaldecoder("utf-8")("replace"))
    _line: str = ""
    _event: str = ""
    _data: list[str] = field(default_factory=list)

    def feed(self, chunk: bytes, at_ms: float) -> None:
        text = self._line + self._decoder.decode(chunk)
        # A chunk may end between the CR and the LF of one CRLF: keep the CR until the next chunk.
        held = "\r" if text.endswith("\r") else ""
        lines = _lines(text[: len(text) - len(held)])
        self._line = lines.pop() + held  # incomplete
        for line in lines:
            self._take(line, at_ms)

    def _take(self, line: str, at_ms: float) -> None:
        if not line:
            if self._data:
                self.events.append(SseEvent(self._event or "message", "\n".join(self._data), at_ms))
            self._event, self._data = "", []
            return
        if line.startswith(":"):
            self.comments += 1  # keep-alives such as OpenRouter's ": OPENROUTER PROCESSING"
            return
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value

    def close(self, at_ms: float) -> None:
        """A last event without its blank line still counts."""
        for line in _lines(self._line + self._decoder.decode(b"", final=True)):
            self._take(line, at_ms)
        self._line = ""
        self._take("", at_ms)


def items(data: Any, key: str) -> list[dict[str, Any]]:
    """The objects in `data[key]` when it is a list; a server may send anything there."""
    value = data.get(key) if isinstance(data, dict) else None
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def is_content(event: SseEvent, api: str) -> bool:
    """The event carries generated text (or reasoning): the first one marks time to first token."""
    data = event.json()
    if not isinstance(data, dict):
        return False
    if api == "anthropic":
        return data.get("type") == "content_block_delta"
    if api == "gemini":
        return any(part.get("text") for c in items(data, "candidates")
                   for part in items(c.get("content"), "parts"))
    for choice in items(data, "choices"):
        delta = choice.get("delta") if isinstance(choice, dict) else None
        if isinstance(delta, dict) and any(delta.get(k) for k in ("content", "reasoning_content", "reasoning")):
            return True
    return False


def error_payload(event: SseEvent) -> str | None:
    """The JSON text of an error sent inside the stream (Anthropic `event: error`, relays' `{"error": …}`)."""
    data = event.json()
    if event.event == "error" or (isinstance(data, dict) and ("error" in data or data.get("type") == "error")):
        return event.data
    return None
