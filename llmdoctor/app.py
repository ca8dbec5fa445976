"""One diagnosis run, from options to report. The engine: it never prints."""

from __future__ import annotations

import dataclasses
import datetime as _dt
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from llmdoctor.beside import Beside
from llmdoctor.config import CliValues, ConfigError, Settings, Target, build_targets, scrubber_for
from llmdoctor.deadline import Deadline
from llmdoctor.dotenv import read_dotenv, unreadable_result
from llmdoctor.model import CheckResult
from llmdoctor.net.http import HttpClientFactory
from llmdoctor.runmemo import RunMemo
from llmdoctor.secrets import Scrubber
from llmdoctor.workers import Workers

if TYPE_CHECKING:  # plugins and environment import importlib.metadata (~20 ms): after the path opened
    from llmdoctor import plugins

    # The report and the runner load after `begin` has put the path on the wire.
    from llmdoctor.report import Report
    from llmdoctor.runner import OnResult, OnStart


@dataclass(frozen=True)
class Selection:
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()


def _with_needs(registry: plugins.Registry, names: Sequence[str]) -> set[str]:
    """These checks and, transitively, what they require and read (as `make` builds prerequisites)."""
    by_name = {c.name: c for c in registry.checks}
    wanted: set[str] = set()
    todo = list(names)
    while todo:
        name = todo.pop()
        if name in wanted or name not in by_name:
            continue
        wanted.add(name)
        todo.extend(by_name[name].spec.needs)
    return wanted


def select_checks(registry: plugins.Registry, selection: Selection,
                  enabled: frozenset[str] = frozenset()) -> list[plugins.LoadedCheck]:
    """--only (with what those checks need) and --skip by check id; usage errors (ConfigError) for an
    unknown id, a --skip that removes what an --only check needs, and a selection that leaves nothing."""
    known = set(registry.names())
    for name in (*selection.only, *selection.skip, *enabled):
        if name not in known:
            raise ConfigError(f"unknown check {name!r} (see `llmdoctor checks`)")
    by_name = {c.name: c for c in registry.checks}
    if selection.only:
        wanted = _with_needs(registry, selection.only)
        for name in selection.only:
            missing = [n for n in sorted(_with_needs(registry, [name]) - {name}) if n in selection.skip
                       and n in by_name[name].spec.requires]
            if missing:
                raise ConfigError(f"--only {name} needs the {', '.join(missing)} check(s), which --skip removes: "
                                  f"drop {', '.join(missing)} from --skip")
    else:
        wanted = known
    chosen = [c for c in registry.checks if c.name in wanted and c.name not in selection.skip]
    if not chosen and registry.checks:  # none loaded at all is the plug-in problems' report, not a usage error
        raise ConfigError("--skip leaves no check to run (see `llmdoctor checks`)")
    return chosen


@dataclass
class Begun:
    """A run's start, before its checks are loaded: the deadline, .env, the targets, and each target's
    client factory with its path already opening (net/early.py)."""

    deadline: Deadline
    dotenv: Mapping[str, str]
    dotenv_problem: str | None
    targets: Sequence[Target]
    scrub: Scrubber
    http: Mapping[str, HttpClientFactory]
    workers: Workers | None = None  # the run's threads: the early path's jobs, then the checks

    def close(self) -> None:
        """Closes what opened early and no check took (a usage error, a target whose checks never ran)."""
        for factory in self.http.values():
            factory.close()
        if self.workers is not None:
            self.workers.close()


def begin(cli: CliValues, settings: Settings, env: Mapping[str, str], cwd: Path,
          selection: Selection = Selection()) -> Begun:
    """Reads .env and builds the targets (ConfigError on bad values) and, for a whole run (no --only,
    neither proxy nor tls skipped), opens each target's proxy tunnel and TLS handshakes at once: they
    are on the wire while the checks are found and loaded. A selected subset opens nothing early."""
    deadline = Deadline(settings.deadline)
    dotenv, dotenv_problem = read_dotenv(cwd)
    targets = build_targets(cli, env, dotenv)
    scrub = scrubber_for(targets, env, settings)
    whole = not selection.only and not {"proxy", "tls"} & set(selection.skip)
    workers = Workers() if whole and targets else None
    http = {t.name: open_early(t, settings, env, deadline, workers) for t in targets} if whole else {}
    return Begun(deadline, dotenv, dotenv_problem, targets, scrub, http, workers)


def run(cli: CliValues, settings: Settings, env: Mapping[str, str], cwd: Path,
        selection: Selection = Selection(), on_result: OnResult | None = None,
        registry: plugins.Registry | None = None, beside: Beside | None = None,
        begun: Begun | None = None, on_start: OnStart | None = None) -> tuple[Report, Sequence[str]]:
    """Builds the targets, runs the checks, diagnoses; returns the report and the target names.

    `begun` is the run's start when the caller made it first (`begin`, before loading the checks);
    the caller then closes it."""
    if begun is not None:
        return _run(begun, settings, env, selection, on_result, registry, beside, on_start)
    own = begin(cli, settings, env, cwd, selection)
    try:
        return _run(own, settings, env, selection, on_result, registry, beside, on_start)
    finally:
        own.close()


