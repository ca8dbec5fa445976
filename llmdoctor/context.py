"""Everything a check may use arrives in its Context; checks read nothing global."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from llmdoctor.model import CheckResult
from llmdoctor.runmemo import RunMemo

if TYPE_CHECKING:
    from llmdoctor.config import Settings, Target
    from llmdoctor.deadline import Deadline
    from llmdoctor.net.http import HttpClientFactory


@dataclass
class Progress:
    """What a check is waiting for right now (`Context.step`), read by the runner if it must abandon it."""

    step: str = ""
    cause: str = ""
    facts: dict[str, object] = field(default_factory=dict)


def _nobody(name: str) -> CheckResult | None:
    """A context built outside the runner has no other checks to wait for."""
    return None


def _no_one_waits(result: CheckResult) -> None:
    """A context built outside the runner has no dependents to let go."""


@dataclass(frozen=True)
class Context:
    """Read-only view for one check of one target.

    `env` is a snapshot of the process environment (never `os.environ`), `results` the results
    of the checks that already ran for this target, `dotenv` the values read from `.env`.
    `memo` is shared by every check of every target in the run: for facts about the machine
    (not the target) that should be measured once.
    """

    target: Target
    settings: Settings
    env: Mapping[str, str]
    dotenv: Mapping[str, str]
    results: Mapping[str, CheckResult]
    deadline: Deadline
    http: HttpClientFactory
    memo: RunMemo = field(default_factory=RunMemo)
    progress: Progress = field(default_factory=Progress)
    # The runner's: waits for a check this one `consults` (see CheckSpec) and returns its result.
    consult: Callable[[str], CheckResult | None] = _nobody
    # The runner's: the checks that require this one may start now on `result` (see `release`).
    release_to_dependents: Callable[[CheckResult], None] = _no_one_waits

    def step(self, waiting_for: str, cause: str = "", **facts: object) -> None:
        """Say what the check waits for next (e.g. "the proxy's reply to CONNECT"), and the cause id to
        name if it never comes: a check the runner abandons at its budget becomes that cause."""
        self.progress.step, self.progress.cause = waiting_for, cause
        self.progress.facts = dict(facts)

    def release(self, result: CheckResult) -> None:
        """Lets the checks that `require` this one start now, on `result`, while this one finishes.

        For a check whose verdict is settled before its work is done: the TLS handshake verified,
        the connection handed on, and what remains (the certificate's details, the second trust
        store) can only add facts and warnings. Checks that `read` this one still wait for its final
        result; the report has the final result only. Called once; later calls change nothing."""
        self.release_to_dependents(result)

    def result(self, name: str) -> CheckResult | None:
        return self.results.get(name)

    def fact(self, check: str, key: str, default: object = None) -> object:
        """A fact an earlier check measured, or `default` when it did not run or has no such fact."""
        found = self.results.get(check)
        return found.facts.get(key, default) if found is not None else default

    def timeout(self, wanted: float | None = None) -> float:
        """A per-operation timeout: --timeout (or `wanted`), capped by the run's deadline."""
        return self.deadline.cap(wanted if wanted is not None else self.settings.timeout)
