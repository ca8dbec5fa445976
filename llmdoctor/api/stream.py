"""Judges a streamed answer from its events' arrival times: time to first token, stalls, buffering.

A proxy or relay that buffers the stream delivers every event in one burst, late, often with a
`content-length` a real stream cannot know in advance; a stall is a long silence after the first
token (before it, silence is the model thinking).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from llmdoctor.api.sse import SseEvent, SseReader, error_payload, is_content, items

STALL_MS = 2000.0  # silence after the first token that no healthy stream shows for a tiny answer
BURST_MS = 30.0  # events this close together arrived in one read
BUFFERED_WAIT_MS = 800.0  # …and that late: long enough that a real stream would have sent its start


@dataclass
class StreamReport:
    events: list[SseEvent] = field(default_factory=list)
    first_byte_ms: float | None = None
    first_event_ms: float | None = None
    first_token_ms: float | None = None
    last_event_ms: float | None = None
    max_gap_ms: float = 0.0  # the longest silence after the first token
    error: str | None = None
    buffered: str | None = None  # why the stream looks buffered
    done: bool = False

    def facts(self) -> dict[str, object]:
        return {"events": len(self.events), "first_event_ms": self.first_event_ms,
                "first_token_ms": self.first_token_ms, "last_event_ms": self.last_event_ms,
                "max_gap_ms": round(self.max_gap_ms, 1), "stream_complete": self.done,
                "buffered": self.buffered is not None}


def _is_end(event: SseEvent) -> bool:
    if event.data.strip() == "[DONE]" or event.event == "message_stop":
        return True
    data = event.json()
    return any(c.get("finish_reason") for c in items(data, "choices")) \
        or any(c.get("finishReason") for c in items(data, "candidates"))


def analyse(chunks: list[tuple[float, bytes]], api: str, headers: Mapping[str, str] | None = None) -> StreamReport:
    """`chunks` are (ms since the request, bytes) as they arrived."""
    reader = SseReader()
    for at, chunk in chunks:
        reader.feed(chunk, at)
    if chunks:
        reader.close(chunks[-1][0])
    report = StreamReport(events=reader.events, first_byte_ms=chunks[0][0] if chunks else None)
    if not reader.events:
        return report
    report.first_event_ms = round(reader.events[0].at_ms, 1)
    report.last_event_ms = round(reader.events[-1].at_ms, 1)
    previous: float | None = None
    for event in reader.events:
        if report.error is None:
            report.error = error_payload(event)
        report.done = report.done or _is_end(event)
        if report.first_token_ms is None and is_content(event, api):
            report.first_token_ms = round(event.at_ms, 1)
        if report.first_token_ms is not None and previous is not None:
            report.max_gap_ms = max(report.max_gap_ms, event.at_ms - previous)
        if report.first_token_ms is not None:
            previous = event.at_ms
    spread = report.last_event_ms - report.first_event_ms
    if headers and "content-length" in headers and len(reader.events) > 1:
        report.buffered = "the event stream came with a content-length, so it was assembled before it was sent"
    elif len(reader.events) >= 3 and spread < BURST_MS and report.first_event_ms >= BUFFERED_WAIT_MS:
        report.buffered = (f"all {len(reader.events)} events arrived within {spread:.0f} ms, "
                           f"{report.first_event_ms:.0f} ms after the request")
    return report
