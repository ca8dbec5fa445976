"""Runs one diagnosis of one configured target with the engine, in this process, under a deadline.

Everything that does not change between probes is done once: discovering the checks, reading
the targets, collecting the machine's facts for the report. Machine-wide observations the checks
share through `RunMemo` (the OS proxy settings, listeners on 127.0.0.1, installed SDKs) are kept
for `memo_ttl` seconds instead of one run, so a scrape every 15 s does not rescan the machine.
Concurrency is bounded by a semaphore: a probe that cannot start within half its deadline is
refused (503), so a flood of slow probes queues nothing without limit.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry

from llmdoctor import app, environment, plugins
from llmdoctor.config import Settings
from llmdoctor.render.prometheus_view import bounded, registry_for, target_healthy
from llmdoctor.runmemo import RunMemo
from llmdoctor.serve.targets import ProbeTarget, TargetTable

DEFAULT_CONCURRENCY = 8
MEMO_TTL = 60.0
# Kept back from the probe's deadline for the runner's grace (runner.DEADLINE_GRACE), the diagnosis,
# the exposition and the answer.
_RESERVE_S, _RESERVE_SHARE = 0.4, 0.2


class Busy(RuntimeError):
    """Every probe slot stayed taken for half of this probe's deadline."""


@dataclass(frozen=True)
class ProbeOutcome:
    registry: CollectorRegistry
    success: bool
    duration_s: float
    crashed: bool = False
    causes: tuple[str, ...] = ()  # cause ids, bounded like the labels
    at: float = 0.0  # wall-clock time.time() when it finished, for the index page


class Prober:
    def __init__(self, table: TargetTable, settings: Settings, registry: plugins.Registry | None = None,
                 concurrency: int = DEFAULT_CONCURRENCY, memo_ttl: float = MEMO_TTL) -> None:
        self.settings = settings
        self._registry = registry or plugins.discover()
        self._checks = app.select_checks(self._registry, app.Selection())
        self._slots = threading.BoundedSemaphore(concurrency)
        self._running = 0
        self._idle = threading.Condition()
        self._memo_ttl = memo_ttl
        self._lock = threading.Lock()
        self._memo, self._memo_born = RunMemo(), time.monotonic()
        self.table = table
        self._machine: Mapping[str, Any] = environment.collect(table.env)
        self._last: dict[str, ProbeOutcome] = {}  # one per configured name: bounded by the table

    def wait_idle(self, seconds: float) -> bool:
        """Waits (at most `seconds`) until no probe runs: a stopping server lets them finish rather than
        exit under threads that are inside OpenSSL (that can crash the interpreter at exit)."""
        with self._idle:
            return self._idle.wait_for(lambda: self._running == 0, timeout=seconds)

    def last(self, name: str) -> ProbeOutcome | None:
        """The latest probe of `name`, for the index page."""
        with self._lock:
            return self._last.get(name)

    @property
    def plugin_problems(self) -> list[plugins.PluginProblem]:
        return list(self._registry.problems)

    def replace_table(self, table: TargetTable) -> None:
        """A reload: probes that started keep the table they began with."""
        with self._lock:
            self.table = table
            self._memo, self._memo_born = RunMemo(), time.monotonic()
            self._last = {k: v for k, v in self._last.items() if k in table.targets}

    def _current_memo(self) -> RunMemo:
        with self._lock:
            if time.monotonic() - self._memo_born > self._memo_ttl:
                self._memo, self._memo_born = RunMemo(), time.monotonic()
            return self._memo

    def settings_for(self, target: ProbeTarget, seconds: float) -> Settings:
        """The server's settings with this probe's deadline and the target's own proxy choice."""
        deadline = max(0.05, seconds - max(min(_RESERVE_S, seconds * _RESERVE_SHARE), 0.0))
        proxy, no_proxy = self.settings.proxy, self.settings.no_proxy
        if target.proxy or target.no_proxy:
            proxy, no_proxy = target.proxy, target.no_proxy
        return dataclasses.replace(self.settings, deadline=deadline, timeout=min(self.settings.timeout, deadline),
                                   proxy=proxy, no_proxy=no_proxy)

    def probe(self, name: str, timeout_s: float, started: float | None = None,
              table: TargetTable | None = None) -> ProbeOutcome:
        """Diagnoses `name` within `timeout_s` seconds of `started` (monotonic; default: now), from
        `table` (the one the request was checked against: a reload may swap the prober's meanwhile)."""
        started = time.monotonic() if started is None else started
        table = table or self.table
        target = table.targets[name]
        waited = max(0.0, timeout_s / 2 - (time.monotonic() - started))
        if not self._slots.acquire(timeout=waited):
            raise Busy("every probe slot is taken")
        with self._idle:
            self._running += 1
        try:
            left = timeout_s - (time.monotonic() - started)
            settings = self.settings_for(target, left)
            try:
                report = app.diagnose_targets([target.target], self._checks, settings, table.env, table.dotenv,
                                              self._registry.problems, memo=self._current_memo(),
                                              machine=self._machine)
            except Exception:  # an engine bug must not take the exporter down; the scrape says "failed"
                duration = time.monotonic() - started
                outcome = ProbeOutcome(_failed_registry(name, duration), False, duration, crashed=True,
                                       at=time.time())
            else:
                duration = time.monotonic() - started
                data = report.data
                healthy = any(t.get("name") == name and target_healthy(t) for t in data.get("targets", []))
                causes = tuple(str(c["id"]) for c in data.get("causes", [])
                               if bounded(c.get("id")) and (not c.get("targets") or name in c["targets"]))
                outcome = ProbeOutcome(registry_for(data, only=name, duration_s=duration), healthy, duration,
                                       causes=causes, at=time.time())
        finally:
            self._slots.release()
            with self._idle:
                self._running -= 1
                self._idle.notify_all()
        with self._lock:
            if name in self.table.targets:
                self._last[name] = outcome
        return outcome


def _failed_registry(name: str, duration_s: float) -> CollectorRegistry:
    data = {"targets": [{"name": name, "results": [{"check": "engine", "status": "error", "duration_ms":
                                                     duration_s * 1000}]}], "causes": []}
    return registry_for(data, only=name, duration_s=duration_s)
