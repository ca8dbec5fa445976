"""The contract every check, built-in or third-party, fulfils."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

if TYPE_CHECKING:
    from llmdoctor.context import Context
    from llmdoctor.model import CheckResult

# Where a check sits in the chain; used to order checks and to rank root causes above symptoms.
PHASES = ("env", "config", "dns", "proxy", "tcp", "tls", "api", "timing", "other")


@runtime_checkable
class Check(Protocol):
    """A check declares a stable kebab-case `name`, the checks it `requires`, and `run`.

    The class docstring's first line is its help text in `llmdoctor checks`.
    """

    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]]
    phase: ClassVar[str]

    def run(self, ctx: Context) -> CheckResult: ...


class BaseCheck:
    """Convenience base class with the optional attributes filled in."""

    name: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ()
    phase: ClassVar[str] = "other"
    # Seconds this check may take at most, as a multiple of --timeout; None: the runner's default.
    budget_timeouts: ClassVar[float | None] = None
    # Opt-in checks run only when a setting asks for them (e.g. the completion probe).
    opt_in: ClassVar[str | None] = None

    def run(self, ctx: Context) -> CheckResult:  # pragma: no cover - abstract
        raise NotImplementedError
