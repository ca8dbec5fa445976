"""Runs the checks: each check of a target as soon as what it declares it waits for is done,
independent targets concurrently, one deadline.

A check that raises becomes an `error` result; a check that outlives its budget becomes an `error`
result too (its thread is abandoned, it cannot block the run); a check whose prerequisite failed is
skipped with "blocked by <id>".
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import functools
import importlib
import queue
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING

from llmdoctor.beside import Beside
from llmdoctor.config import Settings, Target
from llmdoctor.context import Context
from llmdoctor.deadline import Deadline
from llmdoctor.model import CheckResult, Finding, Status
from llmdoctor.net.http import HttpClientFactory
from llmdoctor.runmemo import RunMemo
from llmdoctor.workers import Workers

if TYPE_CHECKING:
    from llmdoctor.plugins import LoadedCheck

OnResult = Callable[[CheckResult], None]
OnStart = Callable[[str, str], None]  # (target, check) when a check starts running: the live line names it
DEFAULT_BUDGET_TIMEOUTS = 3.0  # a check may take this many --timeout periods before it is abandoned
# A check's network waits are capped at the run's deadline; abandoning it at that same instant would
# race its own timeout and lose what it saw (a TLS handshake timeout became "did not finish").
DEADLINE_GRACE = 0.25


def _blocked_by(check: LoadedCheck, results: Mapping[str, CheckResult], blocked: Mapping[str, str]) -> str | None:
    """The failed check (the root, through blocked ones) that makes this one meaningless, if any."""
    for name in check.spec.requires:
        done = results.get(name)
        if done is not None and done.status.blocks_dependents:
            return name
        if name in blocked:
            return blocked[name]  # transitive: report the root
    return None


def _preload(module: str) -> None:
    """Imports a module a later check needs; a failure is that check's own crash, when it runs."""
    with contextlib.suppress(Exception):
        importlib.import_module(module)


def submit_preloads(beside: Beside, checks: Sequence[LoadedCheck]) -> None:
    """The modules these checks `preload`, ahead of the rest of the held-back work, in their order."""
    modules = [m for check in checks for m in check.spec.preload]
    for module in reversed(modules):
        beside.submit(functools.partial(_preload, module), first=True)


def _crash_result(exc: BaseException) -> CheckResult:
    return CheckResult(Status.ERROR, f"the check crashed: {type(exc).__name__}: {exc}",
                       (Finding("check.crashed", f"{type(exc).__name__}: {exc}",
                                "This is a bug in the check; please report it with the JSON report.",
                                Status.ERROR, 0.1),),
                       {"exception": type(exc).__name__})


def _private_copy(results: dict[str, CheckResult]) -> dict[str, CheckResult]:
    """Each check sees its own copy of earlier results, so a plug-in cannot rewrite another's facts."""
    try:
        copied = copy.deepcopy(results)
    except Exception:  # facts should be JSON-safe; if not, a shallow copy still protects the mapping
        copied = dict(results)
    return {name: dataclasses.replace(r, facts=MappingProxyType(dict(r.facts))) for name, r in copied.items()}


# A check of these phases starts the path's long waits (a handshake, an answer): held-back work may run.
_ON_THE_WIRE = ("tls", "api")


# Where a check abandoned at its budget was most likely stuck, by its phase, when it did not say (ctx.step).
_STUCK = {"dns": ("the DNS answer", "dns.failure"), "proxy": ("the proxy's answer", "proxy.not_responding"),
          "tcp": ("the TCP connection", "net.connect_timeout"), "tls": ("the TLS handshake", "net.tls_timeout"),
          "api": ("the API's answer", "net.read_timeout"), "timing": ("the API's answer", "net.read_timeout")}


def _abandoned(check: LoadedCheck, ctx: Context, budget: float) -> CheckResult:
    """A check that outlived its budget: a finding naming the step it waited for, as a cause the
    knowledge base knows (the check's own `ctx.step(...)`, else its phase's usual wait)."""
    fallback = _STUCK.get(check.spec.phase, ("its answer", "check.timeout"))
    step = ctx.progress.step or fallback[0]
    cause = ctx.progress.cause or fallback[1]
    message = f"the {check.name} check was still waiting for {step} when its time ran out ({budget:.1f} s)"
    return CheckResult(Status.ERROR, f"did not finish within {budget:.1f} s: still waiting for {step}",
                       (Finding(cause, message, f"Nothing answered in time at this step: {step}. Retry with a "
                                "longer --deadline to see whether it ever answers; the other checks still ran.",
                                Status.ERROR, 0.7, {"step": step, **ctx.progress.facts}),),
                       {"budget_s": round(budget, 1), "waiting_for": step})


