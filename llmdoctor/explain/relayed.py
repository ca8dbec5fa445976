"""A relay's 5xx that carries its own client's transport failure (issue 16, clients class).

Local routers and relays (claude-code-router, glmproxy, One API and New API, LiteLLM's proxy) answer 500 or 502
when *their* request to the upstream failed, and put their HTTP client's own sentence in the body: claude-code-
router's {"error": {"message": "fetch failed", "type": "api_error", "code": "internal_error"}} (undici's TypeError
from its own fetch), glmproxy's "Anthropic API network error: fetch failed", a Go relay's "dial tcp ...: connect:
connection refused". The 5xx is the relay's placeholder, not the provider having an internal error: the relay could
not reach the upstream, and the body does not say why (the relay's proxy, its DNS, its network). So the server
causes go, and the text says what it can: candidates, led by the gateway in between.
"""

from __future__ import annotations

import re

from llmdoctor.signatures.evidence import keep_stronger
from llmdoctor.signatures.prefilter import Lazy

Found = dict[str, tuple[float, str]]

# an error body's message that is a client's transport sentence (undici, node, Go, the openai SDK), nothing more
_TRANSPORT_MESSAGE = Lazy(
    r"[\"']message[\"']\s*:\s*[\"'](?:[^\"'\n]{0,60}?\b(?:network error|error|failed)\s*:\s*)?(?:typeerror:\s*)?"
    r"(?:fetch failed|connect (?:econnrefused|etimedout|ehostunreach|enetunreach)\b|"
    r"getaddrinfo (?:enotfound|eai_again)\b|"
    r"socket hang up|read econnreset|connection error\.?[\"']|request timed out\.?[\"']|"
    r"dial tcp [^\"'\n]{0,80}: (?:connect: connection refused|i/o timeout))", re.I)
_SERVER_CAUSES = ("server.error", "server.overloaded")


def read(text: str, status: int | None, found: Found, vague: Found) -> None:
    """Turns a relay's 5xx around its own client's transport failure into candidates (see the module's docstring)."""
    if status is None or not 500 <= status <= 504:
        return
    hit = _TRANSPORT_MESSAGE.search(text[:200_000])
    if not hit or any(confidence >= 0.9 for cause, (confidence, _) in found.items() if cause not in _SERVER_CAUSES):
        return
    for cause in _SERVER_CAUSES:
        found.pop(cause, None)
    said = f"The {status} came from a relay whose own request to the upstream failed ({hit.group(0)[:80]!r})."
    for cause, confidence in (("gateway.error", 0.45), ("proxy.unreachable", 0.3), ("dns.failure", 0.25),
                              ("net.connect_timeout", 0.25)):
        keep_stronger(vague, cause, confidence, said)
    found.pop("gateway.error", None)
