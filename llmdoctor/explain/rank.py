"""Weighs what the API answer and the transport signs showed, and says when the text does not tell.

A verdict needs one cause the text names with some confidence. A text whose only signs are vague
(`Connection error.`, a reset with no step, a bare 429 with no body) gets its candidates and what
would tell them apart instead: a weak guess is never presented as the verdict.
"""

from __future__ import annotations

from llmdoctor.apierrors import Classified
from llmdoctor.explain.match import Found, Transport
from llmdoctor.signatures.evidence import keep_stronger

VERDICT_CONFIDENCE = 0.6  # below this the strongest cause is a candidate, not a verdict
# A status with no words about it: these statuses have several common meanings.
_STATUS_ONLY_OPEN = {
    429: (("ratelimit.exceeded", 0.5), ("quota.insufficient", 0.45)),
    403: (("auth.permission_denied", 0.45), ("auth.region_blocked", 0.35), ("proxy.blocked", 0.3)),
    503: (("server.overloaded", 0.45), ("gateway.error", 0.4), ("server.error", 0.35)),
    # a 400 with its body cut off (requests' raise_for_status: "Bad Request for url: ..."): OpenAI-style APIs answer
    # 400 for a malformed request, an input over the context window and, on many relays, an unknown model
    400: (("request.invalid", 0.45), ("request.too_large", 0.35), ("model.not_found", 0.3)),
}


def weigh(classified: list[Classified], status: int | None, seen: Transport, text: str) -> tuple[Found, Found]:
    """(definite, candidates): causes the text names, and the ones it only makes possible."""
    found: Found = {}
    vague: Found = dict(seen.vague)
    status_only = bool(classified) and all(item.facts.get("status_only") for item in classified)
    if status_only and status in _STATUS_ONLY_OPEN:
        for cause, confidence in _STATUS_ONLY_OPEN[status]:
            keep_stronger(vague, cause, confidence, f"The error gives status {status} and nothing else.")
    elif status_only and status == 404 and "no body" in text.lower():
        keep_stronger(found, "config.base_url_invalid", 0.75, "The server answered 404 with no body at all: that "
                      "path is not served there, so the base URL (or the path appended to it) is wrong.")
    else:
        for item in classified:
            keep_stronger(found, item.cause_id, item.confidence, item.message)
    for cause, (confidence, message) in seen.found.items():
        keep_stronger(found, cause, confidence, message)
    return found, vague


def is_verdict(found: Found) -> bool:
    return bool(found) and max(confidence for confidence, _ in found.values()) >= VERDICT_CONFIDENCE