def _outcome(check: LoadedCheck, ctx: Context) -> CheckResult:
    """What the check's own thread hands back: its result, or an `error` result for a crash or a wrong type."""
    try:
        result = check.check.run(ctx)
    except BaseException as exc:  # a crash is a result, never the end of the run
        return _crash_result(exc)
    if not isinstance(result, CheckResult):
        return CheckResult(Status.ERROR, f"the check returned {type(result).__name__}, not a CheckResult")
    return result


@dataclasses.dataclass
class _Running:
    """A check on its thread, and when the target's loop abandons it (its budget, from its start)."""

    check: LoadedCheck
    ctx: Context
    budget: float
    started: float
    due: float


def _then_set(job: Callable[[], None], done: threading.Event) -> None:
    try:
        job()
    finally:
        done.set()


@contextlib.contextmanager
def _closed_if(own: bool, pool: Workers) -> Iterator[None]:
    try:
        yield
    finally:
        if own:
            pool.close()


def _waits_for(check: LoadedCheck, selected: Mapping[str, int]) -> tuple[str, ...]:
    """The selected checks this one starts after: what it requires, reads, and runs `after`."""
    spec = check.spec
    return tuple(n for n in dict.fromkeys((*spec.requires, *spec.reads, *spec.after)) if n in selected)


def _upstream(name: str, deps: Mapping[str, tuple[str, ...]]) -> set[str]:
    """Every check `name` waits for, directly or through others."""
    seen: set[str] = set()
    todo = list(deps.get(name, ()))
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(deps.get(current, ()))
    return seen


class _Board:
    """The results of one target's checks as they arrive: what `Context.consult` waits on."""

    def __init__(self, checks: Sequence[LoadedCheck], deps: Mapping[str, tuple[str, ...]],
                 wake: Callable[[], None]) -> None:
        self._done = {check.name: threading.Event() for check in checks}
        self.wanted: set[str] = set()  # held-back (`beside`) checks a running check waits for
        self._wake = wake
        self._consults = {check.name: check.spec.consults for check in checks}  # only what it declared
        self._results: dict[str, CheckResult] = {}
        self._deps = deps

    def post(self, name: str, result: CheckResult) -> None:
        self._results[name] = result
        self._done[name].set()

    def consult(self, asker: str, name: str, deadline: Deadline) -> CheckResult | None:
        """`name`'s result once it has one; None when `asker` did not declare it in `consults`, when it
        is not selected, when it waits for `asker` itself (waiting would never end; the registry
        rejects such cycles anyway), or when the run's deadline comes first."""
        event = self._done.get(name)
        if event is None or name not in self._consults.get(asker, ()) or asker in _upstream(name, self._deps):
            return None
        if not event.is_set():
            self.wanted.add(name)
            self._wake()  # the scheduler starts it now if it was held back
        if not event.wait(max(0.0, deadline.remaining()) + DEADLINE_GRACE):
            return None
        return self._results.get(name)


