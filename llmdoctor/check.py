"""The contract every check, built-in or third-party, fulfils: a class with declared metadata and `run`.

`CheckSpec` is that metadata as one typed value. The registry builds it from the class attributes
(validated once, at load time), the runner and the CLI read only the spec, and plug-ins declare the same
attributes as built-ins: there is no second way in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

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
    """Convenience base class with the optional attributes filled in (see `CheckSpec` for their meaning)."""

    name: ClassVar[str] = ""
    requires: ClassVar[tuple[str, ...]] = ()
    after: ClassVar[tuple[str, ...]] = ()
    reads: ClassVar[tuple[str, ...]] = ()
    writes: ClassVar[tuple[str, ...]] = ()
    phase: ClassVar[str] = "other"
    # Seconds this check may take at most, as a multiple of --timeout; None: the runner's default.
    budget_timeouts: ClassVar[float | None] = None
    # Opt-in checks run only when asked for: `--enable NAME` (or `--only NAME`).
    opt_in: ClassVar[bool] = False

    def run(self, ctx: Context) -> CheckResult:  # pragma: no cover - abstract
        raise NotImplementedError


@dataclass(frozen=True)
class CheckSpec:
    """What a check declares, as the registry, the runner and the CLI read it.

    - `requires`: checks that must not have failed; a failed (or blocked) one skips this check.
    - `reads`: checks whose facts this check reads; they run first, and `--only` pulls them in.
    - `after`: order only: run after these when they are selected (never pulled in, never blocking).
    - `writes`: the fact keys this check's result carries (documentation for the checks that read them).
    - `opt_in`: runs only with `--enable NAME` or `--only NAME` (e.g. a probe that costs tokens).
    """

    name: str
    phase: str = "other"
    requires: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    opt_in: bool = False
    budget_timeouts: float | None = None
    description: str = ""

    @property
    def needs(self) -> tuple[str, ...]:
        """What must run before this check if it is selected at all (`--only` pulls these in)."""
        return tuple(dict.fromkeys((*self.requires, *self.reads)))


class SpecError(ValueError):
    """A check's declared metadata is unusable; the message says which attribute and why."""


def _names(obj: Any, attribute: str) -> tuple[str, ...]:
    value = getattr(obj, attribute, ())
    if value is None:
        return ()
    if isinstance(value, str) or not isinstance(value, Sequence) or not all(isinstance(v, str) for v in value):
        raise SpecError(f"`{attribute}` must be a tuple of check names")
    return tuple(value)


def spec_of(obj: Any) -> CheckSpec:
    """The spec a check object declares; SpecError when an attribute has the wrong shape."""
    name = getattr(obj, "name", None)
    if not isinstance(name, str):
        raise SpecError(f"check name {name!r} is not a kebab-case id")
    phase = getattr(obj, "phase", "other")
    budget = getattr(obj, "budget_timeouts", None)
    if budget is not None and (not isinstance(budget, (int, float)) or isinstance(budget, bool) or budget <= 0):
        raise SpecError("`budget_timeouts` must be a positive number")
    doc = (getattr(type(obj), "__doc__", None) or "").strip()
    # Older plug-ins named a settings field in `opt_in`; any true value means opt-in.
    return CheckSpec(name=name, phase=phase if phase in PHASES else "other",
                     requires=_names(obj, "requires"), reads=_names(obj, "reads"), after=_names(obj, "after"),
                     writes=_names(obj, "writes"), opt_in=bool(getattr(obj, "opt_in", False)),
                     budget_timeouts=float(budget) if budget is not None else None,
                     description=doc.splitlines()[0] if doc else "")
