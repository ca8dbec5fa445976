"""A stop flag that also wakes a select() loop, so peers stop at once instead of on the next poll."""

from __future__ import annotations

import contextlib
import socket
import threading


class StopSignal:
    """`set()` marks the peer stopped and makes `fileno()` readable for every select() on it."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._reader, self._writer = socket.socketpair()

    def fileno(self) -> int:
        return self._reader.fileno()

    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout: float | None = None) -> bool:
        """Sleep up to `timeout`; True if stopped meanwhile (so the caller should give up)."""
        return self._event.wait(timeout)

    def set(self) -> None:
        self._event.set()
        with contextlib.suppress(OSError):
            self._writer.send(b"x")  # never drained: stays readable for every loop

    def close(self) -> None:
        self._reader.close()
        self._writer.close()
