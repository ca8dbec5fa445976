"""The run's worker threads: handing a job over never waits for a thread to start.

`threading.Thread.start()` returns only once the new thread has got the GIL and begun. With eight
targets and ~100 threads wanting the GIL, that wait was 7-11 ms per check start on average (up to
50 ms), paid by the target's loop for every check it started, one after another, on each check's
path. Here a job goes into a queue: a worker that is idle takes it at once (the thread of the dns
check, ended, runs the tcp check), and when none is idle a spawner thread starts one more, so the
wait for a new thread is the spawner's, not the caller's.

A job that hangs keeps its worker; the others go on, and more are started as jobs need them. The
pool belongs to one run: `close()` lets idle workers end, a busy one ends after its job, so nothing
outlives the run but what a hung job holds (as an abandoned thread did before).
"""

from __future__ import annotations

import contextlib
import functools
import queue
import threading
from collections.abc import Callable

Job = Callable[[], None]


class Workers:
    """Daemon worker threads for one run's checks."""

    def __init__(self, name: str = "llmdoctor-worker") -> None:
        self._name = name
        self._jobs: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._waiting = 0  # jobs handed over and not yet taken
        self._idle = 0  # workers blocked on the queue
        self._starting = 0  # workers asked of the spawner that have not reached the queue yet
        self._started = 0
        self._closed = False
        self._spawns: queue.SimpleQueue[bool] = queue.SimpleQueue()
        # Started now, once: the run's first start wait, paid before its first check.
        threading.Thread(target=self._spawn_loop, name=f"{name}-spawner", daemon=True).start()

    @property
    def started(self) -> int:
        """How many worker threads this pool started (for tests: reuse is visible here)."""
        return self._started

    def submit(self, job: Job) -> None:
        """Runs `job` on a worker; returns at once. A job's exception is its own to catch.

        After `close()` (a target still running past the run's deadline) the job gets a thread of its own."""
        with self._lock:
            closed = self._closed
            if not closed:
                self._waiting += 1
            more = not closed and self._waiting > self._idle + self._starting
            if more:
                self._starting += 1
        if closed:
            run_on(None, functools.partial(_quietly, job), f"{self._name}-late")
            return
        self._jobs.put(job)
        if more:
            self._spawns.put(True)

    def close(self) -> None:
        """No more jobs: idle workers end now, busy ones after their job."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            workers = self._started + self._starting
        self._spawns.put(False)
        for _ in range(workers):
            self._jobs.put(None)

    def _spawn_loop(self) -> None:
        while self._spawns.get():
            with self._lock:
                self._started += 1
                number = self._started
            threading.Thread(target=self._work, name=f"{self._name}-{number}", daemon=True).start()

    def _work(self) -> None:
        with self._lock:
            self._starting -= 1
        while True:
            with self._lock:
                self._idle += 1
            job = self._jobs.get()
            with self._lock:
                self._idle -= 1
                if job is not None:
                    self._waiting -= 1
            if job is None:
                return
            _quietly(job)


def run_on(workers: Workers | None, job: Job, name: str) -> None:
    """`job` on the run's workers, or, for a caller outside a run, on a daemon thread of its own named `name`."""
    if workers is not None:
        workers.submit(job)
    else:
        threading.Thread(target=job, name=name, daemon=True).start()


def _quietly(job: Job) -> None:
    with contextlib.suppress(BaseException):  # a job catches its own; nothing may end the worker
        job()
