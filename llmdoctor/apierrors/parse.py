"""Reads an API's answer body: the error object in whatever shape a provider uses, or an HTML page.

Providers nest their errors differently (OpenAI's {"error": {...}}, DashScope's flat {"code", "message"},
Baidu's {"error_code", "error_msg"}, Gemini's list); this module finds the error and its fields so the
rules in `rules.py` can read one shape.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

MAX_BODY_CHARS = 256 * 1024  # error bodies are small; a huge one is a web page or a stream


@dataclass
class Parsed:
    text: str = ""
    is_json: bool = False
    is_html: bool = False
    html_title: str = ""
    err_type: str = ""
    err_code: str = ""
    err_status: str = ""  # Google's canonical status name, e.g. RESOURCE_EXHAUSTED
    message: str = ""
    reasons: list[str] = field(default_factory=list)
    quota_ids: list[str] = field(default_factory=list)
    request_id: str = ""
    has_error: bool = False


def _to_text(body: bytes | str | None) -> str:
    if body is None:
        return ""
    if isinstance(body, (bytes, bytearray)):
        return bytes(body[: MAX_BODY_CHARS * 4]).decode("utf-8", errors="replace")[:MAX_BODY_CHARS]
    return body[:MAX_BODY_CHARS]


def _scalar(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value)


def _error_object(data: Any) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """Finds the error object in the shapes providers use; returns (error, envelope)."""
    if isinstance(data, list) and data and isinstance(data[0], dict):
        data = data[0]  # Gemini's OpenAI endpoint wraps errors in a list
    if not isinstance(data, dict):
        return None
    err = data.get("error")
    if isinstance(err, dict) and err:
        return err, data
    if isinstance(err, str) and err:
        return {"message": err}, data  # Ollama, some relays
    if data.get("success") is False or data.get("object") == "error":
        return data, data
    if isinstance(data.get("errors"), dict) and data["errors"]:
        return data["errors"], data  # {"errors": {"message": ...}} (some OpenAI-compatible hosts)
    provider_shaped = _provider_envelope(data)
    if provider_shaped is not None:
        return provider_shaped, data
    wrapped = _wrapped_error(data)
    if wrapped is not None:
        return wrapped
    # a successful payload ({"code": 20012, "message": ..., "data": null} is not one, nor RAGFlow's failures:
    # api/utils/api_utils.py answers get_json_result(data=False, message="Authentication error: API key is
    # invalid!", code=RetCode.AUTHENTICATION_ERROR), {"code": 109, "data": false, "message": ...})
    if any(data.get(k) not in (None, False) for k in ("choices", "data", "content", "candidates", "models", "object")):
        return None
    if any(k in data for k in ("code", "message", "msg", "detail", "statusCode", "error_msg", "errors")):
        return data, data  # DashScope, Azure APIM, Mistral, FastAPI-style relays
    return None


def _provider_envelope(data: dict[str, Any]) -> dict[str, Any] | None:
    """The error in envelopes of providers that answer HTTP 200 with a status inside: MiniMax's
    {"base_resp": {"status_code", "status_msg"}}, iFlytek Spark's {"header": {"code", "message", "sid"}}, Tencent
    Cloud API 3.0's {"Response": {"Error": {"Code", "Message"}}}. A status 0 is success."""
    base = data.get("base_resp")
    if isinstance(base, dict) and base.get("status_code") not in (None, 0, "0"):
        return {"code": base.get("status_code"), "message": base.get("status_msg") or ""}
    header = data.get("header")
    if isinstance(header, dict) and header.get("code") not in (None, 0, "0") and "message" in header:
        return {"code": header.get("code"), "message": header.get("message") or ""}
    response = data.get("Response")
    if isinstance(response, dict) and isinstance(response.get("Error"), dict):
        error = response["Error"]
        return {"code": error.get("Code"), "message": error.get("Message") or ""}
    return None


def _wrapped_error(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]] | None:
    """The provider's own error that an app or proxy passed on inside its envelope: {"message": "OpenAI API
    error.", "details": {"error": {...}}}, FastAPI's {"detail": {"error": {...}}}. The inner error names the
    cause; the wrapper's words only say that the call failed."""
    for value in list(data.values())[:20]:
        if isinstance(value, dict) and isinstance(value.get("error"), dict) and value["error"]:
            return value["error"], value
    return None


