"""The models the key can see, and whether the one the user names is among them."""

from __future__ import annotations

from typing import Any

from llmdoctor.api.build import auth_headers, models_url, wire_provider
from llmdoctor.api.findings import from_classified, from_transport
from llmdoctor.api.models import MAX_IDS, closest, find, model_ids
from llmdoctor.api.session import Session
from llmdoctor.apierrors import classify_response
from llmdoctor.check import BaseCheck
from llmdoctor.config import Target
from llmdoctor.context import Context
from llmdoctor.model import CheckResult, Finding, Status, from_findings, passed, skipped
from llmdoctor.net.http import HttpAnswer


def list_caveat(target: Target) -> str | None:
    """Why a provider's list may not match what the key may call."""
    pid = target.provider.id
    if pid == "openrouter":
        return "OpenRouter lists every model it routes to, whatever the key or account may use"
    if pid == "relay":
        return "relays often return a fixed list, or every model of every channel, whatever the key may use"
    if pid == "azure":
        return "Azure lists the base models of the resource, not your deployments (the name the SDK sends)"
    return None


def _fetch_list(ctx: Context) -> tuple[list[str] | None, list[Finding], dict[str, Any]]:
    """Only when the auth check used another request (OpenRouter's /key): GET the models list."""
    target = ctx.target
    provider = wire_provider(target)
    url = models_url(target, provider, for_auth=False)
    session = Session(ctx, auth_headers(target, provider))
    answer = session.send("GET", url, "models", follow=False)
    facts: dict[str, Any] = {"url": url, "request_ids": session.request_ids, "responses": session.responses}
    where = f"GET {url}"
    if not isinstance(answer, HttpAnswer):
        return None, [from_transport(answer, target, where)], facts
    classified = classify_response(answer.status, answer.body, answer.headers, provider.id, "models")
    if classified:
        return None, from_classified(classified, target, where), facts
    return model_ids(answer.body), [], facts


class ModelsCheck(BaseCheck):
    """The models the key can list, and whether the configured model is one of them."""

    name = "models"
    requires = ("auth",)
    phase = "api"

    def run(self, ctx: Context) -> CheckResult:
        target = ctx.target
        facts: dict[str, Any] = {}
        ids_fact = ctx.fact("auth", "models")
        ids: list[str] | None = list(ids_fact) if isinstance(ids_fact, list) else None
        total_fact = ctx.fact("auth", "models_total")
        total = total_fact if isinstance(total_fact, int) else len(ids or [])
        if ids is None and target.provider.auth_path:
            ids, problems, facts = _fetch_list(ctx)
            if problems:
                return from_findings("", problems, facts)
            total = len(ids or [])
            ids = (ids or [])[:MAX_IDS]
        if ids is None:
            return skipped("the auth check did not get a model list", facts)
        caveat = list_caveat(target)
        facts.update(count=total, sample=ids[:20], list_reflects_access=caveat is None)
        if caveat:
            facts["caveat"] = caveat
        model = target.model.value.strip() if target.model else ""
        if not model:
            note = f" ({caveat})" if caveat else ""
            return passed(f"{total} models listed; no model configured ({self._how_to_set(target)})"
                          + note, facts)
        facts.update(model=model, model_source=target.model.source if target.model else "")
        if target.provider.id == "azure":
            return skipped(f"{caveat}; the completion probe (--probe-completion) checks deployment {model!r}", facts)
        how, listed = find(model, ids)
        facts["match"] = how
        if how == "exact":
            return passed(f"{model} is listed ({total} models)", facts)
        if how == "alias":
            return passed(f"{model} is an alias; the list has {listed}", facts)
        if how == "case":
            return from_findings("", [Finding(
                "model.not_found", f"{model} is not listed, but {listed} is: model names are case-sensitive",
                f"Use {listed} (from {facts['model_source']}).", Status.FAIL, 0.85, {"suggestions": [listed]})],
                facts)
        return from_findings("", [self._absent(target, model, ids, total, caveat, facts)], facts)

    @staticmethod
    def _how_to_set(target: Target) -> str:
        """Where a model is chosen: the option, and the provider's variable when it has one."""
        variables = target.provider.model_env
        return f"--model or {variables[0]}" if variables else "--model"

    def _absent(self, target: Target, model: str, ids: list[str], total: int, caveat: str | None,
                facts: dict[str, Any]) -> Finding:
        suggestions = closest(model, ids)
        facts["suggestions"] = suggestions
        near = f"; closest: {', '.join(suggestions)}" if suggestions else ""
        partial = f" (the first {len(ids)} of {total} were compared)" if total > len(ids) else ""
        message = f"{model} (from {facts['model_source']}) is not among the {total} models listed{partial}{near}"
        if target.provider.missing_model_hint:
            hint = target.provider.missing_model_hint.format(model=model) + \
                (f", or use {suggestions[0]}" if suggestions else "")
        else:
            hint = (f"Use one of the listed names, e.g. {suggestions[0]}" if suggestions
                    else "Use a model name from the provider's list") + \
                f" (set {self._how_to_set(target)})."
        if caveat:
            hint += f" Note: {caveat}, so the list is not proof either way; the completion probe is."
            return Finding("model.not_found", message, hint, Status.WARN, 0.5, {"suggestions": suggestions})
        return Finding("model.not_found", message, hint, Status.FAIL, 0.85, {"suggestions": suggestions})
