"""The models the key can see, and whether the one the user names is among them.

The implementation of `ModelsCheck` (checks/models.py): imported when the check runs, so a run's start does
not load the API modules before its first network wait (issue 18).
"""

from __future__ import annotations

from typing import Any

from llmdoctor.api.build import auth_headers, models_url, wire_provider
from llmdoctor.api.findings import from_classified, from_transport
from llmdoctor.api.models import MAX_IDS, closest, find, model_ids
from llmdoctor.api.session import Session
from llmdoctor.apierrors import classify_response
from llmdoctor.config import Target
from llmdoctor.context import Context
from llmdoctor.model import CheckResult, Finding, Status, from_findings, passed, skipped
from llmdoctor.net.http import HttpAnswer


def list_caveat(target: Target) -> str | None:
    """Why a provider's list may not match what the key may call (providers.json "list_caveat")."""
    return target.provider.list_caveat or None


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


# What to call for a model the list marks as made for another endpoint (LiteLLM's "mode", Azure's
# "capabilities", New API's "supported_endpoint_types"); chat-capable kinds need nothing.
_CALL_FOR = {
    "completion": ("completions", "client.completions.create(model=..., prompt=...) (POST /v1/completions)"),
    "responses": ("responses", "client.responses.create(model=..., input=...) (POST /v1/responses)"),
    "embedding": ("embeddings", "client.embeddings.create(model=..., input=...) (POST /v1/embeddings)"),
    "image_generation": ("images", "client.images.generate(model=..., prompt=...) (POST /v1/images/generations)"),
    "audio_transcription": ("audio", "client.audio.transcriptions.create(model=..., file=...)"),
    "audio_speech": ("audio", "client.audio.speech.create(model=..., input=..., voice=...)"),
    "rerank": ("rerank", "the relay's /rerank endpoint (not the OpenAI SDK's chat call)"),
    "moderation": ("moderations", "client.moderations.create(model=..., input=...)"),
}


def _listed_kind(ctx: Context, listed: str | None) -> str:
    kinds = ctx.fact("auth", "model_endpoints")
    if not isinstance(kinds, dict) or not listed:
        return ""
    kind = kinds.get(listed)
    return kind if isinstance(kind, str) else ""


def generation_finding(model: str, kind: str) -> Finding | None:
    """The list says the model is not a chat model: chat calls to it fail, whatever the key."""
    call = _CALL_FOR.get(kind)
    if call is None:
        return None
    needs, how = call
    return Finding("endpoint.wrong_generation",
                   f"the models list marks {model} as a {kind.replace('_', ' ')} model, so "
                   "client.chat.completions.create(...) (POST /chat/completions) cannot use it",
                   f"Call {how}, or pick a chat model from the list.", Status.WARN, 0.7,
                   {"needs_endpoint": needs, "listed_endpoint": kind})


class ModelsProbe:
    """The models the key can list, and whether the configured model is one of them."""

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
        if target.provider.api == "azure":  # the SDK sends a deployment name, which the list never shows
            return skipped(f"{caveat}; the completion probe (--probe-completion) checks deployment {model!r}", facts)
        how, listed = find(model, ids)
        facts["match"] = how
        kind = _listed_kind(ctx, listed)
        if kind:
            facts["listed_endpoint"] = kind
            wrong = generation_finding(model, kind)
            if wrong is not None:
                return from_findings("", [wrong], facts)
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
