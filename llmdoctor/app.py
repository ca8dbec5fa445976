"""One diagnosis run, from options to report. The engine: it never prints."""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from llmdoctor import environment, plugins
from llmdoctor.config import CliValues, ConfigError, Settings, build_targets
from llmdoctor.deadline import Deadline
from llmdoctor.dotenv import read_dotenv
from llmdoctor.report import Report, build_report
from llmdoctor.runner import OnResult, run_all


@dataclass(frozen=True)
class Selection:
    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()


def select_checks(registry: plugins.Registry, selection: Selection) -> list[plugins.LoadedCheck]:
    """--only and --skip by check id; an unknown id is a usage error."""
    known = set(registry.names())
    for name in (*selection.only, *selection.skip):
        if name not in known:
            raise ConfigError(f"unknown check {name!r} (see `llmdoctor checks`)")
    chosen = [c for c in registry.checks if not selection.only or c.name in selection.only]
    return [c for c in chosen if c.name not in selection.skip]


def run(cli: CliValues, settings: Settings, env: Mapping[str, str], cwd: Path,
        selection: Selection = Selection(), on_result: OnResult | None = None,
        registry: plugins.Registry | None = None) -> tuple[Report, Sequence[str]]:
    """Builds the targets, runs the checks, diagnoses; returns the report and the target names."""
    started = _dt.datetime.now(_dt.timezone.utc)
    clock = time.perf_counter()
    deadline = Deadline(settings.deadline)
    dotenv, _problem = read_dotenv(cwd)
    targets = build_targets(cli, env, dotenv)
    registry = registry or plugins.discover()
    checks = select_checks(registry, selection)
    outcomes = run_all(targets, checks, settings, env, dotenv, deadline, on_result)
    report = build_report(targets, outcomes, settings, env, registry.problems, started,
                          (time.perf_counter() - clock) * 1000,
                          environment.collect(env, [(t.name, t.base_url.value) for t in targets], settings.python))
    return report, [t.name for t in targets]
