"""The runner's scheduling contract (issue 18): each check starts when what it declares is done, a
`beside` check waits for the path to wait on the wire, `consults` is asked only when needed, and a
released result lets the dependents start before the check ends. The report keeps the registry's
order whatever the timing. Events, not clocks: nothing here asserts a duration.
"""

from __future__ import annotations

import threading

from llmdoctor.beside import Beside
from llmdoctor.check import BaseCheck
from llmdoctor.config import Settings
from llmdoctor.context import Context
from llmdoctor.deadline import Deadline
from llmdoctor.model import CheckResult, Status, passed
from llmdoctor.plugins import LoadedCheck, order
from llmdoctor.runner import run_target
from tests.helpers import make_target

WAIT = 10.0  # a bound for each event wait, so a broken scheduler fails instead of hanging


def _registry(*checks: BaseCheck) -> list[LoadedCheck]:
    registry = order({c.name: LoadedCheck.of(c) for c in checks})
    assert not registry.problems, registry.problems
    return list(registry.checks)


def _run(checks: list[LoadedCheck], beside: Beside | None = None) -> dict[str, CheckResult]:
    settings = Settings(timeout=2.0, deadline=30)
    results = run_target(make_target("openai", api_key="sk-test"), checks, settings, {}, {},
                         Deadline(settings.deadline), beside=beside)
    assert [r.check for r in results] == [c.name for c in checks]  # the registry's order, always
    return {r.check: r for r in results}


class _Probe(BaseCheck):
    """A check that records what it saw and can wait for an event before it ends; its spec is given
    per instance (`spec_of` reads the attributes of the object)."""

    def __init__(self, name: str, phase: str = "other", *, requires: tuple[str, ...] = (),
                 reads: tuple[str, ...] = (), consults: tuple[str, ...] = (), beside: bool = False,
                 after: tuple[str, ...] = (),
                 hold: threading.Event | None = None, signal: threading.Event | None = None) -> None:
        spec = {"name": name, "phase": phase, "requires": requires, "reads": reads, "consults": consults,
                "beside": beside, "after": after}
        for key, value in spec.items():
            object.__setattr__(self, key, value)
        self.hold, self.signal = hold, signal
        self.seen: dict[str, str] = {}
        self.started = threading.Event()

    def run(self, ctx: Context) -> CheckResult:
        self.started.set()
        self.seen = {name: r.summary for name, r in ctx.results.items()}
        if self.signal is not None:
            self.signal.set()
        if self.hold is not None and not self.hold.wait(WAIT):
            return CheckResult(Status.ERROR, "held too long")
        return passed(f"{self.name} done")


def test_a_check_starts_once_what_it_requires_is_done_and_runs_beside_the_others() -> None:
    # "slow" holds until "free" has run: with checks in strict sequence this would never end.
    free_ran = threading.Event()
    slow = _Probe("slow", "dns", hold=free_ran)
    free = _Probe("free", "proxy", signal=free_ran)
    after = _Probe("after", "tcp", requires=("slow", "free"))
    results = _run(_registry(slow, free, after))
    assert results["slow"].summary == "slow done"
    assert set(after.seen) == {"slow", "free"}


def test_a_beside_check_waits_until_the_path_waits_on_the_wire() -> None:
    # The config check is held a moment; the tls-phase check needs it. A beside check started early
    # (the bug) would run inside that moment and see the config check unfinished.
    config_may_end = threading.Event()
    config = _Probe("config", "config", hold=config_may_end)
    wire = _Probe("handshake", "tls", requires=("config",))
    config_over_when_machine_ran: list[bool] = []

    class Machine(_Probe):
        def run(self, ctx: Context) -> CheckResult:
            config_over_when_machine_ran.append(config_may_end.is_set())
            return super().run(ctx)

    threading.Timer(0.3, config_may_end.set).start()
    results = _run(_registry(config, wire, Machine("machine", "env", beside=True)), Beside())
    assert config_over_when_machine_ran == [True]
    assert results["machine"].status is Status.PASS and results["handshake"].status is Status.PASS


