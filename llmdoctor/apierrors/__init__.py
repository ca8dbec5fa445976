"""Reads an API's answer (status, body, headers) and names the knowledge-base causes it shows.

Shared by the live auth check and by `explain`, so one table reads every provider's error
shapes. Split by job: `parse` finds the error object, `rules` holds the rows (data), `match`
applies them, `rank` makes the corrections that need several facts at once, `headers` reads
header facts. The bodies each row was written against are in tests/test_apierrors.py; the
texts users paste are in tests/corpus/.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from llmdoctor.apierrors.headers import _header_facts
from llmdoctor.apierrors.match import _add, _Found, _html_causes, _match_rules
from llmdoctor.apierrors.parse import _SDK_DECODE, MAX_BODY_CHARS, Parsed, _parse, _to_text, parse_payload
from llmdoctor.apierrors.rules import _STATUS_ALONE
from llmdoctor.secrets import redact_text

__all__ = ["MAX_BODY_CHARS", "Classified", "Parsed", "classify_payload", "classify_response", "parse_payload",
           "redact_text"]

_MAX_MESSAGE_CHARS = 300


@dataclass(frozen=True)
class Classified:
    """One cause the answer points to; `message` is plain English and already redacted."""

    cause_id: str
    confidence: float
    message: str
    facts: dict[str, Any] = field(default_factory=dict)


def _by_status(status: int | None) -> str:
    """The cause a status alone suggests, for an answer that could not be read at all."""
    if status and status >= 500:
        return "server.error"
    return _STATUS_ALONE.get(status or 0, "request.invalid")


def _summary(status: int | None, parsed: Parsed) -> str:
    """One plain sentence: what the server answered."""
    where = f"HTTP {status}" if status is not None else "an error"
    labels = [x for x in (parsed.err_code, parsed.err_type, parsed.err_status) if x and len(x) < 64]
    label = f" ({', '.join(dict.fromkeys(labels))})" if labels else ""
    if parsed.is_html:
        title = f" titled '{redact_text(parsed.html_title)}'" if parsed.html_title else ""
        return f"The server answered {where} with an HTML page{title}, not an API response."
    text = parsed.message or ("" if parsed.is_json else parsed.text.strip())
    text = " ".join(redact_text(text).split())
    if len(text) > _MAX_MESSAGE_CHARS:
        text = text[: _MAX_MESSAGE_CHARS - 1] + "…"
    if text:
        return f"The server answered {where}{label}: {text}"
    return f"The server answered {where}{label} with no error message."


def classify_payload(status: int | None, parsed: Parsed, headers: Mapping[str, str] | None = None,
                     provider: str | None = None, endpoint: str = "models") -> list[Classified]:
    """The rules behind `classify_response`, for a body that is already parsed."""
    facts: dict[str, Any] = {"status": status} if status is not None else {}
    facts.update(_header_facts(headers))
    for name, value in (("error_type", parsed.err_type), ("error_code", parsed.err_code),
                        ("error_status", parsed.err_status)):
        if value:
            facts[name] = redact_text(value)[:100]
    if parsed.reasons:
        facts["error_reasons"] = parsed.reasons[:5]
    if parsed.quota_ids:
        facts["quota_ids"] = parsed.quota_ids[:5]
    if parsed.request_id:
        facts.setdefault("request_id", parsed.request_id[:128])
    if parsed.is_html:
        facts["html_title"] = redact_text(parsed.html_title)
    ok = status is not None and 200 <= status < 300
    if ok and not parsed.has_error and not parsed.is_html \
            and (parsed.is_json or not parsed.text.strip() or endpoint != "models"):
        return []
    found: _Found = {}
    if parsed.is_html:
        for cause, conf, extra in _html_causes(status, parsed):
            _add(found, cause, conf, extra)
        if _SDK_DECODE.search(parsed.text[:65536]):  # a pasted traceback: the SDK tried to read this page as JSON
            _add(found, "response.unparseable", 0.88)
    elif ok and not parsed.has_error:
        _add(found, "endpoint.not_an_api", 0.6)
    else:
        _match_rules(status, parsed, provider, endpoint, facts, found)
    message = _summary(status, parsed)
    out = [Classified(cause, round(conf, 2), message, {**facts, **extra})
           for cause, (conf, extra) in found.items()]
    out.sort(key=lambda c: -c.confidence)
    return out


def classify_response(status: int | None, body: bytes | str | None,
                      headers: Mapping[str, str] | None = None, provider: str | None = None,
                      endpoint: str = "models") -> list[Classified]:
    """Causes the answer shows, best first; an empty list means the call worked.

    `provider` (e.g. "openai", "relay") sharpens a few rules; `endpoint` says what was called
    ("models" for the GET /models probe, "chat" for a completion) so a 404 can mean a model.
    """
    try:
        content_type = ""
        if headers:
            content_type = next((str(v) for k, v in headers.items() if str(k).lower() == "content-type"), "")
        parsed = _parse(_to_text(body), content_type)
        return classify_payload(status, parsed, headers, provider, endpoint)
    except Exception as exc:  # a classifier must never take the run down with it
        return [Classified(_by_status(status), 0.3,
                           f"The server answered HTTP {status}; the answer could not be read.",
                           {"status": status, "classifier_error": type(exc).__name__})]
