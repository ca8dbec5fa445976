"""Machine-wide facts measured once per run and shared by every target's checks.

The OS proxy settings, the listeners on 127.0.0.1 and the installed SDKs are the same for every
target: with eight targets, the proxy-env check ran `gsettings` and probed fifteen ports eight
times, at the same moment, on a run that is CPU-bound. The first check to ask computes; the
others wait for its answer (or its exception), so the order of targets changes nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import TypeVar

T = TypeVar("T")


class RunMemo:
    """`once(key, compute)`: compute's result for this run, computed by the first caller only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._futures: dict[Hashable, Future[object]] = {}

    def once(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            future = self._futures.get(key)
            owner = future is None
            if future is None:
                future = self._futures[key] = Future()
        if owner:
            try:
                future.set_result(compute())
            except BaseException as exc:  # the waiters see the same failure the owner saw
                future.set_exception(exc)
        return future.result()  # type: ignore[return-value]
