"""One way to run any check in a test: build a real Context, run the check, return its result."""

from __future__ import annotations

import dataclasses
import os
import select
import subprocess
import time
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from llmdoctor import providers
from llmdoctor.check import BaseCheck
from llmdoctor.config import CliValues, Settings, Target, _target_for, build_targets
from llmdoctor.context import Context
from llmdoctor.deadline import Deadline
from llmdoctor.model import CheckResult
from llmdoctor.net.http import HttpClientFactory


def make_target(provider: str = "openai", base_url: str | None = None, api_key: str | None = None,
                model: str | None = None, env: Mapping[str, str] | None = None,
                dotenv: Mapping[str, str] | None = None) -> Target:
    """A target as the CLI would build it for `--provider P --base-url U --api-key K`."""
    cli = CliValues(provider=provider, base_url=base_url, api_key=api_key, model=model)
    if provider:
        return _target_for(providers.get(provider), dict(env or {}), dict(dotenv or {}), cli)
    return build_targets(cli, dict(env or {}), dict(dotenv or {}))[0]


def make_context(target: Target | None = None, settings: Settings | None = None,
                 env: Mapping[str, str] | None = None, results: Mapping[str, CheckResult] | None = None,
                 dotenv: Mapping[str, str] | None = None, **settings_overrides: Any) -> Context:
    if settings_overrides.pop("probe_completion", False):  # the old flag's name, as the CLI's alias
        settings_overrides["enabled"] = frozenset({"completion"})
    settings = settings or Settings(**settings_overrides)
    env = MappingProxyType(dict(env or {}))
    deadline = Deadline(settings.deadline)
    return Context(
        target=target or make_target(),
        settings=settings,
        env=env,
        dotenv=MappingProxyType(dict(dotenv or {})),
        results=MappingProxyType(dict(results or {})),
        deadline=deadline,
        http=HttpClientFactory(settings, env, deadline),
    )


def run_check(check: type[BaseCheck] | BaseCheck, ctx: Context | None = None, **context_args: Any) -> CheckResult:
    """Runs a check exactly as the runner would see it (minus the thread), stamping its name."""
    instance = check() if isinstance(check, type) else check
    ctx = ctx or make_context(**context_args)
    result = instance.run(ctx)
    assert isinstance(result, CheckResult), f"{instance.name} returned {type(result).__name__}"
    return CheckResult(result.status, result.summary, result.findings, result.facts, instance.name,
                       ctx.target.name, result.duration_ms)


def run_chain(check_classes: list[type[BaseCheck]], target: Target, http: HttpClientFactory | None = None,
              **context_args: Any) -> dict[str, CheckResult]:
    """Runs several checks in order for one target, each seeing the earlier results and sharing one
    HTTP factory (so a connection is handed along the chain), as the runner does. The factory is
    closed at the end, unless the caller passed its own `http` to look into or to go on with."""
    results: dict[str, CheckResult] = {}
    factory = http or make_context(target=target, **context_args).http
    try:
        for cls in check_classes:
            ctx = dataclasses.replace(make_context(target=target, results=results, **context_args), http=factory)
            results[cls.name] = run_check(cls, ctx)
    finally:
        if http is None:
            factory.close()
    return results


def codes(result: CheckResult) -> list[str]:
    """The cause ids a result carries, worst first."""
    return [f.code for f in result.findings]


def read_pty(master: int, proc: subprocess.Popen[Any], timeout: float = 60,
             answer: Callable[[bytes], bytes | None] | None = None) -> bytes:
    """Everything a child draws on a pseudo-terminal until it closes it or exits, within `timeout`.

    `answer(seen)` is asked after each chunk until it returns bytes, which are typed once (a prompt's reply).
    """
    out = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
            reply = answer(out) if answer is not None else None
            if reply is not None:
                os.write(master, reply)
                answer = None
        elif proc.poll() is not None:
            break
    return out


def reading(result: Any) -> str:
    """What explain's answer says, in the corpus's terms (benchmarks/explain_eval.py): the top cause,
    "ambiguous" when the text alone does not tell, "unrecognised" when nothing is known."""
    if result.ambiguous:
        return "ambiguous"
    return str(result.causes[0].id) if result.causes else "unrecognised"
