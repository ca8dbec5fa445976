"""Runs the checks: each target's chain in order, independent targets concurrently, one deadline.

A check that raises becomes an `error` result; a check that outlives its budget becomes an `error`
result too (its thread is abandoned, it cannot block the run); a check whose prerequisite failed is
skipped with "blocked by <id>".
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType

from llmdoctor.config import Settings, Target
from llmdoctor.context import Context
from llmdoctor.deadline import Deadline
from llmdoctor.model import CheckResult, Finding, Status
from llmdoctor.net.http import HttpClientFactory
from llmdoctor.plugins import LoadedCheck
from llmdoctor.runmemo import RunMemo

OnResult = Callable[[CheckResult], None]
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


def _run_one(check: LoadedCheck, ctx: Context, budget: float) -> CheckResult:
    box: dict[str, object] = {}

    def worker() -> None:
        try:
            box["result"] = check.check.run(ctx)
        except BaseException as exc:  # a crash is a result, never the end of the run
            box["error"] = exc

    thread = threading.Thread(target=worker, name=f"llmdoctor-{check.name}", daemon=True)
    thread.start()
    thread.join(budget)
    if thread.is_alive():
        return _abandoned(check, ctx, budget)
    if "error" in box:
        return _crash_result(box["error"])  # type: ignore[arg-type]
    result = box.get("result")
    if not isinstance(result, CheckResult):
        return CheckResult(Status.ERROR, f"the check returned {type(result).__name__}, not a CheckResult")
    return result


def run_target(target: Target, checks: Sequence[LoadedCheck], settings: Settings, env: Mapping[str, str],
               dotenv: Mapping[str, str], deadline: Deadline, on_result: OnResult | None = None,
               into: list[CheckResult] | None = None, memo: RunMemo | None = None) -> list[CheckResult]:
    """Runs one target's checks in order, appending to `into` as they finish; never raises.

    `memo` is the run's, shared with the other targets (a target run alone gets its own)."""
    memo = memo if memo is not None else RunMemo()
    env = env if isinstance(env, MappingProxyType) else MappingProxyType(dict(env))
    dotenv = dotenv if isinstance(dotenv, MappingProxyType) else MappingProxyType(dict(dotenv))
    http = HttpClientFactory(settings, env, deadline)
    results: dict[str, CheckResult] = {}
    ordered: list[CheckResult] = into if into is not None else []
    with contextlib.closing(http):  # connections the checks handed on and nobody took
        blocked: dict[str, str] = {}  # the runner's own record: never part of a result
        for check in checks:
            spec = check.spec
            started = time.perf_counter()
            blocker = _blocked_by(check, results, blocked)
            if spec.opt_in and spec.name not in settings.enabled:
                result = CheckResult(Status.SKIP, f"opt-in: enable with --enable {spec.name}")
            elif blocker:
                blocked[spec.name] = blocker
                result = CheckResult(Status.SKIP, f"blocked by {blocker}")
            elif deadline.expired():
                result = CheckResult(Status.SKIP, f"the run's deadline ({settings.deadline:.0f} s) passed",
                                     facts={"deadline_passed": True})
            else:
                ctx = Context(target, settings, env, dotenv, MappingProxyType(_private_copy(results)), deadline, http,
                              memo)
                factor = spec.budget_timeouts or DEFAULT_BUDGET_TIMEOUTS
                budget = max(0.01, min(settings.timeout * factor + 1.0, deadline.remaining() + DEADLINE_GRACE))
                result = _run_one(check, ctx, budget)
            result = dataclasses.replace(result, check=check.name, target=target.name,
                                         duration_ms=round((time.perf_counter() - started) * 1000, 1))
            results[check.name] = result
            ordered.append(result)
            if on_result is not None:
                with contextlib.suppress(Exception):  # a broken progress printer must not lose results
                    on_result(result)
    return ordered


def run_all(targets: Sequence[Target], checks: Sequence[LoadedCheck], settings: Settings,
            env: Mapping[str, str], dotenv: Mapping[str, str], deadline: Deadline,
            on_result: OnResult | None = None, memo: RunMemo | None = None) -> dict[str, list[CheckResult]]:
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

    def worker(target: Target) -> None:
        run_target(target, checks, settings, frozen_env, frozen_dotenv, deadline, report, outcomes[target.name], memo)

    if len(targets) == 1:
        worker(targets[0])
    else:
        threads = [threading.Thread(target=worker, args=(t,), name=f"llmdoctor-target-{t.name}", daemon=True)
                   for t in targets]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(deadline.remaining() + 2.0)
    # A target thread still running past the deadline leaves the results it had (a copy: it may go on).
    return {name: list(results) for name, results in outcomes.items()}