def run_target(target: Target, checks: Sequence[LoadedCheck], settings: Settings, env: Mapping[str, str],
               dotenv: Mapping[str, str], deadline: Deadline, on_result: OnResult | None = None,
               into: list[CheckResult] | None = None, memo: RunMemo | None = None,
               beside: Beside | None = None, http: HttpClientFactory | None = None, *,
               on_start: OnStart | None = None, workers: Workers | None = None) -> list[CheckResult]:
    """Runs one target's checks, each as soon as what it waits for is done; never raises.

    A check waits only for what it declares (`requires`, `reads`, `after`): the proxy settings of
    the machine are read while the DNS lookup, the tunnel and the handshake are on the wire. Results
    arrive in `into` as they finish and are returned in the registry's order, whatever the timing.
    With `beside` (llmdoctor/beside.py), a check that declares `beside` is held back until the path
    waits on the wire (this or another target starts a tls- or api-phase check), until a check
    consults it, or until nothing else is left; without it, it starts when ready like any other.
    `memo` is the run's, shared with the other targets (a target run alone gets its own); `http` is the
    target's client factory when the caller made it first (to open the path early: net/early.py);
    `workers` the run's threads (llmdoctor/workers.py), else the target gets its own."""
    memo = memo if memo is not None else RunMemo()
    own_pool = workers is None
    pool = workers if workers is not None else Workers()
    http = http if http is not None else HttpClientFactory(settings, env, deadline, pool)
    env = env if isinstance(env, MappingProxyType) else MappingProxyType(dict(env))
    dotenv = dotenv if isinstance(dotenv, MappingProxyType) else MappingProxyType(dict(dotenv))
    index = {check.name: i for i, check in enumerate(checks)}
    deps = {check.name: _waits_for(check, index) for check in checks}
    # (name, result, started, final): a check's result, or (final False) what it released early; None: look again.
    finished: queue.Queue[tuple[str, CheckResult, float, bool] | None] = queue.Queue()
    released: dict[str, CheckResult] = {}

    def wake() -> None:
        finished.put(None)

    board = _Board(checks, deps, wake)
    if beside is not None:
        beside.on_open(wake)
    results: dict[str, CheckResult] = {}
    ordered: list[CheckResult] = into if into is not None else []
    blocked: dict[str, str] = {}  # the runner's own record: never part of a result
    pending = list(checks)
    running: dict[str, _Running] = {}
    abandoned: set[str] = set()  # past their budget: a late result is not theirs to give any more

    def settle(check: LoadedCheck, result: CheckResult, started: float) -> None:
        result = dataclasses.replace(result, check=check.name, target=target.name,
                                     duration_ms=round((time.perf_counter() - started) * 1000, 1))
        results[check.name] = result
        ordered.append(result)
        board.post(check.name, result)
        if on_result is not None:
            with contextlib.suppress(Exception):  # a broken progress printer must not lose results
                on_result(result)

    def launch(check: LoadedCheck, ctx: Context, budget: float, started: float) -> None:
        """The check runs on one of the run's workers (llmdoctor/workers.py: handing it over never
        waits for a thread to start), and the loop below keeps its budget."""
        running[check.name] = _Running(check, ctx, budget, started, time.monotonic() + budget)
        pool.submit(lambda: finished.put((check.name, _outcome(check, ctx), started, True)))

    def abandon_overdue() -> None:
        """A check past its budget gets its `error` result now; its thread is left to end on its own,
        and what it hands back later is ignored."""
        now = time.monotonic()
        for name, run in list(running.items()):
            if run.due <= now:
                del running[name]
                abandoned.add(name)
                settle(run.check, _abandoned(run.check, run.ctx, run.budget), run.started)

    def next_item() -> tuple[str, CheckResult, float, bool] | None:
        """The next result or release, waiting no longer than the earliest budget."""
        due = min((run.due for run in running.values()), default=None)
        try:
            return finished.get() if due is None else finished.get(timeout=max(0.0, due - time.monotonic()))
        except queue.Empty:
            abandon_overdue()
            return None

    def release(name: str, started: float, result: CheckResult) -> None:
        if isinstance(result, CheckResult):
            finished.put((name, result, started, False))

    def satisfied(check: LoadedCheck, dep: str) -> bool:
        """A dependency is done, or released early and only `required` (a reader wants its final facts)."""
        if dep in results:
            return True
        return dep in released and dep in check.spec.requires and dep not in check.spec.reads

    def startable() -> list[LoadedCheck]:
        ready = [c for c in pending if all(satisfied(c, d) for d in deps[c.name])]
        # The gate is open; or nothing runs and only held-back checks are ready: nothing left could open
        # the gate (a plug-in that runs `after` a beside check waits for it, so it must start now).
        if beside is None or beside.is_open or (not running and all(c.spec.beside for c in ready)):
            return ready
        return [c for c in ready if not c.spec.beside or c.name in board.wanted]

    with contextlib.closing(http), _closed_if(own_pool, pool):  # connections the checks handed on and nobody took
        while pending or running:
            for check in startable():
                pending.remove(check)
                spec = check.spec
                started = time.perf_counter()
                blocker = _blocked_by(check, {**released, **results}, blocked)
                if spec.opt_in and spec.name not in settings.enabled:
                    settle(check, CheckResult(Status.SKIP, f"opt-in: enable with --enable {spec.name}"), started)
                elif blocker:
                    blocked[spec.name] = blocker
                    settle(check, CheckResult(Status.SKIP, f"blocked by {blocker}"), started)
                elif deadline.expired():
                    settle(check, CheckResult(Status.SKIP, f"the run's deadline ({settings.deadline:.0f} s) passed",
                                              facts={"deadline_passed": True}), started)
                else:
                    seen = _private_copy({**released, **results})
                    ctx = Context(target, settings, env, dotenv, MappingProxyType(seen), deadline, http, memo,
                                  consult=functools.partial(board.consult, spec.name, deadline=deadline),
                                  release_to_dependents=functools.partial(release, spec.name, started))
                    factor = spec.budget_timeouts or DEFAULT_BUDGET_TIMEOUTS
                    budget = max(0.01, min(settings.timeout * factor + 1.0, deadline.remaining() + DEADLINE_GRACE))
                    if on_start is not None:  # said before the check can end (or be seen running)
                        with contextlib.suppress(Exception):  # a broken progress printer must not stop the run
                            on_start(target.name, spec.name)
                    launch(check, ctx, budget, started)
                    if beside is not None and spec.phase in _ON_THE_WIRE and not beside.is_open:
                        submit_preloads(beside, pending)  # what the checks still to come import
                        beside.open()
            if not running:
                if pending and not any(all(satisfied(c, d) for d in deps[c.name]) for c in pending):
                    for check in pending:  # waits that can never end (a caller's unordered list): say so
                        settle(check, CheckResult(Status.ERROR, "waits for checks that never finish: "
                                                  + ", ".join(d for d in deps[check.name] if d not in results)),
                               time.perf_counter())
                    pending.clear()
                continue  # a settled check may have made others ready
            item = next_item()
            if item is None:
                continue
            name, result, started, final = item
            if name in abandoned:
                continue
            if not final:
                if name not in results and name not in released:
                    released[name] = dataclasses.replace(result, check=name, target=target.name)
                continue
            del running[name]
            settle(checks[index[name]], result, started)
    ordered.sort(key=lambda r: index.get(r.check, len(index)))
    return ordered