def _run(begun: Begun, settings: Settings, env: Mapping[str, str], selection: Selection,
         on_result: OnResult | None, registry: plugins.Registry | None,
         beside: Beside | None, on_start: OnStart | None = None) -> tuple[Report, Sequence[str]]:
    deadline, dotenv, dotenv_problem, targets, scrub = (begun.deadline, begun.dotenv, begun.dotenv_problem,
                                                        begun.targets, begun.scrub)
    from llmdoctor import plugins

    registry = registry or plugins.discover()
    checks = select_checks(registry, selection, settings.enabled)
    # Naming an opt-in check in --only asks for it.
    asked = frozenset(n for n in selection.only if any(c.name == n and c.spec.opt_in for c in checks))
    if asked - settings.enabled:
        settings = dataclasses.replace(settings, enabled=settings.enabled | asked)
    if beside is not None and any(factory.early.in_flight for factory in begun.http.values()):
        # The path opened early is on the wire already: the modules the later checks import load now
        # (auth's request must not wait for httpx after the handshake). The rest of the held-back work
        # still waits for the gate (the tls check's start): before it, it would slow the checks that
        # lead there when the tunnel is quick (a local proxy).
        from llmdoctor.runner import submit_preloads

        submit_preloads(beside, checks)
    live = _scrubbed(on_result, scrub) if on_result else None
    # The engine's own line before the checks: a .env that exists but cannot be read was not used.
    early = {t.name: [unreadable_result(dotenv_problem, t.name)] if dotenv_problem else [] for t in targets}
    if live:
        for result in (r for results in early.values() for r in results):
            live(result)
    report = diagnose_targets(targets, checks, settings, env, dotenv, registry.problems, live, scrub=scrub,
                              early=early, requested=selection.only, beside=beside, deadline=deadline,
                              http=begun.http, on_start=on_start, workers=begun.workers)
    return report, [t.name for t in targets]


def open_early(target: Target, settings: Settings, env: Mapping[str, str], deadline: Deadline,
               workers: Workers | None = None) -> HttpClientFactory:
    """The target's client factory, its path already opening (the checks take it: net/early.py)."""
    factory = HttpClientFactory(settings, env, deadline, workers)
    factory.start_early(target.base_url.value)
    return factory


def diagnose_targets(targets: Sequence[Target], checks: Sequence[plugins.LoadedCheck], settings: Settings,
                     env: Mapping[str, str], dotenv: Mapping[str, str],
                     problems: Sequence[plugins.PluginProblem] = (), on_result: OnResult | None = None,
                     memo: RunMemo | None = None, machine: Mapping[str, object] | None = None, *,
                     scrub: Scrubber | None = None,
                     early: Mapping[str, Sequence[CheckResult]] | None = None,
                     requested: Sequence[str] = (), beside: Beside | None = None,
                     deadline: Deadline | None = None,
                     http: Mapping[str, HttpClientFactory] | None = None,
                     on_start: OnStart | None = None, workers: Workers | None = None) -> Report:
    """Runs already-built targets under one deadline and diagnoses them.

    A long-running caller (`llmdoctor serve`) builds its targets and discovers the checks once,
    passes a `memo` it keeps for a while (the machine's proxy settings and listeners are read
    once, not on every probe) and the `machine` facts it collected once. `early` holds the engine's
    own results that come before the checks (an unreadable .env); `scrub` defaults to the targets';
    `requested` names the checks --only asked for (one that did not run keeps the run unhealthy).
    With `beside`, the machine facts are read while the checks wait on the wire (llmdoctor/beside.py)."""
    started = _dt.datetime.now(_dt.timezone.utc)
    clock = time.perf_counter()
    deadline = deadline or Deadline(settings.deadline)
    scrub = scrub or scrubber_for(targets, env, settings)
    urls = [(t.name, t.base_url.value) for t in targets]

    run_memo = memo if memo is not None else RunMemo()  # the checks' and the table's: read once

    def machine_facts() -> Mapping[str, object]:
        from llmdoctor import environment

        return environment.collect(env, urls, settings.python, run_memo)

    later = beside.submit(machine_facts) if beside is not None and machine is None else None
    from llmdoctor.report import build_report
    from llmdoctor.runner import run_all

    outcomes = run_all(targets, checks, settings, env, dotenv, deadline, on_result, run_memo, beside, http,
                       on_start=on_start, workers=workers)
    outcomes = {name: [*(early or {}).get(name, []), *results] for name, results in outcomes.items()}
    elapsed_ms = (time.perf_counter() - clock) * 1000
    if machine is None:
        machine = _waited(later) if later is not None else None
        machine = machine if machine is not None else machine_facts()
    return build_report(targets, outcomes, settings, env, problems, started, elapsed_ms, machine, scrub,
                        requested=requested)


# The machine facts' own reads are bounded (subprocesses: 3 s); past this, the report reads them again.
_MACHINE_WAIT_S = 10.0


def _waited(later: Future[Mapping[str, object]]) -> Mapping[str, object] | None:
    """The machine facts read beside the checks; None if that failed or hangs (they are read again)."""
    try:
        return later.result(timeout=_MACHINE_WAIT_S)
    except Exception:
        return None


def _scrubbed(on_result: OnResult, scrub: Scrubber) -> OnResult:
    """Live results pass the report's scrubber too: a proxy's or server's echo may carry a secret,
    and --redact-hosts hides the relay's name there as well. One scrubber for the whole run."""
    def forward(result: CheckResult) -> None:
        on_result(dataclasses.replace(result, summary=scrub(result.summary)))
    return forward
