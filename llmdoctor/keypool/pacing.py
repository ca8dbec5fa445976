"""Polite pacing per host: at most N requests in flight, and one shared backoff when the host says 429.

Each host gets `limit` workers, so more than `limit` requests in flight cannot happen by
construction. A 429 (or a Retry-After) pauses every worker of that host until the wait is over
and halves how many may send; successes win the width back one step per `width` successes
(additive increase, multiplicative decrease, as TCP does), so the audit slows down instead of
hammering a host that asked it to stop.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

BASE_PAUSE = 1.0  # a 429 without Retry-After: 1 s, then 2, 4, ...
MAX_PAUSE = 30.0  # one pause never exceeds this (the global deadline caps it too)
_TICK = 0.05  # a worker above the current width looks again this often


class HostGate:
    """The shared state of every worker of one host."""

    def __init__(self, limit: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_width = limit
        self.width = limit
        self.clock = clock
        self.resume_at = 0.0
        self.in_flight = 0
        self.peak_in_flight = 0
        self.requests = 0
        self.successes = 0
        self.backoffs = 0
        self.paused_s = 0.0
        self._streak = 0
        self._credit = 0

    async def turn(self, worker: int, remaining: Callable[[], float],
                   idle: Callable[[], bool] = lambda: False) -> bool:
        """Waits until worker number `worker` may send; False when the deadline comes first or, while it
        waits, `idle()` says there is nothing left to send."""
        while True:
            if idle():
                return False
            now = self.clock()
            wait = self.resume_at - now
            if wait > 0:
                if wait >= remaining():
                    return False
                await asyncio.sleep(wait)
                continue
            if worker < self.width:
                return True
            if remaining() <= _TICK:
                return False
            await asyncio.sleep(_TICK)

    def started(self) -> None:
        self.in_flight += 1
        self.requests += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)

    def finished(self) -> None:
        self.in_flight -= 1

    def succeeded(self) -> None:
        """An answer that was not a throttle: widen again, one step per `width` of them."""
        self.successes += 1
        self._streak = 0
        self._credit += 1
        if self.width < self.max_width and self._credit >= self.width:
            self.width += 1
            self._credit = 0

    def narrowed(self) -> None:
        """Halve the width without pausing: a 429 that is about one key's own long quota window."""
        self._credit = 0
        self.width = max(1, self.width // 2)

    def throttled(self, retry_after: float | None) -> float:
        """The host said slow down: pause everyone and halve the width. Returns the pause in seconds."""
        pause = retry_after if retry_after is not None else BASE_PAUSE * 2 ** min(self._streak, 5)
        pause = min(max(pause, 0.0), MAX_PAUSE)
        self._streak += 1
        self.backoffs += 1
        self._credit = 0
        self.width = max(1, self.width // 2)
        until = self.clock() + pause
        if until > self.resume_at:
            self.paused_s += until - max(self.resume_at, self.clock())
            self.resume_at = until
        return pause
