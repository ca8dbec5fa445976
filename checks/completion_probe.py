"""One minimal generation, streamed then not (opt-in: it costs tokens): credit, model access, streaming,
and whether the official SDK could parse each answer (llmdoctor/api/shape.py).

The implementation of `CompletionCheck` (checks/completion.py): imported when the check runs, so a run's start does
not load the API modules before its first network wait (issue 18).
"""

from __future__ import annotations

import time
from typing import Any

from llmdoctor.api.build import PROMPT, completion_request, key_refusal, wire_provider
from llmdoctor.api.findings import from_classified, from_transport
from llmdoctor.api.models import find
from llmdoctor.api.session import Session
from llmdoctor.api.shape import STREAM_BROKEN, UNPARSEABLE, Deviation, plain, responses_body, stream
from llmdoctor.api.stream import STALL_MS, analyse
from llmdoctor.apierrors import classify_response
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


class CompletionProbe:
    """One minimal streamed generation (opt-in, costs tokens): credit, model access, streaming."""

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
                findings = _with_account(from_classified(found, target, where), ctx, provider)
                if findings and findings[0].facts.get("needs_endpoint") == "responses" and provider.api == "openai":
                    findings = self._responses(session, model, target, findings, facts)
            else:
                findings = self._streamed(answer, chunks, provider.api, target, where, facts)
                if provider.api in ("openai", "anthropic", "azure") and not facts.get("stream_ignored") \
                        and not any(f.severity is Status.FAIL for f in findings):
                    findings += self._plain(session, url, body, provider.api, target, where, facts)
        facts.update(request_ids=session.request_ids, responses=session.responses)
        ok = f"{model} answered: first byte {facts.get('ttfb_ms')} ms, first token {facts.get('first_token_ms')} ms"
        return from_findings(ok, findings, facts)

    def _responses(self, session: Session, model: str, target: Any, findings: list[Finding],
                   facts: dict[str, Any]) -> list[Finding]:
        """The server said the model answers only on the Responses API: ask it there, once, and say
        whether that call works (and parses) before telling the user to switch."""
        url = target.base_url.value.rstrip("/") + "/responses"
        session.headers = {**session.headers, "accept": "application/json"}
        answer = session.send("POST", url, "completion (responses)", follow=False,
                              json_body={"model": model, "input": PROMPT, "max_output_tokens": 16})
        top = findings[0]
        if not isinstance(answer, HttpAnswer):
            return findings
        facts["responses_status"] = answer.status
        if not 200 <= answer.status < 300:
            note = f"; POST {url} answered HTTP {answer.status} too, so this server cannot serve {model} at all"
            return [Finding(top.code, top.message + note, top.hint, top.severity, top.confidence, top.facts),
                    *findings[1:]]
        deviation = responses_body(answer.content_type, answer.body)
        if deviation is not None:
            return [*findings, _finding(deviation, f"POST {url} (model {model})", "responses", facts)]
        note = f"; POST {url} does answer for {model} (checked)"
        return [Finding(top.code, top.message + note, top.hint, top.severity, top.confidence,
                        {**top.facts, "responses_endpoint": "works"}), *findings[1:]]

    def _plain(self, session: Session, url: str, body: dict[str, Any], api: str, target: Any, where: str,
               facts: dict[str, Any]) -> list[Finding]:
        """The same request without "stream", as most SDK calls send it: a relay may convert one and not
        the other. Errors here were already shown by the streamed request, so only the shape counts."""
        plain_body = {k: v for k, v in body.items() if k != "stream"}
        session.headers = {**session.headers, "accept": "application/json"}
        answer = session.send("POST", url, "completion", json_body=plain_body, follow=False)
        if not isinstance(answer, HttpAnswer):
            if answer.facts.get("exception") == "DecodingError":
                return [_bad_encoding(answer.message, target, f"{where}, not streamed", api, "plain")]
            return []
        facts["plain_status"] = answer.status
        if not 200 <= answer.status < 300:
            return []
        deviation = plain(api, answer.content_type, answer.body)
        if deviation is None:
            return []
        found = classify_response(answer.status, answer.body, answer.headers, target.provider.id, "chat")
        if found and "error object" in deviation.problem:  # an error sent with 200: its meaning comes first
            top = from_classified(found, target, f"{where}, not streamed")[0]
            return [Finding(top.code, f"{top.message} (sent with HTTP {answer.status}, so {deviation.sdk})",
                            top.hint, Status.FAIL, top.confidence,
                            {**top.facts, **deviation.facts(), "request": "plain"})]
        return [_finding(deviation, where, "plain", facts)]

    def _broken(self, failure: Any, chunks: list[tuple[float, bytes]], target: Any, where: str,
                facts: dict[str, Any], api: str) -> list[Finding]:
        """A transport error; after some events, that is a stream that stalled until the read timeout."""
        if not chunks:
            if failure.facts.get("exception") == "DecodingError":
                return [_bad_encoding(failure.message, target, where, api, "stream")]
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
        if "event-stream" not in answer.content_type and not _looks_like_sse(answer.body):
            return self._whole_body(answer, api, target, where, facts)
        report = analyse(chunks, api, answer.headers)
        facts.update(report.facts())
        findings: list[Finding] = []
        if report.error:
            found = classify_response(None, report.error, answer.headers, target.provider.id, "chat")
            findings += from_classified(found, target, f"{where}, inside the stream")
        deviation = stream(api, answer.content_type, report.events, answer.body)
        if deviation and not (report.error and deviation.outcome == "ends silently"):
            findings.append(_finding(deviation, where, "stream", facts))
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

    def _whole_body(self, answer: HttpAnswer, api: str, target: Any, where: str,
                    facts: dict[str, Any]) -> list[Finding]:
        """One body for a streamed request: an error sent with 200, a page, or the server ignored stream."""
        found = classify_response(answer.status, answer.body, answer.headers, target.provider.id, "chat")
        broken = stream(api, answer.content_type, [], answer.body)
        deviation = plain(api, answer.content_type, answer.body)
        facts["stream_ignored"] = True
        if found:
            findings = from_classified(found, target, where)
            if broken:  # what the SDK makes of it: with stream=True the error is swallowed
                top = findings[0]
                findings[0] = Finding(top.code, f"{top.message} (sent with HTTP {answer.status}: {broken.sdk})",
                                      top.hint, top.severity, top.confidence, {**top.facts, **broken.facts()})
            return findings
        if deviation and deviation.fatal:  # no SDK call could read it, streamed or not: one cause
            found_plain = _finding(deviation, where, "plain", facts)
            tail = f" With stream=True: {broken.sdk}." if broken else ""
            return [Finding(found_plain.code, found_plain.message + tail, found_plain.hint, found_plain.severity,
                            found_plain.confidence, found_plain.facts)]
        findings = []
        if broken:
            text = (f"{where}: the server ignored \"stream\": true and answered with one "
                    f"{answer.content_type or 'untyped'} body; {broken.sdk}")
            findings.append(Finding(STREAM_BROKEN, text, _hint(broken, "stream"), Status.FAIL, 0.8,
                                    {**broken.facts(), "request": "stream"}))
        if deviation:
            findings.append(_finding(deviation, where, "plain", facts))
        return findings


