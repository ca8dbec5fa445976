"""What the official `openai` SDK, with its defaults, does in the same broken world.

The SDK is not a dependency of llmdoctor: it runs in its own interpreter (`--sdk-python`, or a
venv the benchmark makes under benchmarks/.venv-sdk). Each probe is a child process that imports
the SDK, says "ready", calls `client.models.list()` and reports how long the call took to raise;
one that hangs is killed at the cap and reported as "≥ cap".
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SDK_VENV = HERE.parent / ".venv-sdk"
IMPORT_CAP_S = 60.0  # importing the SDK, before the clock starts

PROBE = r"""
import json, time
t0 = time.perf_counter()
import openai
print(json.dumps({"event": "ready", "import_s": time.perf_counter() - t0, "version": openai.__version__}), flush=True)
client = openai.OpenAI()  # OPENAI_API_KEY, OPENAI_BASE_URL, proxy and CA variables, as a user would
start = time.perf_counter()
try:
    client.models.list()
    outcome = "ok"
except Exception as exc:  # what the user's code would see
    outcome = f"{type(exc).__name__}: {exc}"
print(json.dumps({"event": "done", "elapsed_s": time.perf_counter() - start, "outcome": outcome[:200]}), flush=True)
"""


def find_python(given: str | None, *, create: bool) -> tuple[str | None, str]:
    """(interpreter with `openai`, why not): `--sdk-python`, else benchmarks/.venv-sdk (made on demand)."""
    if given:
        return (given, "") if _has_openai(given) else (None, f"{given} cannot import openai")
    python = SDK_VENV / "bin" / "python"
    if not python.exists() and create:
        try:
            subprocess.run([sys.executable, "-m", "venv", str(SDK_VENV)], check=True, timeout=120,
                           capture_output=True)
            subprocess.run([str(python), "-m", "pip", "install", "-q", "openai"], check=True, timeout=300,
                           capture_output=True)
        except (OSError, subprocess.SubprocessError) as exc:
            return None, f"could not create {SDK_VENV} with openai: {exc}"
    if python.exists() and _has_openai(str(python)):
        return str(python), ""
    return None, "no SDK interpreter (pass --sdk-python PATH)"


def _has_openai(python: str) -> bool:
    try:
        done = subprocess.run([python, "-c", "import openai"], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


@dataclass
class SdkResult:
    """How long `client.models.list()` took to raise, or the cap when it never did."""

    elapsed_s: float | None
    hung: bool
    outcome: str
    version: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"elapsed_s": None if self.elapsed_s is None else round(self.elapsed_s, 3), "hung": self.hung,
                "outcome": self.outcome, "version": self.version}


class SdkProbe:
    """One SDK call in a child process, started now and collected with `result()`."""

    def __init__(self, python: str, env: Mapping[str, str], cwd: Path, cap: float,
                 prefix: Sequence[str] = ()) -> None:
        self.cap = cap
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._proc = subprocess.Popen([*prefix, python, "-c", PROBE], env=dict(env), cwd=cwd, text=True,
                                      stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                      stdin=subprocess.DEVNULL, start_new_session=True)
        threading.Thread(target=self._pump, daemon=True).start()
        self._ready: dict[str, Any] | None = None
        self._ready_at: float | None = None

    def _pump(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            self._lines.put(line)
        self._lines.put(None)

    def _next(self, timeout: float) -> dict[str, Any] | None:
        try:
            line = self._lines.get(timeout=max(0.0, timeout))
        except queue.Empty:
            return None
        if line is None:
            return {"event": "exit"}
        try:
            parsed: dict[str, Any] = json.loads(line)
        except ValueError:
            return {"event": "noise"}
        return parsed

    def wait_ready(self) -> bool:
        """Blocks until the SDK is imported (the cap starts then); False if it never was."""
        deadline = time.monotonic() + IMPORT_CAP_S
        while self._ready is None and time.monotonic() < deadline:
            event = self._next(deadline - time.monotonic())
            if event is None or event.get("event") == "exit":
                break
            if event.get("event") == "ready":
                self._ready, self._ready_at = event, time.monotonic()
        return self._ready is not None

    def result(self) -> SdkResult:
        if not self.wait_ready() or self._ready_at is None:
            self._kill()
            return SdkResult(None, False, "the SDK did not start")
        version = str(self._ready.get("version", "")) if self._ready else ""
        deadline = self._ready_at + self.cap
        while True:
            event = self._next(deadline - time.monotonic())
            if event is None:
                self._kill()
                return SdkResult(None, True, f"no answer and no error within {self.cap:.0f} s", version)
            if event.get("event") == "done":
                self._kill()
                return SdkResult(float(event["elapsed_s"]), False, str(event.get("outcome", "")), version)
            if event.get("event") == "exit":
                return SdkResult(None, False, "the probe exited without a result", version)

    def _kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._proc.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._proc.wait(10)