def test_a_beside_check_runs_at_once_when_nothing_goes_on_the_wire() -> None:
    results = _run(_registry(_Probe("config", "config"), _Probe("machine", "env", beside=True)), Beside())
    assert results["machine"].summary == "machine done"


def test_a_check_that_runs_after_a_held_back_one_gets_it_started_when_nothing_else_runs() -> None:
    # Nothing goes on the wire here, and "report" waits for "machine": once "config" is done, only the
    # held-back check is ready, and it must start (the run must end, not wait for a gate nobody opens).
    done = threading.Event()

    def run() -> None:
        _run(_registry(_Probe("config", "config"), _Probe("machine", "env", beside=True),
                       _Probe("report", "other", after=("machine",))), Beside())
        done.set()

    threading.Thread(target=run, daemon=True).start()
    assert done.wait(WAIT)


def test_consulting_a_held_back_check_starts_it_and_waits_for_its_result() -> None:
    answers: list[str | None] = []

    class Asker(_Probe):
        def run(self, ctx: Context) -> CheckResult:
            found = ctx.consult("machine")
            answers.append(found.summary if found else None)
            undeclared = ctx.consult("config")  # not in its `consults`: never waited for
            answers.append(undeclared.summary if undeclared else None)
            return super().run(ctx)

    asker = Asker("connect", "tcp", consults=("machine",))
    results = _run(_registry(_Probe("config", "config"), asker, _Probe("machine", "env", beside=True)), Beside())
    assert answers == ["machine done", None]
    assert results["connect"].status is Status.PASS


def test_a_released_result_lets_the_dependents_start_and_the_report_keeps_the_final_one() -> None:
    dependent_started = threading.Event()

    class Releaser(_Probe):
        def run(self, ctx: Context) -> CheckResult:
            ctx.release(passed("handshake verified (details follow)", {"tls_ms": 1.0}))
            if not dependent_started.wait(WAIT):  # without release the dependent could not start yet
                return CheckResult(Status.ERROR, "the dependent never started")
            return passed("handshake verified, certificate read", {"tls_ms": 1.0, "issuer": "CA"})

    releaser = Releaser("handshake", "tls")
    dependent = _Probe("request", "api", requires=("handshake",), signal=dependent_started)
    reader = _Probe("summary", "timing", reads=("handshake",))
    results = _run(_registry(releaser, dependent, reader))
    assert results["handshake"].summary == "handshake verified, certificate read"
    assert dependent.seen["handshake"] == "handshake verified (details follow)"  # what it started on
    assert reader.seen["handshake"] == "handshake verified, certificate read"  # a reader waits for the final one


def test_a_consults_cycle_is_rejected_when_the_registry_loads() -> None:
    registry = order({c.name: LoadedCheck.of(c) for c in (
        _Probe("a", "tcp", consults=("b",)), _Probe("b", "env", requires=("a",)))})
    assert {p.entry_point for p in registry.problems} == {"a", "b"}
    assert all("dependency cycle" in p.problem for p in registry.problems)


def test_a_caller_list_with_a_wait_that_cannot_end_gets_an_error_not_a_hang() -> None:
    looping = _Probe("first", "config", requires=("second",))
    second = _Probe("second", "dns", requires=("first",))
    checks = [LoadedCheck.of(looping), LoadedCheck.of(second)]  # not through the registry: unordered
    settings = Settings(timeout=1.0, deadline=10)
    results = run_target(make_target("openai", api_key="sk-test"), checks, settings, {}, {},
                         Deadline(settings.deadline))
    assert {r.status for r in results} == {Status.ERROR}
    assert "waits for checks that never finish" in results[0].summary


