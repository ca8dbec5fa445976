"""Work that no request needs, held back until the network path is waiting on the wire.

A healthy run is a few round trips of waiting (the tunnel, the TLS handshake, the first request)
and a few hundred milliseconds of Python work (imports, the machine's proxy settings and SDK
stacks, the report's machine facts, the terminal renderer). Socket and SSL waits release the GIL;
Python work holds it, and every return from a wait must win the GIL back (up to a switch interval
when another thread is busy). Run side by side from the start, the Python work stretched the
chain's own short steps (the CONNECT, the DNS answer) by tens of milliseconds; started once the
chain waits for a handshake or an answer, it fills that wait instead (issue 18).

The runner opens the gate when a target's first tls- or api-phase check starts (or when the run
ends, so nothing submitted is ever lost); jobs run in one thread, in the order given.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

T = TypeVar("T")


class Beside:
    """`submit(fn)` returns a Future; fn runs in the worker once `open()` was called."""

    def __init__(self) -> None:
        self._gate = threading.Event()
        self._lock = threading.Lock()
        self._jobs: list[tuple[Callable[[], object], Future[object]]] = []
        self._urgent = 0  # how many of the first jobs run without waiting for the gate
        self._wake = threading.Condition(self._lock)
        self._listeners: list[Callable[[], None]] = []
        self._worker: threading.Thread | None = None
        self._closed = False

    @property
    def is_open(self) -> bool:
        return self._gate.is_set()

    def submit(self, job: Callable[[], T], *, first: bool = False) -> Future[T]:
        """Queues `job`. With `first` it goes to the front and runs without waiting for the gate: the path
        needs it soon (the modules the first request imports), not only after its long waits."""
        future: Future[T] = Future()
        with self._lock:
            if first:
                self._jobs.insert(0, (job, future))  # type: ignore[arg-type]
                self._urgent += 1
            else:
                self._jobs.append((job, future))  # type: ignore[arg-type]
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, name="llmdoctor-beside", daemon=True)
                self._worker.start()
            self._wake.notify()
        return future

    def on_open(self, listener: Callable[[], None]) -> None:
        """Calls `listener` when the gate opens (at once if it is open already)."""
        with self._lock:
            if not self._gate.is_set():
                self._listeners.append(listener)
                return
        listener()

    def open(self) -> None:
        """Lets the held work start; safe to call again and from any thread."""
        with self._lock:
            if self._gate.is_set():
                return
            self._gate.set()
            listeners, self._listeners = self._listeners, []
            self._wake.notify()
        for listener in listeners:
            listener()

    def close(self) -> None:
        """Runs what is queued (opening the gate), then lets the worker thread end: a process that runs
        many diagnoses (tests, an embedding program) keeps no idle thread per run."""
        with self._lock:
            self._closed = True
            self._wake.notify()
        self.open()

    def _work(self) -> None:
        while True:
            with self._lock:
                while not self._jobs or not (self._urgent or self._gate.is_set()):
                    if self._closed and not self._jobs:
                        self._worker = None
                        return
                    self._wake.wait()
                job, future = self._jobs.pop(0)
                self._urgent = max(0, self._urgent - 1)
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(job())
            except BaseException as exc:  # the caller sees the job's own failure
                future.set_exception(exc)
