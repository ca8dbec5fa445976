"""Runs a blocking call with a wall-clock cap, for waits that no socket timeout covers.

httpcore has no timeout on the SOCKS5 handshake, and a server dripping one byte a second never
trips a read timeout. A daemon worker thread joined with a timeout bounds both; an abandoned worker
dies with the process.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from llmdoctor.workers import run_on

if TYPE_CHECKING:
    from llmdoctor.workers import Workers

T = TypeVar("T")


class WallClockTimeout(TimeoutError):
    """The call did not finish within its wall-clock cap."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"no result within {seconds:.1f} s")
        self.seconds = seconds


def call_with_cap(fn: Callable[[], T], seconds: float, name: str = "llmdoctor-bounded",
                  workers: Workers | None = None) -> T:
    """Returns `fn()`, re-raises its exception, or raises WallClockTimeout after `seconds`."""
    return start_with_cap(fn, seconds, name, workers)()


def start_with_cap(fn: Callable[[], T], seconds: float, name: str = "llmdoctor-bounded",
                   workers: Workers | None = None) -> Callable[[], T]:
    """Starts `fn()` now; the returned function waits for it as `call_with_cap` does (at most
    `seconds` from when it is called), so the caller can do other work meanwhile. With the run's
    `workers` (llmdoctor/workers.py) it runs on one of them: no wait for a thread to start."""
    box: dict[str, object] = {}
    done = threading.Event()

    def worker() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc
        finally:
            done.set()

    run_on(workers, worker, name)

    def result() -> T:
        if not done.wait(seconds):
            raise WallClockTimeout(seconds)
        if "error" in box:
            raise box["error"]  # type: ignore[misc]
        return box["value"]  # type: ignore[return-value]

    return result
