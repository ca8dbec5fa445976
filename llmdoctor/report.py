"""The one report object every view renders; built once, scrubbed of secrets, versioned.

JSON schema: docs/report-schema.md. Bump SCHEMA_VERSION's major part on any incompatible change.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from llmdoctor import __version__
from llmdoctor.config import Settings, Target
from llmdoctor.model import CheckResult, Status
from llmdoctor.plugins import PluginProblem
from llmdoctor.secrets import Scrubber, redact_url

SCHEMA_VERSION = "1.0"

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class Report:
    data: Mapping[str, Any]  # already scrubbed: safe to print, save and send

    @property
    def exit_code(self) -> int:
        return int(self.data["exit_code"])


def _worst(results: Sequence[CheckResult]) -> Status:
    worst = Status.PASS
    for result in results:
        if result.status.severity > worst.severity:
            worst = result.status
    return worst


def _target_dict(target: Target, results: Sequence[CheckResult], hide_host: bool) -> dict[str, Any]:
    return {
        "name": target.name,
        "provider": target.provider.id,
        "provider_name": target.provider.name,
        "base_url": redact_url(target.base_url.value),
        "base_url_source": target.base_url.source,
        "auth_style": target.auth,
        "key": target.key_facts(),
        "model": {"value": target.model.value, "source": target.model.source} if target.model else None,
        "status": _worst(results).value,
        "results": [r.to_dict() for r in results],
    }


def _request_ids(results: Sequence[CheckResult]) -> list[dict[str, Any]]:
    seen = []
    for result in results:
        for item in result.facts.get("request_ids", []) or []:
            if isinstance(item, dict):
                seen.append({"target": result.target, "check": result.check, **item})
    return seen


def settings_dict(settings: Settings) -> dict[str, Any]:
    return {
        "timeout_s": settings.timeout,
        "deadline_s": settings.deadline,
        "proxy_override": redact_url(settings.proxy) if settings.proxy else None,
        "no_proxy": settings.no_proxy,
        "dns_servers": [f"{a}:{p}" for a, p in settings.dns_servers],
        "resolve": [f"{h}:{p}:{a}" for (h, p), a in settings.resolve.items()],
        "allow_insecure": settings.allow_insecure,
        "enabled": sorted(settings.enabled),
        "client_timeout_s": settings.client_timeout,
    }


def scrubber_for(targets: Sequence[Target], env: Mapping[str, str], settings: Settings) -> Scrubber:
    """Registers every secret this run knows: keys, proxy passwords, and hosts under --redact-hosts."""
    scrub = Scrubber()
    for target in targets:
        if target.api_key:
            scrub.add(target.api_key.reveal())
    proxy_values = [v for k, v in env.items() if k.lower().endswith("_proxy")]
    if settings.proxy:
        proxy_values.append(settings.proxy)
    for value in proxy_values:
        scrub.add_proxy_url(value)
    if settings.redact_hosts:
        for index, target in enumerate(targets, 1):
            if target.host and not target.provider.owns_host(target.host):
                scrub.replace(target.host, f"relay-host-{index}")
    return scrub


def not_run(results: Sequence[CheckResult], requested: Sequence[str] = ()) -> list[str]:
    """Why a run without failures still cannot be called healthy: a check asked for by name (--only)
    that did not run, checks the deadline cut off, or no check that ran at all (`target/check: why`)."""
    missing: list[str] = []
    for result in results:
        label = "/".join(x for x in (result.target, result.check) if x)
        if result.status is Status.SKIP and (result.check in requested or result.facts.get("deadline_passed")):
            missing.append(f"{label}: {result.summary}")
    if results and all(r.status is Status.SKIP for r in results) and not missing:
        missing.append("no check ran: " + "; ".join(dict.fromkeys(r.summary for r in results)))
    if not results:
        missing.append("no check ran")
    return missing


def build_report(targets: Sequence[Target], outcomes: Mapping[str, Sequence[CheckResult]], settings: Settings,
                 env: Mapping[str, str], problems: Sequence[PluginProblem], started: _dt.datetime,
                 duration_ms: float, environment: Mapping[str, Any], requested: Sequence[str] = ()) -> Report:
    from llmdoctor.api.build import advice_provider
    from llmdoctor.diagnosis import diagnose, verdict

    all_results = [r for t in targets for r in outcomes.get(t.name, [])]
    providers = {t.name: advice_provider(t) for t in targets}
    from llmdoctor.fixvalues import target_values

    causes = diagnose(all_results, lang=settings.lang, providers=providers,
                      values={t.name: target_values(t) for t in targets})
    incomplete = not_run(all_results, requested)
    sentence = verdict(causes, all_results, settings.lang, incomplete)
    unhealthy = any(r.status.blocks_dependents for r in all_results) or bool(incomplete)
    data = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "llmdoctor", "version": __version__},
        "generated_at": started.astimezone(_dt.timezone.utc).isoformat(timespec="seconds"),
        "duration_ms": round(duration_ms, 1),
        "lang": settings.lang,
        "exit_code": EXIT_PROBLEM if unhealthy else EXIT_OK,
        "healthy": not unhealthy,
        "verdict": sentence,
        "not_run": incomplete,
        "causes": [c.to_dict() for c in causes],
        "targets": [_target_dict(t, outcomes.get(t.name, []), settings.redact_hosts) for t in targets],
        "settings": settings_dict(settings),
        "plugin_problems": [p.to_dict() for p in problems],
        "request_ids": _request_ids(all_results),
        "environment": dict(environment),
    }
    scrub = scrubber_for(targets, env, settings)
    return Report(scrub.scrub_data(data))  # type: ignore[arg-type]