def _with_account(findings: list[Finding], ctx: Context, provider: Any) -> list[Finding]:
    """What the account read (auth check, zero tokens) says about a refusal: a free tier's daily cap."""
    facts = ctx.fact("auth", "account")
    note = provider.account.get("free_tier_note") if isinstance(facts, dict) and facts.get("free_tier") else None
    if not findings or not note or findings[0].code not in ("ratelimit.exceeded", "quota.insufficient"):
        return findings
    top = findings[0]
    return [Finding(top.code, f"{top.message} (the key is on {provider.name}'s {note})", top.hint, top.severity,
                    top.confidence, {**top.facts, "free_tier": True}), *findings[1:]]


def _looks_like_sse(body: bytes) -> bool:
    """SSE frames under another content type (the OpenAI SDK reads them; a JSON body is not this)."""
    head = body[:512].lstrip()
    return head.startswith((b"data:", b"event:", b":"))


def _hint(deviation: Deviation, mode: str) -> str:
    if deviation.cause == STREAM_BROKEN:
        return ("The stream breaks at the relay or gateway: update it or pick a channel that streams this model; "
                "a reverse proxy must pass text/event-stream through unchanged. Until then call without "
                "stream=True.")
    return ("The answer is not the API's format: check that the base URL is the API (not a web page), and at a "
            f"relay report '{deviation.field}' to its operator or pick a channel in the format your SDK speaks.")


def _finding(deviation: Deviation, where: str, mode: str, facts: dict[str, Any]) -> Finding:
    """A deviation as a finding: a failure when the SDK raises or loses the answer, else a warning."""
    facts.update(shape=deviation.facts())
    label = {"plain": "non-streamed answer", "stream": "stream", "responses": "Responses API answer"}[mode]
    severity = Status.FAIL if deviation.fatal else Status.WARN
    return Finding(deviation.cause, f"{where}: the {label}'s {deviation.sentence()}", _hint(deviation, mode),
                   severity, 0.85 if deviation.fatal else 0.5, {**deviation.facts(), "request": mode})


def _bad_encoding(message: str, target: Any, where: str, api: str, mode: str) -> Finding:
    """gzip that is not gzip: the SDK reports it as a connection error, which sends users to the network."""
    sdk = "the Anthropic SDK" if api == "anthropic" else "the OpenAI SDK"
    error = "anthropic" if api == "anthropic" else "openai"
    return Finding(UNPARSEABLE, f"{where}: {message}; {sdk} raises {error}.APIConnectionError: Connection error. "
                   "(the network is fine: the body is broken)",
                   "A relay or middlebox mangles the compression (it says Content-Encoding: gzip but sends "
                   "something else, or compresses twice): fix or bypass it; the network itself is fine.",
                   Status.FAIL, 0.85, {"sdk_outcome": "raises", "shape_field": "Content-Encoding", "request": mode})
