"""Finds checks through the `llmdoctor.checks` entry-point group, validates and orders them.

Find, load and validate are separate steps (as in flake8's plugins/finder.py) so that one broken
plug-in is reported by name and never stops the others.
"""

from __future__ import annotations

import graphlib
import re
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from llmdoctor import DIST_NAME, distinfo
from llmdoctor.check import PHASES, CheckSpec, SpecError, spec_of

GROUP = "llmdoctor.checks"
BUILTIN_DIST = DIST_NAME
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class LoadedCheck:
    """A validated check, its declared spec and where it came from."""

    check: Any  # an instance fulfilling llmdoctor.check.Check (its `run` is all the runner calls)
    source: str  # "built-in" or the distribution's name
    spec: CheckSpec

    @classmethod
    def of(cls, check: Any, source: str = "built-in") -> LoadedCheck:
        return cls(check, source, spec_of(check))

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def description(self) -> str:
        return self.spec.description

    @property
    def requires(self) -> tuple[str, ...]:
        return self.spec.requires

    @property
    def phase(self) -> str:
        return self.spec.phase


@dataclass(frozen=True)
class PluginProblem:
    """A plug-in that could not be used, and why."""

    entry_point: str
    source: str
    problem: str

    def to_dict(self) -> dict[str, str]:
        return {"entry_point": self.entry_point, "source": self.source, "problem": self.problem}


@dataclass(frozen=True)
class Registry:
    checks: tuple[LoadedCheck, ...]  # in run order
    problems: tuple[PluginProblem, ...]

    def names(self) -> list[str]:
        return [c.name for c in self.checks]


def _source_of(ep: metadata.EntryPoint) -> str:
    dist = getattr(ep, "dist", None)
    name = (distinfo.field(dist, "Name") or "unknown") if dist is not None else "unknown"
    # Compared as PEP 503 normalises names: metadata may spell it llm_api_doctor.
    return "built-in" if _normal(str(name)) == _normal(BUILTIN_DIST) else str(name)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _instantiate(ep: metadata.EntryPoint) -> Any:
    loaded = ep.load()
    return loaded() if isinstance(loaded, type) else loaded


def _validate(obj: Any) -> CheckSpec | str:
    """The check's spec, or why it cannot be used."""
    name = getattr(obj, "name", None)
    if not isinstance(name, str) or not _NAME.match(name):
        return f"check name {name!r} is not a kebab-case id"
    try:
        spec = spec_of(obj)
    except SpecError as exc:
        return str(exc)
    if not callable(getattr(obj, "run", None)):
        return "check has no run(ctx) method"
    return spec


def discover(entry_points: list[metadata.EntryPoint] | None = None) -> Registry:
    """Loads every check of the group, rejects the invalid ones and orders the rest."""
    if entry_points is None:
        entry_points = list(metadata.entry_points(group=GROUP))
    problems: list[PluginProblem] = []
    candidates: dict[str, LoadedCheck] = {}
    # Reading a distribution's name parses its METADATA file (~1.3 ms): once per distribution, not
    # twice per entry point (the built-ins alone are a dozen entry points of one distribution).
    by_dist: dict[int, str] = {}
    sources: dict[int, str] = {}
    for ep in entry_points:
        dist = id(getattr(ep, "dist", None))
        if dist not in by_dist:
            by_dist[dist] = _source_of(ep)
        sources[id(ep)] = by_dist[dist]
    # Built-ins first, then plug-ins by name: a plug-in cannot shadow a built-in check.
    ordered = sorted(entry_points, key=lambda ep: (sources[id(ep)] != "built-in", sources[id(ep)], ep.name))
    for ep in ordered:
        source = sources[id(ep)]
        try:
            obj = _instantiate(ep)
        except Exception as exc:  # a broken plug-in must not stop the run
            problems.append(PluginProblem(ep.name, source, f"failed to import: {type(exc).__name__}: {exc}"))
            continue
        spec = _validate(obj)
        if isinstance(spec, str):
            problems.append(PluginProblem(ep.name, source, spec))
            continue
        if spec.name in candidates:
            first = candidates[spec.name].source
            problem = f"duplicate check id {spec.name!r} (already from {first})"
            if _normal(source) == "llmdoctor":
                problem += ("; an install of this project under its old distribution name 'llmdoctor': "
                            "pip uninstall llmdoctor, then reinstall llm-api-doctor")
            problems.append(PluginProblem(ep.name, source, problem))
            continue
        candidates[spec.name] = LoadedCheck(obj, source, spec)
    return order(candidates, problems)


def order(candidates: dict[str, LoadedCheck], problems: list[PluginProblem] | None = None) -> Registry:
    """The run order: every check after what it requires, reads and runs `after` (when present), ties
    broken by phase then name. Checks whose `requires` are unknown, or that form a cycle, are dropped
    with a problem each."""
    problems = problems if problems is not None else []
    # Drop checks with unknown prerequisites until stable (dropping one may orphan another).
    changed = True
    while changed:
        changed = False
        for name, check in list(candidates.items()):
            unknown = [r for r in check.requires if r not in candidates]
            if unknown:
                problems.append(PluginProblem(name, check.source, f"requires unknown check(s): {', '.join(unknown)}"))
                del candidates[name]
                changed = True
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for name in sorted(candidates):
        spec = candidates[name].spec
        # `reads`, `after` and `consults` only order: a missing one is no problem (it simply does not run).
        # `consults` orders the report and rules out a cycle of waits; the runner does not wait for it.
        sorter.add(name, *spec.requires, *(n for n in (*spec.reads, *spec.after, *spec.consults) if n in candidates))
    sequence: list[str] = []
    try:
        sorter.prepare()
    except graphlib.CycleError as exc:
        cycle = list(dict.fromkeys(exc.args[1]))
        for name in cycle:
            problems.append(PluginProblem(name, candidates[name].source, f"dependency cycle: {' -> '.join(cycle)}"))
            candidates.pop(name, None)
        return order(candidates, problems)
    # One node at a time, always the ready one earliest in the chain (phase, then name): deterministic.
    ready: set[str] = set()
    while sorter.is_active():
        ready.update(sorter.get_ready())
        name = min(ready, key=lambda n: (PHASES.index(candidates[n].phase), n))
        ready.discard(name)
        sequence.append(name)
        sorter.done(name)
    return Registry(tuple(candidates[n] for n in sequence), tuple(problems))
