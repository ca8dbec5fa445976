"""One minimal streamed generation (opt-in: it costs tokens): credit, model access and streaming."""

from __future__ import annotations

import time
from typing import Any

from llmdoctor.api.build import completion_request, key_refusal, wire_provider
from llmdoctor.api.findings import from_classified, from_transport
from llmdoctor.api.models import find
from llmdoctor.api.session import Session
from llmdoctor.api.stream import STALL_MS, analyse
from llmdoctor.apierrors import classify_response
from llmdoctor.check import BaseCheck
from llmdoctor.context import Context
from llmdoctor.model import CheckResult, Finding, Status, from_findings, skipped
from llmdoctor.net.http import HttpAnswer

_NOT_CHAT = ("embed", "whisper", "tts", "dall-e", "moderation", "rerank", "audio", "image", "transcribe")
_STREAM_HINT = ("Something between you and the API buffers the stream: a relay, a reverse proxy (nginx: "
                "proxy_buffering off; X-Accel-Buffering: no) or a corporate proxy. Streaming clients then wait "
                "for the whole answer, and read timeouts meant for the first token fire.")


def pick_model(ctx: Context, probe_model: str) -> tuple[str, str]:
    """(model, where it came from): the configured one, the provider's cheap default, or a listed one."""
    target = ctx.target
    if target.model and target.model.value.strip():
        return target.model.value.strip(), target.model.source
    listed = ctx.fact("auth", "models")
    ids = [str(i) for i in listed] if isinstance(listed, list) else []
    if probe_model and (not ids or find(probe_model, ids)[0] != "absent"):
        return probe_model, "llmdoctor's default for this provider"
    chat = [i for i in ids if not any(word in i.lower() for word in _NOT_CHAT)]
    if chat:
        return chat[0], "the first model the server lists"
    return probe_model, "llmdoctor's default for this provider" if probe_model else ""


class CompletionCheck(BaseCheck):
    """One minimal streamed generation (opt-in, costs tokens): credit, model access, streaming."""

    name = "completion"
    requires = ("auth",)
    phase = "api"
    opt_in = True  # costs a few tokens: --enable completion (or --probe-completion)
    writes = ("ttfb_ms", "responses")
    budget_timeouts = 4

    def run(self, ctx: Context) -> CheckResult:
        target = ctx.target
        provider = wire_provider(target)
        model, source = pick_model(ctx, provider.probe_model or target.provider.probe_model)
        if not model:
            var = (target.provider.model_env or ("--model",))[0]
            return skipped(f"no model to probe: set --model or {var}")
        url, headers, body = completion_request(target, provider, model)
        param = next((k for k in ("max_completion_tokens", "max_tokens") if k in body), "")
        facts: dict[str, Any] = {"url": url, "model": model, "model_source": source, "token_param": param}
        refusal = key_refusal(url, ctx.settings, target.api_key is not None and provider.auth != "none")
        if refusal:
            return from_findings("", [Finding("config.insecure_http", refusal, "Use https://.", Status.FAIL, 0.9)],
                                 facts)
        session = Session(ctx, headers)
        chunks: list[tuple[float, bytes]] = []
        start = time.perf_counter()
        answer = session.send("POST", url, "completion", json_body=body, follow=False,
                              on_chunk=lambda c: chunks.append(((time.perf_counter() - start) * 1000, c)))
        where = f"POST {url} (model {model})"
        findings: list[Finding] = []
        if not isinstance(answer, HttpAnswer):
            findings = self._broken(answer, list(chunks), target, where, facts, provider.api)
        else:
            facts.update(status=answer.status, content_type=answer.content_type, http_version=answer.http_version,
                         connection=answer.connection, **{f"{k}_ms": v for k, v in answer.timings.items()})
            if not 200 <= answer.status < 300:
                found = classify_response(answer.status, answer.body, answer.headers, provider.id, "chat")
                findings = from_classified(found, target, where)
            else:
                findings = self._streamed(answer, chunks, provider.api, target, where, facts)
        facts.update(request_ids=session.request_ids, responses=session.responses)
        ok = f"{model} answered: first byte {facts.get('ttfb_ms')} ms, first token {facts.get('first_token_ms')} ms"
        return from_findings(ok, findings, facts)

    def _broken(self, failure: Any, chunks: list[tuple[float, bytes]], target: Any, where: str,
                facts: dict[str, Any], api: str) -> list[Finding]:
        """A transport error; after some events, that is a stream that stalled until the read timeout."""
        if not chunks:
            return [from_transport(failure, target, where)]
        report = analyse(chunks, api)
        facts.update(report.facts())
        return [Finding("net.stream_stalled",
                        f"{where}: the stream stopped after {len(report.events)} events and "
                        f"{chunks[-1][0]:.0f} ms, then {failure.message}",
                        "A relay or proxy dropped or stalled the stream, or the server stopped sending. Retry; if "
                        "it repeats, try without the relay or proxy to see which one stalls.",
                        Status.FAIL, 0.8, {"transport_cause": failure.cause})]

    def _streamed(self, answer: HttpAnswer, chunks: list[tuple[float, bytes]], api: str, target: Any,
                  where: str, facts: dict[str, Any]) -> list[Finding]:
        if "event-stream" not in answer.content_type:
            found = classify_response(answer.status, answer.body, answer.headers, target.provider.id, "chat")
            if found:
                return from_classified(found, target, where)
            return [Finding("net.stream_buffered", f"{where}: the server ignored \"stream\": true and answered "
                            f"with one {answer.content_type or 'untyped'} body", _STREAM_HINT, Status.WARN, 0.6)]
        report = analyse(chunks, api, answer.headers)
        facts.update(report.facts())
        findings: list[Finding] = []
        if report.error:
            found = classify_response(None, report.error, answer.headers, target.provider.id, "chat")
            findings += from_classified(found, target, f"{where}, inside the stream")
        if not report.events:
            findings.append(Finding("server.protocol_error", f"{where}: HTTP {answer.status} event stream without "
                                    "a single event", "Check the relay or proxy in between.", Status.FAIL, 0.6))
        if report.buffered:
            findings.append(Finding("net.stream_buffered", f"{where}: the stream arrived all at once: "
                                    f"{report.buffered}", _STREAM_HINT, Status.WARN, 0.7))
        if report.max_gap_ms > STALL_MS:
            findings.append(Finding("net.stream_stalled", f"{where}: the stream went silent for "
                                    f"{report.max_gap_ms:.0f} ms after the first token",
                                    "A relay or proxy holds the stream back, or the server is overloaded; set your "
                                    "read timeout above this gap or retry.", Status.WARN, 0.6,
                                    {"max_gap_ms": round(report.max_gap_ms, 1)}))
        return findings
