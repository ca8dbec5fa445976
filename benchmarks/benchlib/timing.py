"""Runs a child process with a hard cap and measures its wall time and peak RSS.

The child is reaped with os.wait4 in a helper thread, so the wall time stops the moment the
child exits and the rusage is that child's own (RUSAGE_CHILDREN would be the max of all).
Each child gets its own session: a kill at the cap takes its grandchildren too.
"""

from __future__ import annotations

import contextlib
import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Run:
    """One child run: wall seconds, exit code (None when killed at the cap), peak RSS in MB."""

    wall_s: float
    returncode: int | None
    maxrss_mb: float
    stdout: str
    stderr: str

    @property
    def killed(self) -> bool:
        return self.returncode is None


def run_timed(argv: Sequence[str], env: Mapping[str, str], cwd: Path, cap: float) -> Run:
    """Runs `argv` to completion or kills it (and its session) after `cap` seconds."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        box: dict[str, Any] = {}
        started = time.perf_counter()
        proc = subprocess.Popen(list(argv), env=dict(env), cwd=cwd, stdout=out, stderr=err,
                                stdin=subprocess.DEVNULL, start_new_session=True)

        def reap() -> None:
            _pid, status, usage = os.wait4(proc.pid, 0)
            box["ended"] = time.perf_counter()
            box["status"], box["usage"] = status, usage

        reaper = threading.Thread(target=reap, daemon=True)
        reaper.start()
        reaper.join(cap)
        killed = reaper.is_alive()
        if killed:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            reaper.join(10)
        proc.returncode = os.waitstatus_to_exitcode(box["status"]) if "status" in box else -9
        wall = (box.get("ended", time.perf_counter()) - started)
        usage = box.get("usage")
        out.seek(0)
        err.seek(0)
        return Run(
            wall_s=cap if killed else wall,
            returncode=None if killed else proc.returncode,
            maxrss_mb=round(usage.ru_maxrss / 1024, 1) if usage is not None else 0.0,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )


@dataclass
class Stats:
    """Repeated measurements of one thing, in seconds."""

    samples: list[float] = field(default_factory=list)
    capped: bool = False  # at least one run was killed at the cap

    def add(self, seconds: float) -> None:
        self.samples.append(seconds)

    @property
    def median(self) -> float:
        return statistics.median(self.samples) if self.samples else float("nan")

    @property
    def min(self) -> float:
        return min(self.samples) if self.samples else float("nan")

    def to_dict(self) -> dict[str, Any]:
        return {
            "n": len(self.samples),
            "median_s": round(self.median, 4),
            "min_s": round(self.min, 4),
            "max_s": round(max(self.samples), 4) if self.samples else None,
            "samples_s": [round(s, 4) for s in self.samples],
            "capped": self.capped,
        }


def repeat(fn: Any, runs: int, budget: float, *, at_least: int = 1) -> list[Any]:
    """Calls `fn()` up to `runs` times; stops early when the next call would overrun `budget` seconds."""
    results = []
    started = time.monotonic()
    for i in range(runs):
        spent = time.monotonic() - started
        if i >= at_least and spent + spent / i > budget:
            break
        results.append(fn())
    return results
