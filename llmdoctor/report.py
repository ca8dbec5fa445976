"""The one report object every view renders; built once, scrubbed of secrets, versioned.

JSON schema: docs/report-schema.md; its version is `documents.SCHEMA_VERSIONS["report"]`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from llmdoctor import exitcodes
from llmdoctor.documents import header
from llmdoctor.model import CheckResult, Status
from llmdoctor.secrets import Scrubber, redact_url, scrubber_from_env

if TYPE_CHECKING:  # types only: `explain` builds its document here and must not pay for config and plugins
    from llmdoctor.config import Settings, Target
    from llmdoctor.explain import Explanation
    from llmdoctor.plugins import PluginProblem


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


def _in_language(results: Sequence[CheckResult], lang: str) -> list[CheckResult]:
    """The checks speak English; for `--lang zh` their summaries and messages are translated here,
    before the diagnosis quotes them as evidence and in the verdict (llmdoctor/i18n.py)."""
    if lang != "zh":
        return list(results)
    import dataclasses

    from llmdoctor.i18n import hint_zh, to_zh
    from llmdoctor.knowledge import load

    kb = load()

    def hint(finding: Any) -> str:
        # A hint no pattern knows is dropped rather than left English: the diagnosis puts a check's hint first
        # among a cause's fix steps, and an English step would lead the Chinese list (the cause's zh steps
        # remain). A plug-in's own code has no zh steps: its hint, English or not, is all the fix there is.
        return (hint_zh(finding.hint) or "") if finding.code in kb else to_zh(finding.hint)

    return [dataclasses.replace(r, summary=to_zh(r.summary), findings=tuple(
        dataclasses.replace(f, message=to_zh(f.message), hint=hint(f)) for f in r.findings)) for r in results]


def _cause_in_language(cause: dict[str, Any], lang: str) -> dict[str, Any]:
    """The evidence lines' "target/check: " in the language's punctuation (their messages already are)."""
    if lang == "zh":
        from llmdoctor.i18n import to_zh

        cause["evidence"] = [to_zh(line) for line in cause.get("evidence", [])]
    return cause


def _incomplete(problems: Sequence[PluginProblem], lang: str) -> str:
    names = ", ".join(dict.fromkeys(p.entry_point for p in problems))
    if lang == "zh":
        return f"有 {len(problems)} 个检查无法加载（{names}），本次诊断不完整；详见下面的插件问题。"
    many = "checks" if len(problems) > 1 else "check"
    return (f"{len(problems)} {many} could not be loaded ({names}), so this run is incomplete; "
            "see the plug-in problems below.")


def not_run(results: Sequence[CheckResult], requested: Sequence[str] = (), lang: str = "en") -> list[str]:
    """Why a run without failures still cannot be called healthy: a check asked for by name (--only)
    that did not run, checks the deadline cut off, or no check that ran at all (`target/check: why`)."""
    zh = lang == "zh"
    colon, semi, none_ran = ("：", "；", "没有运行任何检查") if zh else (": ", "; ", "no check ran")
    missing: list[str] = []
    for result in results:
        label = "/".join(x for x in (result.target, result.check) if x)
        if result.status is Status.SKIP and (result.check in requested or result.facts.get("deadline_passed")):
            missing.append(f"{label}{colon}{result.summary}")
    if results and all(r.status is Status.SKIP for r in results) and not missing:
        missing.append(none_ran + colon + semi.join(dict.fromkeys(r.summary for r in results)))
    if not results:
        missing.append(none_ran)
    return missing


def build_report(targets: Sequence[Target], outcomes: Mapping[str, Sequence[CheckResult]], settings: Settings,
                 env: Mapping[str, str], problems: Sequence[PluginProblem], started: _dt.datetime,
                 duration_ms: float, environment: Mapping[str, Any], scrub: Scrubber | None = None,
                 requested: Sequence[str] = ()) -> Report:
    """The report's data, scrubbed with `scrub` (the run's scrubber) or one built from the targets;
    `requested` names the checks --only asked for (one that did not run keeps the run unhealthy)."""
    from llmdoctor.api.build import advice_provider
    from llmdoctor.diagnosis import diagnose, verdict

    outcomes = {name: _in_language(results, settings.lang) for name, results in outcomes.items()}
    all_results = [r for t in targets for r in outcomes.get(t.name, [])]
    providers = {t.name: advice_provider(t) for t in targets}
    from llmdoctor.fixvalues import target_values

    causes = diagnose(all_results, lang=settings.lang, providers=providers,
                      values={t.name: target_values(t) for t in targets})
    incomplete = not_run(all_results, requested, settings.lang)
    sentence = verdict(causes, all_results, settings.lang, incomplete)
    failed = any(r.status.blocks_dependents for r in all_results)
    # Checks that never loaded checked nothing: such a run is incomplete, never healthy (a user's own
    # checks.py once shadowed the built-ins and the report said "healthy" with no check run).
    unhealthy = failed or bool(problems) or bool(incomplete)
    if problems and not failed:
        sentence = _incomplete(problems, settings.lang)
    data = {
        **header("report"),
        "generated_at": started.astimezone(_dt.timezone.utc).isoformat(timespec="seconds"),
        "duration_ms": round(duration_ms, 1),
        "lang": settings.lang,
        "exit_code": exitcodes.PROBLEM if unhealthy else exitcodes.OK,
        "healthy": not unhealthy,
        "verdict": sentence,
        "not_run": incomplete,
        "causes": [_cause_in_language(c.to_dict(), settings.lang) for c in causes],
        "targets": [_target_dict(t, outcomes.get(t.name, []), settings.redact_hosts) for t in targets],
        "settings": settings_dict(settings),
        "plugin_problems": [p.to_dict() for p in problems],
        "request_ids": _request_ids(all_results),
        "environment": dict(environment),
    }
    if scrub is None:
        from llmdoctor.config import scrubber_for

        scrub = scrubber_for(targets, env, settings)
    return Report(scrub.scrub_data(data))  # type: ignore[arg-type]


_NOT_RECOGNISED = {
    "en": "Not recognised. Run llmdoctor for a live diagnosis of your configuration and network.",
    "zh": "无法识别这段错误信息。请运行 llmdoctor 做一次实时诊断。",
}


def _most_likely(top: Mapping[str, Any], tell: str, lang: str) -> str:
    """A guess said as one, with what would confirm it: the tell, else the first fix step."""
    confirm = (tell or (top.get("fix") or [""])[0]).rstrip("。.")
    title = str(top["title"])
    if lang == "zh":
        return f"最可能的原因：{title}；确认方法：{confirm}。" if confirm else f"最可能的原因：{title}。"
    said = title[:1].lower() + title[1:] if title[1:2].islower() else title
    return f"Most likely: {said}; to confirm: {confirm}." if confirm else f"Most likely: {said}."


def explanation_report(explanation: Explanation, lang: str, env: Mapping[str, str]) -> Report:
    """`llmdoctor explain`'s document: the causes a pasted error shows, scrubbed of the environment's secrets.

    `healthy` and `exit_code` mean what they mean in the run report: a recognised problem is exit 1 and
    not healthy; a text with no known problem in it is exit 0, healthy, `recognised: false`."""
    body = explanation.to_dict()
    causes = body["causes"]
    if lang == "zh":  # the evidence quotes the parsed error in English sentences
        from llmdoctor.i18n import to_zh

        for cause in causes:
            cause["evidence"] = [to_zh(line) for line in cause.get("evidence", [])]
    if explanation.recognised and causes and explanation.likely:  # the most frequent cause, not a named one
        verdict_text = _most_likely(causes[0], explanation.tells.get(causes[0]["id"], ""), lang)
    elif explanation.recognised and causes:
        verdict_text = causes[0]["title"]
    elif explanation.ambiguous:  # never a weak guess as the verdict: the candidates and what tells them apart
        from llmdoctor.signatures.ambiguity import RUN_HINT

        hint = RUN_HINT.get(lang, RUN_HINT["en"])
        verdict_text = hint[:1].upper() + hint[1:] + ("。" if lang == "zh" else ".")
    else:
        verdict_text = _NOT_RECOGNISED.get(lang, _NOT_RECOGNISED["en"])
    # an error this text alone does not decide is still a problem seen: not healthy, exit 1
    problem = explanation.recognised or explanation.ambiguous
    data = {
        **header("explain"),
        "lang": lang,
        "recognised": explanation.recognised,
        "ambiguous": explanation.ambiguous,
        "likely": explanation.likely,  # the verdict is the most frequent cause for this wording, said as a guess
        "healthy": not problem,
        "verdict": verdict_text,
        "causes": causes,  # an ambiguous text's candidates each carry `tells`: what would decide it
        "facts": body["facts"],
        "exit_code": exitcodes.PROBLEM if problem else exitcodes.OK,
    }
    return Report(scrubber_from_env(env).scrub_data(data))  # type: ignore[arg-type]
