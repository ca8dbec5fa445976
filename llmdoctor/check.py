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
    consults: ClassVar[tuple[str, ...]] = ()
    writes: ClassVar[tuple[str, ...]] = ()
    phase: ClassVar[str] = "other"
    # Seconds this check may take at most, as a multiple of --timeout; None: the runner's default.
    budget_timeouts: ClassVar[float | None] = None
    # Opt-in checks run only when asked for: `--enable NAME` (or `--only NAME`).
    opt_in: ClassVar[bool] = False
    # Machine facts no request needs: held back until the path waits on the wire (see CheckSpec).
    beside: ClassVar[bool] = False
    # Modules `run` imports (absolute names): loaded while the path waits on the wire.
    preload: ClassVar[tuple[str, ...]] = ()

    def run(self, ctx: Context) -> CheckResult:  # pragma: no cover - abstract
        raise NotImplementedError


def run_probe(module: str, name: str, ctx: Context) -> CheckResult:
    """`module.name().run(ctx)`: a check whose work lives in a module of its own (see `preload`)."""
    import importlib

    result: CheckResult = getattr(importlib.import_module(module), name)().run(ctx)
    return result


@dataclass(frozen=True)
class CheckSpec:
    """What a check declares, as the registry, the runner and the CLI read it.

    - `requires`: checks that must not have failed; a failed (or blocked) one skips this check.
    - `reads`: checks whose facts this check reads; they run first, and `--only` pulls them in.
    - `after`: order only: run after these when they are selected (never pulled in, never blocking).
    - `consults`: checks whose result this one may need only sometimes (`ctx.consult(name)` waits for it,
      e.g. a failed connect names the proxy the port scan found); the runner does not hold it back for
      them, so they run beside it. Never pulled in: a consulted check that is not selected gives None.
    - `writes`: the fact keys this check's result carries (documentation for the checks that read them).
    - `opt_in`: runs only with `--enable NAME` or `--only NAME` (e.g. a probe that costs tokens).
    - `beside`: facts about the machine that no request needs first (the OS proxy settings, a port
      scan): the runner starts it once the target's path waits on the wire (its first tls- or
      api-phase check), when a check consults it, or when nothing else is left, so its Python work
      fills a network wait instead of slowing the chain's first steps (llmdoctor/beside.py).
    - `preload`: modules `run` imports (absolute names); a check keeps them out of its module so that
      loading the registry stays cheap, and the runner imports them while the path waits on the
      wire, before the check needs them.
    """

    name: str
    phase: str = "other"
    requires: tuple[str, ...] = ()
    reads: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    consults: tuple[str, ...] = ()
    writes: tuple[str, ...] = ()
    opt_in: bool = False
    beside: bool = False
    preload: tuple[str, ...] = ()
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
                     consults=_names(obj, "consults"),
                     writes=_names(obj, "writes"), opt_in=bool(getattr(obj, "opt_in", False)),
                     beside=bool(getattr(obj, "beside", False)), preload=_names(obj, "preload"),
                     budget_timeouts=float(budget) if budget is not None else None,
                     description=doc.splitlines()[0] if doc else "")
