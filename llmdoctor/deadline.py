"""One global deadline for the whole run; every network wait is capped by what is left of it."""

from __future__ import annotations

import time


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        return max(0.0, self._end - time.monotonic())

    def expired(self) -> bool:
        return self.remaining() <= 0.0

    def cap(self, wanted: float) -> float:
        """`wanted` seconds, or less when the run's deadline is nearer; never below a few ms."""
        return max(0.01, min(wanted, self.remaining()))