def test_beside_holds_its_jobs_until_the_gate_opens_but_runs_urgent_ones_at_once() -> None:
    beside = Beside()
    ran: list[str] = []
    later = beside.submit(lambda: ran.append("collect") or "facts")
    sooner = beside.submit(lambda: ran.append("preload") or "modules", first=True)
    assert sooner.result(WAIT) == "modules"  # urgent (a module the first request imports): the gate is shut
    assert not later.done() and ran == ["preload"]  # the rest waits for the path's long wait
    beside.open()
    assert later.result(WAIT) == "facts"
    assert ran == ["preload", "collect"]
    beside.close()
    worker = next((t for t in threading.enumerate() if t.name == "llmdoctor-beside"), None)
    if worker is not None:
        worker.join(WAIT)
        assert not worker.is_alive()


def test_a_closed_beside_still_runs_what_was_queued() -> None:
    beside = Beside()
    job = beside.submit(lambda: 42)
    beside.close()  # never opened: close opens the gate, runs the queue, ends
    assert job.result(WAIT) == 42


def test_the_live_line_names_what_runs_not_what_is_held_back() -> None:
    """While dns waits, the live line says "dns…", not "proxy-env…" (the registry's first check, held back until
    the path waits on the wire): the runner tells it which checks started (runner.OnStart)."""
    from llmdoctor.render.terminal import LiveStatus

    hold, in_dns = threading.Event(), threading.Event()
    checks = _registry(_Probe("proxy-env", beside=True), _Probe("dns", hold=hold, signal=in_dns),
                       _Probe("tls", "tls", requires=("dns",)))
    # proxy-env is the built-in registry's first check: the one the line used to name while anything waited
    live = LiveStatus(None, ["proxy-env", "dns", "tls"], "en", targets=["openai"], enabled=False)
    settings = Settings(timeout=2.0, deadline=30)
    runner = threading.Thread(target=run_target, args=(make_target("openai", api_key="sk-test"), checks, settings,
                                                       {}, {}, Deadline(settings.deadline), live),
                              kwargs={"beside": Beside(), "on_start": live.check_started})
    runner.start()
    try:
        assert in_dns.wait(WAIT)
        line = live._text()
        assert "openai: dns…" in line and "proxy-env" not in line
    finally:
        hold.set()
        runner.join(WAIT)
    assert not runner.is_alive()
    assert live.done["openai"] == {"proxy-env", "dns", "tls"}
    # Once every check ended the line says what happens now, not "Checking" with no check named.
    assert live._text().startswith("Every check done: diagnosing…  3/3")


class _PerTarget(BaseCheck):
    """The same check for every target: the first target's run holds until the second target's ran."""

    name = "per-target"
    phase = "other"

    def __init__(self, second_ran: threading.Event) -> None:
        self.second_ran = second_ran

    def run(self, ctx: Context) -> CheckResult:
        if ctx.target.name == "openai":
            if not self.second_ran.wait(WAIT):
                return CheckResult(Status.ERROR, "the other target never ran")
            return passed("openai ran beside deepseek")
        self.second_ran.set()
        return passed("deepseek ran")


class _Hangs(BaseCheck):
    name = "hangs"
    phase = "other"

    def __init__(self, release: threading.Event) -> None:
        self.release = release

    def run(self, ctx: Context) -> CheckResult:
        self.release.wait(WAIT)
        return passed("released")


def test_independent_targets_run_concurrently_on_the_runs_workers() -> None:
    from llmdoctor.runner import run_all

    release = threading.Event()
    checks = _registry(_PerTarget(threading.Event()), _Hangs(release))
    settings = Settings(timeout=0.2, deadline=30)  # the hanging check's budget: 3 x 0.2 s + 1 s
    targets = [make_target("openai", api_key="sk-test"), make_target("deepseek", api_key="sk-test")]
    try:
        outcomes = run_all(targets, checks, settings, {}, {}, Deadline(settings.deadline))
    finally:
        release.set()
    seen = {name: {r.check: r for r in results} for name, results in outcomes.items()}
    assert seen["openai"]["per-target"].summary == "openai ran beside deepseek"
    assert seen["deepseek"]["per-target"].summary == "deepseek ran"
    for name in ("openai", "deepseek"):  # abandoned at its budget, for each target, while it still hung
        hung = seen[name]["hangs"]
        assert hung.status is Status.ERROR and "did not finish within" in hung.summary, hung