def _upstream_raw(err: dict[str, Any], text: str) -> Parsed | None:
    """The upstream's own answer passed on as a string inside another error: OpenRouter's {"message": "Provider
    returned error", "code": 429, "metadata": {"raw": "{\\"error\\": {...}}", ...}}
    (openrouter.ai/docs/api-reference/errors), and clients that put the whole body in the message (the Gemini SDKs'
    "got status: 429 Too Many Requests. {"error": {"message": "{\\n  \\"error\\": {...}}", "code": 429, "status":
    "Too Many Requests"}}", where the outer "status" is only the reason phrase). The inner body names the cause;
    the envelope only says that the call failed. Its code stands in for a status the inner body does not carry."""
    metadata = err.get("metadata")
    raw = metadata.get("raw") if isinstance(metadata, dict) else None
    if not isinstance(raw, str):
        raw = err.get("message")
    if not isinstance(raw, str) or raw.lstrip()[:1] not in ("{", "["):
        return None
    try:
        inner = parse_payload(json.loads(raw[:MAX_BODY_CHARS]), text)
    except (ValueError, RecursionError):
        return None
    if not inner.has_error:
        return None
    inner.err_code = inner.err_code or _scalar(err.get("code"))
    return inner


def parse_payload(data: Any, text: str = "") -> Parsed:
    """Reads an already-decoded JSON-like payload (explain feeds Python-repr dicts here)."""
    parsed = Parsed(text=text, is_json=True)
    found = _error_object(data)
    if found is None:
        return parsed
    err, envelope = found
    inner = _upstream_raw(err, text)
    if inner is not None:
        return inner
    parsed.has_error = True
    parsed.err_type = _scalar(err.get("type"))
    parsed.err_code = _scalar(err.get("code") if "code" in err else err.get("statusCode", err.get("error_code")))
    status = err.get("status")
    parsed.err_status = status if isinstance(status, str) else ""
    message = err.get("message") or err.get("msg") or err.get("error_msg") or err.get("detail")
    if message is None and err is envelope and isinstance(envelope.get("errors"), list):
        message = envelope["errors"]
    parsed.message = message if isinstance(message, str) else (json.dumps(message)[:2000] if message else "")
    details = err.get("details")
    if isinstance(details, list):
        for item in details[:10]:
            if not isinstance(item, dict):
                continue
            if isinstance(item.get("reason"), str):
                parsed.reasons.append(item["reason"])
            violations = item.get("violations")
            for violation in violations[:10] if isinstance(violations, list) else []:
                if isinstance(violation, dict) and isinstance(violation.get("quotaId"), str):
                    parsed.quota_ids.append(violation["quotaId"])
    for key in ("request_id", "requestId", "request-id", "id"):
        value = envelope.get(key) if isinstance(envelope.get(key), str) else err.get(key)
        if isinstance(value, str) and key != "id":
            parsed.request_id = value
            break
    return parsed


_PLAIN_TO_TLS = re.compile(r"plain http request was sent to https port|client sent an http request to an https server")
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.I | re.S)
# What a pasted traceback says when the SDK tried to read an HTML page as JSON
_SDK_DECODE = re.compile(r"expecting value: line 1 column 1|jsondecodeerror|is not valid json", re.I)


def _parse(text: str, content_type: str) -> Parsed:
    stripped = text.lstrip("\ufeff \t\r\n")
    if stripped[:1] in "{[":
        try:
            return parse_payload(json.loads(stripped), text)
        except (ValueError, RecursionError):
            pass
    parsed = Parsed(text=text)
    head = stripped[:4096].lower()
    if "html" in content_type.lower() or head.startswith(("<!doctype", "<html", "<head", "<body")) \
            or "<title" in head:
        parsed.is_html = True
        match = _TITLE.search(text[:65536])
        if match:
            import html  # only for an HTML page

            parsed.html_title = " ".join(html.unescape(match.group(1)).split())[:200]
    return parsed

