"""The run's worker threads (llmdoctor/workers.py): jobs are handed over, threads are reused, a hung
job holds only its own worker, and nothing outlives the pool but what a hung job holds."""

from __future__ import annotations

import threading

from llmdoctor.workers import Workers

WAIT = 10.0  # generous: only a broken pool ever waits this long


def _alive(prefix: str) -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith(prefix)]


def test_a_worker_whose_job_ended_runs_the_next_job() -> None:
    pool = Workers("t-reuse")
    try:
        for _ in range(5):
            done = threading.Event()
            pool.submit(done.set)
            assert done.wait(WAIT)
            # The worker is back on the queue before the next job only once it has looped; wait for it.
            assert _wait_until(lambda: pool._idle == 1)
        assert pool.started == 1
    finally:
        pool.close()


def test_a_held_job_does_not_hold_the_others() -> None:
    pool = Workers("t-held")
    release = threading.Event()
    try:
        pool.submit(lambda: release.wait(WAIT))
        others = [threading.Event() for _ in range(3)]
        for event in others:
            pool.submit(event.set)
        assert all(event.wait(WAIT) for event in others)
        assert not release.is_set()
        assert pool.started >= 2  # the held job kept its worker; another ran the rest
    finally:
        release.set()
        pool.close()


def test_a_job_that_raises_leaves_its_worker_running() -> None:
    pool = Workers("t-raise")
    try:
        def boom() -> None:
            raise RuntimeError("a job's own exception")

        pool.submit(boom)
        done = threading.Event()
        pool.submit(done.set)
        assert done.wait(WAIT)
        assert len(_alive("t-raise-")) >= 2  # the spawner and at least one worker
    finally:
        pool.close()


def test_closing_ends_idle_workers_and_a_late_job_still_runs() -> None:
    pool = Workers("t-close")
    done = threading.Event()
    pool.submit(done.set)
    assert done.wait(WAIT)
    pool.close()
    assert _wait_until(lambda: not _alive("t-close-"))
    late = threading.Event()
    pool.submit(late.set)  # a target still running past the deadline hands over one more check
    assert late.wait(WAIT)


def test_a_busy_worker_ends_after_its_job_once_closed() -> None:
    pool = Workers("t-busy")
    release, running = threading.Event(), threading.Event()
    pool.submit(lambda: (running.set(), release.wait(WAIT)))
    assert running.wait(WAIT)
    pool.close()
    assert _wait_until(lambda: [t.name for t in _alive("t-busy-")] == ["t-busy-1"])  # only the busy one is left
    release.set()
    assert _wait_until(lambda: not _alive("t-busy-"))


def _wait_until(condition: object, timeout: float = WAIT) -> bool:
    done = threading.Event()
    for _ in range(int(timeout / 0.01)):
        if condition():  # type: ignore[operator]
            return True
        done.wait(0.01)
    return bool(condition())  # type: ignore[operator]
