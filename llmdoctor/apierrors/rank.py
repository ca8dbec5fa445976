"""Corrections no single row can make: what a status, a provider or two overlapping causes mean together.

This is where a generic status gives way to the words ("429" that says the request is too large is
not a rate limit) and where overlapping causes are ranked against each other.
"""

from __future__ import annotations

from typing import Any

from llmdoctor.apierrors import google_quota
from llmdoctor.apierrors.answers import settle
from llmdoctor.apierrors.parse import Parsed
from llmdoctor.apierrors.rules import _STATUS_FALLBACK
from llmdoctor.signatures.evidence import keep_stronger

_Found = dict[str, tuple[float, dict[str, Any]]]


def _add(found: _Found, cause: str, conf: float, extra: dict[str, Any] | None = None) -> None:
    keep_stronger(found, cause, conf, extra or {})


def adjust(status: int | None, parsed: Parsed, provider: str | None, endpoint: str,
            facts: dict[str, Any], found: _Found) -> None:
    """Corrections no single pattern can make: status codes, providers, and overlaps."""
    haystack = " ".join([parsed.err_status, parsed.message, *parsed.quota_ids]).lower()
    settle(found, " ".join([parsed.err_type, parsed.err_code, haystack, parsed.text[:8192].lower()]))
    # Gemini says "exceeded your current quota" for per-minute and per-day limits alike
    google_quota.read(parsed.text, haystack, provider, found)
    if found.get("quota.insufficient", (0.0,))[0] >= 0.9 and "ratelimit.exceeded" in found:
        del found["ratelimit.exceeded"]  # "check your plan and billing details" is not a wait-and-retry
    if "request.too_large" in found and "ratelimit.exceeded" in found:
        if found["request.too_large"][0] >= 0.9:
            found["ratelimit.exceeded"] = (0.5, {})
        elif found["ratelimit.exceeded"][0] >= 0.85:  # "tokens per minute limit exceeded - too many tokens"
            found["request.too_large"] = (0.5, {})
    if status == 402 and "quota.insufficient" in found and "request.too_large" in found:
        found["request.too_large"] = (0.5, {})  # 402 Payment Required: a budget spent, not a request too large
    if "model.not_found" in found and found["model.not_found"][0] >= 0.8:
        found.pop("endpoint.not_found", None)
        if "does not exist or you do not have access" in haystack:
            found.pop("auth.permission_denied", None)
    if "auth.region_blocked" in found and found["auth.region_blocked"][0] >= 0.9:
        found.pop("auth.permission_denied", None)
        found.pop("request.invalid", None)
    if "auth.wrong_header" in found and "auth.invalid_key" in found:
        # "x-api-key header is required" arrives typed authentication_error: the header, not the key
        found["auth.invalid_key"] = (min(found["auth.invalid_key"][0], 0.6), {})
    shaped = [c for c in ("config.missing_key", "config.key_malformed", "config.key_whitespace",
                          "config.key_placeholder") if found.get(c, (0.0,))[0] >= 0.88]
    if shaped and "auth.invalid_key" in found:
        found["auth.invalid_key"] = (0.6, {})  # the key was rejected, and its echo says why
    if found.get("auth.account_disabled", (0.0,))[0] >= 0.9:
        for cause in ("auth.invalid_key", "auth.permission_denied", "request.invalid", "quota.insufficient"):
            found.pop(cause, None)
    if found.get("quota.insufficient", (0.0,))[0] >= 0.9:
        found.pop("auth.permission_denied", None)  # "permission_error: You've reached your usage limit"
    if found.get("relay.upstream_key_rejected", (0.0,))[0] >= 0.9:
        # the user's key got through; what was refused is the relay's own key for its upstream
        found.pop("auth.key_wrong_provider", None)
        found.pop("gateway.error", None)
        if "auth.invalid_key" in found:
            found["auth.invalid_key"] = (0.3, {})
    if "auth.key_wrong_provider" in found and "auth.invalid_key" in found:
        found["auth.invalid_key"] = (0.7, {})
    other = _other_platform(provider)
    if status in (401, 403) and other and "auth.invalid_key" in found:
        # a .cn key on the .ai endpoint, a China key on the intl endpoint, another Azure resource's key: the
        # same 401 as a bad key (providers.json "other_platform"), so both are said
        _add(found, other, 0.5)
    if status == 401 and "auth.invalid_key" not in found and "auth.wrong_header" not in found \
            and "config.missing_key" not in found and "ratelimit.relay_saturated" not in found:
        _add(found, "auth.invalid_key", 0.7)
    if status == 404 and endpoint != "models" and "model.not_found" not in found \
            and "endpoint.not_found" in found:
        _add(found, "model.not_found", 0.45)
    if status == 529:
        _add(found, "server.overloaded", 0.92)
    if status is not None and status in (502, 504) and not found:
        _add(found, "gateway.error", 0.8)
    if status is not None and 300 <= status < 400:
        facts["redirect"] = True
        _add(found, "config.base_url_invalid", 0.6)
    if not found and status is not None:
        facts["status_only"] = True  # nothing in the body named a cause: explain treats some statuses as open
        for cause, conf in _STATUS_FALLBACK.get(status, ()):
            _add(found, cause, conf)
        if not found and 400 <= status < 500:
            _add(found, "request.invalid", 0.4)
        elif not found and status >= 500:
            _add(found, "server.error", 0.6)
    _endpoint_generation(parsed, facts, found)
    if "relay.format_conversion" in found:
        if provider == "anthropic":  # a native Anthropic client sent it: the request is the user's own
            _add(found, "request.invalid", found.pop("relay.format_conversion")[0])
        else:
            found.pop("request.invalid", None)
    if status == 400 and "quota.insufficient" in found and "credit balance" in haystack:
        found.pop("request.invalid", None)


# What the wrong-generation message says the model needs instead (facts["needs_endpoint"])
_NEEDS_ENDPOINT = (("v1/responses", "responses"), ("use v1/chat/completions", "chat/completions"),
                   ("use v1/completions", "completions"), ("/engines/", "engines"),
                   ("/v1/completions/chat", "base_url"), ("deprecated", "retired"))


def _endpoint_generation(parsed: Parsed, facts: dict[str, Any], found: _Found) -> None:
    """A model answered on another API generation: the message names the endpoint, not a missing model."""
    if found.get("endpoint.wrong_generation", (0.0,))[0] < 0.85:
        return
    text = " ".join([parsed.message, parsed.text[:4096]]).lower()
    for needle, endpoint_name in _NEEDS_ENDPOINT:
        if needle in text:
            facts["needs_endpoint"] = endpoint_name
            break
    for other in ("endpoint.not_found", "model.not_found", "request.invalid"):
        found.pop(other, None)  # the message names the endpoint the model needs
    if facts.get("needs_endpoint") == "retired":
        _add(found, "model.not_found", 0.6)  # a retired model: another model is the other way out


def _other_platform(provider: str | None) -> str:
    """The cause a 401 means when the key is from the provider's other platform, region or resource."""
    if not provider:
        return ""
    from llmdoctor import providers

    try:
        return providers.get(provider).other_platform.get("cause", "")
    except KeyError:
        return ""