def run_all(targets: Sequence[Target], checks: Sequence[LoadedCheck], settings: Settings,
            env: Mapping[str, str], dotenv: Mapping[str, str], deadline: Deadline,
            on_result: OnResult | None = None, memo: RunMemo | None = None,
            beside: Beside | None = None,
            http: Mapping[str, HttpClientFactory] | None = None, *,
            on_start: OnStart | None = None, workers: Workers | None = None) -> dict[str, list[CheckResult]]:
    """Independent targets run concurrently, each in its own thread; results come back per target.

    `memo` defaults to a new one for this run; a caller may share one across runs."""
    frozen_env = MappingProxyType(dict(env))
    frozen_dotenv = MappingProxyType(dict(dotenv))
    lock = threading.Lock()
    memo = memo if memo is not None else RunMemo()

    def report(result: CheckResult) -> None:
        if on_result is not None:
            with lock:
                on_result(result)

    outcomes: dict[str, list[CheckResult]] = {t.name: [] for t in targets}

    pool = workers if workers is not None else Workers()  # the caller's (app.begin) is the caller's to close

    def worker(target: Target) -> None:
        run_target(target, checks, settings, frozen_env, frozen_dotenv, deadline, report, outcomes[target.name], memo,
                   beside, (http or {}).get(target.name), on_start=on_start, workers=pool)

    with _closed_if(workers is None, pool):
        if len(targets) == 1:
            worker(targets[0])
        else:  # each target's loop on a worker too: eight thread starts held the main thread back 80-110 ms
            ended = [threading.Event() for _ in targets]
            for target, done in zip(targets, ended, strict=True):
                pool.submit(functools.partial(_then_set, functools.partial(worker, target), done))
            for done in ended:
                done.wait(deadline.remaining() + 2.0)
    if beside is not None:
        beside.open()  # whatever was held back runs now
    # A target thread still running past the deadline leaves the results it had (a copy: it may go on),
    # in the registry's order like a finished target's.
    index = {check.name: i for i, check in enumerate(checks)}
    return {name: sorted(results, key=lambda r: index.get(r.check, len(index))) for name, results in outcomes.items()}
