"""Reads rate-limit headers into headroom: how many requests and tokens are left, and when they reset.

Shapes: OpenAI, Groq, DeepSeek-style `x-ratelimit-{limit,remaining,reset}-{requests,tokens}` with Go
durations ("6m0s", "20ms"); Anthropic `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-
{limit,remaining,reset}` with RFC 3339 times; OpenRouter-style bare `x-ratelimit-{limit,remaining,reset}`
(reset in epoch ms); `retry-after` in seconds or as an HTTP date, `retry-after-ms`.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|h|m|s)")
_KINDS = ("requests", "tokens", "input-tokens", "output-tokens")


@dataclass(frozen=True)
class Headroom:
    kind: str  # requests | tokens | input-tokens | output-tokens
    limit: int | None
    remaining: int | None
    reset_s: float | None

    @property
    def low(self) -> bool:
        """Nothing left, or under 5 % of the limit."""
        if self.remaining is None:
            return False
        return self.remaining <= 0 or (bool(self.limit) and self.remaining / self.limit < 0.05)  # type: ignore[operator]

    def text(self) -> str:
        noun = self.kind.replace("-", " ")
        if self.limit is not None and self.remaining is not None:
            head = f"{self.remaining} of {self.limit} {noun} left"
        elif self.remaining is not None:
            head = f"{self.remaining} {noun} left"
        else:
            head = f"limit {self.limit} {noun}"
        return head + (f", resets in {format_seconds(self.reset_s)}" if self.reset_s is not None else "")

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "limit": self.limit, "remaining": self.remaining,
                "reset_s": None if self.reset_s is None else round(self.reset_s, 3)}


def format_seconds(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 10:
        return f"{seconds:.1f}".rstrip("0").rstrip(".") + " s"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(float(value.strip()))
    except (ValueError, OverflowError):  # "nan", "inf", "1e400"
        return None


def _parse_time(value: str, at: dt.datetime) -> float | None:
    """Seconds from `at`; None for what is not a time, or not a finite one (a report is strict JSON)."""
    seconds = _seconds(value, at)
    return seconds if seconds is not None and math.isfinite(seconds) else None


def _seconds(value: str, at: dt.datetime) -> float | None:
    text = value.strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        number = None
    if number is not None:
        if number > 1e12:  # epoch milliseconds (OpenRouter)
            return max(0.0, number / 1000 - at.timestamp())
        if number > 1e9:  # epoch seconds
            return max(0.0, number - at.timestamp())
        return max(0.0, number)
    parts = _DURATION.findall(text)
    if parts and "".join(n + u for n, u in parts) == text.replace(" ", ""):
        scale = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
        return sum(float(n) * scale[u] for n, u in parts)
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return max(0.0, (when - at).total_seconds())


def parse_at(at: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime.now(dt.timezone.utc)


def headroom(headers: Mapping[str, str], at: str) -> list[Headroom]:
    """Every limit the headers describe, requests first."""
    when = parse_at(at)
    h = {k.lower(): v for k, v in headers.items()}
    found: list[Headroom] = []
    for kind in _KINDS:
        for limit_name, remaining_name, reset_name in (
                (f"anthropic-ratelimit-{kind}-limit", f"anthropic-ratelimit-{kind}-remaining",
                 f"anthropic-ratelimit-{kind}-reset"),
                (f"x-ratelimit-limit-{kind}", f"x-ratelimit-remaining-{kind}", f"x-ratelimit-reset-{kind}")):
            if limit_name in h or remaining_name in h:
                reset = _parse_time(h[reset_name], when) if reset_name in h else None
                found.append(Headroom(kind, _int(h.get(limit_name)), _int(h.get(remaining_name)), reset))
    if not found and ("x-ratelimit-limit" in h or "x-ratelimit-remaining" in h):
        reset = _parse_time(h["x-ratelimit-reset"], when) if "x-ratelimit-reset" in h else None
        found.append(Headroom("requests", _int(h.get("x-ratelimit-limit")), _int(h.get("x-ratelimit-remaining")),
                              reset))
    return found


def retry_after(headers: Mapping[str, str], at: str) -> float | None:
    """Seconds the server asks to wait (`retry-after-ms`, `retry-after` as seconds or an HTTP date)."""
    h = {k.lower(): v for k, v in headers.items()}
    if "retry-after-ms" in h:
        ms = _int(h["retry-after-ms"])
        if ms is not None:
            return max(0.0, ms / 1000)
    if "retry-after" in h:
        return _parse_time(h["retry-after"], parse_at(at))
    return None
