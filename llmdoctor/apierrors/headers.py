"""Facts from an answer's headers: the wait a server asks for, request ids, the headers safe to show."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from llmdoctor.secrets import redact_text

_SAFE_HEADERS = (
    "retry-after", "retry-after-ms", "x-request-id", "request-id", "x-ms-request-id", "cf-ray", "server",
    "content-type", "openai-organization", "openai-processing-ms", "x-ratelimit-limit-requests",
    "x-ratelimit-limit-tokens", "x-ratelimit-remaining-requests", "x-ratelimit-remaining-tokens",
    "x-ratelimit-reset-requests", "x-ratelimit-reset-tokens", "anthropic-ratelimit-requests-limit",
    "anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-requests-reset",
    "anthropic-ratelimit-tokens-limit", "anthropic-ratelimit-tokens-remaining",
    "anthropic-ratelimit-tokens-reset", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset",
    "location", "proxy-authenticate", "www-authenticate", "x-litellm-version", "x-litellm-call-id",
    "llm_provider-retry-after", "x-oneapi-request-id",
    "x-new-api-version", "via",
)


def _wait_seconds(text: str, per_second: float = 1) -> float | None:
    """A wait the server asked for, in seconds; None unless it is a finite, non-negative number
    ("inf", "-5", "1.2.3" or 400 digits come from broken relays and must not reach the JSON)."""
    try:
        value = float(text) / per_second
    except ValueError:
        return None
    return round(value, 3) if math.isfinite(value) and value >= 0 else None


def _header_facts(headers: Mapping[str, str] | None) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    if not headers:
        return facts
    lowered = {str(k).lower(): str(v) for k, v in headers.items()}
    picked = {h: redact_text(lowered[h])[:200] for h in _SAFE_HEADERS if h in lowered}
    if picked:
        facts["headers"] = picked
    if "retry-after-ms" in lowered:
        wait = _wait_seconds(lowered["retry-after-ms"], 1000)
        if wait is not None:
            facts["retry_after_s"] = wait
    elif "retry-after" in lowered or "llm_provider-retry-after" in lowered:
        # LiteLLM forwards its upstream's headers with an llm_provider- prefix (proxy/common_request_processing)
        lowered.setdefault("retry-after", lowered.get("llm_provider-retry-after", ""))
        wait = _wait_seconds(lowered["retry-after"])
        if wait is not None:
            facts["retry_after_s"] = wait
        else:
            facts["retry_after"] = redact_text(lowered["retry-after"])[:64]  # an HTTP date (or junk, as sent)
    if any(name.startswith("x-litellm-") for name in lowered):
        facts["relay"] = "litellm"  # LiteLLM stamps x-litellm-call-id, -version, -key-spend on its answers
    for name in ("x-request-id", "request-id", "x-ms-request-id", "x-oneapi-request-id", "cf-ray"):
        if name in lowered:
            facts["request_id"] = lowered[name][:128]
            break
    return facts
