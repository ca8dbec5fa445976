"""Checks with known defects, loaded through synthesized entry points by tests/test_plugins.py."""

from __future__ import annotations

import time

from llmdoctor.check import BaseCheck
from llmdoctor.model import CheckResult, Finding, Status, from_findings, passed


class Good(BaseCheck):
    """Always passes."""

    name = "good"
    phase = "config"

    def run(self, ctx):  # type: ignore[no-untyped-def]
        return passed("fine", {"seen": True})


class Failing(BaseCheck):
    """Always fails with a known cause."""

    name = "failing"
    phase = "dns"

    def run(self, ctx):  # type: ignore[no-untyped-def]
        return from_findings("", [Finding("dns.failure", "made-up failure", "do nothing", Status.FAIL)])


class AfterFailing(BaseCheck):
    """Depends on the failing check."""

    name = "after-failing"
    requires = ("failing",)
    phase = "tcp"

    def run(self, ctx):  # type: ignore[no-untyped-def]
        raise AssertionError("must never run: its prerequisite failed")


class AfterAfter(BaseCheck):
    """Depends on a check that is skipped because its own prerequisite failed."""

    name = "after-after"
    requires = ("after-failing",)
    phase = "tls"

    def run(self, ctx):  # type: ignore[no-untyped-def]
        raise AssertionError("must never run")


class Crashing(BaseCheck):
    """Raises."""

    name = "crashing"
    phase = "proxy"

    def run(self, ctx):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom in a plug-in")


class Hanging(BaseCheck):
    """Never returns within any reasonable budget."""

    name = "hanging"
    phase = "api"
    budget_timeouts = 1.0

    def run(self, ctx):  # type: ignore[no-untyped-def]
        time.sleep(30)
        return passed("too late")


class Printing(BaseCheck):
    """Prints to stdout, which must not corrupt a JSON report."""

    name = "printing"
    phase = "other"

    def run(self, ctx):  # type: ignore[no-untyped-def]
        print("garbage from a plug-in {not json")
        return passed("printed")


class Mutating(BaseCheck):
    """Tries to change the shared context and the results of other checks."""

    name = "mutating"
    requires = ("good",)
    phase = "other"

    def run(self, ctx):  # type: ignore[no-untyped-def]
        errors = []
        for attempt in (lambda: setattr(ctx, "settings", None),
                        lambda: ctx.results.__setitem__("good", None),
                        lambda: ctx.env.__setitem__("OPENAI_API_KEY", "stolen")):
            try:
                attempt()
            except (AttributeError, TypeError) as exc:
                errors.append(type(exc).__name__)
        return passed(f"blocked {len(errors)} of 3 mutations", {"blocked": len(errors)})


class WrongReturn(BaseCheck):
    """Returns something that is not a CheckResult."""

    name = "wrong-return"
    phase = "other"

    def run(self, ctx):  # type: ignore[no-untyped-def]
        return {"status": "pass"}


class DuplicateGood(BaseCheck):
    """Claims an id that is already taken."""

    name = "good"

    def run(self, ctx):  # type: ignore[no-untyped-def]
        return passed("impostor")


class NeedsGhost(BaseCheck):
    """Requires a check that does not exist."""

    name = "needs-ghost"
    requires = ("ghost",)

    def run(self, ctx):  # type: ignore[no-untyped-def]
        return passed("unreachable")


class CycleA(BaseCheck):
    """Part of a dependency cycle."""

    name = "cycle-a"
    requires = ("cycle-b",)

    def run(self, ctx):  # type: ignore[no-untyped-def]
        return passed("a")


class CycleB(BaseCheck):
    """Part of a dependency cycle."""

    name = "cycle-b"
    requires = ("cycle-a",)

    def run(self, ctx):  # type: ignore[no-untyped-def]
        return passed("b")


class BadName(BaseCheck):
    """Has an id that is not kebab-case."""

    name = "Bad Name"

    def run(self, ctx):  # type: ignore[no-untyped-def]
        return passed("x")


def unused() -> CheckResult:  # keeps the CheckResult import honest for type checkers
    return passed("x")


class WaitingForProxy(BaseCheck):
    """Says what it waits for, then hangs: the runner names that step and cause when it abandons it."""

    name = "waiting-for-proxy"
    phase = "proxy"
    budget_timeouts = 1.0

    def run(self, ctx):  # type: ignore[no-untyped-def]
        ctx.step("the proxy's reply to CONNECT api.example:443", "proxy.not_responding", proxy="http://127.0.0.1:9")
        time.sleep(30)
        return passed("too late")
